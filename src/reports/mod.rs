//! Thought reports (思想汇报): what members hand in each quarter while in the pipeline, typed in
//! the app or imported from `.docx` / `.txt` files (one at a time, or a folder of files named
//! `学号-姓名-2026Q3.docx`), and the reviewer's comment.
//!
//! Which quarters a member owes is a rule (`thought_reports` in the rule set) and is checked by
//! `lifecycle`; this module records and reads the reports. Every report is indexed for search
//! (`search`) in the transaction that writes it.

mod import;
mod quarter;

use crate::actor::Permission;
use crate::auth;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use import::{FolderImport, FolderItem, commit_folder, preview_folder};
pub use quarter::{BadQuarter, Quarter};

use crate::actor::Actor;
use crate::archive::Archive;
use crate::audit::{self, Action, Target};
use crate::db;
use crate::documents::{self, DocumentError};
use crate::error::ErrorCode;

/// The largest report file read (a report is a few pages; anything bigger is not one).
const MAX_FILE_BYTES: u64 = 10 * 1024 * 1024;
/// The longest text a report file may hold: a thought report is a few thousand characters, and a
/// file far longer is something else (a 5 MB cell, a log) that would bloat the search index.
const MAX_TEXT_CHARS: usize = 100_000;

/// Where a report's text came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReportSource {
    Typed,
    Docx,
    Txt,
}

impl ReportSource {
    pub fn as_code(self) -> &'static str {
        match self {
            ReportSource::Typed => "typed",
            ReportSource::Docx => "docx",
            ReportSource::Txt => "txt",
        }
    }

    pub fn from_code(code: &str) -> Option<ReportSource> {
        [ReportSource::Typed, ReportSource::Docx, ReportSource::Txt]
            .into_iter()
            .find(|s| s.as_code() == code)
    }
}

/// A report in a list: everything but the text.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ReportSummary {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub member_id: i64,
    pub member_name: String,
    #[ts(type = "string")]
    pub date: NaiveDate,
    #[ts(type = "string")]
    pub period: Quarter,
    pub title: String,
    pub source: ReportSource,
    pub file_name: Option<String>,
    pub reviewer: Option<String>,
    pub review_comment: Option<String>,
    #[ts(type = "string | null")]
    pub reviewed_on: Option<NaiveDate>,
    /// Length of the text in bytes.
    #[ts(type = "number")]
    pub length: i64,
}

/// A report with its text.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ThoughtReport {
    #[serde(flatten)]
    pub summary: ReportSummary,
    pub body: String,
}

/// A report to record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NewThoughtReport {
    #[ts(type = "number")]
    pub member_id: i64,
    /// The day it was handed in.
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// The quarter it reports on; by default the quarter of `date`.
    #[ts(type = "string | null")]
    pub period: Option<Quarter>,
    /// By default 「YYYY年第N季度思想汇报」.
    pub title: Option<String>,
    pub body: String,
}

/// A reviewer's comment on a report.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ReportReview {
    pub reviewer: String,
    pub comment: String,
    #[ts(type = "string")]
    pub date: NaiveDate,
}

#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error("no member with id {0}")]
    MemberNotFound(i64),
    #[error("no thought report with id {0}")]
    NotFound(i64),
    #[error("the report's text is empty")]
    EmptyBody,
    #[error("{field}: {message}")]
    Invalid {
        field: &'static str,
        message: String,
    },
    #[error("{path}: {message}")]
    File { path: PathBuf, message: String },
    #[error("{path}: a report file of {size} bytes is too large (at most {MAX_FILE_BYTES})")]
    TooLarge { path: PathBuf, size: u64 },
    #[error("the folder import has {0} problem(s) and was not committed; see the preview")]
    ImportInvalid(usize),
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for ReportError {
    fn code(&self) -> &'static str {
        match self {
            ReportError::Forbidden(_) => "forbidden",
            ReportError::MemberNotFound(_) => "member_not_found",
            ReportError::NotFound(_) => "report_not_found",
            ReportError::EmptyBody | ReportError::Invalid { .. } => "invalid_argument",
            ReportError::File { .. } => "file_unreadable",
            ReportError::TooLarge { .. } => "file_too_large",
            ReportError::ImportInvalid(_) => "import_invalid",
            ReportError::Document(err) => err.code(),
            ReportError::Db(_) => "database",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            ReportError::Forbidden(f) => f.details(),
            ReportError::File { path, .. } | ReportError::TooLarge { path, .. } => {
                serde_json::json!({ "path": path })
            }
            ReportError::Invalid { field, .. } => serde_json::json!({ "field": field }),
            _ => serde_json::Value::Null,
        }
    }
}

