//! Importing a folder of thought reports named `学号-姓名-2026Q3.docx` (or `.txt`): a preview of
//! every file — whose it is, which quarter, what is wrong — then an all-or-nothing commit.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;
use ts_rs::TS;

use super::{MAX_FILE_BYTES, Quarter, ReportError, ReportFile, default_title, read_file};
use crate::actor::Actor;
use crate::archive::Archive;
use crate::audit::{self, Action, Target};
use crate::db;
use crate::documents;

/// One file of the folder and what would become of it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FolderItem {
    pub file: String,
    pub student_no: Option<String>,
    pub name: Option<String>,
    #[ts(type = "string | null")]
    pub period: Option<Quarter>,
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    pub title: Option<String>,
    #[ts(type = "string | null")]
    pub date: Option<NaiveDate>,
    /// Characters of text read.
    pub chars: usize,
    /// A stable code (`bad_file_name`, `unknown_student`, `name_mismatch`, `unreadable`,
    /// `duplicate`, `already_imported`), when the file cannot be imported.
    pub error: Option<String>,
    pub message: Option<String>,
}

/// The preview of a folder import.
#[derive(Debug, Clone, Serialize, TS)]
pub struct FolderImport {
    pub folder: String,
    pub items: Vec<FolderItem>,
    pub valid: usize,
    pub invalid: usize,
    /// Ids of the reports written, once committed.
    #[ts(type = "Array<number>")]
    pub created: Vec<i64>,
    pub committed: bool,
}

/// Reads every `.docx` / `.txt` file of `folder` (not its subfolders) and says what importing it
/// would do. Nothing is written.
pub fn preview_folder(
    archive: &Archive,
    actor: &Actor,
    folder: &Path,
    as_of: NaiveDate,
) -> Result<FolderImport, ReportError> {
    crate::auth::require(archive, actor, crate::actor::Permission::ReportWrite)?;
    Ok(preview(archive, folder, as_of)?.0)
}

/// Imports the folder if every file in it can be imported; otherwise writes nothing and fails
/// with `import_invalid` (the preview says why). All reports are written in one transaction.
pub fn commit_folder(
    archive: &mut Archive,
    actor: &Actor,
    folder: &Path,
    as_of: NaiveDate,
) -> Result<FolderImport, ReportError> {
    crate::auth::require(archive, actor, crate::actor::Permission::ReportWrite)?;
    let (mut preview, files) = preview(archive, folder, as_of)?;
    if preview.invalid > 0 {
        return Err(ReportError::ImportInvalid(preview.invalid));
    }
    let members: Vec<i64> = preview.items.iter().filter_map(|i| i.member_id).collect();
    crate::auth::require_members(
        archive,
        actor,
        crate::actor::Permission::ReportWrite,
        &members,
    )?;
    // The files go into the store first (content-addressed, so a failure later leaves at most an
    // unreferenced copy); the rows all go in one transaction.
    let mut stored = Vec::with_capacity(files.len());
    for (item, (path, file)) in preview.items.iter().zip(&files) {
        let attachment = documents::store(archive, path, Some("thought_reports".to_string()))?;
        stored.push((item, file, attachment));
    }
    let created = db::with_tx(archive.conn_mut(), |tx| {
        let mut created = Vec::with_capacity(stored.len());
        for (item, file, attachment) in &stored {
            let (Some(member_id), Some(period), Some(title), Some(date)) = (
                item.member_id,
                item.period,
                item.title.as_deref(),
                item.date,
            ) else {
                continue;
            };
            db::attachments::insert_blob(tx, &attachment.sha256, attachment.size)?;
            let row = db::reports::NewReport {
                member_id,
                date,
                period,
                title,
                body: file.body.trim(),
                source: file.source,
                file_name: Some(&attachment.file_name),
                file_sha256: Some(&attachment.sha256),
            };
            let id = db::reports::insert(tx, &row, actor.name())?;
            audit::record(
                tx,
                actor,
                Action::ReportImport,
                Target::report(id, member_id),
                super::audit_detail(&row),
            )?;
            created.push(id);
        }
        Ok::<_, rusqlite::Error>(created)
    })?;
    preview.created = created;
    preview.committed = true;
    Ok(preview)
}

type Files = Vec<(PathBuf, ReportFile)>;

