//! Backups: verified copies of the archive, made on request, once a day, and before every risky
//! operation (migration, roster import, restore), rotated, recorded in the `backup` table and in
//! the audit trail; and restore, which puts one back.
//!
//! A backup is `archive.db` copied with SQLite's online backup API (`db::backups::copy_verified`:
//! a consistent snapshot while the archive stays open, written under a temporary name, verified
//! — read-only open, `integrity_check`, schema version, row counts — and only then renamed).
//! Attachments are not copied: the files under `files/` are named by their SHA-256, written once
//! and never changed or deleted, so every backup's `attachment` rows name files that are still
//! there; restore checks that each one is (and refuses a backup that names a missing file).
//! Moving an archive means moving the whole folder: nothing in it stores an absolute path (a
//! backup under `backups/` is recorded relative to the folder). `--out FILE` writes the database
//! alone, for a copy kept elsewhere; restore it into an archive folder that has the files.

pub mod policy;
pub mod rotation;

pub use policy::BackupPolicy;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::actor::Actor;
use crate::archive::{Archive, ArchiveError};
use crate::audit::{self, Action, Target};
use crate::cipher::Secret;
use crate::db::{self, backups::BackupRow};
use crate::error::ErrorCode;

/// Why a backup was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupReason {
    Manual,
    Scheduled,
    BeforeMigration,
    BeforeImport,
    BeforeRestore,
}

impl BackupReason {
    pub const ALL: [BackupReason; 5] = [
        BackupReason::Manual,
        BackupReason::Scheduled,
        BackupReason::BeforeMigration,
        BackupReason::BeforeImport,
        BackupReason::BeforeRestore,
    ];

    pub fn as_code(self) -> &'static str {
        match self {
            BackupReason::Manual => "manual",
            BackupReason::Scheduled => "scheduled",
            BackupReason::BeforeMigration => "before_migration",
            BackupReason::BeforeImport => "before_import",
            BackupReason::BeforeRestore => "before_restore",
        }
    }

    pub fn from_code(code: &str) -> Option<BackupReason> {
        BackupReason::ALL.into_iter().find(|r| r.as_code() == code)
    }
}

/// One backup as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupRecord {
    #[ts(type = "number")]
    pub id: i64,
    /// As recorded: relative to the archive folder for a copy under `backups/`, else absolute.
    pub file: String,
    /// `file` resolved against this archive's folder.
    pub path: String,
    #[ts(type = "number")]
    pub bytes: i64,
    pub reason: BackupReason,
    pub verified: bool,
    /// Why verification failed.
    pub problem: Option<String>,
    /// Rows per table at the moment of the copy (the copy has the same).
    #[ts(type = "Record<string, number>")]
    pub counts: BTreeMap<String, i64>,
    pub schema_version: u32,
    /// The last audit entry the copy holds.
    #[ts(type = "number | null")]
    pub audit_seq: Option<i64>,
    pub made_by: String,
    /// UTC, RFC 3339.
    pub made_at: String,
    #[ts(type = "number")]
    pub millis: i64,
    /// When rotation deleted the file.
    pub deleted_at: Option<String>,
}

/// What `restore` did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct RestoreSummary {
    /// The file restored from.
    pub file: String,
    pub schema_version: u32,
    #[ts(type = "Record<string, number>")]
    pub counts: BTreeMap<String, i64>,
    /// The copy of the archive as it was just before the restore.
    pub before_restore: BackupRecord,
    /// The audit entry recording the restore (in the restored archive's trail).
    #[ts(type = "number")]
    pub audit_seq: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("the backup {file} failed verification and was deleted: {problem}")]
    Unverified { file: String, problem: String },
    #[error("{0} already exists; a backup never overwrites a file")]
    OutExists(PathBuf),
    #[error("no file {0} to restore from")]
    NotFound(PathBuf),
    #[error("{file} cannot be restored, the archive was not changed: {problem}")]
    RestoreRefused { file: PathBuf, problem: String },
    #[error("设置 {key}={value} 无效：{reason}")]
    BadSetting {
        key: String,
        value: String,
        reason: String,
    },
    #[error(
        "{path} is open in another program (the app?): close it and restore again; the archive \
         was not replaced (a before_restore backup of it was made)"
    )]
    ArchiveInUse { path: PathBuf },
}

