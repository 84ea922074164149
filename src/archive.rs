//! The archive on disk: one folder holding `archive.db` (SQLite, WAL), `files/` (attachments,
//! content-addressed) and `backups/`. Opening an archive creates or migrates it.
//!
//! This module owns where an archive lives and the handle every operation takes. It does not own
//! the schema (see `db`) or any domain rule.

use std::fs;
use std::path::{Path, PathBuf};

use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use crate::actor::Actor;
use crate::cipher::{self, FileKey, KeyProblem, Secret};
use crate::db;
use crate::error::ErrorCode;

/// The environment variable that overrides the default archive folder.
pub const ARCHIVE_ENV: &str = "DANGAN_ARCHIVE";

const DB_FILE: &str = "archive.db";
const FILES_DIR: &str = "files";
const BACKUPS_DIR: &str = "backups";

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("no archive at {path}: run `dangan init` (or `dangan demo`) to create one")]
    Missing { path: PathBuf },
    #[error("{path} is not a Dangan archive (not an SQLite database)")]
    NotAnArchive { path: PathBuf },
    #[error(
        "the archive {path} has schema version {found}, but this program understands only up to \
         version {supported}: it was written by a newer Dangan. Install that version; the archive \
         was not changed"
    )]
    SchemaTooNew {
        path: PathBuf,
        found: u32,
        supported: u32,
    },
    #[error(
        "migrating {path} from schema version {from} to {to} failed (nothing was changed): {source}"
    )]
    Migration {
        path: PathBuf,
        from: u32,
        to: u32,
        source: rusqlite_migration::Error,
    },
    #[error(
        "the copy {path} made before migrating failed verification ({problem}); the archive was \
         not migrated and not changed"
    )]
    BackupUnverified { path: PathBuf, problem: String },
    #[error("the archive {path} is encrypted: give its passphrase (prompt, or DANGAN_PASSPHRASE)")]
    PassphraseRequired { path: PathBuf },
    #[error("wrong passphrase for the archive {path} (the archive was not changed)")]
    PassphraseWrong { path: PathBuf },
    #[error("the attachments' key {path} {problem}")]
    FileKey { path: PathBuf, problem: String },
    #[error("cannot find the user's data folder; pass --archive DIR or set {ARCHIVE_ENV}")]
    NoDataDir,
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for ArchiveError {
    fn code(&self) -> &'static str {
        match self {
            ArchiveError::Missing { .. } => "archive_missing",
            ArchiveError::NotAnArchive { .. } => "not_an_archive",
            ArchiveError::SchemaTooNew { .. } => "schema_too_new",
            ArchiveError::Migration { .. } => "migration_failed",
            ArchiveError::BackupUnverified { .. } => "backup_unverified",
            ArchiveError::PassphraseRequired { .. } => "passphrase_required",
            ArchiveError::PassphraseWrong { .. } => "passphrase_wrong",
            ArchiveError::FileKey { .. } => "file_key_unreadable",
            ArchiveError::NoDataDir => "no_data_dir",
            ArchiveError::Io { .. } => "io",
            ArchiveError::Db(_) => "database",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            ArchiveError::SchemaTooNew {
                path,
                found,
                supported,
            } => serde_json::json!({
                "path": path, "found": found, "supported": supported
            }),
            ArchiveError::BackupUnverified { path, problem } => {
                serde_json::json!({ "path": path, "problem": problem })
            }
            ArchiveError::FileKey { path, problem } => {
                serde_json::json!({ "path": path, "problem": problem })
            }
            ArchiveError::Missing { path }
            | ArchiveError::NotAnArchive { path }
            | ArchiveError::PassphraseRequired { path }
            | ArchiveError::PassphraseWrong { path }
            | ArchiveError::Io { path, .. } => serde_json::json!({ "path": path }),
            _ => serde_json::Value::Null,
        }
    }
}

/// A summary of an open archive, for the status bar and `dangan info`.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ArchiveInfo {
    pub path: String,
    pub schema_version: u32,
    pub program_version: String,
    /// Every member in the archive.
    #[ts(type = "number")]
    pub members: i64,
    /// The members the acting user sees (their scope; all of them for admin and clerk).
    #[ts(type = "number")]
    pub visible_members: i64,
    /// Whether the database and attachments are encrypted (SQLCipher, `dangan encrypt`).
    pub encrypted: bool,
}