/// The title a report gets when none is given.
pub fn default_title(period: Quarter) -> String {
    format!("{}年第{}季度思想汇报", period.year(), period.number())
}

/// What the audit trail keeps of a new report: where it came from and a hash of its text, not
/// the text (which the report row keeps, and which is never edited).
pub(crate) fn audit_detail(row: &db::reports::NewReport<'_>) -> serde_json::Value {
    use sha2::Digest;
    serde_json::json!({ "after": {
        "date": row.date, "period": row.period.to_string(), "title": row.title,
        "source": row.source.as_code(), "file_name": row.file_name, "file_sha256": row.file_sha256,
        "body_sha256": hex::encode(sha2::Sha256::digest(row.body.as_bytes())),
    } })
}

/// Records a typed report; returns its id.
pub fn add(
    archive: &mut Archive,
    actor: &Actor,
    report: &NewThoughtReport,
    as_of: NaiveDate,
) -> Result<i64, ReportError> {
    auth::require_member(archive, actor, Permission::ReportWrite, report.member_id)?;
    let prepared = prepare(archive, report, as_of)?;
    let row = db::reports::NewReport {
        member_id: report.member_id,
        date: report.date,
        period: prepared.period,
        title: &prepared.title,
        body: prepared.body,
        source: ReportSource::Typed,
        file_name: None,
        file_sha256: None,
    };
    Ok(db::with_tx(archive.conn_mut(), |tx| {
        let id = db::reports::insert(tx, &row, actor.name())?;
        audit::record(
            tx,
            actor,
            Action::ReportAdd,
            Target::report(id, row.member_id),
            audit_detail(&row),
        )?;
        Ok::<_, rusqlite::Error>(id)
    })?)
}

struct Prepared<'a> {
    period: Quarter,
    title: String,
    body: &'a str,
}

fn prepare<'a>(
    archive: &Archive,
    report: &'a NewThoughtReport,
    as_of: NaiveDate,
) -> Result<Prepared<'a>, ReportError> {
    if !db::members::exists(archive.conn(), report.member_id)? {
        return Err(ReportError::MemberNotFound(report.member_id));
    }
    if report.date > as_of {
        return Err(ReportError::Invalid {
            field: "date",
            message: format!("{} is after today ({as_of})", report.date),
        });
    }
    let body = report.body.trim();
    if body.is_empty() {
        return Err(ReportError::EmptyBody);
    }
    let period = report.period.unwrap_or_else(|| Quarter::of(report.date));
    if period.start() > report.date {
        return Err(ReportError::Invalid {
            field: "period",
            message: format!(
                "a report handed in on {} cannot report on {period}, which has not begun",
                report.date
            ),
        });
    }
    let title = report
        .title
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map_or_else(|| default_title(period), str::to_string);
    Ok(Prepared {
        period,
        title,
        body,
    })
}

