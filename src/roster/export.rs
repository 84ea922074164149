//! Export: members to .xlsx (formatted) or .csv (UTF-8 with BOM, or GBK), in the national
//! system's 16 fields or with the university's fields too; and the error list of an import as a
//! workbook with the bad cells highlighted.

use std::collections::HashMap;
use std::path::Path;

use chrono::NaiveDate;
use rust_xlsxwriter::{Color, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

use super::CellIssue;
use super::cells::{Cell, date_serial};
use super::columns::{Field, columns, national_fields};
use super::error::RosterError;
use super::read::{find_header, read_file};
use crate::actor::Actor;
use crate::archive::Archive;
use crate::db;
use crate::people::{self, MemberQuery, Sex, Stage};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ExportFormat {
    /// The 16 national fields, in the national order and with the national names.
    National,
    /// Every field Dangan keeps, and the stage.
    Full,
}

impl ExportFormat {
    pub fn from_code(code: &str) -> Option<ExportFormat> {
        match code {
            "national" => Some(ExportFormat::National),
            "full" => Some(ExportFormat::Full),
            _ => None,
        }
    }
}

/// The encoding of an exported CSV file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TextEncoding {
    /// UTF-8 with a byte-order mark, which Excel needs to read it as UTF-8.
    Utf8Bom,
    /// GBK for older tools; written as GB18030 (identical for every GBK character), so rare name
    /// characters outside GBK are kept rather than lost.
    Gbk,
}

