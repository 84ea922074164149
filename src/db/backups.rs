//! Backups at the storage level: a consistent copy of the open database through SQLite's online
//! backup API, the checks that prove a copy (integrity, schema version, row counts, the files it
//! refers to), and the `backup` table. When a backup is made, why, and which are kept is decided
//! by `crate::backup`.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use rusqlite::backup::{Backup, StepResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};

use crate::archive::ArchiveError;
use crate::cipher::{FileKey, Secret};

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> ArchiveError + '_ {
    move |source| ArchiveError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What a copy holds, read from the source in the same snapshot the copy was taken from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct CopyReport {
    pub bytes: u64,
    pub schema_version: u32,
    pub counts: BTreeMap<String, i64>,
    /// The audit head (seq, hash) the copy ends at; None before the audit trail existed.
    pub audit_head: Option<(i64, String)>,
    /// Why the copy failed verification; None when it passed.
    pub problem: Option<String>,
    pub millis: u64,
}

/// Rows per table of every ordinary table (full-text index shadow tables excluded: they are
/// derived from `search_doc`, which is counted).
pub(crate) fn counts(conn: &Connection) -> rusqlite::Result<BTreeMap<String, i64>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM sqlite_schema t
              WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
                AND sql NOT LIKE 'CREATE VIRTUAL%'
                AND NOT EXISTS (SELECT 1 FROM sqlite_schema v
                                 WHERE v.type = 'table' AND v.sql LIKE 'CREATE VIRTUAL%'
                                   AND t.name LIKE v.name || '\\_%' ESCAPE '\\')
              ORDER BY name",
        )?
        .query_map([], |row| row.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut counts = BTreeMap::new();
    for name in names {
        let quoted = name.replace('"', "\"\"");
        let n: i64 = conn.query_row(&format!("SELECT count(*) FROM \"{quoted}\""), [], |r| {
            r.get(0)
        })?;
        counts.insert(name, n);
    }
    Ok(counts)
}

fn has_table(conn: &Connection, name: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1)",
        [name],
        |r| r.get(0),
    )
}

/// The schema objects of a database: type, name and CREATE statement, in a fixed order.
type SchemaRows = Vec<(String, String, Option<String>)>;

fn schema_of(conn: &Connection) -> rusqlite::Result<SchemaRows> {
    let mut stmt = conn.prepare(
        "SELECT type, name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name",
    )?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?;
    rows.collect()
}

/// The schema the migrations build up to `version`, in a private in-memory database.
fn expected_schema(version: u32) -> rusqlite::Result<SchemaRows> {
    let mut conn = Connection::open_with_flags(
        ":memory:",
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_MEMORY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    crate::db::migrations()
        .to_version(&mut conn, version as usize)
        .map_err(|err| {
            rusqlite::Error::SqliteFailure(
                rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_ERROR),
                Some(format!("migrations to version {version}: {err}")),
            )
        })?;
    schema_of(&conn)
}

fn audit_head(conn: &Connection) -> rusqlite::Result<Option<(i64, String)>> {
    if !has_table(conn, "audit_head")? {
        return Ok(None);
    }
    crate::db::audit::head(conn)
}

/// Opens a copy read-only (never creates, never writes), keyed with the archive's secret when
/// it is encrypted (a backup of an encrypted archive is encrypted with the same passphrase).
pub(crate) fn open_read_only(
    path: &Path,
    secret: Option<&Secret>,
) -> Result<Connection, ArchiveError> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    if let Some(secret) = secret {
        crate::db::cipher::key(&conn, secret)?;
    }
    Ok(conn)
}

/// A connection to nothing, held by an `Archive` while its file is swapped (restore): the real
/// connection must be closed first, and an `Archive` always holds one.
pub(crate) fn placeholder() -> Result<Connection, ArchiveError> {
    Ok(Connection::open_with_flags(
        ":memory:",
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_MEMORY,
    )?)
}

/// The first lines of `PRAGMA integrity_check` (just "ok" for a sound file).
pub(crate) fn integrity(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    conn.prepare("PRAGMA integrity_check(10)")?
        .query_map([], |row| row.get(0))?
        .collect()
}

/// What `inspect` found in a sound file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Inspected {
    pub schema_version: u32,
    pub counts: BTreeMap<String, i64>,
}

