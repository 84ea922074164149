//! Encryption at rest: encrypting a plain archive in place (`encrypt`) and changing the
//! passphrase (`change_passphrase`). Opening an encrypted archive is `Archive::open_with`.
//!
//! The database is SQLCipher (every build links it; an unkeyed SQLCipher file is plain SQLite).
//! The attachments under `files/` are sealed one by one with a key kept wrapped under the
//! passphrase in `files/key` (see `keys`). Backups of an encrypted archive are encrypted with
//! the same passphrase. Both procedures write every new file beside the old one first and
//! verify it; the swap of `archive.db` is the commit point; what follows it only renames and
//! removes, and an interrupted passphrase change is finished on the next open.

mod keys;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::time::Instant;

use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::actor::{Actor, Permission};
use crate::archive::{Archive, ArchiveError};
use crate::audit::{self, Action, Target};
use crate::db;
use crate::error::ErrorCode;

pub(crate) use keys::{FileKey, KeyProblem, SEALED_OVERHEAD, load_file_key, write_atomically};
pub use keys::{PASSPHRASE_ENV, Secret};

#[derive(Debug, thiserror::Error)]
pub enum CipherError {
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error("the archive {path} is already encrypted (change its passphrase instead)")]
    AlreadyEncrypted { path: PathBuf },
    #[error("the archive {path} is not encrypted (encrypt it first)")]
    NotEncrypted { path: PathBuf },
    #[error("the new passphrase is the current one")]
    SamePassphrase,
    #[error("{path} already exists; the plain copy is never written over a file")]
    KeepExists { path: PathBuf },
    #[error(
        "the encrypted copy {path} failed verification ({problem}); the archive was not changed"
    )]
    Unverified { path: PathBuf, problem: String },
    #[error("cannot encrypt {path} (the archive was not changed): {problem}")]
    Seal { path: PathBuf, problem: String },
    #[error(
        "another program (the app, or another dangan) still has the archive {path} open; close \
         it and try again (nothing was changed)"
    )]
    ArchiveInUse { path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for CipherError {
    fn code(&self) -> &'static str {
        match self {
            CipherError::Archive(err) => err.code(),
            CipherError::Forbidden(_) => "forbidden",
            CipherError::AlreadyEncrypted { .. } => "already_encrypted",
            CipherError::NotEncrypted { .. } => "not_encrypted",
            CipherError::SamePassphrase => "invalid_argument",
            CipherError::KeepExists { .. } => "invalid_argument",
            CipherError::Unverified { .. } => "encryption_unverified",
            CipherError::Seal { .. } => "io",
            CipherError::ArchiveInUse { .. } => "archive_in_use",
            CipherError::Io { .. } => "io",
            CipherError::Db(_) => "database",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            CipherError::Archive(err) => err.details(),
            CipherError::Forbidden(f) => f.details(),
            CipherError::Unverified { path, problem } | CipherError::Seal { path, problem } => {
                serde_json::json!({ "path": path, "problem": problem })
            }
            CipherError::AlreadyEncrypted { path }
            | CipherError::NotEncrypted { path }
            | CipherError::KeepExists { path }
            | CipherError::ArchiveInUse { path }
            | CipherError::Io { path, .. } => serde_json::json!({ "path": path }),
            _ => serde_json::Value::Null,
        }
    }
}

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> CipherError + '_ {
    move |source| CipherError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What `encrypt` did.
#[derive(Debug, Clone, Serialize)]
pub struct EncryptSummary {
    pub path: String,
    /// Rows per table, the same before and after (verified on the encrypted copy).
    pub counts: BTreeMap<String, i64>,
    /// Attachments sealed under `files/`.
    pub attachments: usize,
    /// Backups under `backups/` encrypted with the same passphrase.
    pub backups: usize,
    /// Where the plain database was kept, when asked for; None when it was removed.
    pub plain_kept: Option<String>,
    /// Where the app's plain exports (`exports/`) were moved, out of the archive folder
    /// (`Archive::plain_dir`); None when there were none.
    pub exports_moved_to: Option<String>,
    pub millis: u64,
    pub audit_seq: i64,
}

