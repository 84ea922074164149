//! Dangan (党建档案): the core library of an offline-first archive for a university's
//! party-building work.
//!
//! Everything the product knows lives here: the archive on disk, the organisation tree, members
//! and their development timeline, and (as they land) reports, meetings, import/export and
//! dossiers. The CLI (`src/main.rs`), the desktop shell (`src-tauri/`) and the tests are doors
//! onto this library; none of them holds domain logic, and this library knows nothing of them.
//!
//! Every operation takes the `Archive` it works on and the `Actor` doing it.

pub mod actor;
pub mod appraisals;
pub mod archive;
pub mod audit;
pub mod auth;
pub mod backup;
pub mod cipher;
mod db;
pub mod demo;
pub mod documents;
pub mod error;
pub mod lifecycle;
pub mod meetings;
pub mod org;
pub mod pdf;
pub mod people;
pub mod reminders;
pub mod reports;
pub mod roster;
pub mod search;
pub mod stats;

#[cfg(test)]
mod ts_bindings;
mod zip_limits;

pub use actor::{Actor, Forbidden, Permission, Role};
pub use archive::{ARCHIVE_ENV, Archive, ArchiveError, ArchiveInfo};
pub use error::{ApiError, ErrorCode};

/// The program's version, as `dangan --version` prints it.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// The newest archive schema this program reads and writes.
pub const SCHEMA_VERSION: u32 = db::SCHEMA_VERSION;

/// The SQL of migration `version` (1-based), for tests that build an archive of an older schema.
pub fn migration_sql(version: u32) -> Option<&'static str> {
    db::MIGRATIONS_SQL
        .get(usize::try_from(version).ok()?.checked_sub(1)?)
        .copied()
}
