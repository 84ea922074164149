//! Storage: opening the SQLite file, the numbered migrations, and every SQL query.
//!
//! Nothing outside this module writes SQL. Domain modules call the query functions in the
//! per-table files (`org`, `members`) and get plain domain values back. This module knows nothing
//! of rules: what a stage is, or whether a date is allowed, is decided by the domain modules.

pub(crate) mod appraisals;
pub(crate) mod attachments;
pub(crate) mod audit;
pub(crate) mod auth;
pub(crate) mod backups;
pub(crate) mod cipher;
pub(crate) mod letters;
pub(crate) mod meetings;
pub(crate) mod members;
pub(crate) mod org;
pub(crate) mod reports;
pub(crate) mod roster;
pub(crate) mod rules;
pub(crate) mod search;
pub(crate) mod settings;

use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, Transaction};
use rusqlite_migration::{M, Migrations};

use crate::archive::ArchiveError;
use crate::cipher::Secret;

/// The migrations embedded in the binary, oldest first. Migration N brings the schema to
/// version N (kept in `PRAGMA user_version`). Released files are never edited.
pub const MIGRATIONS_SQL: &[&str] = &[
    include_str!("migrations/0001_org_and_members.sql"),
    include_str!("migrations/0002_member_events.sql"),
    include_str!("migrations/0003_rule_sets.sql"),
    include_str!("migrations/0004_attachments.sql"),
    include_str!("migrations/0005_corrections.sql"),
    include_str!("migrations/0006_probation_extension.sql"),
    include_str!("migrations/0007_import_batches.sql"),
    include_str!("migrations/0008_letter_register.sql"),
    include_str!("migrations/0009_thought_reports.sql"),
    include_str!("migrations/0010_meetings.sql"),
    include_str!("migrations/0011_appraisal.sql"),
    include_str!("migrations/0012_backups.sql"),
    include_str!("migrations/0013_audit_log.sql"),
    include_str!("migrations/0014_accounts.sql"),
    include_str!("migrations/0015_settings.sql"),
    include_str!("migrations/0016_meeting_attachments.sql"),
];

/// The schema version this program writes and understands.
pub const SCHEMA_VERSION: u32 = MIGRATIONS_SQL.len() as u32;

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";
/// Byte offset of `user_version` in the SQLite file header (a big-endian u32).
const USER_VERSION_OFFSET: usize = 60;
/// SQLCipher's default page size: an encrypted archive is a whole number of these.
const CIPHER_PAGE: usize = 4096;
/// Distinct byte values in an encrypted first page: 4096 random bytes show about 256 of them,
/// text and most document formats far fewer.
const CIPHER_MIN_DISTINCT_BYTES: usize = 200;

/// Each migration must leave every foreign key satisfied: they run with foreign keys off (so that
/// a table can be rebuilt, see 0006) and `PRAGMA foreign_key_check` runs before they commit.
pub(crate) fn migrations() -> Migrations<'static> {
    Migrations::new(
        MIGRATIONS_SQL
            .iter()
            .map(|sql| M::up(sql).foreign_key_check())
            .collect(),
    )
}

/// What the first bytes of a database file say, read without SQLite touching the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Header {
    /// No file, or an empty one: a new archive.
    Missing,
    /// A plain SQLite file at this schema version.
    Plain(u32),
    /// Not readable without a key: an SQLCipher file starts with its salt, not the SQLite
    /// magic, and is whole pages long.
    Encrypted,
}

/// Reads the file header without opening the database, so that an archive written by a newer
/// program can be refused (and an encrypted one recognised) before SQLite touches the file.
pub(crate) fn peek_header(db_path: &Path) -> Result<Header, ArchiveError> {
    let io_err = |source| ArchiveError::Io {
        path: db_path.to_path_buf(),
        source,
    };
    let mut file = match fs::File::open(db_path) {
        Ok(file) => file,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(Header::Missing),
        Err(err) => return Err(io_err(err)),
    };
    let mut header = [0u8; 100];
    let mut read = 0;
    while read < header.len() {
        match file.read(&mut header[read..]).map_err(io_err)? {
            0 => break,
            n => read += n,
        }
    }
    if read == 0 {
        return Ok(Header::Missing);
    }
    let not_an_archive = || ArchiveError::NotAnArchive {
        path: db_path.to_path_buf(),
    };
    if read < header.len() {
        return Err(not_an_archive());
    }
    if &header[..16] != SQLITE_MAGIC {
        // An SQLCipher file starts with its random salt and is encrypted from byte 16 on: whole
        // pages (4096 bytes by default) of bytes that look random. A foreign file (a roster,
        // a text file, an office document) fails one of the two.
        let len = file.metadata().map_err(io_err)?.len();
        if len % CIPHER_PAGE as u64 != 0 || !first_page_looks_random(db_path, &mut file, &header)? {
            return Err(not_an_archive());
        }
        return Ok(Header::Encrypted);
    }
    // Bytes 21–23 are fixed in every SQLite file (payload fractions 64, 32, 32): checking them
    // tells garbage after the magic string from a real header, whose user_version we then trust.
    if header[21..24] != [64, 32, 32] {
        return Err(not_an_archive());
    }
    let bytes = [
        header[USER_VERSION_OFFSET],
        header[USER_VERSION_OFFSET + 1],
        header[USER_VERSION_OFFSET + 2],
        header[USER_VERSION_OFFSET + 3],
    ];
    Ok(Header::Plain(u32::from_be_bytes(bytes)))
}

