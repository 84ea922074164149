//! Import: rows matched against the archive and written as one batch; the batch history and undo.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;
use std::sync::mpsc::SyncSender;

use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use super::cells::clean_text;
use super::columns::Field;
use super::columns::header_key;
use super::error::RosterError;
use super::read::{
    HEADER_SEARCH_ROWS, Header, RawRow, RawSheet, RosterSource, SheetRows, find_header_mapped,
};
use super::validate::BranchMatch;
use super::validate::{BranchResolver, FieldValue, Record, RowContext, check_row};
use super::{
    CellIssue, ColumnMapping, ColumnOverride, FieldChange, ImportReport, IssueCode, RowAction,
    RowChange, SheetPreview,
};
use crate::actor::Actor;
use crate::archive::Archive;
use crate::audit::{self, Action};
use crate::backup;
use crate::db::backups::BackupRow;
use crate::db::members::{NewEvent, insert_event};
use crate::db::{self, with_tx};
use crate::org::{self, BranchOption, OrgKind};
use crate::people::{self, EventKind, Sex};

/// What to import and how.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Only this sheet (by name); all sheets with roster columns otherwise.
    pub sheet: Option<String>,
    /// Check everything, write nothing.
    pub dry_run: bool,
    /// Write the valid rows even though other rows are invalid.
    pub skip_invalid: bool,
    /// Today: dates after it are refused.
    pub as_of: NaiveDate,
    /// Create the branches the archive lacks, when the roster names them as `college/branch`
    /// (the college committee too, if it is missing); they are part of the batch.
    pub create_branches: bool,
    /// The clerk's corrections of the column mapping (header as written → field or ignored).
    pub columns: Vec<ColumnOverride>,
}

/// Where a long import is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ImportPhase {
    Reading,
    Checking,
    Writing,
}

/// Progress of an import, reported every few hundred rows; the callback returns false to cancel
/// (nothing is written then: the transaction is rolled back).
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct ImportProgress {
    pub phase: ImportPhase,
    pub done: usize,
    pub total: usize,
}

/// Called with the progress; returns whether to go on.
pub type ProgressFn<'a> = dyn Fn(ImportProgress) -> bool + 'a;

/// How many update diffs a report lists; `updates_omitted` counts the rest.
const UPDATES_KEPT: usize = 1000;

/// How often progress is reported, in rows.
const PROGRESS_EVERY: usize = 500;

fn report_progress(
    progress: &ProgressFn<'_>,
    phase: ImportPhase,
    done: usize,
    total: usize,
) -> Result<(), RosterError> {
    if progress(ImportProgress { phase, done, total }) {
        Ok(())
    } else {
        Err(RosterError::Cancelled)
    }
}

/// The development steps recorded from 加入党组织日期 and 转为正式党员日期.
const JOINED_STEPS: [u8; 2] = [15, 17];
const CONVERSION_STEP: u8 = 24;

enum Target {
    Create,
    Update(i64),
}

struct PlannedRow {
    sheet: String,
    row: u32,
    target: Target,
    /// Member columns to write: (column, value before (updates only), value after).
    columns: Vec<(&'static str, Value, Value)>,
    events: Vec<(u8, NaiveDate)>,
}

/// Branches to create: (placeholder id used in the plan, college, branch).
type NewBranches = [(i64, String, String)];

/// Receives each valid row that writes something, as soon as it is checked: a commit writes it
/// there and then (inside the transaction), so no plan of the whole file is held. The count is
/// of the invalid rows so far.
type RowSink<'a> = dyn FnMut(PlannedRow, &NewBranches, usize) -> Result<(), RosterError> + 'a;

struct Analysis {
    report: ImportReport,
    /// Valid rows that write something.
    planned: usize,
    /// A branch the batch creates changed how an earlier row resolves: the rows must be checked
    /// again with `BranchPass::Ahead`, and whatever was written is rolled back.
    recheck: bool,
}

/// How an import that creates branches finds them. Most rosters are checked in one pass, each
/// new branch added as its first row is read. When a new branch would change how an earlier row
/// resolved (a branch given by its short name, before a row names a new branch of that name),
/// the file is read once ahead instead, so that every row resolves against the same branches
/// whatever their order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum BranchPass {
    AsRead,
    Ahead,
}

/// How a commit's transaction ends without committing: an error, or a report that must not be
/// written (rows invalid without skip_invalid, or nothing to write); both roll back.
enum Rollback {
    Failed(RosterError),
    Report(Box<ImportReport>),
    /// Check the rows again, reading ahead for new branches.
    Recheck,
}

impl From<rusqlite::Error> for Rollback {
    fn from(err: rusqlite::Error) -> Self {
        Rollback::Failed(err.into())
    }
}

impl From<backup::BackupError> for Rollback {
    fn from(err: backup::BackupError) -> Self {
        Rollback::Failed(err.into())
    }
}

impl From<RosterError> for Rollback {
    fn from(err: RosterError) -> Self {
        Rollback::Failed(err)
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> RosterError + '_ {
    move |source| RosterError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// The file's SHA-256 (hex), read in blocks.
fn file_sha256(path: &Path) -> Result<String, RosterError> {
    let mut file = std::fs::File::open(path).map_err(io_err(path))?;
    let mut hasher = Sha256::new();
    std::io::copy(&mut file, &mut hasher).map_err(io_err(path))?;
    Ok(hex::encode(hasher.finalize()))
}

/// What an import would do, as the UI's wizard shows it before the clerk commits.
pub type ImportPreview = ImportReport;

/// Checks a roster against the archive and says what an import would do; writes nothing.
pub fn preview(
    archive: &Archive,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
) -> Result<ImportPreview, RosterError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Import)?;
    preview_with_progress(archive, actor, path, options, &|_| true)
}

pub fn preview_with_progress(
    archive: &Archive,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    progress: &ProgressFn<'_>,
) -> Result<ImportPreview, RosterError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Import)?;
    in_branch_passes(|pass| {
        report_progress(progress, ImportPhase::Reading, 0, 1)?;
        let mut source = RosterSource::open_file(path)?;
        let mut count_only = |_: PlannedRow, _: &NewBranches, _: usize| Ok(());
        let analysis = analyse(
            archive.conn(),
            path,
            &mut source,
            options,
            progress,
            ImportPhase::Checking,
            pass,
            &mut count_only,
        )?;
        Ok((!analysis.recheck).then_some(analysis.report))
    })
}