fn preview(
    archive: &Archive,
    folder: &Path,
    as_of: NaiveDate,
) -> Result<(FolderImport, Files), ReportError> {
    let folder_err = |err: std::io::Error| ReportError::File {
        path: folder.to_path_buf(),
        message: err.to_string(),
    };
    let mut paths: Vec<PathBuf> = std::fs::read_dir(folder)
        .map_err(folder_err)?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .filter(|path| {
            path.is_file()
                && path.extension().is_some_and(|e| {
                    let e = e.to_string_lossy().to_lowercase();
                    e == "docx" || e == "txt"
                })
        })
        .collect();
    paths.sort();
    let mut items = Vec::with_capacity(paths.len());
    let mut files = Vec::with_capacity(paths.len());
    let mut seen: Vec<(i64, Quarter, String)> = Vec::new();
    for path in paths {
        let (item, file) = preview_file(archive, &path, as_of, &mut seen)?;
        items.push(item);
        if let Some(file) = file {
            files.push((path, file));
        }
    }
    let invalid = items.iter().filter(|i| i.error.is_some()).count();
    Ok((
        FolderImport {
            folder: folder.display().to_string(),
            valid: items.len() - invalid,
            invalid,
            items,
            created: Vec::new(),
            committed: false,
        },
        files,
    ))
}

fn preview_file(
    archive: &Archive,
    path: &Path,
    as_of: NaiveDate,
    seen: &mut Vec<(i64, Quarter, String)>,
) -> Result<(FolderItem, Option<ReportFile>), ReportError> {
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let mut item = FolderItem {
        file: file_name.clone(),
        student_no: None,
        name: None,
        period: None,
        member_id: None,
        title: None,
        date: None,
        chars: 0,
        error: None,
        message: None,
    };
    let fail = |mut item: FolderItem, code: &str, message: String| {
        item.error = Some(code.to_string());
        item.message = Some(message);
        Ok((item, None))
    };
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let parts: Vec<&str> = stem.split(['-', '_']).map(str::trim).collect();
    let [student_no, name, period] = parts.as_slice() else {
        return fail(
            item,
            "bad_file_name",
            format!("{file_name}: 文件名应为「学号-姓名-2026Q3.docx」"),
        );
    };
    item.student_no = Some(student_no.to_string());
    item.name = Some(name.to_string());
    let Ok(period) = period.parse::<Quarter>() else {
        return fail(
            item,
            "bad_file_name",
            format!("{file_name}: 「{period}」不是季度（应写作 2026Q3）"),
        );
    };
    item.period = Some(period);
    let Some((member_id, member_name)) = db::members::by_student_no(archive.conn(), student_no)?
    else {
        return fail(
            item,
            "unknown_student",
            format!("{file_name}: 档案中没有学号为 {student_no} 的人员"),
        );
    };
    item.member_id = Some(member_id);
    if member_name != *name {
        return fail(
            item,
            "name_mismatch",
            format!("{file_name}: 学号 {student_no} 是{member_name}，不是{name}"),
        );
    }
    if period.start() > as_of {
        return fail(
            item,
            "bad_file_name",
            format!("{file_name}: {period} 尚未开始"),
        );
    }
    let file = match read_file(path) {
        Ok(file) => file,
        Err(ReportError::TooLarge { size, .. }) => {
            return fail(
                item,
                "unreadable",
                format!("{file_name}: 文件过大（{size} 字节，上限 {MAX_FILE_BYTES}）"),
            );
        }
        Err(err @ ReportError::File { .. }) => {
            return fail(item, "unreadable", err.to_string());
        }
        Err(err) => return Err(err),
    };
    let title = file.title.clone().unwrap_or_else(|| default_title(period));
    // Handed in on the date it is signed, if that falls after the quarter began; else at the
    // end of the quarter (or today, for the current one).
    let date = file
        .date
        .filter(|d| *d >= period.start() && *d <= as_of)
        .unwrap_or_else(|| period.end().min(as_of));
    item.title = Some(title.clone());
    item.date = Some(date);
    item.chars = file.body.chars().count();
    if seen
        .iter()
        .any(|(m, p, t)| *m == member_id && *p == period && *t == title)
    {
        return fail(
            item,
            "duplicate",
            format!("{file_name}: 文件夹中已有{name}{period}的同名汇报"),
        );
    }
    if db::reports::exists(archive.conn(), member_id, period, &title)? {
        return fail(
            item,
            "already_imported",
            format!("{file_name}: {name}{period}的「{title}」已在档案中"),
        );
    }
    seen.push((member_id, period, title));
    Ok((item, Some(file)))
}