/// Whether the first page (of which `start` holds the first bytes) looks like ciphertext.
fn first_page_looks_random(
    db_path: &Path,
    file: &mut fs::File,
    start: &[u8],
) -> Result<bool, ArchiveError> {
    let mut page = vec![0u8; CIPHER_PAGE];
    page[..start.len()].copy_from_slice(start);
    let mut read = start.len();
    while read < page.len() {
        match file
            .read(&mut page[read..])
            .map_err(|source| ArchiveError::Io {
                path: db_path.to_path_buf(),
                source,
            })? {
            0 => return Ok(false),
            n => read += n,
        }
    }
    let mut seen = [false; 256];
    for byte in &page {
        seen[usize::from(*byte)] = true;
    }
    Ok(seen.iter().filter(|s| **s).count() >= CIPHER_MIN_DISTINCT_BYTES)
}

/// Opens (creating if needed) the archive database, refuses a newer schema, backs the file up
/// into `backup_dir` before migrating an older one, and applies the pending migrations in one
/// transaction.
///
/// An encrypted file needs its `secret`: the key is set first, then a cheap read proves it
/// (`PassphraseRequired` without one, `PassphraseWrong` for a wrong one; neither writes
/// anything). A new file is created encrypted when a secret is given. A plain file opens plain
/// whatever the secret. Returns the connection and whether it is encrypted.
pub(crate) fn open(
    db_path: &Path,
    backup_dir: &Path,
    secret: Option<&Secret>,
) -> Result<(Connection, bool), ArchiveError> {
    let header = peek_header(db_path)?;
    if let Header::Plain(found) = header
        && found > SCHEMA_VERSION
    {
        return Err(ArchiveError::SchemaTooNew {
            path: db_path.to_path_buf(),
            found,
            supported: SCHEMA_VERSION,
        });
    }
    let secret = match (header, secret) {
        (Header::Encrypted, None) => {
            return Err(ArchiveError::PassphraseRequired {
                path: db_path.to_path_buf(),
            });
        }
        (Header::Plain(_), _) => None,
        (_, secret) => secret,
    };

    let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
        | OpenFlags::SQLITE_OPEN_CREATE
        | OpenFlags::SQLITE_OPEN_NO_MUTEX
        | OpenFlags::SQLITE_OPEN_URI;
    let mut conn = Connection::open_with_flags(db_path, flags)?;
    conn.busy_timeout(Duration::from_secs(5))?;
    if let Some(secret) = secret {
        cipher::key(&conn, secret)?;
    }
    cipher::prove_key(&conn).map_err(|err| {
        if cipher::is_not_a_database(&err) {
            ArchiveError::PassphraseWrong {
                path: db_path.to_path_buf(),
            }
        } else {
            ArchiveError::Db(err)
        }
    })?;
    // An archive is one writer at a time; WAL keeps readers (the UI) unblocked meanwhile.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // Off while migrating (a rebuilt table would otherwise cascade-delete the rows that point at
    // it); each migration checks the keys itself before it commits.
    conn.pragma_update(None, "foreign_keys", "OFF")?;

    let current: u32 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if current > SCHEMA_VERSION {
        // Another process upgraded the file between the header peek and the open.
        return Err(ArchiveError::SchemaTooNew {
            path: db_path.to_path_buf(),
            found: current,
            supported: SCHEMA_VERSION,
        });
    }
    let backup = if current > 0 && current < SCHEMA_VERSION {
        Some(backup_before_migration(&conn, backup_dir, current, secret)?)
    } else {
        None
    };
    migrations()
        .to_latest(&mut conn)
        .map_err(|source| ArchiveError::Migration {
            path: db_path.to_path_buf(),
            from: current,
            to: SCHEMA_VERSION,
            source,
        })?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    if let Some((file, report)) = backup {
        // Recorded once the schema has the backup table (and audit trail) to record it in.
        crate::backup::record_migration_backup(&mut conn, db_path, &file, &report)?;
    }
    Ok((conn, secret.is_some()))
}

/// Writes a verified copy of the database (WAL included) before its schema changes, through the
/// same code as every backup (`backups::copy_verified`). A copy that fails verification stops the
/// migration: a migration never starts without a good copy.
fn backup_before_migration(
    conn: &Connection,
    backup_dir: &Path,
    from: u32,
    secret: Option<&Secret>,
) -> Result<(PathBuf, backups::CopyReport), ArchiveError> {
    crate::archive::create_dir(backup_dir)?;
    let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%S%3fZ");
    let target = backup_dir.join(format!("archive-v{from}-before-migration-{stamp}.db"));
    let report = backups::copy_verified(conn, &target, secret)?;
    if let Some(problem) = &report.problem {
        return Err(ArchiveError::BackupUnverified {
            path: target,
            problem: problem.clone(),
        });
    }
    Ok((target, report))
}

