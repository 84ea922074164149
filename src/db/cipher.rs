//! SQLCipher at the storage level: keying a connection, proving the key, and writing a copy of
//! the open database under another key (or none) with `sqlcipher_export`. When and why is
//! decided by `crate::cipher`.

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, OpenFlags};

use crate::cipher::Secret;

/// Keys a connection that has not read anything yet (`PRAGMA key` must come first). SQLCipher's
/// own log (which prints "error decrypting page 1" on stderr for a wrong key) is switched off:
/// the error we return says it.
pub(crate) fn key(conn: &Connection, secret: &Secret) -> rusqlite::Result<()> {
    conn.pragma_update(None, "cipher_log_level", "NONE")?;
    conn.pragma_update(None, "key", secret.expose())
}

/// A cheap read that fails with `SQLITE_NOTADB` when the key (or its absence) is wrong. Reads
/// only; nothing on disk changes.
pub(crate) fn prove_key(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("SELECT count(*) FROM sqlite_schema", [], |_| Ok(()))
}

/// Whether an error is SQLite saying the file is not a database it can read: the sign of a
/// wrong key, or of an encrypted file opened without one.
pub(crate) fn is_not_a_database(err: &rusqlite::Error) -> bool {
    matches!(
        err,
        rusqlite::Error::SqliteFailure(e, _) if e.code == rusqlite::ErrorCode::NotADatabase
    )
}

/// Opens the existing file `path` read-write, keyed with `secret` when given, and proves the
/// key. For files this program writes itself: backups being encrypted or rekeyed. (The create
/// flag is there for the copy `export` attaches, which inherits these flags.)
pub(crate) fn open_file(path: &Path, secret: Option<&Secret>) -> rusqlite::Result<Connection> {
    if !path.is_file() {
        return Err(rusqlite::Error::SqliteFailure(
            rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CANTOPEN),
            Some(format!("{} does not exist", path.display())),
        ));
    }
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    conn.busy_timeout(Duration::from_secs(5))?;
    if let Some(secret) = secret {
        key(&conn, secret)?;
    }
    prove_key(&conn)?;
    Ok(conn)
}

/// Writes everything in `conn`'s main database to the new file `target`, encrypted with `secret`
/// (plain with None), with the same schema version, as a single file (rollback journal). The
/// target must not exist. `sqlcipher_export` copies the schema, every row, the full-text indexes
/// and the triggers (added last, so the audit log's triggers do not refuse the copy).
pub(crate) fn export(
    conn: &Connection,
    target: &Path,
    secret: Option<&Secret>,
) -> rusqlite::Result<()> {
    let version = super::schema_version(conn)?;
    let target_text = target.to_string_lossy().to_string();
    let key = secret.map(Secret::expose).unwrap_or("");
    conn.execute(
        "ATTACH DATABASE ?1 AS dangan_export KEY ?2",
        rusqlite::params![target_text, key],
    )?;
    let exported = (|| {
        conn.query_row("SELECT sqlcipher_export('dangan_export')", [], |_| Ok(()))?;
        conn.pragma_update(Some("dangan_export"), "user_version", version)
    })();
    let detached = conn.execute("DETACH DATABASE dangan_export", []);
    exported?;
    detached?;
    Ok(())
}
