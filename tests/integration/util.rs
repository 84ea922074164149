//! Temporary archives and a handle on the `dangan` binary.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use chrono::NaiveDate;
use dangan::auth::{self, DEMO_ACCOUNTS};
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
        let admin = bootstrap(&mut archive);
        temp.demo = Some(demo::generate(&mut archive, &admin, &options).unwrap());
        auth::create_demo_accounts(&mut archive, &admin).unwrap();
        temp
    }

    /// The archive opened and the demo/init admin logged in.
    pub fn open_as_admin(&self) -> (Archive, Actor) {
        let archive = self.open();
        let actor = admin(&archive);
        (archive, actor)
    }

    pub fn db_path(&self) -> PathBuf {
        self.root.join("archive.db")
    }

    /// `dangan --archive <root> args...`, run as the admin (`DANGAN_USER`/`DANGAN_PASSWORD`: the
    /// demo admin, or the admin `init` creates from the same variables).
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

/// The demo admin's name and password (also what `init` is given in the tests).
pub const ADMIN: &str = DEMO_ACCOUNTS[0].username;
pub const ADMIN_PASSWORD: &str = DEMO_ACCOUNTS[0].password;

/// The `dangan` binary, logged in as the admin through the environment.
pub fn dangan() -> Command {
    Command::from_std(dangan_process())
}

/// The `dangan` binary as a plain `std::process::Command`, for tests that spawn it and signal it
/// while it runs (assert_cmd only runs to completion). `dangan()` is built on this, so the
/// environment every CLI call gets is set here, in one place.
pub fn dangan_process() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("dangan"));
    cmd.env_remove(dangan::ARCHIVE_ENV)
        .env(auth::USER_ENV, ADMIN)
        .env(auth::PASSWORD_ENV, ADMIN_PASSWORD)
        .env_remove("DANGAN_NEW_PASSWORD")
        // Plain archives unless a test says otherwise (tests/integration/encryption.rs).
        .env_remove(dangan::cipher::PASSPHRASE_ENV)
        .env_remove("DANGAN_NEW_PASSPHRASE");
    cmd
}

/// Logs the admin in (the demo's, or the one `init` or `bootstrap` created).
pub fn admin(archive: &Archive) -> Actor {
    auth::login(archive, ADMIN, ADMIN_PASSWORD).unwrap()
}

/// Creates the admin in an archive without accounts (as `init` does) and logs it in.
pub fn bootstrap(archive: &mut Archive) -> Actor {
    auth::bootstrap_admin(archive, ADMIN, ADMIN_PASSWORD).unwrap()
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