/// Records a report read from a `.docx` or `.txt` file; the file itself is kept in the archive.
/// The title is the file's first line when it reads like one; the date `date`, else the last date
/// written in the text, else today; the quarter `period`, else the date's.
pub fn add_file(
    archive: &mut Archive,
    actor: &Actor,
    member_id: i64,
    path: &Path,
    date: Option<NaiveDate>,
    period: Option<Quarter>,
    as_of: NaiveDate,
) -> Result<i64, ReportError> {
    auth::require_member(archive, actor, Permission::ReportWrite, member_id)?;
    let file = read_file(path)?;
    let date = date.or(file.date.filter(|d| *d <= as_of)).unwrap_or(as_of);
    let report = NewThoughtReport {
        member_id,
        date,
        period,
        title: file.title.clone(),
        body: file.body.clone(),
    };
    let prepared = prepare(archive, &report, as_of)?;
    let stored = documents::store(archive, path, Some("thought_reports".to_string()))?;
    let row = db::reports::NewReport {
        member_id,
        date,
        period: prepared.period,
        title: &prepared.title,
        body: prepared.body,
        source: file.source,
        file_name: Some(&stored.file_name),
        file_sha256: Some(&stored.sha256),
    };
    Ok(db::with_tx(archive.conn_mut(), |tx| {
        db::attachments::insert_blob(tx, &stored.sha256, stored.size)?;
        let id = db::reports::insert(tx, &row, actor.name())?;
        audit::record(
            tx,
            actor,
            Action::ReportAdd,
            Target::report(id, row.member_id),
            audit_detail(&row),
        )?;
        Ok::<_, rusqlite::Error>(id)
    })?)
}

/// Records the reviewer's comment (the latest review replaces an earlier one).
pub fn review(
    archive: &mut Archive,
    actor: &Actor,
    id: i64,
    review: &ReportReview,
) -> Result<(), ReportError> {
    auth::require_report(archive, actor, Permission::ReportWrite, id)?;
    let reviewer = review.reviewer.trim();
    if reviewer.is_empty() {
        return Err(ReportError::Invalid {
            field: "reviewer",
            message: "name the reviewer".to_string(),
        });
    }
    let found = db::with_tx(archive.conn_mut(), |tx| {
        let before = db::reports::get(tx, id)?.map(|r| r.summary);
        let found = db::reports::set_review(tx, id, reviewer, review.comment.trim(), review.date)?;
        if let Some(b) = before.filter(|_| found) {
            audit::record(
                tx,
                actor,
                Action::ReportReview,
                Target::report(id, b.member_id),
                serde_json::json!({ "before": { "reviewer": b.reviewer, "comment": b.review_comment, "date": b.reviewed_on }, "after": review }),
            )?;
        }
        Ok::<_, rusqlite::Error>(found)
    })?;
    if found {
        Ok(())
    } else {
        Err(ReportError::NotFound(id))
    }
}

/// A member's reports, oldest first.
pub fn list(
    archive: &Archive,
    actor: &Actor,
    member_id: i64,
) -> Result<Vec<ReportSummary>, ReportError> {
    auth::require_member(archive, actor, Permission::MemberRead, member_id)?;
    if !db::members::exists(archive.conn(), member_id)? {
        return Err(ReportError::MemberNotFound(member_id));
    }
    Ok(db::reports::of_member(archive.conn(), member_id)?)
}

/// The reports of several members with their text (for dossiers), in one query: by member id,
/// then date. Unknown ids simply have none.
pub fn full_of_members(
    archive: &Archive,
    actor: &Actor,
    member_ids: &[i64],
) -> Result<Vec<ThoughtReport>, ReportError> {
    auth::require_members(archive, actor, Permission::MemberRead, member_ids)?;
    Ok(db::reports::full_of_members(archive.conn(), member_ids)?)
}

/// The reports still awaiting review (未审阅) of a branch's members, or of everyone's.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UnreviewedReports {
    /// How many reports await review in all.
    pub total: usize,
    /// The newest of them, newest first, at most the limit asked for.
    pub reports: Vec<ReportSummary>,
}

/// The reports of a branch's members (or of every member) that have no review yet, newest
/// first, at most `limit` of them, with the total.
pub fn unreviewed(
    archive: &Archive,
    actor: &Actor,
    branch_id: Option<i64>,
    limit: usize,
) -> Result<UnreviewedReports, ReportError> {
    match branch_id {
        Some(branch) => auth::require_unit(archive, actor, Permission::MemberRead, branch)?,
        None => auth::require(archive, actor, Permission::MemberRead)?,
    }
    if branch_id.is_none() && !actor.sees_all() {
        // Everyone the actor sees: filtered here, then counted and cut to the limit.
        let (_, mut reports) = db::reports::unreviewed(archive.conn(), None, usize::MAX)?;
        let branches = db::members::branch_ids(archive.conn())?;
        reports.retain(|r| actor.sees_unit(branches.get(&r.member_id).copied().flatten()));
        let total = reports.len();
        reports.truncate(limit);
        return Ok(UnreviewedReports { total, reports });
    }
    let (total, reports) = db::reports::unreviewed(archive.conn(), branch_id, limit)?;
    Ok(UnreviewedReports { total, reports })
}