impl ErrorCode for BackupError {
    fn code(&self) -> &'static str {
        match self {
            BackupError::Forbidden(_) => "forbidden",
            BackupError::Archive(err) => err.code(),
            BackupError::Db(_) => "database",
            BackupError::Io { .. } => "io",
            BackupError::Unverified { .. } => "backup_unverified",
            BackupError::OutExists(_) => "invalid_argument",
            BackupError::NotFound(_) => "file_not_found",
            BackupError::RestoreRefused { .. } => "restore_refused",
            BackupError::ArchiveInUse { .. } => "archive_in_use",
            BackupError::BadSetting { .. } => "invalid_argument",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            BackupError::Forbidden(f) => f.details(),
            BackupError::Archive(err) => err.details(),
            BackupError::Io { path, .. }
            | BackupError::OutExists(path)
            | BackupError::NotFound(path)
            | BackupError::ArchiveInUse { path } => serde_json::json!({ "path": path }),
            BackupError::Unverified { file, problem } => {
                serde_json::json!({ "path": file, "problem": problem })
            }
            BackupError::RestoreRefused { file, problem } => {
                serde_json::json!({ "path": file, "problem": problem })
            }
            BackupError::BadSetting { key, value, reason } => {
                serde_json::json!({ "field": key, "value": value, "problem": reason })
            }
            BackupError::Db(_) => serde_json::Value::Null,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> BackupError + '_ {
    move |source| BackupError::Io {
        path: path.to_path_buf(),
        source,
    }
}

fn now_text(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

fn record_of(root: &Path, row: BackupRow) -> BackupRecord {
    let path = resolve(root, &row.file);
    BackupRecord {
        id: row.id,
        path: path.display().to_string(),
        file: row.file,
        bytes: row.bytes,
        reason: BackupReason::from_code(&row.reason).unwrap_or(BackupReason::Manual),
        verified: row.problem.is_none(),
        problem: row.problem,
        counts: serde_json::from_str(&row.counts_json).unwrap_or_default(),
        schema_version: row.schema_version,
        audit_seq: row.audit_seq,
        made_by: row.made_by,
        made_at: row.made_at,
        millis: row.millis,
        deleted_at: row.deleted_at,
    }
}

/// A recorded file name as a path: relative ones are under the archive folder.
fn resolve(root: &Path, file: &str) -> PathBuf {
    let path = Path::new(file);
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        root.join(path)
    }
}

/// How a backup file is recorded: relative to the archive folder when inside it (so the folder
/// can move), else absolute.
fn recorded_name(root: &Path, file: &Path) -> String {
    match file.strip_prefix(root) {
        Ok(relative) => relative.to_string_lossy().replace('\\', "/"),
        Err(_) => file.display().to_string(),
    }
}

fn row_for(
    root: &Path,
    file: &Path,
    reason: BackupReason,
    made_by: &str,
    made_at: DateTime<Utc>,
    report: &db::backups::CopyReport,
) -> BackupRow {
    BackupRow {
        id: 0,
        file: recorded_name(root, file),
        bytes: i64::try_from(report.bytes).unwrap_or(i64::MAX),
        reason: reason.as_code().to_string(),
        schema_version: report.schema_version,
        problem: report.problem.clone(),
        counts_json: serde_json::to_string(&report.counts).unwrap_or_else(|_| "{}".to_string()),
        audit_seq: report.audit_head.as_ref().map(|h| h.0),
        audit_hash: report.audit_head.as_ref().map(|h| h.1.clone()),
        made_by: made_by.to_string(),
        made_at: now_text(made_at),
        millis: i64::try_from(report.millis).unwrap_or(i64::MAX),
        deleted_at: None,
    }
}

/// Records the copy `db::open` made before migrating (called once the migrations have created
/// the tables to record it in). The actor is `system`: no user has logged in yet.
pub(crate) fn record_migration_backup(
    conn: &mut Connection,
    db_path: &Path,
    file: &Path,
    report: &db::backups::CopyReport,
) -> Result<(), ArchiveError> {
    let root = db_path.parent().unwrap_or(Path::new("."));
    let row = row_for(
        root,
        file,
        BackupReason::BeforeMigration,
        "system",
        Utc::now(),
        report,
    );
    db::with_tx(conn, |tx| {
        let id = db::backups::insert(tx, &row)?;
        audit::record_as(
            tx,
            "system",
            Action::Backup,
            Target::backup(id),
            serde_json::json!({
                "file": row.file, "reason": row.reason, "bytes": row.bytes, "verified": true,
                "from_schema": report.schema_version,
            }),
        )?;
        Ok::<_, ArchiveError>(())
    })
}

/// Makes a verified backup into `backups/` (or `out`), records it, and rotates the automatic
/// ones. A copy that fails verification is recorded as failed, deleted, and returned as
/// `BackupError::Unverified`.
pub fn create(
    archive: &mut Archive,
    actor: &Actor,
    reason: BackupReason,
    out: Option<&Path>,
) -> Result<BackupRecord, BackupError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Backup)?;
    create_for(archive, actor, reason, out)
}