/// An open archive. Every domain operation takes one of these (and the acting user); there is no
/// global archive.
#[derive(Debug)]
pub struct Archive {
    root: PathBuf,
    conn: Connection,
    /// The passphrase of an encrypted archive (None for a plain one): every further connection
    /// to the database or to a backup of it is keyed with it.
    secret: Option<Secret>,
    /// The attachments' key of an encrypted archive.
    file_key: Option<FileKey>,
}

/// The suffix of the folder beside an encrypted archive that holds its plain files (`plain_dir`).
pub const PLAIN_DIR_SUFFIX: &str = "-导出";

impl Archive {
    /// Opens the archive folder `root`, creating it (and its database) if needed, and migrating an
    /// older schema after backing the file up into `backups/`. An encrypted archive needs
    /// `open_with` and its passphrase.
    pub fn open(root: impl AsRef<Path>) -> Result<Archive, ArchiveError> {
        Archive::open_with(root, None)
    }

    /// `open` with the passphrase of an encrypted archive. A new archive is created encrypted
    /// when a passphrase is given; a plain one opens plain whatever the passphrase. A wrong or
    /// missing passphrase changes nothing on disk (`passphrase_wrong`, `passphrase_required`).
    pub fn open_with(
        root: impl AsRef<Path>,
        secret: Option<&Secret>,
    ) -> Result<Archive, ArchiveError> {
        let root = root.as_ref().to_path_buf();
        create_dir(&root)?;
        // The database is checked (and a newer one refused) before anything else in the folder
        // is created.
        let (conn, encrypted) = db::open(&root.join(DB_FILE), &root.join(BACKUPS_DIR), secret)?;
        create_dir(&root.join(FILES_DIR))?;
        create_dir(&root.join(BACKUPS_DIR))?;
        let secret = if encrypted { secret.cloned() } else { None };
        let file_key = match &secret {
            Some(secret) => Some(load_file_key(&root.join(FILES_DIR), secret)?),
            None => None,
        };
        Ok(Archive {
            root,
            conn,
            secret,
            file_key,
        })
    }

    /// Opens an archive that must already exist: reading commands never create one by accident.
    pub fn open_existing(root: impl AsRef<Path>) -> Result<Archive, ArchiveError> {
        Archive::open_existing_with(root, None)
    }

    /// `open_existing` with the passphrase of an encrypted archive.
    pub fn open_existing_with(
        root: impl AsRef<Path>,
        secret: Option<&Secret>,
    ) -> Result<Archive, ArchiveError> {
        let root = root.as_ref();
        if !root.join(DB_FILE).is_file() {
            return Err(ArchiveError::Missing {
                path: root.to_path_buf(),
            });
        }
        Archive::open_with(root, secret)
    }

    /// Whether the archive in `root` is encrypted (read from the file header, without opening
    /// it): the doors ask for a passphrase only then. False for a missing archive.
    pub fn is_encrypted_at(root: impl AsRef<Path>) -> Result<bool, ArchiveError> {
        Ok(db::peek_header(&root.as_ref().join(DB_FILE))? == db::Header::Encrypted)
    }

    /// The folder used when neither `--archive` nor `DANGAN_ARCHIVE` names one: the OS data dir
    /// (`~/.local/share/dangan` on Linux, `%APPDATA%\dangan\data` on Windows).
    pub fn default_dir() -> Result<PathBuf, ArchiveError> {
        directories::ProjectDirs::from("cn.edu", "dangan", "dangan")
            .map(|dirs| dirs.data_dir().join("archive"))
            .ok_or(ArchiveError::NoDataDir)
    }