/// Runs `attempt` with `BranchPass::AsRead`, then with `BranchPass::Ahead` when the first
/// attempt asks for it (None). Only a pass `AsRead` asks: `analyse` never sets `recheck`
/// reading ahead.
fn in_branch_passes<T>(
    mut attempt: impl FnMut(BranchPass) -> Result<Option<T>, RosterError>,
) -> Result<T, RosterError> {
    let mut pass = BranchPass::AsRead;
    loop {
        match attempt(pass)? {
            Some(done) => return Ok(done),
            None => pass = BranchPass::Ahead,
        }
    }
}

/// Imports a roster: all of it in one transaction and one batch, or nothing when any row is
/// invalid (unless `skip_invalid`), or nothing at all with `dry_run`. The file is read and
/// checked again inside the transaction, so what is written matches the archive at that moment.
pub fn import(
    archive: &mut Archive,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
) -> Result<ImportReport, RosterError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Import)?;
    import_with_progress(archive, actor, path, options, &|_| true)
}

/// `import` for a wizard's commit button: the same, with `dry_run` off.
pub fn commit(
    archive: &mut Archive,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    progress: &ProgressFn<'_>,
) -> Result<ImportReport, RosterError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Import)?;
    let options = ImportOptions {
        dry_run: false,
        ..options.clone()
    };
    import_with_progress(archive, actor, path, &options, progress)
}

pub fn import_with_progress(
    archive: &mut Archive,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    progress: &ProgressFn<'_>,
) -> Result<ImportReport, RosterError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Import)?;
    if options.dry_run {
        return preview_with_progress(archive, actor, path, options, progress);
    }
    in_branch_passes(|pass| commit_pass(archive, actor, path, options, progress, pass))
}

/// One attempt at the import's transaction; None when the rows must be checked again reading
/// ahead for new branches (see `BranchPass`), after everything was rolled back.
fn commit_pass(
    archive: &mut Archive,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    progress: &ProgressFn<'_>,
    pass: BranchPass,
) -> Result<Option<ImportReport>, RosterError> {
    report_progress(progress, ImportPhase::Reading, 0, 1)?;
    // Opened first, so that a file that cannot be read is refused before any copy is made.
    let source = RosterSource::open_file(path)?;
    let sha256 = file_sha256(path)?;
    let file_name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let root = archive.root().to_path_buf();
    let backups_dir = archive.backups_dir();
    // The before-import backup is copied inside the import's transaction, once it holds the
    // write lock and before it writes, through a second (read-only) connection: that one sees
    // the archive as it was when the transaction began, and nobody else can write meanwhile.
    // The copy is recorded with the first row written, so that it is rolled back with the
    // batch; when the import writes nothing (every row invalid, a cancel, an error) the copy is
    // deleted and never recorded.
    let db_path = archive.db_path();
    let secret = archive.secret().cloned();
    let mut pending: Option<backup::PendingBackup> = None;
    let outcome = with_tx(archive.conn_mut(), |tx| {
        let reader = db::backups::open_read_only(&db_path, secret.as_ref())
            .map_err(backup::BackupError::from)?;
        let copy = backup::copy_pending(
            &reader,
            secret.as_ref(),
            &root,
            &backups_dir,
            actor,
            backup::BackupReason::BeforeImport,
            None,
        )?;
        drop(reader);
        let copy = &*pending.insert(copy);
        if let Some(problem) = copy.problem() {
            let err = backup::BackupError::Unverified {
                file: copy.target_name().to_string(),
                problem: problem.to_string(),
            };
            return Err(Rollback::Failed(err.into()));
        }
        commit_rows(
            tx, actor, path, options, progress, pass, &file_name, &sha256, copy, source,
        )
    });
    match outcome {
        Ok((report, rotated)) => {
            backup::remove_rotated(&root, &rotated);
            Ok(Some(report))
        }
        Err(rollback) => {
            if let Some(copy) = pending {
                copy.discard();
            }
            match rollback {
                Rollback::Report(report) => Ok(Some(*report)),
                Rollback::Recheck => Ok(None),
                Rollback::Failed(err) => Err(err),
            }
        }
    }
}

/// The import's transaction: checks and writes every row, records the before-import backup
/// with the first row written, and returns the report and the backups its rotation retired.
#[allow(clippy::too_many_arguments)]
fn commit_rows(
    tx: &rusqlite::Connection,
    actor: &Actor,
    path: &Path,
    options: &ImportOptions,
    progress: &ProgressFn<'_>,
    pass: BranchPass,
    file_name: &str,
    sha256: &str,
    copy: &backup::PendingBackup,
    mut source: RosterSource<'static>,
) -> Result<(ImportReport, Vec<BackupRow>), Rollback> {
    {
        let mut rotated: Vec<BackupRow> = Vec::new();
        let mut backup_recorded = false;
        // The member insert and update statements vary with the columns a row fills.
        tx.set_prepared_statement_cache_capacity(64);
        // The batch row first, so that each checked row can be written at once; its counts are
        // filled in at the end.
        let batch_id = db::roster::insert_batch(
            tx,
            &db::roster::NewBatch {
                file_name,
                file_sha256: sha256,
                rows: 0,
                created: 0,
                updated: 0,
                skipped: 0,
                imported_by: actor.name(),
            },
        )?;
        let mut created_units: HashMap<i64, i64> = HashMap::new();
        // The rows' audit entries, appended with the head written once at the end; started
        // after the backup's entry.
        let mut trail: Option<audit::Appender> = None;
        let mut write = |mut planned: PlannedRow,
                         new_branches: &NewBranches,
                         invalid_so_far: usize|
         -> Result<(), RosterError> {
            if invalid_so_far > 0 && !options.skip_invalid {
                // The batch will be rolled back: checking the rest is all that is left to do.
                return Ok(());
            }
            if !backup_recorded {
                rotated = backup::record_pending(tx, actor, copy)?.1;
                backup_recorded = true;
            }
            let trail = match &mut trail {
                Some(trail) => trail,
                None => trail.insert(audit::Appender::start(tx)?),
            };
            for (column, _, after) in &mut planned.columns {
                if *column == "branch_id"
                    && let Some(placeholder) = after.as_i64().filter(|p| *p < 0)
                {
                    let id = match created_units.get(&placeholder) {
                        Some(id) => *id,
                        None => {
                            let Some((_, college, branch)) =
                                new_branches.iter().find(|(p, _, _)| *p == placeholder)
                            else {
                                continue;
                            };
                            let id = create_branch(tx, batch_id, college, branch)?;
                            created_units.insert(placeholder, id);
                            id
                        }
                    };
                    *after = Value::from(id);
                }
            }
            write_row(tx, actor, trail, batch_id, file_name, planned)
        };
        let analysis = analyse(
            tx,
            path,
            &mut source,
            options,
            progress,
            ImportPhase::Writing,
            pass,
            &mut write,
        )?;
        if analysis.recheck {
            return Err(Rollback::Recheck);
        }
        let mut report = analysis.report;
        let blocked = !report.errors.is_empty() && !options.skip_invalid;
        if blocked || analysis.planned == 0 {
            return Err(Rollback::Report(Box::new(report)));
        }
        if let Some(trail) = trail {
            trail.finish(tx)?;
        }
        db::roster::set_batch_counts(
            tx,
            batch_id,
            report.rows,
            report.created,
            report.updated,
            report.invalid,
        )?;
        audit::record(
            tx,
            actor,
            Action::ImportCommit,
            audit::Target::import_batch(batch_id),
            serde_json::json!({ "file": file_name, "sha256": sha256, "rows": report.rows, "created": report.created, "updated": report.updated, "skipped": report.invalid }),
        )?;
        report.committed = true;
        report.batch = Some(batch_id);
        Ok((report, rotated))
    }
}

