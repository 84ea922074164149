//! The one integration test binary. Each module tests one door or boundary end to end, against
//! real archive folders in temporary directories:
//!
//! - `cli`: the `dangan` binary run as a real process, checked through its output and the library.
//! - `appraisals`: 民主评议 grades (demo, batch all or nothing, once a year, share warning).
//! - `archive`: opening, migrating and refusing archives on disk.
//! - `auth`: lockout, passwords, and the scope test (a counselor refused on another college).
//! - `members`: listing and showing members through the library on a demo archive.
//! - `lifecycle`: `dangan check` and `dangan rules` against the rules and the demo's planted problems.
//! - `malformed`: a corpus of broken, mutated and hostile files fed to every command that reads
//!   a user's file (no panic, exit 2/4, the file named, the archive unchanged), and proptests.
//! - `pdf`: generated PDFs read back with poppler-utils (text, pages, fonts), the letter register
//!   and batches.
//! - `meetings`: quorum and vote arithmetic on a demo branch; a resolution admitting a member.
//! - `demo_meetings`: the demo's meeting history against the core (quorum, linked resolutions).
//! - `reminders`: `dangan reminders` on dates derived from demo timelines, and `dangan stats`.
//! - `reports`: thought reports (add, review, folder import, missing quarters) and search.
//! - `backup`: verified backups, restore refusing bad files, a moved archive folder.
//! - `audit`: the hash-chained audit trail after real operations, and tampering found.
//! - `concurrency`: the library (as the app uses it) and a CLI import on one archive at once.
//! - `crash`: the real binary killed with SIGKILL mid-import, mid-batch and mid-backup, 100 times;
//!   the archive after each kill.
//! - `trust`: ID reveal (audited), the backup policy, scheduled backups on a second connection,
//!   the audit browser's filters.
//! - `encryption`: an encrypted archive (no member name in any file), wrong passphrases, `encrypt`,
//!   `passphrase change`, backups and restore of an encrypted archive.
//! - `roster`: `dangan import` / `export` / `template` on the fixtures of `roster_fixtures`.
//! - `session_view`: `info`'s member count in the user's scope, the session's permissions.
//! - `roster_mapping`: `dangan import --map`, the clerk's corrections of the column mapping.
//!
//! Helpers for temporary archives live in `util`.

// Helpers outside #[test] functions may panic too: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod appraisals;
mod archive;
mod audit;
mod auth;
mod backup;
mod cli;
mod concurrency;
mod crash;
mod demo_meetings;
mod encryption;
mod lifecycle;
mod malformed;
mod meeting_attachments;
mod meetings;
mod members;
mod pdf;
mod reminders;
mod reports;
mod roster;
mod roster_fixtures;
mod roster_mapping;
mod search_ranking;
mod session_view;
mod trust;
mod users;
mod util;