/// What `change_passphrase` did.
#[derive(Debug, Clone, Serialize)]
pub struct PassphraseChangeSummary {
    pub path: String,
    /// Backups under `backups/` rekeyed to the new passphrase.
    pub backups: usize,
    /// Backups that did not open with the old passphrase and were left as they were.
    pub backups_skipped: Vec<String>,
    pub millis: u64,
    pub audit_seq: i64,
}

/// A file written beside its original, renamed over it once the archive is swapped.
struct Staged {
    staged: PathBuf,
    target: PathBuf,
}

fn staged_name(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    path.with_file_name(name)
}

/// The database files under `backups/` (each backup is one `.db` file).
fn backup_files(dir: &Path) -> Result<Vec<PathBuf>, CipherError> {
    let mut found = Vec::new();
    let entries = match fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(err) => return Err(io_err(dir)(err)),
    };
    for entry in entries {
        let path = entry.map_err(io_err(dir))?.path();
        if path.is_file() && path.extension().is_some_and(|e| e == "db") {
            found.push(path);
        }
    }
    found.sort();
    Ok(found)
}

/// Copies the open database `conn` to `staged` under `secret` and checks the copy: it opens
/// with the secret, `integrity_check` is ok, and every table has the rows the source has.
fn export_verified(
    conn: &rusqlite::Connection,
    staged: &Path,
    secret: &Secret,
) -> Result<(), CipherError> {
    let _ = fs::remove_file(staged);
    let source = db::backups::counts(conn)?;
    db::cipher::export(conn, staged, Some(secret))?;
    let problem = match db::backups::inspect(staged, Some(secret))? {
        Err(problem) => Some(problem),
        Ok(found) if found.counts != source => Some("row counts differ".to_string()),
        Ok(found) if found.schema_version != db::schema_version(conn)? => {
            Some("schema version differs".to_string())
        }
        Ok(_) => None,
    };
    fs::File::open(staged)
        .and_then(|f| f.sync_all())
        .map_err(io_err(staged))?;
    match problem {
        Some(problem) => {
            let _ = fs::remove_file(staged);
            Err(CipherError::Unverified {
                path: staged.to_path_buf(),
                problem,
            })
        }
        None => Ok(()),
    }
}

/// Stages every backup under `backups/`, opened with `from` (None: plain), re-encrypted under
/// `to`. A backup that does not open with `from` is skipped when `skip_unreadable`, else an
/// error.
fn stage_backups(
    dir: &Path,
    from: Option<&Secret>,
    to: &Secret,
    suffix: &str,
    skip_unreadable: bool,
) -> Result<(Vec<Staged>, Vec<String>), CipherError> {
    let mut staged = Vec::new();
    let mut skipped = Vec::new();
    for path in backup_files(dir)? {
        let conn = match db::cipher::open_file(&path, from) {
            Ok(conn) => conn,
            Err(err) if skip_unreadable && db::cipher::is_not_a_database(&err) => {
                skipped.push(path.display().to_string());
                continue;
            }
            Err(err) => {
                return Err(CipherError::Unverified {
                    path: path.clone(),
                    problem: format!("the backup cannot be read ({err}); move it out first"),
                });
            }
        };
        let target = staged_name(&path, suffix);
        export_verified(&conn, &target, to)?;
        staged.push(Staged {
            staged: target,
            target: path,
        });
    }
    Ok((staged, skipped))
}

/// Puts the staged database in place of `archive.db` while no connection of ours is open,
/// refusing when another process still holds the archive.
fn swap_in(staged: &Path, db_path: &Path) -> Result<(), CipherError> {
    if db_path.with_file_name("archive.db-wal").exists() {
        // Our connection was the last one if SQLite removed the log on closing.
        return Err(CipherError::ArchiveInUse {
            path: db_path.to_path_buf(),
        });
    }
    let _ = fs::remove_file(db_path.with_file_name("archive.db-shm"));
    fs::rename(staged, db_path).map_err(io_err(db_path))?;
    db::backups::sync_dir(db_path);
    Ok(())
}