impl TextEncoding {
    pub fn from_code(code: &str) -> Option<TextEncoding> {
        match code {
            "utf8-bom" | "utf-8-bom" | "utf8" => Some(TextEncoding::Utf8Bom),
            "gbk" | "gb18030" => Some(TextEncoding::Gbk),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct ExportOptions {
    pub branch_id: Option<i64>,
    pub stage: Option<Stage>,
    pub format: ExportFormat,
    /// For .csv files.
    pub encoding: TextEncoding,
    /// The date printed in the title row.
    pub as_of: NaiveDate,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ExportSummary {
    pub file: String,
    pub members: usize,
    pub format: ExportFormat,
}

/// A value to write: text, a date, or nothing.
enum Out {
    Text(String),
    Date(NaiveDate),
    Empty,
}

impl Out {
    fn text(&self) -> String {
        match self {
            Out::Text(t) => t.clone(),
            Out::Date(d) => d.to_string(),
            Out::Empty => String::new(),
        }
    }
}

fn write_err(path: &Path) -> impl Fn(XlsxError) -> RosterError + '_ {
    move |err| RosterError::Write {
        path: path.to_path_buf(),
        reason: err.to_string(),
    }
}

/// The stage column of the full format.
const STAGE_LABEL: &str = "发展阶段";

/// Writes the members matching the filters to `path` (.xlsx or .csv, by its extension).
pub fn export(
    archive: &Archive,
    actor: &Actor,
    path: &Path,
    options: &ExportOptions,
) -> Result<ExportSummary, RosterError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Export)?;
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !matches!(extension.as_str(), "xlsx" | "csv") {
        return Err(RosterError::InvalidArgument(format!(
            "{}: 导出文件须以 .xlsx 或 .csv 结尾",
            path.display()
        )));
    }
    let query = MemberQuery {
        branch_id: options.branch_id,
        stage: options.stage,
        ..MemberQuery::default()
    };
    let listed = people::list_all(archive, actor, &query)?;
    let fields: Vec<Field> = match options.format {
        ExportFormat::National => national_fields(),
        ExportFormat::Full => columns().iter().map(|c| c.field).collect(),
    };
    let member_columns: Vec<&'static str> =
        Field::ALL.iter().filter_map(|f| f.db_column()).collect();
    let mut rows: HashMap<i64, db::roster::ExportRow> =
        db::roster::export_rows(archive.conn(), &member_columns)?
            .into_iter()
            .map(|r| (r.id, r))
            .collect();

    let mut headers: Vec<String> = fields.iter().map(|f| f.label().to_string()).collect();
    if options.format == ExportFormat::Full {
        headers.push(STAGE_LABEL.to_string());
    }
    let mut table: Vec<Vec<Out>> = Vec::with_capacity(listed.len());
    for summary in &listed {
        let Some(row) = rows.remove(&summary.id) else {
            continue;
        };
        let mut out: Vec<Out> = fields
            .iter()
            .map(|field| value_of(*field, &row, &member_columns))
            .collect();
        if options.format == ExportFormat::Full {
            out.push(Out::Text(summary.stage.zh().to_string()));
        }
        table.push(out);
    }

    if extension == "csv" {
        write_csv(path, &headers, &table, options.encoding)?;
    } else {
        let organisation = match options.branch_id {
            Some(id) => db::org::branches(archive.conn())?
                .into_iter()
                .find(|b| b.id == id)
                .map(|b| format!("{}{}", b.college, b.name)),
            None => db::roster::root_unit_name(archive.conn())?,
        }
        .unwrap_or_default();
        let title = match options.format {
            ExportFormat::National => format!(
                "{organisation} 党员名册（全国党员管理信息系统字段） 导出日期 {}",
                options.as_of
            ),
            ExportFormat::Full => format!("{organisation} 党员名册 导出日期 {}", options.as_of),
        };
        write_xlsx(path, &title, &fields, &headers, &table)?;
    }
    crate::audit::record_alone(
        archive,
        actor,
        crate::audit::Action::Export,
        crate::audit::Target::archive(),
        serde_json::json!({ "file": path.display().to_string(), "members": table.len(), "format": options.format, "branch_id": options.branch_id, "stage": options.stage }),
    )?;
    Ok(ExportSummary {
        file: path.display().to_string(),
        members: table.len(),
        format: options.format,
    })
}

fn value_of(field: Field, row: &db::roster::ExportRow, member_columns: &[&'static str]) -> Out {
    let stored = || {
        field
            .db_column()
            .and_then(|c| member_columns.iter().position(|m| *m == c))
            .and_then(|i| row.values.get(i))
            .cloned()
            .unwrap_or(Value::Null)
    };
    match field {
        Field::Branch => match (&row.college_unit, &row.branch) {
            (Some(college), Some(branch)) => Out::Text(format!("{college}/{branch}")),
            (None, Some(branch)) => Out::Text(branch.clone()),
            _ => Out::Empty,
        },
        Field::JoinedDate => row.joined_date.map_or(Out::Empty, Out::Date),
        Field::FullMemberDate => {
            people::full_member_date(row.joined_date, row.max_step, row.extension_months)
                .map_or(Out::Empty, Out::Date)
        }
        Field::Sex => match stored() {
            Value::String(code) => {
                Sex::from_code(&code).map_or(Out::Text(code), |s| Out::Text(s.zh().to_string()))
            }
            _ => Out::Empty,
        },
        Field::LostContact | Field::Mobile => match stored() {
            Value::Number(n) if n.as_i64() == Some(1) => Out::Text("是".to_string()),
            _ => Out::Text("否".to_string()),
        },
        f if f.is_date() => match stored() {
            Value::String(text) => {
                NaiveDate::parse_from_str(&text, "%Y-%m-%d").map_or(Out::Text(text), Out::Date)
            }
            _ => Out::Empty,
        },
        _ => match stored() {
            Value::String(text) => Out::Text(text),
            Value::Null => Out::Empty,
            other => Out::Text(other.to_string()),
        },
    }
}

fn column_width(field: Option<Field>) -> f64 {
    match field {
        Some(Field::IdNumber) => 21.0,
        Some(Field::Branch) => 34.0,
        Some(Field::Address) | Some(Field::NativePlace) => 28.0,
        Some(f) if f.is_date() => 13.0,
        Some(Field::Phone)
        | Some(Field::StudentNo)
        | Some(Field::Education)
        | Some(Field::Category) => 15.0,
        Some(Field::College) | Some(Field::ClassName) => 20.0,
        Some(Field::LostContact) | Some(Field::Mobile) => 8.0,
        _ => 10.0,
    }
}

pub(crate) struct Formats {
    pub title: Format,
    pub header: Format,
    pub text: Format,
    pub date: Format,
}

pub(crate) fn formats() -> Formats {
    Formats {
        title: Format::new()
            .set_bold()
            .set_font_size(14)
            .set_align(FormatAlign::Left),
        header: Format::new()
            .set_bold()
            .set_background_color(Color::RGB(0xD9E1F2))
            .set_border(FormatBorder::Thin)
            .set_align(FormatAlign::Center)
            .set_text_wrap(),
        text: Format::new().set_num_format("@"),
        date: Format::new().set_num_format("yyyy-mm-dd"),
    }
}

fn write_xlsx(
    path: &Path,
    title: &str,
    fields: &[Field],
    headers: &[String],
    table: &[Vec<Out>],
) -> Result<(), RosterError> {
    let err = write_err(path);
    let f = formats();
    let mut workbook = Workbook::new();
    // Rows are written in order, so they can stream to a temporary file (inline strings, no
    // shared-string table): faster and flat in memory for large exports.
    let sheet = workbook
        .add_worksheet_with_constant_memory()
        .map_err(&err)?;
    sheet.set_name("党员名册").map_err(&err)?;
    let last_col = (headers.len().max(1) - 1) as u16;
    if last_col > 0 {
        sheet
            .merge_range(0, 0, 0, last_col, title, &f.title)
            .map_err(&err)?;
    } else {
        sheet
            .write_string_with_format(0, 0, title, &f.title)
            .map_err(&err)?;
    }
    sheet.set_row_height(0, 24).map_err(&err)?;
    for (col, header) in headers.iter().enumerate() {
        let col = col as u16;
        sheet
            .write_string_with_format(1, col, header, &f.header)
            .map_err(&err)?;
        sheet
            .set_column_width(col, column_width(fields.get(col as usize).copied()))
            .map_err(&err)?;
    }
    sheet.set_freeze_panes(2, 0).map_err(&err)?;
    for (i, row) in table.iter().enumerate() {
        let r = i as u32 + 2;
        for (col, value) in row.iter().enumerate() {
            let col = col as u16;
            match value {
                Out::Text(text) => {
                    sheet
                        .write_string_with_format(r, col, text, &f.text)
                        .map_err(&err)?;
                }
                Out::Date(date) => {
                    sheet
                        .write_number_with_format(r, col, date_serial(*date), &f.date)
                        .map_err(&err)?;
                }
                Out::Empty => {}
            }
        }
    }
    if !table.is_empty() {
        sheet
            .autofilter(1, 0, table.len() as u32 + 1, last_col)
            .map_err(&err)?;
    }
    write_file(path, &workbook.save_to_buffer().map_err(&err)?)
}

fn write_csv(
    path: &Path,
    headers: &[String],
    table: &[Vec<Out>],
    encoding: TextEncoding,
) -> Result<(), RosterError> {
    let csv_err = |e: csv::Error| RosterError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    };
    let mut writer = csv::WriterBuilder::new().from_writer(Vec::new());
    writer.write_record(headers).map_err(csv_err)?;
    for row in table {
        writer
            .write_record(row.iter().map(Out::text))
            .map_err(csv_err)?;
    }
    let text = writer.into_inner().map_err(|e| RosterError::Write {
        path: path.to_path_buf(),
        reason: e.to_string(),
    })?;
    let bytes = match encoding {
        TextEncoding::Utf8Bom => {
            let mut bytes = vec![0xEF, 0xBB, 0xBF];
            bytes.extend(text);
            bytes
        }
        TextEncoding::Gbk => {
            let text = String::from_utf8_lossy(&text);
            encoding_rs::GB18030.encode(&text).0.into_owned()
        }
    };
    write_file(path, &bytes)
}

/// Writes through a temporary file in the same folder and renames it, so that a failed export
/// never leaves half a file under the name asked for. The temporary file is created like any
/// other file (the user's usual permissions), not as a private temp file.
pub(crate) fn write_file(path: &Path, bytes: &[u8]) -> Result<(), RosterError> {
    let io = |source: std::io::Error| RosterError::Io {
        path: path.to_path_buf(),
        source,
    };
    let name = path
        .file_name()
        .map_or_else(|| "export".into(), |n| n.to_string_lossy().into_owned());
    let partial = path.with_file_name(format!(".{name}.{}.partial", std::process::id()));
    let written = std::fs::write(&partial, bytes).and_then(|()| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written.map_err(io)
}

/// A sheet name Excel accepts: at most 31 characters, none of `[]:*?/\`.
pub(crate) fn sheet_name(name: &str) -> String {
    let cleaned: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(31)
        .collect();
    if cleaned.trim().is_empty() {
        "Sheet".to_string()
    } else {
        cleaned
    }
}

/// Writes the rows of `source` that have errors to an .xlsx: per sheet, the original header and
/// cells with the bad ones highlighted in red, the row number, and a reason column. Returns the
/// number of rows written.
pub fn write_error_workbook(
    source: &Path,
    errors: &[CellIssue],
    out: &Path,
) -> Result<usize, RosterError> {
    let raw = read_file(source)?;
    let err = write_err(out);
    let f = formats();
    let bad = Format::new()
        .set_background_color(Color::RGB(0xFFC7CE))
        .set_font_color(Color::RGB(0x9C0006))
        .set_num_format("@");
    let mut workbook = Workbook::new();
    let mut written = 0;
    for sheet in &raw.sheets {
        let issues: Vec<&CellIssue> = errors.iter().filter(|e| e.sheet == sheet.name).collect();
        if issues.is_empty() {
            continue;
        }
        let Some(header) = find_header(sheet) else {
            continue;
        };
        let ws: &mut Worksheet = workbook.add_worksheet();
        ws.set_name(sheet_name(&sheet.name)).map_err(&err)?;
        ws.write_string_with_format(0, 0, "行号", &f.header)
            .map_err(&err)?;
        for (i, (text, _)) in header.columns.iter().enumerate() {
            ws.write_string_with_format(0, i as u16 + 1, text, &f.header)
                .map_err(&err)?;
            ws.set_column_width(i as u16 + 1, column_width(header.columns[i].1))
                .map_err(&err)?;
        }
        let reason_col = header.columns.len() as u16 + 1;
        ws.write_string_with_format(0, reason_col, "错误原因", &f.header)
            .map_err(&err)?;
        ws.set_column_width(reason_col, 60).map_err(&err)?;
        ws.set_freeze_panes(1, 1).map_err(&err)?;
        let mut r = 1u32;
        for row in &sheet.rows[header.row_index + 1..] {
            let row_issues: Vec<&&CellIssue> =
                issues.iter().filter(|e| e.row == row.number).collect();
            if row_issues.is_empty() {
                continue;
            }
            ws.write_number(r, 0, f64::from(row.number)).map_err(&err)?;
            for (i, (text, _)) in header.columns.iter().enumerate() {
                let cell = row.cells.get(i).unwrap_or(&Cell::Empty);
                let is_bad = row_issues.iter().any(|e| &e.column == text);
                let value = cell.display();
                if is_bad {
                    ws.write_string_with_format(r, i as u16 + 1, &value, &bad)
                        .map_err(&err)?;
                } else if !value.is_empty() {
                    ws.write_string_with_format(r, i as u16 + 1, &value, &f.text)
                        .map_err(&err)?;
                }
            }
            let reasons: Vec<String> = row_issues
                .iter()
                .map(|e| format!("{}：{}", e.column, e.message))
                .collect();
            ws.write_string(r, reason_col, reasons.join("；"))
                .map_err(&err)?;
            r += 1;
            written += 1;
        }
    }
    if written == 0 {
        let ws = workbook.add_worksheet();
        ws.write_string(0, 0, "没有错误").map_err(&err)?;
    }
    write_file(out, &workbook.save_to_buffer().map_err(&err)?)?;
    Ok(written)
}
