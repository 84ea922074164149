//! Rosters (党员名册): importing members from Excel and CSV files, exporting them, and the blank
//! import template.
//!
//! An import reads every sheet (`read`), finds the header row(s) and maps the columns by name and
//! synonym (`columns`, with the names in `assets/roster/columns.toml`), normalises and checks every
//! cell and row (`cells`, `validate`), then matches the rows against the archive (`import`): a new
//! ID number or student number creates a member, a known one updates it, shown as a field diff.
//! Every problem is collected with its sheet, Excel row and column, so a clerk sees all of them
//! at once. Nothing is written while anything is invalid, unless the caller asks to skip invalid
//! rows; the writing is one transaction and one batch, which `undo` reverts exactly.
//!
//! 加入党组织日期 becomes development steps 15 (支部大会讨论, 入党时间) and 17 (上级党委审批, at the
//! same date, as the roster gives no other) so that the member is a probationary member;
//! 转为正式党员日期 becomes step 24 (上级党委审批转正). Only these steps are recorded, each with a
//! note that it came from an import; the earlier steps stay missing, as they are in the roster.

pub mod cells;
pub mod columns;
mod error;
mod export;
mod files;
mod import;
mod ods;
mod read;
mod template;
mod validate;

use serde::Serialize;
use ts_rs::TS;

pub use columns::Field;
pub use error::RosterError;
pub use export::{
    ExportFormat, ExportOptions, ExportSummary, TextEncoding, export, write_error_workbook,
};
pub use files::{EXPORTS_DIR, discard_upload, export_path, is_upload, save_upload};
pub use import::{
    BatchSummary, ImportOptions, ImportPhase, ImportPreview, ImportProgress, ProgressFn,
    UndoSummary, commit, history, import, import_with_progress, preview, preview_with_progress,
    undo,
};
pub use read::{RawFile, RawRow, RawSheet, find_header, find_header_mapped, read_bytes, read_file};
pub use template::write_template;

/// Why a cell or row cannot be imported (or, for warnings, what to know about it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    /// A required value (姓名, 公民身份号码; 加入党组织日期 when 转为正式党员日期 is given) is empty.
    MissingRequired,
    BadDate,
    BadIdNumber,
    /// An ID number stored as a number: Excel has already rounded it.
    IdNumberAsNumber,
    IdBirthMismatch,
    IdSexMismatch,
    /// The same ID number or student number appears earlier in the file (on any sheet).
    DuplicateInFile,
    UnknownBranch,
    AmbiguousBranch,
    BadPhone,
    DatesOutOfOrder,
    DateInFuture,
    BadValue,
    /// The ID number matches one member and the student number another.
    ConflictingMatch,
    /// The archive already records a different 入党时间 for this member.
    ConflictsWithTimeline,
    /// Warning: the archive derives 转为正式党员日期 from 入党时间; the roster's later date is
    /// kept as the date of the conversion approval.
    FullMemberDateDerived,
}

impl IssueCode {
    pub fn as_code(self) -> &'static str {
        match self {
            IssueCode::MissingRequired => "missing_required",
            IssueCode::BadDate => "bad_date",
            IssueCode::BadIdNumber => "bad_id_number",
            IssueCode::IdNumberAsNumber => "id_number_as_number",
            IssueCode::IdBirthMismatch => "id_birth_mismatch",
            IssueCode::IdSexMismatch => "id_sex_mismatch",
            IssueCode::DuplicateInFile => "duplicate_in_file",
            IssueCode::UnknownBranch => "unknown_branch",
            IssueCode::AmbiguousBranch => "ambiguous_branch",
            IssueCode::BadPhone => "bad_phone",
            IssueCode::DatesOutOfOrder => "dates_out_of_order",
            IssueCode::DateInFuture => "date_in_future",
            IssueCode::BadValue => "bad_value",
            IssueCode::ConflictingMatch => "conflicting_match",
            IssueCode::ConflictsWithTimeline => "conflicts_with_timeline",
            IssueCode::FullMemberDateDerived => "full_member_date_derived",
        }
    }
}

/// A problem with one cell: where it is as the clerk sees it, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct CellIssue {
    pub sheet: String,
    /// The row number Excel shows (title and header rows counted); for CSV the line number,
    /// the header being line 1.
    pub row: u32,
    /// The header text as written in the file (the lower one of two header rows).
    pub column: String,
    pub field: Option<Field>,
    pub code: IssueCode,
    pub message: String,
    /// The cell as read.
    pub value: String,
}

/// A clerk's correction of how a column maps: the header as written (compared like the known
/// headers, ignoring spaces, asterisks and bracketed remarks) to a field, or to nothing (不导入).
/// Applied before the header row is chosen and before any cell is checked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize, TS)]
pub struct ColumnOverride {
    /// The sheet it applies to; every sheet when null.
    pub sheet: Option<String>,
    /// The header text as written in the file.
    pub column: String,
    /// The field the column holds, or null: the column is not imported.
    pub field: Option<Field>,
}