fn discard(staged: &[Staged]) {
    for file in staged {
        let _ = fs::remove_file(&file.staged);
    }
}

fn millis(started: Instant) -> u64 {
    u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX)
}

/// Encrypts a plain archive in place with `secret`:
/// 1. a new attachments' key is wrapped into `files/key` and every stored file is sealed under
///    its keyed name (the plain files stay until the end);
/// 2. the database is exported encrypted beside the archive (`archive.db.encrypting`) and
///    checked (opens with the passphrase, integrity, every table's row count); so is each backup
///    under `backups/`;
/// 3. `keep_plain`, when given, receives a verified plain copy (outside the archive folder is
///    best: a plain copy inside it defeats the encryption);
/// 4. the encrypted database replaces `archive.db` (the commit point: refused, with nothing
///    changed, while another program has the archive open); then the backups are replaced and
///    the plain attachments removed, and the change is recorded in the audit trail.
pub fn encrypt(
    archive: &mut Archive,
    actor: &Actor,
    secret: &Secret,
    keep_plain: Option<&Path>,
) -> Result<EncryptSummary, CipherError> {
    let started = Instant::now();
    crate::auth::require(archive, actor, Permission::Admin)?;
    if archive.is_encrypted() {
        return Err(CipherError::AlreadyEncrypted {
            path: archive.root().to_path_buf(),
        });
    }
    if let Some(keep) = keep_plain
        && keep.exists()
    {
        return Err(CipherError::KeepExists {
            path: keep.to_path_buf(),
        });
    }
    let db_path = archive.db_path();
    let files = archive.files_dir();

    // 1. The attachments, sealed beside the plain ones.
    let seal_err = |path: &Path, problem: &str| CipherError::Seal {
        path: path.to_path_buf(),
        problem: problem.to_string(),
    };
    let key_path = files.join(keys::KEY_FILE);
    let _ = fs::remove_file(files.join(keys::NEXT_KEY_FILE));
    let file_key = FileKey::generate().map_err(|_| seal_err(&key_path, "no key"))?;
    let wrapped = file_key
        .wrap(secret)
        .map_err(|_| seal_err(&key_path, "cannot wrap the key"))?;
    let mut plain_files = Vec::new();
    let mut leftovers = Vec::new();
    for (name, path) in keys::stored_files(&files).map_err(io_err(&files))? {
        let content = fs::read(&path).map_err(io_err(&path))?;
        if hex::encode(Sha256::digest(&content)) != name {
            // Sealed by an earlier attempt that never finished (under a key now lost).
            leftovers.push(path);
            continue;
        }
        let sealed = file_key
            .seal(&name, &content)
            .map_err(|_| seal_err(&path, "cannot seal the file"))?;
        let stored_name = file_key
            .stored_name(&name)
            .map_err(|_| seal_err(&path, "cannot name the file"))?;
        let target = db::backups::partial_path(&crate::documents::path_of(&files, &stored_name));
        write_atomically(&target, &sealed).map_err(io_err(&target))?;
        plain_files.push(Staged {
            staged: target,
            target: path,
        });
    }

    // 2. The database and the backups, encrypted beside the originals and checked.
    db::backups::checkpoint(archive.conn())?;
    let counts = db::backups::counts(archive.conn())?;
    let staged_db = staged_name(&db_path, ".encrypting");
    let prepared = (|| {
        export_verified(archive.conn(), &staged_db, secret)?;
        let (backups, _) =
            stage_backups(&archive.backups_dir(), None, secret, ".encrypting", false)?;
        Ok::<_, CipherError>(backups)
    })();
    let discard_sealed = |sealed: &[Staged]| {
        for file in sealed {
            let _ = fs::remove_file(&file.staged);
        }
    };
    let backups = match prepared {
        Ok(backups) => backups,
        Err(err) => {
            let _ = fs::remove_file(&staged_db);
            discard_sealed(&plain_files);
            return Err(err);
        }
    };

    // 3. The plain copy the user asked to keep.
    if let Some(keep) = keep_plain {
        let report = db::backups::copy_verified(archive.conn(), keep, None)?;
        if let Some(problem) = report.problem {
            let _ = fs::remove_file(&staged_db);
            discard(&backups);
            discard_sealed(&plain_files);
            return Err(CipherError::Unverified {
                path: keep.to_path_buf(),
                problem,
            });
        }
    }

    // 4. The swap: the key file, then the database (the commit point), then the rest.
    if let Err(err) = write_atomically(&key_path, &wrapped) {
        let _ = fs::remove_file(&staged_db);
        discard(&backups);
        discard_sealed(&plain_files);
        return Err(io_err(&key_path)(err));
    }
    let swapped =
        archive.with_closed_db_keyed(Some(secret.clone()), |db_path| swap_in(&staged_db, db_path));
    if let Err(err) = swapped {
        let _ = fs::remove_file(&staged_db);
        discard(&backups);
        discard_sealed(&plain_files);
        return Err(err);
    }
    for file in &plain_files {
        // The sealed file goes to its real (keyed) name, then the plain one is removed.
        let sealed_target = file.staged.with_extension("");
        fs::rename(&file.staged, &sealed_target).map_err(io_err(&sealed_target))?;
        fs::remove_file(&file.target).map_err(io_err(&file.target))?;
    }
    for path in &leftovers {
        let _ = fs::remove_file(path);
    }
    for backup in &backups {
        fs::rename(&backup.staged, &backup.target).map_err(io_err(&backup.target))?;
    }
    remove_plain_leftovers(archive);
    let exports_moved_to = move_plain_outputs(archive)?;

    let plain_kept = keep_plain.map(|p| {
        std::path::absolute(p)
            .unwrap_or_else(|_| p.to_path_buf())
            .display()
            .to_string()
    });
    let audit_seq = db::with_tx(archive.conn_mut(), |tx| {
        audit::record(
            tx,
            actor,
            Action::Encrypt,
            Target::archive(),
            serde_json::json!({
                "attachments": plain_files.len(),
                "backups": backups.len(),
                "plain_kept": plain_kept,
                "exports_moved_to": exports_moved_to,
            }),
        )
    })?;
    Ok(EncryptSummary {
        path: archive.root().display().to_string(),
        counts,
        attachments: plain_files.len(),
        backups: backups.len(),
        plain_kept,
        exports_moved_to,
        millis: millis(started),
        audit_seq,
    })
}