/// Creates `college/branch` for a batch: the college committee under the root if it is missing
/// (and the root, in an archive that has none).
fn create_branch(
    conn: &rusqlite::Connection,
    batch_id: i64,
    college: &str,
    branch: &str,
) -> Result<i64, RosterError> {
    let add = |kind: OrgKind, name: &str, parent: Option<i64>| -> Result<i64, RosterError> {
        let id = org::add_unit(conn, kind, name, parent)?;
        db::roster::insert_batch_unit(conn, batch_id, id)?;
        Ok(id)
    };
    let root = match db::roster::root_unit(conn)? {
        Some(id) => id,
        None => add(OrgKind::UniversityCommittee, "党委", None)?,
    };
    let short = college.strip_suffix("党委").unwrap_or(college);
    let mut college_id = None;
    for name in [
        college.to_string(),
        short.to_string(),
        format!("{short}党委"),
    ] {
        college_id = college_id.or(db::roster::find_unit(
            conn,
            "college_committee",
            &name,
            Some(root),
        )?);
    }
    let college_id = match college_id {
        Some(id) => id,
        None => add(OrgKind::CollegeCommittee, college, Some(root))?,
    };
    match db::roster::find_unit(conn, "branch", branch, Some(college_id))? {
        Some(id) => Ok(id),
        None => add(OrgKind::Branch, branch, Some(college_id)),
    }
}

/// What the audit trail keeps of one imported row: the batch, the sheet and row, and whether
/// the member was created or updated. The values before and after are kept once, in the batch's
/// row (`import_batch_row`, which undo restores from), not copied into the trail.
fn audit_detail(batch_id: i64, planned: &PlannedRow) -> Value {
    let created = matches!(planned.target, Target::Create);
    serde_json::json!({
        "batch": batch_id, "sheet": planned.sheet, "row": planned.row,
        "action": if created { "created" } else { "updated" },
    })
}

fn write_row(
    conn: &rusqlite::Connection,
    actor: &Actor,
    trail: &mut audit::Appender,
    batch_id: i64,
    file_name: &str,
    planned: PlannedRow,
) -> Result<(), RosterError> {
    let after = columns_json(planned.columns.iter().map(|(c, _, a)| (*c, a)));
    let member_id = match planned.target {
        Target::Create => {
            let id = db::roster::insert_member_row(
                conn,
                planned.columns.iter().map(|(c, _, a)| (*c, a)),
            )?;
            db::roster::insert_batch_row(
                conn,
                batch_id,
                &planned.sheet,
                planned.row,
                id,
                "created",
                None,
                &after,
            )?;
            id
        }
        Target::Update(id) => {
            let values: Vec<(&'static str, Value)> = planned
                .columns
                .iter()
                .map(|(c, _, a)| (*c, a.clone()))
                .collect();
            db::roster::update_member(conn, id, &values)?;
            let before = columns_json(planned.columns.iter().map(|(c, b, _)| (*c, b)));
            db::roster::insert_batch_row(
                conn,
                batch_id,
                &planned.sheet,
                planned.row,
                id,
                "updated",
                Some(&before),
                &after,
            )?;
            id
        }
    };
    trail.append(
        conn,
        actor,
        Action::ImportCommit,
        audit::Target::member(member_id),
        audit_detail(batch_id, &planned),
    )?;
    let note = format!(
        "导入（批次 {batch_id}）：名册 {file_name} 工作表 {} 第 {} 行",
        planned.sheet, planned.row
    );
    let joined = planned
        .events
        .iter()
        .find(|(step, _)| *step == JOINED_STEPS[0])
        .map(|(_, date)| *date);
    for &(step, date) in &planned.events {
        // A conversion dated a whole number of months after the probation year is a probation
        // that was extended: record the extension, so that 转为正式党员日期 derives to the
        // roster's date (whether the extension was allowed is for `dangan check` to say).
        if step == CONVERSION_STEP
            && let Some(joined) = joined
            && let Some(months) = super::extension_months(joined, date)
        {
            let extension = NewEvent {
                member_id,
                kind: EventKind::ProbationExtended,
                step: None,
                months: Some(months),
                date: people::probation_end(joined, 0).unwrap_or(joined),
                note: Some(note.clone()),
                people: Vec::new(),
            };
            let event_id = insert_event(conn, &extension, actor.name())?;
            db::roster::insert_batch_event(conn, batch_id, event_id)?;
        }
        let event = NewEvent {
            member_id,
            kind: EventKind::Step,
            step: Some(step),
            months: None,
            date,
            note: Some(note.clone()),
            people: Vec::new(),
        };
        let event_id = insert_event(conn, &event, actor.name())?;
        db::roster::insert_batch_event(conn, batch_id, event_id)?;
    }
    Ok(())
}

/// A batch row's `{member column: value}` object as JSON text, written straight from the
/// planned columns (a `serde_json::Map` per row cost an allocation per key).
fn columns_json<'a>(columns: impl Iterator<Item = (&'static str, &'a Value)>) -> String {
    let mut json = String::from("{");
    for (i, (column, value)) in columns.enumerate() {
        if i > 0 {
            json.push(',');
        }
        // Column names are SQL identifiers: nothing in them needs escaping.
        json.push('"');
        json.push_str(column);
        json.push_str("\":");
        json.push_str(&value.to_string());
    }
    json.push('}');
    json
}