/// `create` without the permission check, for the copies other operations make before they
/// write: whoever may do the operation gets the safety copy made for them, recorded as theirs.
pub(crate) fn create_for(
    archive: &mut Archive,
    actor: &Actor,
    reason: BackupReason,
    out: Option<&Path>,
) -> Result<BackupRecord, BackupError> {
    let root = archive.root().to_path_buf();
    let pending = copy_pending(
        archive.conn(),
        archive.secret(),
        &root,
        &archive.backups_dir(),
        actor,
        reason,
        out,
    )?;
    let (id, rotated) = db::with_tx(archive.conn_mut(), |tx| record_pending(tx, actor, &pending))?;
    // Files go after the rows say so: a crash in between leaves a stray file, never a row
    // pointing at nothing.
    remove_rotated(&root, &rotated);
    if let Some(problem) = pending.row.problem {
        return Err(BackupError::Unverified {
            file: pending.row.file,
            problem,
        });
    }
    get(archive, id)
}

/// A backup copied (and verified, or found faulty) but not recorded yet.
pub(crate) struct PendingBackup {
    target: PathBuf,
    reason: BackupReason,
    /// Made into `backups/` (rotated with the others), not to a path the user gave.
    rotated: bool,
    made_at: DateTime<Utc>,
    row: BackupRow,
}

impl PendingBackup {
    /// The copy's file as it would be recorded.
    pub(crate) fn target_name(&self) -> &str {
        &self.row.file
    }

    /// Why the copy failed its check, if it did.
    pub(crate) fn problem(&self) -> Option<&str> {
        self.row.problem.as_deref()
    }

    /// Deletes a copy that will not be recorded (best effort: an unrecorded copy is a stray
    /// file, never a row pointing at nothing).
    pub(crate) fn discard(self) {
        let _ = fs::remove_file(&self.target);
    }
}

/// Copies the database into `backups_dir` (or `out`) and verifies the copy, without recording
/// it: `record_pending` records it (an import does so only if it writes), `discard` deletes it.
#[allow(clippy::too_many_arguments)]
pub(crate) fn copy_pending(
    conn: &Connection,
    secret: Option<&Secret>,
    root: &Path,
    backups_dir: &Path,
    actor: &Actor,
    reason: BackupReason,
    out: Option<&Path>,
) -> Result<PendingBackup, BackupError> {
    let now = Utc::now();
    let target = match out {
        Some(out) => {
            if out.exists() {
                return Err(BackupError::OutExists(out.to_path_buf()));
            }
            std::path::absolute(out).map_err(io_err(out))?
        }
        None => {
            let dir = backups_dir;
            crate::archive::create_dir(dir)?;
            remove_stale_partials(dir, std::time::SystemTime::now());
            let stamp = now.format("%Y%m%dT%H%M%S%3fZ");
            dir.join(format!("archive-{stamp}-{}.db", reason.as_code()))
        }
    };
    let report = db::backups::copy_verified(conn, &target, secret)?;
    let row = row_for(root, &target, reason, actor.name(), now, &report);
    Ok(PendingBackup {
        target,
        reason,
        rotated: out.is_none(),
        made_at: now,
        row,
    })
}