/// Reads the schema version of an open archive.
pub(crate) fn schema_version(conn: &Connection) -> rusqlite::Result<u32> {
    conn.pragma_query_value(None, "user_version", |row| row.get(0))
}

/// Runs `f` inside one transaction: every multi-row write goes through here, so a failure
/// (or a killed process) leaves all of it or none of it.
pub(crate) fn with_tx<T, E>(
    conn: &mut Connection,
    f: impl FnOnce(&Transaction<'_>) -> Result<T, E>,
) -> Result<T, E>
where
    E: From<rusqlite::Error>,
{
    // IMMEDIATE: the write lock is taken at BEGIN, waiting up to the busy timeout for another
    // process's writer. A deferred transaction that read first and then tried to write after
    // another process committed would fail at once with SQLITE_BUSY (a stale WAL snapshot
    // cannot be upgraded), without waiting: the CLI import failed so while the app wrote.
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let value = f(&tx)?;
    tx.commit()?;
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_are_valid() {
        migrations().validate().unwrap();
    }

    #[test]
    fn fresh_database_reaches_the_latest_version_without_a_backup() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("archive.db");
        let (conn, _) = open(&db, dir.path(), None).unwrap();
        assert_eq!(schema_version(&conn).unwrap(), SCHEMA_VERSION);
        let journal: String = conn
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(journal, "wal");
        let fk: i64 = conn
            .pragma_query_value(None, "foreign_keys", |r| r.get(0))
            .unwrap();
        assert_eq!(fk, 1);
        let backups = fs::read_dir(dir.path())
            .unwrap()
            .filter(|e| {
                e.as_ref()
                    .unwrap()
                    .file_name()
                    .to_string_lossy()
                    .contains("before")
            })
            .count();
        assert_eq!(backups, 0);
    }

    /// Two processes writing: a transaction that reads before it writes must not fail at its
    /// first write because the other one committed meanwhile (a deferred transaction's stale
    /// snapshot gives SQLITE_BUSY at once, without the busy wait). `with_tx` holds the write
    /// lock from BEGIN, so the other writer waits (here: is refused, with no wait) instead.
    #[test]
    fn with_tx_holds_the_write_lock_from_its_start() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("archive.db");
        let (mut mine, _) = open(&db, dir.path(), None).unwrap();
        let (other, _) = open(&db, dir.path(), None).unwrap();
        other.busy_timeout(Duration::ZERO).unwrap();
        let write =
            |conn: &Connection| conn.execute("UPDATE audit_head SET seq = seq WHERE id = 1", []);
        with_tx(&mut mine, |tx| {
            let _: i64 = tx.query_row("SELECT count(*) FROM member", [], |r| r.get(0))?;
            let err = write(&other).unwrap_err();
            assert_eq!(
                err.sqlite_error_code(),
                Some(rusqlite::ErrorCode::DatabaseBusy),
                "{err}"
            );
            write(tx)?;
            Ok::<_, rusqlite::Error>(())
        })
        .unwrap();
        write(&other).unwrap();
    }

    #[test]
    fn a_foreign_file_is_not_an_archive() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("archive.db");
        fs::write(&db, "姓名,学号\n张三,2023001\n".repeat(20)).unwrap();
        let err = open(&db, dir.path(), None).unwrap_err();
        assert!(matches!(err, ArchiveError::NotAnArchive { .. }), "{err:?}");
    }

    /// A foreign file that happens to be whole pages long is still not an archive (nor an
    /// encrypted one, which would ask for a passphrase it can never take).
    #[test]
    fn a_page_sized_foreign_file_is_not_an_encrypted_archive() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("archive.db");
        let text = "姓名,学号\n张三,2023001\n".repeat(400);
        fs::write(&db, &text.as_bytes()[..CIPHER_PAGE * 2]).unwrap();
        let err = peek_header(&db).unwrap_err();
        assert!(matches!(err, ArchiveError::NotAnArchive { .. }), "{err:?}");
    }

    /// Garbage after the magic string is not "a newer schema" (its user_version bytes are
    /// garbage too): the header's fixed bytes give it away.
    #[test]
    fn garbage_after_the_sqlite_magic_is_not_an_archive() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("archive.db");
        let mut bytes = SQLITE_MAGIC.to_vec();
        bytes.extend([0xA5u8; 4000]);
        fs::write(&db, &bytes).unwrap();
        let err = peek_header(&db).unwrap_err();
        assert!(matches!(err, ArchiveError::NotAnArchive { .. }), "{err:?}");
        let real = dir.path().join("real.db");
        drop(open(&real, dir.path(), None).unwrap());
        assert_eq!(peek_header(&real).unwrap(), Header::Plain(SCHEMA_VERSION));
    }
}
