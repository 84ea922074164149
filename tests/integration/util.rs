//! Temporary archives and a handle on the `dangan` binary.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::NaiveDate;
use dangan::demo::{self, DemoOptions, DemoSummary};
use dangan::{Actor, Archive};
use rusqlite::{Connection, OpenFlags};

/// The reference day every demo in the tests is generated for, so results never depend on today.
pub const AS_OF: &str = "2026-11-24";

pub fn as_of() -> NaiveDate {
    NaiveDate::parse_from_str(AS_OF, "%Y-%m-%d").unwrap()
}

/// A temporary folder that is deleted when the test ends, and the archive folder inside it.
pub struct TempArchive {
    _dir: tempfile::TempDir,
    pub root: PathBuf,
    /// What the demo generated, for archives made by `TempArchive::demo`.
    pub demo: Option<DemoSummary>,
}

impl TempArchive {
    /// A path for an archive that does not exist yet.
    pub fn new() -> TempArchive {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("档案");
        TempArchive {
            _dir: dir,
            root,
            demo: None,
        }
    }

    /// An archive filled with a demo of `members` members (seed 1, generated as of `AS_OF`).
    pub fn demo(members: usize) -> TempArchive {
        let mut temp = TempArchive::new();
        let mut archive = Archive::open(&temp.root).unwrap();
        let options = DemoOptions {
            members,
            seed: 1,
            as_of: as_of(),
        };
        temp.demo = Some(demo::generate(&mut archive, &Actor::local_admin(), &options).unwrap());
        temp
    }

    pub fn db_path(&self) -> PathBuf {
        self.root.join("archive.db")
    }

    /// `dangan --archive <root> args...`
    pub fn dangan(&self, args: &[&str]) -> Command {
        let mut cmd = dangan();
        cmd.arg("--archive").arg(&self.root).args(args);
        cmd
    }

    /// `dangan --archive <root> args...` as a process to spawn (see `dangan_process`).
    pub fn dangan_process(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = dangan_process();
        cmd.arg("--archive").arg(&self.root).args(args);
        cmd
    }

    pub fn open(&self) -> Archive {
        Archive::open_existing(&self.root).unwrap()
    }
}

pub fn dangan() -> Command {
    Command::from_std(dangan_process())
}

/// The `dangan` binary as a plain `std::process::Command`, for tests that spawn it and signal it
/// while it runs (assert_cmd only runs to completion). `dangan()` is built on this, so the
/// environment every CLI call gets is set here, in one place.
pub fn dangan_process() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("dangan"));
    cmd.env_remove(dangan::ARCHIVE_ENV);
    cmd
}

/// A raw connection for checking what is on disk, bypassing the core on purpose.
pub fn raw_connection(db: &Path) -> Connection {
    Connection::open_with_flags(
        db,
        OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
    )
    .unwrap()
}

/// Runs a command that must succeed and parses its stdout as JSON.
pub fn json(mut cmd: Command) -> serde_json::Value {
    let output = cmd.output().unwrap();
    assert!(
        output.status.success(),
        "command failed: {}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}