/// Records a copy in `tx` with its audit entry, and marks the automatic backups its rotation
/// retires; returns the new id and the retired rows, whose files the caller removes once `tx`
/// has committed (`remove_rotated`).
pub(crate) fn record_pending(
    tx: &Connection,
    actor: &Actor,
    pending: &PendingBackup,
) -> Result<(i64, Vec<BackupRow>), BackupError> {
    let row = &pending.row;
    let now = pending.made_at;
    let mut rotated = Vec::new();
    if row.problem.is_none() && pending.reason.is_rotated() && pending.rotated {
        let existing = db::backups::list(tx)?;
        let mut stamps: Vec<rotation::Stamp> = existing
            .iter()
            .filter(|r| r.problem.is_none() && r.deleted_at.is_none())
            .filter(|r| !Path::new(&r.file).is_absolute())
            .filter_map(|r| {
                Some(rotation::Stamp {
                    id: r.id,
                    made_at: DateTime::parse_from_rfc3339(&r.made_at)
                        .ok()?
                        .with_timezone(&Utc),
                    reason: BackupReason::from_code(&r.reason)?,
                })
            })
            .collect();
        // The new one takes part under a placeholder id (never deleted: it is the newest).
        stamps.push(rotation::Stamp {
            id: i64::MIN,
            made_at: now,
            reason: pending.reason,
        });
        let rules = policy::load(tx)?.rotation();
        let doomed = rotation::to_delete(&stamps, &rules);
        rotated = existing
            .into_iter()
            .filter(|r| doomed.contains(&r.id))
            .collect();
    }
    let deleted_at = now_text(now);
    let id = db::backups::insert(tx, row)?;
    for old in &rotated {
        db::backups::mark_deleted(tx, old.id, &deleted_at)?;
    }
    audit::record(
        tx,
        actor,
        Action::Backup,
        Target::backup(id),
        serde_json::json!({
            "file": row.file, "reason": row.reason, "bytes": row.bytes,
            "verified": row.problem.is_none(), "problem": row.problem,
            "rotated": rotated.iter().map(|r| &r.file).collect::<Vec<_>>(),
        }),
    )?;
    Ok((id, rotated))
}

/// Removes the files of the backups a recorded rotation retired.
pub(crate) fn remove_rotated(root: &Path, rotated: &[BackupRow]) {
    for old in rotated {
        let _ = fs::remove_file(resolve(root, &old.file));
    }
}

/// A `.partial` copy older than this was left by a backup that was killed (the crash tests leave
/// one in most runs they kill mid-copy): nothing writes one for this long, a copy takes seconds.
const STALE_PARTIAL: std::time::Duration = std::time::Duration::from_secs(60 * 60);

/// Removes the stale `.partial` copies in `dir` (best effort; a fresh one may belong to a backup
/// another process is making right now, and is left alone).
fn remove_stale_partials(dir: &Path, now: std::time::SystemTime) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let partial = entry.file_name().to_string_lossy().ends_with(".partial");
        let stale = entry
            .metadata()
            .and_then(|m| m.modified())
            .ok()
            .and_then(|modified| now.duration_since(modified).ok())
            .is_some_and(|age| age > STALE_PARTIAL);
        if partial && stale {
            let _ = fs::remove_file(entry.path());
        }
    }
}

fn get(archive: &Archive, id: i64) -> Result<BackupRecord, BackupError> {
    let row = db::backups::get(archive.conn(), id)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
    Ok(record_of(archive.root(), row))
}

/// Every recorded backup, newest first.
pub fn list(archive: &Archive, actor: &Actor) -> Result<Vec<BackupRecord>, BackupError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Backup)?;
    let mut rows = db::backups::list(archive.conn())?;
    rows.reverse();
    Ok(rows
        .into_iter()
        .map(|row| record_of(archive.root(), row))
        .collect())
}

/// The newest verified backup still on disk (the settings page's "last verified").
pub fn last_verified(
    archive: &Archive,
    actor: &Actor,
) -> Result<Option<BackupRecord>, BackupError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Backup)?;
    Ok(db::backups::last_verified(archive.conn())?.map(|row| record_of(archive.root(), row)))
}

