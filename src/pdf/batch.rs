//! Dossiers for a whole branch or class: one PDF per member plus an index, made in parallel,
//! with progress and cancellation, never leaving a half-written file.
//!
//! The member data is read from the archive first, on the calling thread (SQLite reads are
//! fast and the connection is not shared across threads); layout and rendering, which take
//! the time, then run on `std::thread::scope` workers that take the next member from a shared
//! counter. We use scoped threads rather than rayon: the work is a few hundred coarse, similar
//! tasks, cancellation and progress are one atomic each, the workers borrow the fonts and the
//! data without `Arc`, and it adds no dependency.

use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::dossier::{self, DossierData};
use super::fonts::FontSet;
use super::layout::{Column, Flow, PageStyle, Table};
use super::numerals::date_arabic;
use super::{PdfError, PdfFile};
use crate::actor::Actor;
use crate::archive::Archive;
use crate::db;
use crate::people::{self, MemberQuery};

/// Whose dossiers to make.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BatchScope {
    Branch(#[ts(type = "number")] i64),
    /// A class (班级) by name.
    Class(String),
    /// Members chosen one by one (a selection in the UI), in this order.
    Members(#[ts(type = "Array<number>")] Vec<i64>),
}

/// Progress after each dossier.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BatchProgress {
    #[ts(type = "number")]
    pub done: usize,
    #[ts(type = "number")]
    pub total: usize,
    /// The member just finished.
    pub name: String,
}

/// One line of the batch's index.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BatchEntry {
    #[ts(type = "number")]
    pub member_id: i64,
    pub name: String,
    pub student_no: Option<String>,
    pub pdf: PdfFile,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct BatchOutcome {
    pub dir: String,
    pub index: PdfFile,
    pub dossiers: Vec<BatchEntry>,
    /// Worker threads used.
    #[ts(type = "number")]
    pub threads: usize,
}

/// The file name of a member's dossier: student number (or id) and name.
pub fn file_name(data: &DossierData) -> String {
    let key = data
        .member
        .student_no
        .clone()
        .unwrap_or_else(|| data.member.id.to_string());
    let safe: String = format!("{key}-{}", data.member.name)
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("{safe}.pdf")
}

/// The members of a scope, in list order.
pub fn members(archive: &Archive, actor: &Actor, scope: &BatchScope) -> Result<Vec<i64>, PdfError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Documents)?;
    if let BatchScope::Branch(branch_id) = scope {
        crate::auth::require_unit(
            archive,
            actor,
            crate::actor::Permission::Documents,
            *branch_id,
        )?;
    }
    let ids = match scope {
        BatchScope::Branch(branch_id) => {
            let query = MemberQuery {
                branch_id: Some(*branch_id),
                ..MemberQuery::default()
            };
            people::list_all(archive, actor, &query)?
                .into_iter()
                .map(|m| m.id)
                .collect()
        }
        BatchScope::Class(name) => db::letters::class_members(archive.conn(), name)?,
        BatchScope::Members(ids) => ids.clone(),
    };
    crate::auth::require_members(archive, actor, crate::actor::Permission::Documents, &ids)?;
    Ok(ids)
}