impl ColumnOverride {
    /// Parses the CLI's `HEADER=FIELD` or `SHEET:HEADER=FIELD`; FIELD is a field code
    /// (`id_number`), a field's Chinese label or synonym, or `ignore`.
    pub fn parse(text: &str) -> Result<ColumnOverride, RosterError> {
        let bad = |why: &str| {
            RosterError::InvalidArgument(format!(
                "--map {text:?}：{why}；写作 表头=字段 或 工作表:表头=字段，字段为字段代码（如 id_number）、中文列名或 ignore"
            ))
        };
        let (left, right) = text.rsplit_once('=').ok_or_else(|| bad("缺少“=”"))?;
        let (sheet, column) = match left.split_once([':', '：']) {
            Some((sheet, column)) if !sheet.trim().is_empty() => {
                (Some(sheet.trim().to_string()), column)
            }
            _ => (None, left),
        };
        let column = column.trim();
        if column.is_empty() {
            return Err(bad("表头为空"));
        }
        let right = right.trim();
        let field = match right {
            "ignore" | "ignored" | "不导入" | "" => None,
            code => Some(
                Field::from_code(code)
                    .or_else(|| columns::field_for_header(code))
                    .ok_or_else(|| bad(&format!("没有字段 {code:?}")))?,
            ),
        };
        Ok(ColumnOverride {
            sheet,
            column: column.to_string(),
            field,
        })
    }
}

/// How a column of the file was understood.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ColumnMapping {
    /// The header as written.
    pub column: String,
    /// The field it maps to, or null for a column that is ignored.
    pub field: Option<Field>,
}

/// A sheet of the file as the import sees it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct SheetPreview {
    pub name: String,
    /// The Excel row number of the (lower) header row; 0 when the sheet is skipped.
    pub header_row: u32,
    /// Non-blank data rows.
    pub rows: usize,
    pub columns: Vec<ColumnMapping>,
    /// Why the sheet is not read (empty, or no roster columns), or null.
    pub skipped: Option<String>,
}

/// What a valid row does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RowAction {
    Created,
    Updated,
    Unchanged,
}

/// One field an update changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct FieldChange {
    pub field: Field,
    /// The field's name (the national name where there is one).
    pub label: String,
    pub before: String,
    pub after: String,
}

/// A row that updates an existing member, with what changes.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RowChange {
    pub sheet: String,
    pub row: u32,
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    pub name: String,
    pub action: RowAction,
    pub changes: Vec<FieldChange>,
}

/// The result of an import or of its preview (`committed` false).
#[derive(Debug, Clone, Serialize, TS)]
pub struct ImportReport {
    pub file: String,
    /// xlsx, xls, ods or csv.
    pub format: String,
    /// The text encoding of a CSV file (utf-8, utf-8-bom, gb18030).
    pub encoding: Option<String>,
    pub sheets: Vec<SheetPreview>,
    /// Non-blank data rows over all sheets read.
    pub rows: usize,
    pub valid: usize,
    pub invalid: usize,
    /// Valid rows that create a member / update one / change nothing.
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub errors: Vec<CellIssue>,
    pub warnings: Vec<CellIssue>,
    /// The branch names that match no branch of the archive, each once.
    pub unknown_branches: Vec<String>,
    /// The branches the import creates (`college/branch`), when asked to.
    pub new_branches: Vec<String>,
    /// The rows that update a member, with their field diffs (the first 1,000: a commit keeps
    /// every diff in its batch).
    pub updates: Vec<RowChange>,
    /// Rows that update a member beyond those listed in `updates`.
    pub updates_omitted: usize,
    pub committed: bool,
    /// The batch id to undo the import with, once committed.
    #[ts(type = "number | null")]
    pub batch: Option<i64>,
}

/// The months a probation begun on `joined` was extended by, if the conversion date `full` is a
/// whole number of months (1–24) after the end of the probation year: how a roster that gives
/// both dates says 延长预备期.
pub(crate) fn extension_months(joined: chrono::NaiveDate, full: chrono::NaiveDate) -> Option<u8> {
    (1..=24u8).find(|m| crate::people::probation_end(joined, u32::from(*m)) == Some(full))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("身份证=id_number", None, "身份证", Some(Field::IdNumber))]
    #[case("联系电话2=ignore", None, "联系电话2", None)]
    #[case("证件号 = 公民身份号码", None, "证件号", Some(Field::IdNumber))]
    #[case("Sheet1:手机=联系电话", Some("Sheet1"), "手机", Some(Field::Phone))]
    #[case("计算机学院：备注=不导入", Some("计算机学院"), "备注", None)]
    fn a_map_argument_parses(
        #[case] text: &str,
        #[case] sheet: Option<&str>,
        #[case] column: &str,
        #[case] field: Option<Field>,
    ) {
        let parsed = ColumnOverride::parse(text).unwrap();
        assert_eq!(
            parsed,
            ColumnOverride {
                sheet: sheet.map(str::to_string),
                column: column.to_string(),
                field,
            }
        );
    }

    #[rstest]
    #[case("身份证")]
    #[case("=id_number")]
    #[case("身份证=shoe_size")]
    fn a_bad_map_argument_is_refused(#[case] text: &str) {
        let err = ColumnOverride::parse(text).unwrap_err();
        assert!(err.to_string().contains("--map"), "{err}");
    }
}