/// Checks a database file the way every backup and every restore candidate is checked: opened
/// read-only, `integrity_check` ok, a Dangan schema. Returns its schema version, counts and audit
/// head, or the problem.
pub(crate) fn inspect(
    path: &Path,
    secret: Option<&Secret>,
) -> Result<Result<Inspected, String>, ArchiveError> {
    let conn = open_read_only(path, secret)?;
    let checked = (|| -> rusqlite::Result<Result<_, String>> {
        let lines = integrity(&conn)?;
        if lines != ["ok"] {
            return Ok(Err(format!("integrity_check: {}", lines.join("; "))));
        }
        if !has_table(&conn, "member")? || !has_table(&conn, "org_unit")? {
            return Ok(Err("not a Dangan archive (no member table)".to_string()));
        }
        let version = crate::db::schema_version(&conn)?;
        // A flipped byte in a CREATE statement passes integrity_check, yet the swapped-in file
        // would fail on its first query: its schema must be the one its version stands for.
        if version <= crate::db::SCHEMA_VERSION {
            let expected = expected_schema(version)?;
            if schema_of(&conn)? != expected {
                return Ok(Err(format!(
                    "its schema differs from the schema of version {version}"
                )));
            }
        }
        Ok(Ok(Inspected {
            schema_version: version,
            counts: counts(&conn)?,
        }))
    })();
    match checked {
        Ok(result) => Ok(result),
        // A file so damaged SQLite cannot even read its schema is a failed check, not an error.
        Err(err) if crate::db::cipher::is_not_a_database(&err) && secret.is_some() => Ok(Err(
            "the file does not open with the archive's passphrase (or is not a database)"
                .to_string(),
        )),
        Err(err) => Ok(Err(err.to_string())),
    }
}

/// Copies the open database `src` to `target` with the online backup API and verifies the copy:
/// the copy is written to `target.partial`, checked (read-only open, `integrity_check`, schema
/// version and row counts equal to the source's in the snapshot the copy was taken from), made
/// durable, and only then renamed to `target`. A copy that fails the check is deleted; the report
/// says why.
/// A copy of an encrypted archive is encrypted with the same `secret` (SQLCipher's backup
/// copies between databases keyed alike).
pub(crate) fn copy_verified(
    src: &Connection,
    target: &Path,
    secret: Option<&Secret>,
) -> Result<CopyReport, ArchiveError> {
    let started = Instant::now();
    let partial = partial_path(target);
    let _ = fs::remove_file(&partial);
    // One read snapshot for the counts and the copy: pages written by others after it began are
    // not in either.
    let snapshot = src.unchecked_transaction()?;
    let schema_version = crate::db::schema_version(&snapshot)?;
    let source_counts = counts(&snapshot)?;
    let head = audit_head(&snapshot)?;
    {
        let mut dst = Connection::open_with_flags(
            &partial,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        if let Some(secret) = secret {
            crate::db::cipher::key(&dst, secret)?;
        }
        {
            let backup = Backup::new(&snapshot, &mut dst)?;
            let mut waited = 0;
            loop {
                match backup.step(-1)? {
                    StepResult::Done => break,
                    StepResult::More => {}
                    StepResult::Busy | StepResult::Locked if waited < 100 => {
                        waited += 1;
                        std::thread::sleep(Duration::from_millis(50));
                    }
                    _ => {
                        return Err(ArchiveError::Io {
                            path: partial.clone(),
                            source: std::io::Error::other("the database stayed locked"),
                        });
                    }
                }
            }
        }
        // The source is in WAL mode and the copy took its header: make the copy a plain
        // single file, readable read-only without -wal/-shm beside it.
        dst.pragma_update(None, "journal_mode", "DELETE")?;
    }
    drop(snapshot);
    fs::File::open(&partial)
        .and_then(|f| f.sync_all())
        .map_err(io_err(&partial))?;
    let bytes = fs::metadata(&partial).map_err(io_err(&partial))?.len();

    let problem = match inspect(&partial, secret)? {
        Err(problem) => Some(problem),
        Ok(copy) if copy.schema_version != schema_version => Some(format!(
            "schema version of the copy is {}, of the archive {schema_version}",
            copy.schema_version
        )),
        Ok(Inspected {
            counts: copy_counts,
            ..
        }) if copy_counts != source_counts => {
            let differing: Vec<String> = source_counts
                .iter()
                .filter(|(table, n)| copy_counts.get(*table) != Some(n))
                .map(|(table, n)| {
                    format!(
                        "{table}: {n} in the archive, {} in the copy",
                        copy_counts.get(table).copied().unwrap_or(0)
                    )
                })
                .collect();
            Some(format!("row counts differ ({})", differing.join(", ")))
        }
        Ok(_) => None,
    };
    if problem.is_some() {
        let _ = fs::remove_file(&partial);
    } else {
        fs::rename(&partial, target).map_err(io_err(target))?;
        sync_dir(target);
    }
    Ok(CopyReport {
        bytes,
        schema_version,
        counts: source_counts,
        audit_head: head,
        problem,
        millis: u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX),
    })
}

pub(crate) fn partial_path(target: &Path) -> PathBuf {
    let mut name = target.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    target.with_file_name(name)
}