/// Makes every dossier of `scope` in `dir` (created if missing) and an index (`index.pdf`).
/// `progress` is called after each dossier (from worker threads); setting `cancel` stops the
/// batch after the dossiers in progress, leaving only complete files, and returns `Cancelled`.
#[allow(clippy::too_many_arguments)]
pub fn generate(
    archive: &Archive,
    actor: &Actor,
    fonts: &FontSet,
    scope: &BatchScope,
    as_of: NaiveDate,
    dir: &Path,
    threads: Option<usize>,
    progress: &(dyn Fn(&BatchProgress) + Sync),
    cancel: &AtomicBool,
) -> Result<BatchOutcome, PdfError> {
    let ids = members(archive, actor, scope)?;
    if ids.is_empty() {
        return Err(PdfError::NothingToDo(match scope {
            BatchScope::Branch(id) => format!("支部 {id} 没有成员"),
            BatchScope::Class(name) => format!("班级 {name} 没有成员"),
            BatchScope::Members(_) => "没有选择成员".to_string(),
        }));
    }
    let template = dossier::DossierTemplate::load(archive)?;
    let mut data = Vec::with_capacity(ids.len());
    for id in ids {
        if cancel.load(Ordering::Relaxed) {
            return Err(PdfError::Cancelled);
        }
        data.push(DossierData::load_base(archive, actor, id, as_of)?);
    }
    // Reports and meetings for the whole batch in three queries.
    DossierData::load_records(archive, actor, &mut data)?;
    std::fs::create_dir_all(dir).map_err(|source| PdfError::Io {
        path: dir.to_path_buf(),
        source,
    })?;
    remove_stale_temporaries(dir);
    let threads = threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .clamp(1, data.len());
    let next = AtomicUsize::new(0);
    // Set by a worker whose dossier failed, so the others stop too (the caller's flag is theirs).
    let failed_one = AtomicBool::new(false);
    let done = AtomicUsize::new(0);
    let total = data.len();
    let results: Mutex<Vec<Option<Result<PdfFile, PdfError>>>> =
        Mutex::new((0..total).map(|_| None).collect());
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    if cancel.load(Ordering::Relaxed) || failed_one.load(Ordering::Relaxed) {
                        return;
                    }
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = data.get(i) else { return };
                    let path: PathBuf = dir.join(file_name(item));
                    let result = dossier::write(fonts, &template, item, &path);
                    let failed = result.is_err();
                    if let Ok(mut results) = results.lock() {
                        results[i] = Some(result);
                    }
                    if failed {
                        // Stop the others: the batch reports the first error.
                        failed_one.store(true, Ordering::Relaxed);
                        return;
                    }
                    let finished = done.fetch_add(1, Ordering::Relaxed) + 1;
                    progress(&BatchProgress {
                        done: finished,
                        total,
                        name: item.member.name.clone(),
                    });
                }
            });
        }
    });
    let results = results
        .into_inner()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let mut dossiers = Vec::with_capacity(total);
    let mut cancelled = false;
    for (item, result) in data.iter().zip(results) {
        match result {
            Some(Ok(pdf)) => dossiers.push(BatchEntry {
                member_id: item.member.id,
                name: item.member.name.clone(),
                student_no: item.member.student_no.clone(),
                pdf,
            }),
            Some(Err(err)) => return Err(err),
            None => cancelled = true,
        }
    }
    if cancelled {
        return Err(PdfError::Cancelled);
    }
    let index = write_index(fonts, &dossiers, as_of, &dir.join("index.pdf"))?;
    crate::audit::record_alone(
        archive,
        actor,
        crate::audit::Action::Dossier,
        crate::audit::Target::archive(),
        serde_json::json!({ "dir": dir.display().to_string(), "members": dossiers.iter().map(|d| d.member_id).collect::<Vec<_>>() }),
    )?;
    Ok(BatchOutcome {
        dir: dir.display().to_string(),
        index,
        dossiers,
        threads,
    })
}

/// Deletes the temporary files a killed earlier run left in `dir` (`.dangan-*.part`; a finished
/// file is never under such a name).
fn remove_stale_temporaries(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().to_string();
        if name.starts_with(".dangan-") && name.ends_with(".part") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// The index of a batch: one row per dossier with its file and page count.
fn write_index(
    fonts: &FontSet,
    entries: &[BatchEntry],
    as_of: NaiveDate,
    out: &Path,
) -> Result<PdfFile, PdfError> {
    let style = PageStyle::default();
    let mut flow = Flow::new(fonts, style.clone());
    flow.title("党员档案清单", style.heading_size + 3.0);
    flow.plain(&format!(
        "共 {} 份，生成于{}。",
        entries.len(),
        date_arabic(as_of)
    ));
    flow.table(&Table {
        columns: vec![
            Column::new("序号", 0.5),
            Column::new("姓名", 1.0),
            Column::new("学号", 1.3),
            Column::new("文件", 3.0),
            Column::new("页数", 0.5),
        ],
        header: true,
        strong: Vec::new(),
        rows: entries
            .iter()
            .enumerate()
            .map(|(i, e)| {
                let file = Path::new(&e.pdf.file)
                    .file_name()
                    .map(|n| n.to_string_lossy().to_string())
                    .unwrap_or_default();
                vec![
                    (i + 1).to_string(),
                    e.name.clone(),
                    e.student_no.clone().unwrap_or_default(),
                    file,
                    e.pdf.pages.to_string(),
                ]
            })
            .collect(),
    });
    let (mut pages, _) = flow.finish();
    super::layout::number_pages(fonts, &style, &mut pages, "党员档案清单", 0);
    super::write_pdf(fonts, "党员档案清单", &pages, out)
}