/// One report with its text.
pub fn show(archive: &Archive, actor: &Actor, id: i64) -> Result<ThoughtReport, ReportError> {
    auth::require_report(archive, actor, Permission::MemberRead, id)?;
    db::reports::get(archive.conn(), id)?.ok_or(ReportError::NotFound(id))
}

/// What was read from a report file.
#[derive(Debug, Clone)]
pub(crate) struct ReportFile {
    pub source: ReportSource,
    pub title: Option<String>,
    pub body: String,
    /// The last date written in the text (a report ends with its date).
    pub date: Option<NaiveDate>,
}

/// Reads a `.docx` (its paragraphs' text) or `.txt` (UTF-8, with or without BOM, or GB18030).
pub(crate) fn read_file(path: &Path) -> Result<ReportFile, ReportError> {
    let file_err = |message: String| ReportError::File {
        path: path.to_path_buf(),
        message,
    };
    let size = std::fs::metadata(path)
        .map_err(|err| file_err(err.to_string()))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(ReportError::TooLarge {
            path: path.to_path_buf(),
            size,
        });
    }
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_lowercase())
        .unwrap_or_default();
    let (source, text) = match extension.as_str() {
        "docx" => {
            // docx-lite reads each part into one string: refuse a zip bomb before it does.
            let file = std::fs::File::open(path).map_err(|err| file_err(err.to_string()))?;
            crate::zip_limits::check(std::io::BufReader::new(file), crate::zip_limits::DOCUMENT)
                .map_err(|reason| file_err(format!("not a readable .docx file ({reason})")))?;
            let text = docx_lite::extract_text(path)
                .map_err(|err| file_err(format!("not a readable .docx file ({err})")))?;
            (ReportSource::Docx, text)
        }
        "txt" => {
            let bytes = std::fs::read(path).map_err(|err| file_err(err.to_string()))?;
            let text = decode_text(&bytes).ok_or_else(|| {
                file_err("the text is neither UTF-8 nor GBK/GB18030 (mixed or binary)".to_string())
            })?;
            (ReportSource::Txt, text)
        }
        _ => {
            return Err(file_err(
                "only .docx and .txt thought reports can be read (save a .doc as .docx)"
                    .to_string(),
            ));
        }
    };
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    if text.trim().is_empty() {
        return Err(file_err("the file has no text".to_string()));
    }
    if text.contains('\0') {
        return Err(file_err(
            "the file holds NUL bytes: it is not a text document".to_string(),
        ));
    }
    let chars = text.chars().count();
    if chars > MAX_TEXT_CHARS {
        return Err(file_err(format!(
            "the text has {chars} characters, more than a thought report's {MAX_TEXT_CHARS}"
        )));
    }
    Ok(split_title(source, &text))
}

/// UTF-8 (a BOM is dropped) when the bytes are valid UTF-8, otherwise GB18030 (a superset of
/// GBK, which is what Windows Notepad in Chinese writes as "ANSI"); `None` when they are neither
/// (a mix of the two, or binary), rather than text with replacement characters in it.
fn decode_text(bytes: &[u8]) -> Option<String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_string()),
        Err(_) => {
            let (text, had_errors) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
            (!had_errors).then(|| text.into_owned())
        }
    }
}

/// The first non-empty line is the title when it is short and the text goes on after it.
fn split_title(source: ReportSource, text: &str) -> ReportFile {
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    let first = lines.next().unwrap_or("");
    let rest: Vec<&str> = lines.collect();
    let looks_like_title = first.chars().count() <= 30
        && !first.ends_with(['。', '：', ':', '，'])
        && rest.iter().any(|l| !l.is_empty());
    let (title, body) = if looks_like_title {
        (Some(first.to_string()), rest.join("\n").trim().to_string())
    } else {
        (None, text.trim().to_string())
    };
    let date = last_date(&body);
    ReportFile {
        source,
        title,
        body,
        date,
    }
}

