//! PDF documents: the member dossier (党员档案), the organisational-relationship introduction
//! letter (介绍信) with its stub and receipt, publicity notices (公示), and batches of dossiers.
//!
//! `layout` is our own small typesetter over printpdf (line breaking with kinsoku, tables,
//! contents, page numbers); `fonts` finds the CJK faces and subsets them; `render` writes the
//! pages. The document modules gather the member data through the other core modules and lay it
//! out; nothing here prints to a terminal.

pub mod fonts;
pub mod layout;
pub mod numerals;
pub mod render;

pub use fonts::{FontError, FontSet};
pub mod batch;
pub mod dossier;
pub mod exports;
pub mod letter;
pub mod notice;

use std::io::Write;
use std::path::{Path, PathBuf};

use serde::Serialize;
use ts_rs::TS;

use crate::error::ErrorCode;
use crate::lifecycle::LifecycleError;
use crate::org::OrgError;
use crate::people::MemberError;

/// A PDF that was written: where, how many pages, how many bytes.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct PdfFile {
    pub file: String,
    #[ts(type = "number")]
    pub pages: usize,
    #[ts(type = "number")]
    pub bytes: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error(transparent)]
    Font(#[from] FontError),
    #[error(transparent)]
    Member(#[from] MemberError),
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    #[error(transparent)]
    Org(#[from] OrgError),
    #[error(transparent)]
    Report(#[from] crate::reports::ReportError),
    #[error(transparent)]
    Meeting(#[from] crate::meetings::MeetingError),
    #[error(transparent)]
    Appraisal(#[from] crate::appraisals::AppraisalError),
    #[error("{name}（{member_id}）不是党员（{stage}），不能开具组织关系介绍信")]
    NotAMember {
        member_id: i64,
        name: String,
        stage: &'static str,
    },
    #[error("没有字第 {0} 号介绍信")]
    NoSuchLetter(i64),
    #[error("字第 {serial} 号介绍信的回执已于 {date} 登记")]
    ReceiptAlreadyRecorded {
        serial: i64,
        date: chrono::NaiveDate,
    },
    #[error("回执日期 {receipt} 早于开具日期 {issued}")]
    ReceiptBeforeIssue {
        receipt: chrono::NaiveDate,
        issued: chrono::NaiveDate,
    },
    #[error("{field} 无效：{message}")]
    InvalidArgument {
        field: &'static str,
        message: String,
    },
    #[error("没有可生成的内容：{0}")]
    NothingToDo(String),
    #[error("已取消")]
    Cancelled,
    #[error("模板 {file} 无效：{message}")]
    Template { file: PathBuf, message: String },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for PdfError {
    fn code(&self) -> &'static str {
        match self {
            PdfError::Forbidden(_) => "forbidden",
            PdfError::Font(err) => err.code(),
            PdfError::Member(err) => err.code(),
            PdfError::Lifecycle(err) => err.code(),
            PdfError::Org(err) => err.code(),
            PdfError::Report(err) => err.code(),
            PdfError::Meeting(err) => err.code(),
            PdfError::Appraisal(err) => err.code(),
            PdfError::NotAMember { .. } => "not_a_party_member",
            PdfError::NoSuchLetter(_) => "letter_not_found",
            PdfError::ReceiptAlreadyRecorded { .. } => "receipt_already_recorded",
            PdfError::ReceiptBeforeIssue { .. } => "invalid_argument",
            PdfError::InvalidArgument { .. } => "invalid_argument",
            PdfError::NothingToDo(_) => "nothing_to_do",
            PdfError::Cancelled => "cancelled",
            PdfError::Template { .. } => "template_invalid",
            PdfError::Io { .. } => "io",
            PdfError::Db(_) => "database",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            PdfError::Forbidden(f) => f.details(),
            PdfError::Font(err) => err.details(),
            PdfError::Member(err) => err.details(),
            PdfError::Lifecycle(err) => err.details(),
            PdfError::Org(err) => err.details(),
            PdfError::Report(err) => err.details(),
            PdfError::Meeting(err) => err.details(),
            PdfError::Appraisal(err) => err.details(),
            PdfError::NotAMember { member_id, .. } => serde_json::json!({ "member_id": member_id }),
            PdfError::NoSuchLetter(serial) => serde_json::json!({ "serial": serial }),
            PdfError::ReceiptAlreadyRecorded { serial, date } => {
                serde_json::json!({ "serial": serial, "receipt_on": date })
            }
            PdfError::InvalidArgument { field, .. } => serde_json::json!({ "field": field }),
            PdfError::Io { path, .. } => serde_json::json!({ "path": path.display().to_string() }),
            PdfError::Template { file, .. } => {
                serde_json::json!({ "file": file.display().to_string() })
            }
            _ => serde_json::Value::Null,
        }
    }
}

/// Writes `bytes` to `path` through a temporary file in the same directory and a rename, so that
/// `path` is either absent, its old content, or the complete new file — never half-written.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<u64, PdfError> {
    stage(path, bytes)?.persist()
}

/// A file written completely (and synced) under a temporary name beside its final path, not yet
/// renamed to it: dropped, it is deleted; `persist` puts it in place.
pub(crate) struct Staged {
    temp: tempfile::NamedTempFile,
    path: PathBuf,
    bytes: u64,
}

impl Staged {
    /// Renames the file to its final path (atomically, replacing what was there).
    pub(crate) fn persist(self) -> Result<u64, PdfError> {
        let path = self.path;
        self.temp.persist(&path).map_err(|err| PdfError::Io {
            path,
            source: err.error,
        })?;
        Ok(self.bytes)
    }
}

/// Writes `bytes` to a `.dangan-*.part` file beside `path` and syncs it, for a later `persist`.
pub(crate) fn stage(path: &Path, bytes: &[u8]) -> Result<Staged, PdfError> {
    let io = |source| PdfError::Io {
        path: path.to_path_buf(),
        source,
    };
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    let mut temp = tempfile::Builder::new()
        .prefix(".dangan-")
        .suffix(".part")
        .tempfile_in(&dir)
        .map_err(io)?;
    temp.write_all(bytes).map_err(io)?;
    temp.as_file().sync_all().map_err(io)?;
    Ok(Staged {
        temp,
        path: path.to_path_buf(),
        bytes: bytes.len() as u64,
    })
}

/// A document template: the embedded one, or `<archive>/templates/<name>.toml` when a
/// university has put its own wording there.
pub(crate) fn load_template<T: serde::de::DeserializeOwned>(
    archive_root: Option<&Path>,
    name: &str,
    embedded: &str,
) -> Result<T, PdfError> {
    if let Some(root) = archive_root {
        let file = root.join("templates").join(format!("{name}.toml"));
        if file.exists() {
            let text = std::fs::read_to_string(&file).map_err(|source| PdfError::Io {
                path: file.clone(),
                source,
            })?;
            return toml::from_str(&text).map_err(|err| PdfError::Template {
                file,
                message: err.to_string(),
            });
        }
    }
    toml::from_str(embedded).map_err(|err| PdfError::Template {
        file: PathBuf::from(format!("assets/templates/{name}.toml")),
        message: err.to_string(),
    })
}

/// Renders `pages` and writes them to `out`.
pub(crate) fn write_pdf(
    fonts: &FontSet,
    title: &str,
    pages: &[layout::Page],
    out: &Path,
) -> Result<PdfFile, PdfError> {
    let (staged, file) = stage_pdf(fonts, title, pages, out)?;
    staged.persist()?;
    Ok(file)
}

/// Renders `pages` into a staged file for `out` (see `Staged`), and describes the file it will be.
pub(crate) fn stage_pdf(
    fonts: &FontSet,
    title: &str,
    pages: &[layout::Page],
    out: &Path,
) -> Result<(Staged, PdfFile), PdfError> {
    let bytes = render::render(fonts, title, pages, (layout::A4_WIDTH, layout::A4_HEIGHT))?;
    let staged = stage(out, &bytes)?;
    let file = PdfFile {
        file: out.display().to_string(),
        pages: pages.len(),
        bytes: staged.bytes,
    };
    Ok((staged, file))
}
