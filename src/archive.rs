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
            ArchiveError::Missing { path }
            | ArchiveError::NotAnArchive { path }
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
}

/// An open archive. Every domain operation takes one of these (and the acting user); there is no
/// global archive.
#[derive(Debug)]
pub struct Archive {
    root: PathBuf,
    conn: Connection,
}

impl Archive {
    /// Opens the archive folder `root`, creating it (and its database) if needed, and migrating an
    /// older schema after backing the file up into `backups/`.
    pub fn open(root: impl AsRef<Path>) -> Result<Archive, ArchiveError> {
        let root = root.as_ref().to_path_buf();
        create_dir(&root)?;
        // The database is checked (and a newer one refused) before anything else in the folder
        // is created.
        let conn = db::open(&root.join(DB_FILE), &root.join(BACKUPS_DIR))?;
        create_dir(&root.join(FILES_DIR))?;
        create_dir(&root.join(BACKUPS_DIR))?;
        Ok(Archive { root, conn })
    }

    /// Opens an archive that must already exist: reading commands never create one by accident.
    pub fn open_existing(root: impl AsRef<Path>) -> Result<Archive, ArchiveError> {
        let root = root.as_ref();
        if !root.join(DB_FILE).is_file() {
            return Err(ArchiveError::Missing {
                path: root.to_path_buf(),
            });
        }
        Archive::open(root)
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

    pub fn info(&self, actor: &Actor) -> Result<ArchiveInfo, ArchiveError> {
        Ok(ArchiveInfo {
            path: self.root.display().to_string(),
            schema_version: db::schema_version(&self.conn)?,
            program_version: crate::VERSION.to_string(),
            members: db::members::count(&self.conn)?,
            visible_members: db::members::count_in(&self.conn, actor.scope_filter())?,
        })
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
        let placeholder = db::backups::placeholder()?;
        drop(std::mem::replace(&mut self.conn, placeholder));
        let result = swap(&self.db_path());
        self.conn = db::open(&self.db_path(), &self.backups_dir())?;
        result
    }
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