/// The header texts of a sheet's likeliest header row, for a message.
fn found_headers(header: Option<&Header>, sheet: &super::read::RawSheet) -> Vec<String> {
    match header {
        Some(h) => h
            .columns
            .iter()
            .map(|(t, _)| t.clone())
            .filter(|t| !t.is_empty())
            .collect(),
        None => sheet
            .rows
            .iter()
            .find(|r| r.cells.iter().any(|c| !c.is_blank()))
            .map(|r| {
                r.cells
                    .iter()
                    .map(|c| c.display().trim().to_string())
                    .filter(|t| !t.is_empty())
                    .collect()
            })
            .unwrap_or_default(),
    }
}

fn required_fields() -> Vec<Field> {
    super::columns::columns()
        .iter()
        .filter(|c| c.required)
        .map(|c| c.field)
        .collect()
}

/// A sheet's first rows, enough to find its header (and, for a message, its first non-blank
/// row when none of them has a value).
fn read_head(source: &mut RosterSource<'_>, index: usize) -> Result<RawSheet, RosterError> {
    let info = source.sheets[index].clone();
    let mut rows: Vec<RawRow> = Vec::new();
    let mut any_value = false;
    let mut reader = source.rows(index)?;
    while let Some(row) = reader.next_row()? {
        any_value |= row.cells.iter().any(|c| !c.is_blank());
        rows.push(row);
        if rows.len() >= HEADER_SEARCH_ROWS && any_value {
            break;
        }
    }
    drop(reader);
    Ok(RawSheet {
        name: info.name,
        hidden: info.hidden,
        rows,
    })
}

/// Rows sent at a time by the thread that reads them.
const ROWS_PER_CHUNK: usize = 256;
/// Chunks read ahead of the rows being checked.
const CHUNKS_AHEAD: usize = 4;

/// Rows of the sheet at a place in the list being read, or the error that ended the reading.
type RowChunk = Result<(usize, Vec<RawRow>), RosterError>;

/// Reads the non-blank rows after each sheet's header and sends them in chunks, each with the
/// sheet's place in `sheets`. Stops at the first error, which it sends, or when the receiver is
/// gone (an error or a cancel there).
fn read_rows(
    source: &mut RosterSource<'_>,
    sheets: &[(usize, &Header)],
    sender: &SyncSender<RowChunk>,
) {
    let mut read = || -> Result<(), RosterError> {
        for (which, &(index, header)) in sheets.iter().enumerate() {
            let mut rows = rows_after_header(source, index, header)?;
            let mut chunk = Vec::with_capacity(ROWS_PER_CHUNK);
            while let Some(row) = rows.next_row()? {
                if row.cells.iter().all(|c| c.is_blank()) {
                    continue;
                }
                chunk.push(row);
                if chunk.len() == ROWS_PER_CHUNK {
                    let full = std::mem::replace(&mut chunk, Vec::with_capacity(ROWS_PER_CHUNK));
                    if sender.send(Ok((which, full))).is_err() {
                        return Ok(());
                    }
                }
            }
            if !chunk.is_empty() && sender.send(Ok((which, chunk))).is_err() {
                return Ok(());
            }
        }
        Ok(())
    };
    if let Err(err) = read() {
        // Nobody may be listening any more; then there is no one to tell.
        let _ = sender.send(Err(err));
    }
}

/// Reads past a sheet's header rows: the rows after `header.row_index` come next.
fn rows_after_header<'s, 'a>(
    source: &'s mut RosterSource<'a>,
    index: usize,
    header: &Header,
) -> Result<SheetRows<'s, 'a>, RosterError> {
    let mut rows = source.rows(index)?;
    for _ in 0..=header.row_index {
        if rows.next_row()?.is_none() {
            break;
        }
    }
    Ok(rows)
}