/// The scheduled backup, as the archive's policy says: makes one if scheduled backups are
/// enabled and no verified backup was made in the `interval_hours` before `now`. The app calls
/// this when it opens an archive and every hour while it stays open, on a connection of its own
/// (the copy reads a snapshot; other connections keep reading and writing meanwhile).
pub fn backup_if_due(
    archive: &mut Archive,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<Option<BackupRecord>, BackupError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Backup)?;
    let policy = policy::load(archive.conn())?;
    if !policy.enabled {
        return Ok(None);
    }
    if let Some(last) = db::backups::last_verified(archive.conn())?
        && let Ok(made_at) = DateTime::parse_from_rfc3339(&last.made_at)
        && now.signed_duration_since(made_at.with_timezone(&Utc)) < policy.interval()
    {
        return Ok(None);
    }
    create(archive, actor, BackupReason::Scheduled, None).map(Some)
}

/// What the settings page shows: the newest verified backup, every recorded one (newest first)
/// and the automatic-backup policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct BackupOverview {
    pub last_verified: Option<BackupRecord>,
    pub backups: Vec<BackupRecord>,
    pub policy: BackupPolicy,
}

pub fn overview(archive: &Archive, actor: &Actor) -> Result<BackupOverview, BackupError> {
    Ok(BackupOverview {
        last_verified: last_verified(archive, actor)?,
        backups: list(archive, actor)?,
        policy: policy::get(archive, actor)?,
    })
}

/// Puts the backup `file` in place of the archive's database.
///
/// 1. The file is copied beside `archive.db` (as `archive.db.restoring`, made durable) and the
///    copy is checked: an SQLite file of a schema this program reads, `integrity_check` ok, a
///    Dangan archive, every attachment it names present under `files/`. Anything else is refused
///    and nothing changes.
/// 2. The current archive is backed up (`before_restore`), verified.
/// 3. This process's connection is closed (its log checkpointed); if `archive.db-wal` is still
///    there another program has the archive open, and the restore is refused. Then the copy is
///    renamed over `archive.db` (one atomic rename) and the folder synced.
/// 4. The archive is opened again (an older schema is migrated, with its own backup), the backup
///    records the replaced database knew of are carried over, and the restore is recorded in the
///    restored archive's audit trail together with the head of the trail it replaced.
pub fn restore(
    archive: &mut Archive,
    actor: &Actor,
    file: &Path,
) -> Result<RestoreSummary, BackupError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Restore)?;
    if !file.is_file() {
        return Err(BackupError::NotFound(file.to_path_buf()));
    }
    let refused = |problem: String| BackupError::RestoreRefused {
        file: file.to_path_buf(),
        problem,
    };
    match db::peek_header(file) {
        Ok(db::Header::Plain(found)) if found > db::SCHEMA_VERSION => {
            return Err(ArchiveError::SchemaTooNew {
                path: file.to_path_buf(),
                found,
                supported: db::SCHEMA_VERSION,
            }
            .into());
        }
        Ok(db::Header::Plain(_)) if archive.is_encrypted() => {
            // A plain copy would put member names back in the folder in clear.
            return Err(refused(
                "the file is not encrypted, but the archive is: restore only its own backups"
                    .to_string(),
            ));
        }
        Ok(db::Header::Plain(_)) => {}
        Ok(db::Header::Encrypted) if !archive.is_encrypted() => {
            return Err(refused(
                "the file is encrypted (or not an SQLite database), but the archive is not"
                    .to_string(),
            ));
        }
        Ok(db::Header::Encrypted) => {}
        Ok(db::Header::Missing) => return Err(refused("the file is empty".to_string())),
        Err(ArchiveError::NotAnArchive { .. }) => {
            return Err(refused("not an SQLite database".to_string()));
        }
        Err(err) => return Err(err.into()),
    }

    let db_path = archive.db_path();
    let staged = db_path.with_file_name("archive.db.restoring");
    let _ = fs::remove_file(&staged);
    fs::copy(file, &staged).map_err(io_err(&staged))?;
    let checked = check_staged(archive, &staged);
    let db::backups::Inspected {
        schema_version,
        counts,
    } = match checked {
        Ok(Ok(found)) => found,
        Ok(Err(problem)) => {
            let _ = fs::remove_file(&staged);
            return Err(refused(problem));
        }
        Err(err) => {
            let _ = fs::remove_file(&staged);
            return Err(err);
        }
    };

    let before_restore = match create(archive, actor, BackupReason::BeforeRestore, None) {
        Ok(record) => record,
        Err(err) => {
            let _ = fs::remove_file(&staged);
            return Err(err);
        }
    };
    let previous_head = audit::head_of(archive.conn())?;
    let known_backups = db::backups::list(archive.conn())?;
    db::backups::checkpoint(archive.conn())?;

    let wal = db_path.with_file_name("archive.db-wal");
    let swapped = archive.with_closed_db(|db_path| {
        if wal.exists() {
            // Our connection was the last one if SQLite removed the log on closing.
            return Err(BackupError::ArchiveInUse {
                path: db_path.to_path_buf(),
            });
        }
        let _ = fs::remove_file(db_path.with_file_name("archive.db-shm"));
        fs::rename(&staged, db_path).map_err(io_err(db_path))?;
        db::backups::sync_dir(db_path);
        Ok(())
    });
    if let Err(err) = swapped {
        let _ = fs::remove_file(&staged);
        return Err(err);
    }

    let file_text = std::path::absolute(file)
        .unwrap_or_else(|_| file.to_path_buf())
        .display()
        .to_string();
    let audit_seq = db::with_tx(archive.conn_mut(), |tx| {
        let present: Vec<String> = db::backups::list(tx)?.into_iter().map(|r| r.file).collect();
        for row in known_backups.iter().filter(|r| !present.contains(&r.file)) {
            db::backups::insert(tx, row)?;
        }
        audit::record(
            tx,
            actor,
            Action::Restore,
            Target::archive(),
            serde_json::json!({
                "file": file_text,
                "schema_version": schema_version,
                "before_restore": before_restore.file,
                "replaced_audit_head": previous_head,
            }),
        )
    })?;
    Ok(RestoreSummary {
        file: file_text,
        schema_version,
        counts,
        before_restore,
        audit_seq,
    })
}