/// The last date written as YYYY年M月D日 (or YYYY-MM-DD) in the text.
fn last_date(text: &str) -> Option<NaiveDate> {
    let chars: Vec<char> = text
        .chars()
        .map(crate::search::tokens::fold_width)
        .collect();
    let mut found = None;
    let mut i = 0;
    while i + 4 <= chars.len() {
        if let Some((date, used)) = date_at(&chars[i..]) {
            found = Some(date);
            i += used;
        } else {
            i += 1;
        }
    }
    found
}

fn date_at(chars: &[char]) -> Option<(NaiveDate, usize)> {
    let mut at = 0;
    let mut parts = [0u32; 3];
    for (index, part) in parts.iter_mut().enumerate() {
        let start = at;
        while at < chars.len() && chars[at].is_ascii_digit() && at - start < 4 {
            *part = *part * 10 + chars[at].to_digit(10)?;
            at += 1;
        }
        let digits = at - start;
        let wanted = if index == 0 { 4..=4 } else { 1..=2 };
        if !wanted.contains(&digits) {
            return None;
        }
        let separator = match index {
            0 => ['年', '-'],
            1 => ['月', '-'],
            _ => ['日', '日'],
        };
        match chars.get(at) {
            Some(c) if separator.contains(c) => at += 1,
            _ if index == 2 => {}
            _ => return None,
        }
    }
    let year = i32::try_from(parts[0]).ok()?;
    Some((NaiveDate::from_ymd_opt(year, parts[1], parts[2])?, at))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_files_decode_from_utf8_with_or_without_bom_and_from_gbk() {
        let text = "思想汇报\n敬爱的党组织：";
        assert_eq!(decode_text(text.as_bytes()).as_deref(), Some(text));
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode_text(&bom).as_deref(), Some(text));
        let (gbk, _, _) = encoding_rs::GBK.encode(text);
        assert_eq!(decode_text(&gbk).as_deref(), Some(text));
    }

    /// A file half UTF-8 and half GBK (or binary) is refused, not read as mojibake; NUL bytes
    /// and a text far longer than a report are refused too, naming the file.
    #[test]
    fn mixed_encodings_nul_bytes_and_huge_texts_are_refused() {
        let (gbk, _, _) = encoding_rs::GBK.encode("思想汇报");
        let mixed = [gbk.as_ref(), "敬爱的党组织".as_bytes(), b"\xFF\xFF"].concat();
        assert_eq!(decode_text(&mixed), None);

        let dir = tempfile::tempdir().unwrap();
        let cases: [(&str, Vec<u8>); 3] = [
            ("mixed.txt", mixed),
            ("nul.txt", b"\xE6\x80\x9D\0\0\xE6\x83\xB3 text".to_vec()),
            ("huge.txt", "思".repeat(MAX_TEXT_CHARS + 1).into_bytes()),
        ];
        for (name, bytes) in cases {
            let path = dir.path().join(name);
            std::fs::write(&path, bytes).unwrap();
            let err = read_file(&path).unwrap_err();
            assert!(matches!(err, ReportError::File { .. }), "{name}: {err}");
            assert!(err.to_string().contains(name), "{err}");
        }
    }

    #[test]
    fn a_short_first_line_is_the_title_and_the_last_date_is_the_date() {
        let file = split_title(
            ReportSource::Txt,
            "\n  2026年第三季度思想汇报\n敬爱的党组织：\n  这个季度我学习了……\n此致\n敬礼！\n汇报人：欧阳喆\n２０２６年９月２８日\n",
        );
        assert_eq!(file.title.as_deref(), Some("2026年第三季度思想汇报"));
        assert!(file.body.starts_with("敬爱的党组织："));
        assert_eq!(file.date, NaiveDate::from_ymd_opt(2026, 9, 28));

        let untitled = split_title(
            ReportSource::Txt,
            "敬爱的党组织：\n我在2025-03-01提交了申请。",
        );
        assert_eq!(untitled.title, None);
        assert_eq!(untitled.date, NaiveDate::from_ymd_opt(2025, 3, 1));
        assert_eq!(last_date("2026年13月1日"), None);
    }
}