#[allow(clippy::too_many_arguments)]
fn analyse(
    conn: &rusqlite::Connection,
    path: &Path,
    source: &mut RosterSource<'_>,
    options: &ImportOptions,
    progress: &ProgressFn<'_>,
    phase: ImportPhase,
    pass: BranchPass,
    sink: &mut RowSink<'_>,
) -> Result<Analysis, RosterError> {
    let mut report = ImportReport {
        file: path.display().to_string(),
        format: source.format.to_string(),
        encoding: source.encoding.map(str::to_string),
        sheets: Vec::new(),
        rows: 0,
        valid: 0,
        invalid: 0,
        created: 0,
        updated: 0,
        unchanged: 0,
        errors: Vec::new(),
        warnings: Vec::new(),
        unknown_branches: Vec::new(),
        new_branches: Vec::new(),
        updates: Vec::new(),
        updates_omitted: 0,
        committed: false,
        batch: None,
    };

    let sheets: Vec<usize> = match &options.sheet {
        Some(name) => {
            let found = source.sheets.iter().position(|s| &s.name == name);
            vec![found.ok_or_else(|| RosterError::NoSuchSheet {
                path: path.to_path_buf(),
                sheet: name.clone(),
                available: source.sheets.iter().map(|s| s.name.clone()).collect(),
            })?]
        }
        None => (0..source.sheets.len())
            .filter(|i| !source.sheets[*i].hidden)
            .collect(),
    };

    // Which sheets are rosters, and their headers.
    let required = required_fields();
    // Each sheet's first rows: the header is found among them; the rest is read row by row.
    let mut heads: Vec<RawSheet> = Vec::new();
    for &index in &sheets {
        heads.push(read_head(source, index)?);
    }
    // (sheet index in the file, its place in `report.sheets`, its header)
    let mut read: Vec<(usize, usize, Header)> = Vec::new();
    let mut first_unmapped: Option<RosterError> = None;
    // Each sheet's header with the clerk's mapping applied; a mapping that names no column of
    // the sheets it applies to is refused before anything else, as a bad argument would be.
    let override_keys: Vec<String> = options
        .columns
        .iter()
        .map(|o| header_key(&o.column))
        .collect();
    let mut override_used = vec![false; options.columns.len()];
    let mut headers_seen: Vec<String> = Vec::new();
    let mut headers: Vec<Option<Header>> = Vec::new();
    for sheet in &heads {
        let applies = |o: &ColumnOverride| o.sheet.as_ref().is_none_or(|s| *s == sheet.name);
        let overrides: Vec<(String, Option<Field>)> = options
            .columns
            .iter()
            .zip(&override_keys)
            .filter(|(o, _)| applies(o))
            .map(|(o, key)| (key.clone(), o.field))
            .collect();
        let header = find_header_mapped(sheet, &overrides);
        if let Some(h) = &header {
            for (i, o) in options.columns.iter().enumerate() {
                if applies(o)
                    && h.columns
                        .iter()
                        .any(|(t, _)| header_key(t) == override_keys[i])
                {
                    override_used[i] = true;
                }
            }
            for (text, _) in &h.columns {
                if !text.is_empty() && !headers_seen.contains(text) {
                    headers_seen.push(text.clone());
                }
            }
        }
        headers.push(header);
    }
    if let Some(i) = override_used.iter().position(|used| !used) {
        return Err(RosterError::UnknownMappedColumn {
            path: path.to_path_buf(),
            sheet: options.columns[i].sheet.clone(),
            column: options.columns[i].column.clone(),
            found: headers_seen,
        });
    }
    for ((&index, header), sheet) in sheets.iter().zip(headers).zip(&heads) {
        let non_blank = sheet
            .rows
            .iter()
            .any(|r| r.cells.iter().any(|c| !c.is_blank()));
        let mapped = header.as_ref().map_or(0, Header::mapped);
        let missing: Vec<String> = required
            .iter()
            .filter(|f| header.as_ref().and_then(|h| h.index_of(**f)).is_none())
            .map(|f| f.label().to_string())
            .collect();
        let unusable = || RosterError::MissingColumns {
            path: path.to_path_buf(),
            sheet: sheet.name.clone(),
            missing: missing.clone(),
            found: found_headers(header.as_ref(), sheet),
            columns: header.as_ref().map_or_else(Box::default, |h| {
                h.columns
                    .iter()
                    .filter(|(text, _)| !text.is_empty())
                    .map(|(text, field)| ColumnMapping {
                        column: text.clone(),
                        field: *field,
                    })
                    .collect()
            }),
        };
        if non_blank
            && missing.is_empty()
            && let Some((field, first, second)) = header.as_ref().and_then(Header::duplicate)
            && let Some(h) = &header
        {
            return Err(RosterError::DuplicateColumn {
                path: path.to_path_buf(),
                sheet: sheet.name.clone(),
                field: field.label().to_string(),
                columns: vec![h.columns[first].0.clone(), h.columns[second].0.clone()],
            });
        }
        let skipped = if !non_blank {
            Some("空工作表".to_string())
        } else if mapped >= 2 && !missing.is_empty() {
            // A roster that lacks a required column: never guess, stop.
            return Err(unusable());
        } else if !missing.is_empty() {
            if options.sheet.is_some() {
                return Err(unusable());
            }
            first_unmapped.get_or_insert_with(unusable);
            Some("没有可识别的名册列".to_string())
        } else {
            None
        };
        let (header_row, columns) = match &header {
            Some(h) if skipped.is_none() => (
                sheet.rows[h.row_index].number,
                h.columns
                    .iter()
                    .map(|(text, field)| ColumnMapping {
                        column: text.clone(),
                        field: *field,
                    })
                    .collect(),
            ),
            _ => (0, Vec::new()),
        };
        // The rows are counted as they are read.
        report.sheets.push(SheetPreview {
            name: sheet.name.clone(),
            header_row,
            rows: 0,
            columns,
            skipped: skipped.clone(),
        });
        if skipped.is_none()
            && let Some(h) = header
        {
            read.push((index, report.sheets.len() - 1, h));
        }
    }
    if read.is_empty() {
        return Err(first_unmapped.unwrap_or_else(|| RosterError::NoRows {
            path: path.to_path_buf(),
        }));
    }

    let mut branches = BranchResolver::new(db::org::branches(conn)?);
    let mut new_branches: Vec<(i64, String, String)> = Vec::new();
    // The branch cells looked at for new branches: most rows repeat one of a few.
    let mut branch_texts: HashSet<String> = HashSet::new();
    // Rows per sheet when a first pass counted them; the progress total is estimated otherwise.
    let mut counted: Vec<Option<usize>> = vec![None; report.sheets.len()];
    if options.create_branches && pass == BranchPass::Ahead {
        for (index, pos, header) in &read {
            let Some(col) = header.index_of(Field::Branch) else {
                continue;
            };
            let mut rows = rows_after_header(source, *index, header)?;
            let mut count = 0;
            while let Some(row) = rows.next_row()? {
                if row.cells.iter().all(|c| c.is_blank()) {
                    continue;
                }
                count += 1;
                add_new_branch(
                    &row,
                    col,
                    &mut branches,
                    &mut new_branches,
                    &mut branch_texts,
                );
            }
            counted[*pos] = Some(count);
        }
    }
    let mut by_id_number: HashMap<String, i64> = HashMap::new();
    let mut by_student_no: HashMap<String, i64> = HashMap::new();
    for (id, id_number, student_no) in db::roster::member_keys(conn)? {
        if let Some(n) = id_number {
            by_id_number.insert(n, id);
        }
        if let Some(s) = student_no {
            by_student_no.insert(s, id);
        }
    }
    let member_columns: Vec<(Field, &'static str)> = Field::ALL
        .iter()
        .filter_map(|f| f.db_column().map(|c| (*f, c)))
        .collect();

    let mut seen_id: HashMap<String, (String, u32)> = HashMap::new();
    let mut seen_student: HashMap<String, (String, u32)> = HashMap::new();
    let mut unknown_branches: BTreeSet<String> = BTreeSet::new();
    let mut planned = 0usize;

    // The progress total: the rows counted by a first pass, or what each sheet declares.
    let mut total = 0usize;
    for (index, pos, _) in &read {
        total += match counted[*pos] {
            Some(count) => count,
            None => {
                let header_row = report.sheets[*pos].header_row;
                source
                    .rows(*index)?
                    .last_row_hint()
                    .map_or(0, |last| last.saturating_sub(header_row) as usize)
            }
        };
    }
    let mut checked_rows = 0;
    let sheet_names: Vec<String> = read
        .iter()
        .map(|(index, _, _)| source.sheets[*index].name.clone())
        .collect();
    let to_read: Vec<(usize, &Header)> = read
        .iter()
        .map(|(index, _, header)| (*index, header))
        .collect();
    // The rows are read and parsed on a second thread while this one checks them and hands
    // them to the sink; a few chunks are read ahead. Each row is then dropped: neither the file
    // nor a plan of it is held.
    let recheck = std::thread::scope(|scope| -> Result<bool, RosterError> {
        let (sender, receiver) = std::sync::mpsc::sync_channel(CHUNKS_AHEAD);
        scope.spawn(move || read_rows(source, &to_read, &sender));
        for chunk in receiver {
            let (which, rows) = chunk?;
            let (_, pos, header) = &read[which];
            let sheet_name = &sheet_names[which];
            let branch_col = header.index_of(Field::Branch);
            for row in rows {
                if options.create_branches
                    && pass == BranchPass::AsRead
                    && let Some(col) = branch_col
                    && add_new_branch(
                        &row,
                        col,
                        &mut branches,
                        &mut new_branches,
                        &mut branch_texts,
                    )
                {
                    // A row before this one named the new branch's name on its own: what it
                    // resolved to depended on the order of the rows.
                    return Ok(true);
                }
                let ctx = RowContext {
                    sheet: sheet_name,
                    header,
                    branches: &branches,
                    as_of: options.as_of,
                };
                if checked_rows % PROGRESS_EVERY == 0 {
                    report_progress(progress, phase, checked_rows, total.max(checked_rows))?;
                }
                checked_rows += 1;
                report.rows += 1;
                report.sheets[*pos].rows += 1;
                let mut checked = check_row(&ctx, &row);
                if let Some(branch) = checked.unknown_branch.take() {
                    unknown_branches.insert(branch);
                }
                let column_of = |field: Field| {
                    header.index_of(field).map_or_else(
                        || field.label().to_string(),
                        |i| header.columns[i].0.clone(),
                    )
                };
                let raw_value = |field: Field| {
                    header
                        .index_of(field)
                        .and_then(|i| row.cells.get(i))
                        .map(|c| c.display())
                        .unwrap_or_default()
                };
                // Duplicates within the file, across sheets: the later row is the invalid one.
                for (field, seen) in [
                    (Field::IdNumber, &mut seen_id),
                    (Field::StudentNo, &mut seen_student),
                ] {
                    if let Some(FieldValue::Text(key)) = checked.record.get(&field) {
                        match seen.get(key) {
                            Some((first_sheet, first_row)) => checked.errors.push(CellIssue {
                                sheet: sheet_name.clone(),
                                row: row.number,
                                column: column_of(field),
                                field: Some(field),
                                code: IssueCode::DuplicateInFile,
                                message: format!(
                                    "{} {key} 与工作表 {first_sheet:?} 第 {first_row} 行重复",
                                    field.label()
                                ),
                                value: raw_value(field),
                            }),
                            None => {
                                seen.insert(key.clone(), (sheet_name.clone(), row.number));
                            }
                        }
                    }
                }
                let issue = |field: Field, code: IssueCode, message: String| CellIssue {
                    sheet: sheet_name.clone(),
                    row: row.number,
                    column: column_of(field),
                    field: Some(field),
                    code,
                    message,
                    value: raw_value(field),
                };

                // The member this row is, if the archive has them.
                let text_of = |record: &Record, field: Field| match record.get(&field) {
                    Some(FieldValue::Text(t)) => Some(t.clone()),
                    _ => None,
                };
                let by_id = text_of(&checked.record, Field::IdNumber)
                    .and_then(|n| by_id_number.get(&n).copied());
                let by_no = text_of(&checked.record, Field::StudentNo)
                    .and_then(|n| by_student_no.get(&n).copied());
                let target = match (by_id, by_no) {
                    (Some(a), Some(b)) if a != b => {
                        checked.errors.push(issue(
                            Field::StudentNo,
                            IssueCode::ConflictingMatch,
                            format!("公民身份号码属于档案中的党员 {a}，学号却属于党员 {b}；请核对"),
                        ));
                        None
                    }
                    (Some(id), _) | (None, Some(id)) => Some(Target::Update(id)),
                    (None, None) => Some(Target::Create),
                };

                let mut plan = None;
                if let Some(target) = target {
                    let (columns, events, row_issues, row_warnings) =
                        plan_row(conn, &checked.record, &target, &member_columns, &issue)?;
                    checked.errors.extend(row_issues);
                    checked.warnings.extend(row_warnings);
                    plan = Some((target, columns, events));
                }
                report.warnings.append(&mut checked.warnings);
                if !checked.errors.is_empty() {
                    report.invalid += 1;
                    report.errors.append(&mut checked.errors);
                    continue;
                }
                report.valid += 1;
                let Some((target, columns, events)) = plan else {
                    continue;
                };
                let name = text_of(&checked.record, Field::Name).unwrap_or_default();
                match target {
                    Target::Create => report.created += 1,
                    Target::Update(id) => {
                        if columns.is_empty() && events.is_empty() {
                            report.unchanged += 1;
                            continue;
                        }
                        report.updated += 1;
                        if report.updates.len() >= UPDATES_KEPT {
                            // The diffs of a commit are in the batch's rows; a preview lists the
                            // first ones, so that a roster of updates is not held whole.
                            report.updates_omitted += 1;
                        } else {
                            let mut changes: Vec<FieldChange> = columns
                                .iter()
                                .filter_map(|(column, before, after)| {
                                    let field = member_columns.iter().find(|(_, c)| c == column)?.0;
                                    Some(FieldChange {
                                        field,
                                        label: field.label().to_string(),
                                        before: display_value(field, before, &branches),
                                        after: display_value(field, after, &branches),
                                    })
                                })
                                .collect();
                            for (step, date) in &events {
                                let field = if *step == CONVERSION_STEP {
                                    Field::FullMemberDate
                                } else {
                                    Field::JoinedDate
                                };
                                if *step == JOINED_STEPS[1] {
                                    continue;
                                }
                                changes.push(FieldChange {
                                    field,
                                    label: field.label().to_string(),
                                    before: String::new(),
                                    after: date.to_string(),
                                });
                            }
                            report.updates.push(RowChange {
                                sheet: sheet_name.clone(),
                                row: row.number,
                                member_id: Some(id),
                                name,
                                action: RowAction::Updated,
                                changes,
                            });
                        }
                    }
                }
                planned += 1;
                sink(
                    PlannedRow {
                        sheet: sheet_name.clone(),
                        row: row.number,
                        target,
                        columns,
                        events,
                    },
                    &new_branches,
                    report.invalid,
                )?;
            }
        }
        Ok(false)
    })?;
    if recheck {
        return Ok(Analysis {
            report,
            planned,
            recheck: true,
        });
    }

    if report.rows == 0 {
        return Err(RosterError::NoRows {
            path: path.to_path_buf(),
        });
    }
    report.unknown_branches = unknown_branches.into_iter().collect();
    report.new_branches = new_branches
        .iter()
        .map(|(_, c, b)| format!("{c}/{b}"))
        .collect();
    report.errors.sort_by(|a, b| {
        (sheet_order(&report.sheets, &a.sheet), a.row)
            .cmp(&(sheet_order(&report.sheets, &b.sheet), b.row))
    });
    report_progress(progress, phase, checked_rows, checked_rows)?;
    Ok(Analysis {
        report,
        planned,
        recheck: false,
    })
}

/// Gives a branch named as `college/branch` that neither the archive nor the batch has a
/// placeholder id (negative), replaced by the real one when the batch creates it. Says whether
/// a row checked before would now resolve to another branch. `seen` holds the cells already
/// looked at.
fn add_new_branch(
    row: &RawRow,
    col: usize,
    branches: &mut BranchResolver,
    new_branches: &mut Vec<(i64, String, String)>,
    seen: &mut HashSet<String>,
) -> bool {
    let Some(cell) = row.cells.get(col).filter(|c| !c.is_blank()) else {
        return false;
    };
    let raw = cell.display();
    if seen.contains(&raw) {
        return false;
    }
    let text = clean_text(&raw);
    seen.insert(raw);
    let segments: Vec<&str> = text.split(['/', '／']).map(str::trim).collect();
    if segments.len() < 2
        || segments.iter().any(|s| s.is_empty())
        || branches.lookup(&text, None) != BranchMatch::Unknown
    {
        return false;
    }
    let college = segments[segments.len() - 2].to_string();
    let name = segments[segments.len() - 1].to_string();
    let placeholder = -(new_branches.len() as i64) - 1;
    new_branches.push((placeholder, college.clone(), name.clone()));
    branches.add(BranchOption {
        id: placeholder,
        name,
        college,
    })
}

fn sheet_order(sheets: &[SheetPreview], name: &str) -> usize {
    sheets
        .iter()
        .position(|s| s.name == name)
        .unwrap_or(usize::MAX)
}

type Planned = (
    Vec<(&'static str, Value, Value)>,
    Vec<(u8, NaiveDate)>,
    Vec<CellIssue>,
    Vec<CellIssue>,
);

/// What a checked row writes: member columns (with their values before, for updates) and
/// development steps; and the problems found against the member's timeline.
fn plan_row(
    conn: &rusqlite::Connection,
    record: &Record,
    target: &Target,
    member_columns: &[(Field, &'static str)],
    issue: &dyn Fn(Field, IssueCode, String) -> CellIssue,
) -> Result<Planned, RosterError> {
    let mut columns = Vec::new();
    let mut issues = Vec::new();
    let mut warnings = Vec::new();
    let date_of = |field: Field| match record.get(&field) {
        Some(FieldValue::Date(d)) => Some(*d),
        _ => None,
    };
    let joined = date_of(Field::JoinedDate);
    let full = date_of(Field::FullMemberDate);
    let mut events = Vec::new();
    match target {
        Target::Create => {
            for (field, column) in member_columns {
                if let Some(value) = record.get(field) {
                    columns.push((*column, Value::Null, value.db_value()));
                }
            }
            if let Some(joined) = joined {
                events.extend(JOINED_STEPS.iter().map(|s| (*s, joined)));
                if let Some(full) = full {
                    events.push((CONVERSION_STEP, full));
                }
            }
        }
        Target::Update(id) => {
            let names: Vec<&'static str> = member_columns.iter().map(|(_, c)| *c).collect();
            let current = db::roster::member_values(conn, *id, &names)?.unwrap_or_default();
            for ((field, column), before) in member_columns.iter().zip(current) {
                if let Some(value) = record.get(field) {
                    let after = value.db_value();
                    if before != after {
                        columns.push((*column, before, after));
                    }
                }
            }
            let steps = db::roster::current_steps(conn, *id)?;
            let step_date = |step: u8| steps.iter().find(|(s, _)| *s == step).map(|(_, d)| *d);
            let recorded_joined = step_date(15);
            if let Some(joined) = joined {
                match recorded_joined {
                    Some(recorded) if recorded != joined => issues.push(issue(
                        Field::JoinedDate,
                        IssueCode::ConflictsWithTimeline,
                        format!(
                            "档案中该党员的入党时间（第15步）为 {recorded}，名册为 {joined}；请用 dangan step correct 更正，导入不覆盖"
                        ),
                    )),
                    Some(_) => {}
                    None => {
                        events.push((15, joined));
                        if step_date(17).is_none() {
                            events.push((17, joined));
                        }
                    }
                }
            }
            if let (Some(full), Some(joined)) = (full, joined.or(recorded_joined))
                && issues.is_empty()
            {
                // Once the conversion is recorded the archive derives the date from 入党时间 and
                // any extension: a roster that says the same (an export of it) is no news.
                if step_date(CONVERSION_STEP).is_none() {
                    events.push((CONVERSION_STEP, full));
                } else if people::probation_end(
                    joined,
                    db::roster::recorded_extension_months(conn, *id)?,
                ) != Some(full)
                {
                    warnings.push(issue(
                        Field::FullMemberDate,
                        IssueCode::FullMemberDateDerived,
                        format!(
                            "档案已记录转正，按入党时间推算转为正式党员日期；名册中的 {full} 未导入"
                        ),
                    ));
                }
            }
        }
    }
    Ok((columns, events, issues, warnings))
}

fn display_value(field: Field, value: &Value, branches: &BranchResolver) -> String {
    match (field, value) {
        (_, Value::Null) => String::new(),
        // The preview is a list on screen: ID numbers masked as everywhere else.
        (Field::IdNumber, Value::String(s)) => people::id_number::mask(s),
        (Field::Branch, Value::Number(n)) => n
            .as_i64()
            .map_or_else(String::new, |id| branches.display(id)),
        (Field::Sex, Value::String(code)) => {
            Sex::from_code(code).map_or_else(|| code.clone(), |s| s.zh().to_string())
        }
        (Field::LostContact | Field::Mobile, Value::Number(n)) => {
            if n.as_i64() == Some(1) { "是" } else { "否" }.to_string()
        }
        (_, Value::String(s)) => s.clone(),
        (_, other) => other.to_string(),
    }
}

/// An import batch as the history lists it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct BatchSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub file_name: String,
    #[ts(type = "number")]
    pub rows: i64,
    #[ts(type = "number")]
    pub created: i64,
    #[ts(type = "number")]
    pub updated: i64,
    #[ts(type = "number")]
    pub skipped: i64,
    pub imported_by: String,
    pub imported_at: String,
    pub undone_at: Option<String>,
}

/// Every import batch, newest first.
pub fn history(archive: &Archive, actor: &Actor) -> Result<Vec<BatchSummary>, RosterError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Import)?;
    Ok(db::roster::batches(archive.conn())?
        .into_iter()
        .map(|b| BatchSummary {
            id: b.id,
            file_name: b.file_name,
            rows: b.rows,
            created: b.created,
            updated: b.updated,
            skipped: b.skipped,
            imported_by: b.imported_by,
            imported_at: b.imported_at,
            undone_at: b.undone_at,
        })
        .collect())
}

/// What an undo reverted.
#[derive(Debug, Clone, Serialize, TS)]
pub struct UndoSummary {
    #[ts(type = "number")]
    pub batch: i64,
    pub removed_members: usize,
    pub restored_members: usize,
    pub removed_events: usize,
}

/// Reverts a batch exactly: the members it created are removed, the fields it updated get their
/// values back, the steps it recorded are removed. Refused, with the reasons, when anything done
/// since depends on the batch.
pub fn undo(
    archive: &mut Archive,
    actor: &Actor,
    batch_id: i64,
) -> Result<UndoSummary, RosterError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Import)?;
    with_tx(archive.conn_mut(), |tx| {
        let batch = db::roster::batch(tx, batch_id)?.ok_or(RosterError::BatchNotFound(batch_id))?;
        if let Some(at) = batch.undone_at {
            return Err(RosterError::BatchAlreadyUndone(batch_id, at));
        }
        let rows = db::roster::batch_rows(tx, batch_id)?;
        let events = db::roster::batch_event_ids(tx, batch_id)?;
        let mut blockers = Vec::new();
        let changed = db::roster::batch_events_changed(tx, batch_id)?;
        if changed > 0 {
            blockers.push(format!(
                "本批次记录的 {changed} 个发展步骤之后被更正或附上了材料"
            ));
        }
        let parse = |text: &str| -> Map<String, Value> {
            match serde_json::from_str(text) {
                Ok(Value::Object(map)) => map,
                _ => Map::new(),
            }
        };
        let known: Vec<&'static str> = Field::ALL.iter().filter_map(|f| f.db_column()).collect();
        let column = |name: &str| known.iter().copied().find(|c| *c == name);
        for (member_id, action, _, after) in &rows {
            let Some(member_id) = *member_id else {
                continue;
            };
            for later in db::roster::later_batches_for_member(tx, member_id, batch_id)? {
                blockers.push(format!(
                    "党员 {member_id} 之后又被导入批次 {later} 修改；请先撤销批次 {later}"
                ));
            }
            let after = parse(after);
            let names: Vec<&'static str> = after.keys().filter_map(|k| column(k)).collect();
            let now = db::roster::member_values(tx, member_id, &names)?.unwrap_or_default();
            for (name, value) in names.iter().zip(now) {
                if after.get(*name) != Some(&value) {
                    let label = Field::ALL
                        .iter()
                        .find(|f| f.db_column() == Some(name))
                        .map_or(*name, |f| f.label());
                    blockers.push(format!("党员 {member_id} 的“{label}”在导入后又被修改"));
                }
            }
            if action == "created" {
                let others = db::roster::events_outside_batch(tx, member_id, batch_id)?;
                if others > 0 {
                    blockers.push(format!("党员 {member_id} 在导入后又记录了 {others} 个事件"));
                }
                let records = db::roster::records_elsewhere(tx, member_id)?;
                if records > 0 {
                    blockers.push(format!(
                        "党员 {member_id} 在导入后又有 {records} 条思想汇报、会议或介绍信记录"
                    ));
                }
                if db::roster::named_at_events(tx, member_id)? > 0 {
                    blockers.push(format!(
                        "党员 {member_id} 已作为介绍人、联系人等出现在其他党员的记录中"
                    ));
                }
            }
        }
        if !blockers.is_empty() {
            blockers.dedup();
            return Err(RosterError::UndoBlocked {
                batch: batch_id,
                reason: blockers.join("；"),
            });
        }
        for event_id in &events {
            db::roster::delete_event(tx, *event_id)?;
        }
        let (mut removed, mut restored) = (0, 0);
        for (member_id, action, before, _) in &rows {
            let Some(member_id) = *member_id else {
                continue;
            };
            if action == "created" {
                db::roster::delete_member(tx, member_id)?;
                removed += 1;
            } else {
                let before = parse(before.as_deref().unwrap_or("{}"));
                let values: Vec<(&'static str, Value)> = before
                    .into_iter()
                    .filter_map(|(k, v)| column(&k).map(|c| (c, v)))
                    .collect();
                db::roster::update_member(tx, member_id, &values)?;
                restored += 1;
            }
        }
        for unit in db::roster::batch_units(tx, batch_id)? {
            let users = db::roster::unit_users(tx, unit)?;
            if users > 0 {
                // Returning the error rolls the whole undo back.
                return Err(RosterError::UndoBlocked {
                    batch: batch_id,
                    reason: format!(
                        "本批次创建的组织单位 {unit} 现在还有 {users} 个党员或下级组织"
                    ),
                });
            }
            db::roster::delete_unit(tx, unit)?;
        }
        db::roster::mark_undone(tx, batch_id, actor.name())?;
        audit::record(
            tx,
            actor,
            Action::ImportUndo,
            audit::Target::import_batch(batch_id),
            serde_json::json!({ "removed_members": removed, "restored_members": restored, "removed_events": events.len() }),
        )?;
        Ok(UndoSummary {
            batch: batch_id,
            removed_members: removed,
            restored_members: restored,
            removed_events: events.len(),
        })
    })
}
