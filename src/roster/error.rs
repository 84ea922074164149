//! What can stop an import, export or undo as a whole. Problems with single cells are not errors
//! of this kind: they are collected as `CellIssue`s in the preview.

use std::path::PathBuf;

use crate::error::ErrorCode;
use crate::org::OrgError;
use crate::people::MemberError;

#[derive(Debug, thiserror::Error)]
pub enum RosterError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error("{}: 无法读取文件：{source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{}: 文件是空的（0 字节）", path.display())]
    EmptyFile { path: PathBuf },
    #[error("{}: 不是 Excel、ODS 或 CSV 文件（{found}）；请另存为 .xlsx、.xls、.ods 或 .csv", path.display())]
    UnsupportedFile { path: PathBuf, found: String },
    #[error("{}: 表格文件已损坏或不完整，无法打开：{reason}", path.display())]
    BadWorkbook { path: PathBuf, reason: String },
    #[error("{}: CSV 第 {line} 行无法读取：{reason}", path.display())]
    BadCsv {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    #[error("{}: 没有名为 {sheet:?} 的工作表；文件中有：{}", path.display(), available.join("、"))]
    NoSuchSheet {
        path: PathBuf,
        sheet: String,
        available: Vec<String>,
    },
    #[error(
        "{}: 工作表 {sheet:?} 缺少必需的列：{}；找到的表头：{}",
        path.display(), missing.join("、"), if found.is_empty() { "（无）".to_string() } else { found.join("、") }
    )]
    MissingColumns {
        path: PathBuf,
        sheet: String,
        missing: Vec<String>,
        found: Vec<String>,
        /// Each column of the likeliest header row and the field it maps to, so that a wizard
        /// can offer to map the missing ones by hand.
        columns: Box<[super::ColumnMapping]>,
    },
    #[error(
        "{}: 工作表 {sheet:?} 的列 {} 都对应“{field}”；请把其中一列设为不导入（--map \"{}=ignore\"）",
        path.display(), columns.iter().map(|c| format!("{c:?}")).collect::<Vec<_>>().join(" 和 "), columns.last().map_or("", String::as_str)
    )]
    DuplicateColumn {
        path: PathBuf,
        sheet: String,
        field: String,
        columns: Vec<String>,
    },
    #[error(
        "{}: 列对应设置中的表头 {column:?} 在{} 中不存在；找到的表头：{}",
        path.display(), sheet.as_ref().map_or_else(|| "任何工作表".to_string(), |s| format!("工作表 {s:?}")), found.join("、")
    )]
    UnknownMappedColumn {
        path: PathBuf,
        sheet: Option<String>,
        column: String,
        found: Vec<String>,
    },
    #[error("{}: 有表头但没有数据行", path.display())]
    NoRows { path: PathBuf },
    #[error("{}: 无法写入：{reason}", path.display())]
    Write { path: PathBuf, reason: String },
    #[error("{0}")]
    InvalidArgument(String),
    #[error("导入已取消，未写入任何内容")]
    Cancelled,
    #[error("没有编号为 {0} 的导入批次；`dangan import history` 列出全部批次")]
    BatchNotFound(i64),
    #[error("导入批次 {0} 已于 {1} 撤销")]
    BatchAlreadyUndone(i64, String),
    #[error("无法撤销导入批次 {batch}：{reason}")]
    UndoBlocked { batch: i64, reason: String },
    #[error(transparent)]
    Org(#[from] OrgError),
    #[error(transparent)]
    Member(#[from] MemberError),
    /// The backup taken before an import commit failed: nothing was imported.
    #[error(transparent)]
    Backup(#[from] crate::backup::BackupError),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for RosterError {
    fn code(&self) -> &'static str {
        match self {
            RosterError::Forbidden(_) => "forbidden",
            RosterError::Io { .. } => "io",
            RosterError::EmptyFile { .. } => "empty_file",
            RosterError::UnsupportedFile { .. } => "unsupported_file",
            RosterError::BadWorkbook { .. } => "bad_workbook",
            RosterError::BadCsv { .. } => "bad_csv",
            RosterError::NoSuchSheet { .. } => "sheet_not_found",
            RosterError::MissingColumns { .. } => "missing_columns",
            RosterError::NoRows { .. } => "no_rows",
            RosterError::DuplicateColumn { .. } => "duplicate_column",
            RosterError::UnknownMappedColumn { .. } => "unknown_mapped_column",
            RosterError::Write { .. } => "write_failed",
            RosterError::InvalidArgument(_) => "invalid_argument",
            RosterError::Cancelled => "cancelled",
            RosterError::BatchNotFound(_) => "batch_not_found",
            RosterError::BatchAlreadyUndone(..) => "batch_already_undone",
            RosterError::UndoBlocked { .. } => "undo_blocked",
            RosterError::Org(err) => err.code(),
            RosterError::Member(err) => err.code(),
            RosterError::Backup(err) => err.code(),
            RosterError::Db(_) => "database",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            RosterError::Forbidden(f) => f.details(),
            RosterError::MissingColumns {
                path,
                sheet,
                missing,
                found,
                columns,
            } => serde_json::json!({
                "file": path.display().to_string(),
                "sheet": sheet,
                "missing": missing,
                "found": found,
                "columns": columns,
            }),
            RosterError::DuplicateColumn {
                path,
                sheet,
                field,
                columns,
            } => serde_json::json!({
                "file": path.display().to_string(),
                "sheet": sheet,
                "field": field,
                "columns": columns,
            }),
            RosterError::UnknownMappedColumn {
                path,
                sheet,
                column,
                found,
            } => serde_json::json!({
                "file": path.display().to_string(),
                "sheet": sheet,
                "column": column,
                "found": found,
            }),
            RosterError::NoSuchSheet {
                path,
                sheet,
                available,
            } => serde_json::json!({
                "file": path.display().to_string(),
                "sheet": sheet,
                "available": available,
            }),
            RosterError::BadCsv { path, line, .. } => serde_json::json!({
                "file": path.display().to_string(),
                "line": line,
            }),
            RosterError::Io { path, .. }
            | RosterError::EmptyFile { path }
            | RosterError::UnsupportedFile { path, .. }
            | RosterError::BadWorkbook { path, .. }
            | RosterError::NoRows { path }
            | RosterError::Write { path, .. } => {
                serde_json::json!({ "file": path.display().to_string() })
            }
            RosterError::UndoBlocked { batch, .. } | RosterError::BatchNotFound(batch) => {
                serde_json::json!({ "batch": batch })
            }
            _ => serde_json::Value::Null,
        }
    }
}