/// Once the archive is encrypted, the plain files the app wrote into its folder leave it: its
/// exports (dossiers, letters, rosters the user may still want) move to the folder beside it
/// (`Archive::plain_dir`), and rosters uploaded for an import that never ran (`tmp/import/`,
/// the user's own files, pruned after a day anyway) are removed. Returns where the exports went.
fn move_plain_outputs(archive: &Archive) -> Result<Option<String>, CipherError> {
    let _ = fs::remove_dir_all(archive.root().join("tmp"));
    let exports = archive.root().join(crate::roster::EXPORTS_DIR);
    let has_files = fs::read_dir(&exports).is_ok_and(|mut entries| entries.next().is_some());
    if !has_files {
        let _ = fs::remove_dir(&exports);
        return Ok(None);
    }
    let plain = archive.plain_dir();
    fs::create_dir_all(&plain).map_err(io_err(&plain))?;
    // Never over an existing folder: `exports`, else `exports (2)`, …
    let target = (1u32..)
        .map(|n| match n {
            1 => plain.join(crate::roster::EXPORTS_DIR),
            n => plain.join(format!("{} ({n})", crate::roster::EXPORTS_DIR)),
        })
        .find(|path| !path.exists())
        .unwrap_or_else(|| plain.join(crate::roster::EXPORTS_DIR));
    fs::rename(&exports, &target).map_err(io_err(&target))?;
    Ok(Some(target.display().to_string()))
}