    /// The archive folder named by an explicit choice, else `DANGAN_ARCHIVE`, else the default.
    pub fn resolve_dir(explicit: Option<PathBuf>) -> Result<PathBuf, ArchiveError> {
        if let Some(dir) = explicit {
            return Ok(dir);
        }
        match std::env::var_os(ARCHIVE_ENV) {
            Some(dir) if !dir.is_empty() => Ok(PathBuf::from(dir)),
            _ => Archive::default_dir(),
        }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    pub fn db_path(&self) -> PathBuf {
        self.root.join(DB_FILE)
    }

    pub fn files_dir(&self) -> PathBuf {
        self.root.join(FILES_DIR)
    }

    pub fn backups_dir(&self) -> PathBuf {
        self.root.join(BACKUPS_DIR)
    }

    /// Where files that are plain by nature go: the app's exports and PDFs (`exports/`) and
    /// rosters uploaded for import (`tmp/import/`). For a plain archive that is the archive
    /// folder itself; for an encrypted one a folder beside it, `<folder>-导出`, so that nothing
    /// under the archive folder can be read without the passphrase.
    pub fn plain_dir(&self) -> PathBuf {
        if !self.is_encrypted() {
            return self.root.clone();
        }
        match (self.root.parent(), self.root.file_name()) {
            (Some(parent), Some(name)) => {
                parent.join(format!("{}{PLAIN_DIR_SUFFIX}", name.to_string_lossy()))
            }
            // An archive at a file-system root has no "beside": keep the old place.
            _ => self.root.clone(),
        }
    }

    pub fn info(&self, actor: &Actor) -> Result<ArchiveInfo, ArchiveError> {
        Ok(ArchiveInfo {
            path: self.root.display().to_string(),
            schema_version: db::schema_version(&self.conn)?,
            program_version: crate::VERSION.to_string(),
            members: db::members::count(&self.conn)?,
            visible_members: db::members::count_in(&self.conn, actor.scope_filter())?,
            encrypted: self.secret.is_some(),
        })
    }

    /// Whether the database and attachments are encrypted.
    pub fn is_encrypted(&self) -> bool {
        self.secret.is_some()
    }

    pub(crate) fn secret(&self) -> Option<&Secret> {
        self.secret.as_ref()
    }

    pub(crate) fn file_key(&self) -> Option<&FileKey> {
        self.file_key.as_ref()
    }

    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// Closes the database, runs `swap` on its path while no connection of this process is
    /// open, then opens it again (whatever `swap` returned: the handle always ends up open on
    /// `archive.db`, restored or not). Used by restore.
    pub(crate) fn with_closed_db<T, E: From<ArchiveError>>(
        &mut self,
        swap: impl FnOnce(&Path) -> Result<T, E>,
    ) -> Result<T, E> {
        let secret = self.secret.clone();
        self.with_closed_db_keyed(secret, swap)
    }

    /// `with_closed_db` for a swap that changes the key (encrypt, passphrase change): when
    /// `swap` succeeds the database is reopened with `secret_after`, else with the old secret.
    pub(crate) fn with_closed_db_keyed<T, E: From<ArchiveError>>(
        &mut self,
        secret_after: Option<Secret>,
        swap: impl FnOnce(&Path) -> Result<T, E>,
    ) -> Result<T, E> {
        let placeholder = db::backups::placeholder()?;
        drop(std::mem::replace(&mut self.conn, placeholder));
        let result = swap(&self.db_path());
        if result.is_ok() {
            self.secret = secret_after;
        }
        let (conn, encrypted) =
            db::open(&self.db_path(), &self.backups_dir(), self.secret.as_ref())?;
        self.conn = conn;
        if !encrypted {
            self.secret = None;
        }
        self.file_key = match &self.secret {
            Some(secret) => Some(load_file_key(&self.files_dir(), secret)?),
            None => None,
        };
        result
    }
}

fn load_file_key(files_dir: &Path, secret: &Secret) -> Result<FileKey, ArchiveError> {
    cipher::load_file_key(files_dir, secret).map_err(|problem| match problem {
        KeyProblem::Missing(path) => ArchiveError::FileKey {
            path,
            problem: "is missing, but the folder holds encrypted files".to_string(),
        },
        KeyProblem::Unreadable(path) => ArchiveError::FileKey {
            path,
            problem: "does not open with this passphrase".to_string(),
        },
        KeyProblem::Io(path, problem) => ArchiveError::FileKey { path, problem },
    })
}

pub(crate) fn create_dir(dir: &Path) -> Result<(), ArchiveError> {
    fs::create_dir_all(dir).map_err(|source| ArchiveError::Io {
        path: dir.to_path_buf(),
        source,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_creates_the_folder_layout() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("新档案");
        let archive = Archive::open(&root).unwrap();
        assert!(root.join("archive.db").is_file());
        assert!(root.join("files").is_dir());
        assert!(root.join("backups").is_dir());
        let info = archive.info(&Actor::local_admin()).unwrap();
        assert_eq!(info.schema_version, db::SCHEMA_VERSION);
        assert_eq!(info.members, 0);
    }

    #[test]
    fn open_existing_refuses_a_missing_archive_without_creating_it() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("nothing-here");
        let err = Archive::open_existing(&root).unwrap_err();
        assert_eq!(err.code(), "archive_missing");
        assert!(!root.exists());
    }
}