/// The checks of a restore candidate (already copied beside the archive): Ok(Err(problem)) for
/// a file that must be refused.
fn check_staged(
    archive: &Archive,
    staged: &Path,
) -> Result<Result<db::backups::Inspected, String>, BackupError> {
    fs::File::open(staged)
        .and_then(|f| f.sync_all())
        .map_err(io_err(staged))?;
    if let Err(err) = db::backups::make_single_file(staged, archive.secret()) {
        return Ok(Err(err.to_string()));
    }
    let found = match db::backups::inspect(staged, archive.secret())? {
        Ok(found) => found,
        Err(problem) => return Ok(Err(problem)),
    };
    let version = found.schema_version;
    if version > db::SCHEMA_VERSION {
        return Ok(Err(format!(
            "schema version {version} is newer than this program's {}",
            db::SCHEMA_VERSION
        )));
    }
    let conn = db::backups::open_read_only(staged, archive.secret())?;
    let missing = db::backups::missing_files(&conn, &archive.files_dir(), archive.file_key())?;
    if !missing.is_empty() {
        let names: Vec<&str> = missing.iter().take(5).map(|(s, _)| s.as_str()).collect();
        return Ok(Err(format!(
            "{} attachment(s) it refers to are missing from {} (e.g. {})",
            missing.len(),
            archive.files_dir().display(),
            names.join(", ")
        )));
    }
    Ok(Ok(found))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a killed backup left (an old `.partial`) goes when the next backup starts; a fresh
    /// one, perhaps another process's copy in progress, and other files stay.
    #[test]
    fn the_next_backup_removes_stale_partial_copies_only() {
        let dir = tempfile::tempdir().unwrap();
        let mut archive = Archive::open(dir.path()).unwrap();
        let backups = archive.backups_dir();
        fs::create_dir_all(&backups).unwrap();
        let old = backups.join("archive-20261201T000000000Z-manual.db.partial");
        let fresh = backups.join("archive-20261202T000000000Z-manual.db.partial");
        let other = backups.join("notes.txt");
        for path in [&old, &fresh, &other] {
            fs::write(path, b"x").unwrap();
        }
        let two_hours_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(7200);
        for path in [&old, &other] {
            fs::File::options()
                .write(true)
                .open(path)
                .unwrap()
                .set_modified(two_hours_ago)
                .unwrap();
        }
        create(
            &mut archive,
            &Actor::local_admin(),
            BackupReason::Manual,
            None,
        )
        .unwrap();
        assert!(!old.exists());
        assert!(fresh.exists());
        assert!(other.exists());
    }
}