/// Makes a rename durable (the directory entry), where the platform allows opening a folder.
pub(crate) fn sync_dir(path: &Path) {
    if let Some(dir) = path.parent()
        && let Ok(dir) = fs::File::open(dir)
    {
        let _ = dir.sync_all();
    }
}

/// The attachments a database refers to that `files_dir` lacks (or holds with another size):
/// `(sha256, expected size)`.
/// With the `file_key` of an encrypted archive, files are looked for under their keyed names and
/// sealed sizes.
pub(crate) fn missing_files(
    conn: &Connection,
    files_dir: &Path,
    file_key: Option<&FileKey>,
) -> rusqlite::Result<Vec<(String, i64)>> {
    if !has_table(conn, "attachment")? {
        // A schema older than v4 has no attachments.
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare("SELECT sha256, size FROM attachment ORDER BY sha256")?;
    let rows = stmt.query_map([], |row| {
        Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
    })?;
    let mut missing = Vec::new();
    for row in rows {
        let (sha256, size) = row?;
        let (path, stored_size) =
            match crate::documents::stored_at(files_dir, file_key, &sha256, size) {
                Ok(found) => found,
                Err(_) => {
                    missing.push((sha256, size));
                    continue;
                }
            };
        let found = fs::metadata(&path).ok().map(|m| m.len());
        if found != Some(stored_size) {
            missing.push((sha256, size));
        }
    }
    Ok(missing)
}

/// A row of the `backup` table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BackupRow {
    pub id: i64,
    pub file: String,
    pub bytes: i64,
    pub reason: String,
    pub schema_version: u32,
    pub problem: Option<String>,
    pub counts_json: String,
    pub audit_seq: Option<i64>,
    pub audit_hash: Option<String>,
    pub made_by: String,
    pub made_at: String,
    pub millis: i64,
    pub deleted_at: Option<String>,
}

pub(crate) fn insert(conn: &Connection, row: &BackupRow) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO backup (file, bytes, reason, schema_version, verified, problem, counts_json,
                             audit_seq, audit_hash, made_by, made_at, millis, deleted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
    )?
    .execute(params![
        row.file,
        row.bytes,
        row.reason,
        row.schema_version,
        row.problem.is_none(),
        row.problem,
        row.counts_json,
        row.audit_seq,
        row.audit_hash,
        row.made_by,
        row.made_at,
        row.millis,
        row.deleted_at
    ])?;
    Ok(conn.last_insert_rowid())
}

const COLUMNS: &str = "id, file, bytes, reason, schema_version, problem, counts_json, audit_seq, \
                       audit_hash, made_by, made_at, millis, deleted_at";

fn row_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<BackupRow> {
    Ok(BackupRow {
        id: row.get(0)?,
        file: row.get(1)?,
        bytes: row.get(2)?,
        reason: row.get(3)?,
        schema_version: row.get(4)?,
        problem: row.get(5)?,
        counts_json: row.get(6)?,
        audit_seq: row.get(7)?,
        audit_hash: row.get(8)?,
        made_by: row.get(9)?,
        made_at: row.get(10)?,
        millis: row.get(11)?,
        deleted_at: row.get(12)?,
    })
}

/// Every recorded backup, oldest first.
pub(crate) fn list(conn: &Connection) -> rusqlite::Result<Vec<BackupRow>> {
    conn.prepare(&format!(
        "SELECT {COLUMNS} FROM backup ORDER BY made_at, id"
    ))?
    .query_map([], row_of)?
    .collect()
}

pub(crate) fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<BackupRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM backup WHERE id = ?1"),
        [id],
        row_of,
    )
    .optional()
}

/// The newest verified backup whose file is still kept.
pub(crate) fn last_verified(conn: &Connection) -> rusqlite::Result<Option<BackupRow>> {
    conn.query_row(
        &format!(
            "SELECT {COLUMNS} FROM backup WHERE verified = 1 AND deleted_at IS NULL
              ORDER BY made_at DESC, id DESC LIMIT 1"
        ),
        [],
        row_of,
    )
    .optional()
}

pub(crate) fn mark_deleted(conn: &Connection, id: i64, at: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE backup SET deleted_at = ?2 WHERE id = ?1")?
        .execute(params![id, at])?;
    Ok(())
}

/// Empties the write-ahead log into the database file, so that closing leaves one file.
pub(crate) fn checkpoint(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(()))
}

/// Turns a WAL-mode database file (a copy of a live archive) into a plain one, so that it can be
/// opened read-only without `-wal`/`-shm` beside it. Writes only the header of a file we own.
pub(crate) fn make_single_file(path: &Path, secret: Option<&Secret>) -> rusqlite::Result<()> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    if let Some(secret) = secret {
        crate::db::cipher::key(&conn, secret)?;
    }
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
    if mode.eq_ignore_ascii_case("wal") {
        conn.pragma_update(None, "journal_mode", "DELETE")?;
    }
    Ok(())
}