/// Half-written copies a crash could have left in the folder in clear: unfinished backups
/// (`*.partial`) and restore candidates.
fn remove_plain_leftovers(archive: &Archive) {
    if let Ok(entries) = fs::read_dir(archive.backups_dir()) {
        for entry in entries.flatten() {
            if entry.path().extension().is_some_and(|e| e == "partial") {
                let _ = fs::remove_file(entry.path());
            }
        }
    }
    let _ = fs::remove_file(archive.db_path().with_file_name("archive.db.restoring"));
}

/// Changes the passphrase of an encrypted archive (opened with the current one) to `new`:
/// 1. the attachments' key, wrapped under the new passphrase, is written to `files/key.next`
///    (the attachments themselves keep their key: nothing under `files/` is rewritten);
/// 2. the database is exported under the new passphrase beside the archive
///    (`archive.db.rekeying`) and checked; so is each backup under `backups/` that opens with
///    the current passphrase;
/// 3. the new database replaces `archive.db` (the commit point), `key.next` replaces `key` (an
///    interruption between the two is finished by the next open with the new passphrase), the
///    backups are replaced, and the change is recorded in the audit trail.
pub fn change_passphrase(
    archive: &mut Archive,
    actor: &Actor,
    new: &Secret,
) -> Result<PassphraseChangeSummary, CipherError> {
    let started = Instant::now();
    crate::auth::require(archive, actor, Permission::Admin)?;
    let (Some(old), Some(file_key)) = (archive.secret().cloned(), archive.file_key().cloned())
    else {
        return Err(CipherError::NotEncrypted {
            path: archive.root().to_path_buf(),
        });
    };
    if &old == new {
        return Err(CipherError::SamePassphrase);
    }
    let files = archive.files_dir();
    let key_path = files.join(keys::KEY_FILE);
    let next_path = files.join(keys::NEXT_KEY_FILE);
    let wrapped = file_key.wrap(new).map_err(|_| CipherError::Seal {
        path: next_path.clone(),
        problem: "cannot wrap the key".to_string(),
    })?;

    let db_path = archive.db_path();
    let staged_db = staged_name(&db_path, ".rekeying");
    db::backups::checkpoint(archive.conn())?;
    let prepared = (|| {
        export_verified(archive.conn(), &staged_db, new)?;
        let staged = stage_backups(&archive.backups_dir(), Some(&old), new, ".rekeying", true)?;
        write_atomically(&next_path, &wrapped).map_err(io_err(&next_path))?;
        Ok::<_, CipherError>(staged)
    })();
    let (backups, skipped) = match prepared {
        Ok(staged) => staged,
        Err(err) => {
            let _ = fs::remove_file(&staged_db);
            let _ = fs::remove_file(&next_path);
            return Err(err);
        }
    };

    let swapped = archive.with_closed_db_keyed(Some(new.clone()), |db_path| {
        swap_in(&staged_db, db_path)?;
        fs::rename(&next_path, &key_path).map_err(io_err(&key_path))?;
        db::backups::sync_dir(&key_path);
        Ok::<_, CipherError>(())
    });
    if let Err(err) = swapped {
        let _ = fs::remove_file(&staged_db);
        discard(&backups);
        if !archive.is_encrypted() || archive.secret() == Some(&old) {
            let _ = fs::remove_file(&next_path);
        }
        return Err(err);
    }
    for backup in &backups {
        fs::rename(&backup.staged, &backup.target).map_err(io_err(&backup.target))?;
    }
    let audit_seq = db::with_tx(archive.conn_mut(), |tx| {
        audit::record(
            tx,
            actor,
            Action::PassphraseChange,
            Target::archive(),
            serde_json::json!({ "backups": backups.len(), "backups_skipped": skipped }),
        )
    })?;
    Ok(PassphraseChangeSummary {
        path: archive.root().display().to_string(),
        backups: backups.len(),
        backups_skipped: skipped,
        millis: millis(started),
        audit_seq,
    })
}
