//! The one integration test binary. Each module tests one door or boundary end to end, against
//! real archive folders in temporary directories:
//!
//! - `cli`: the `dangan` binary run as a real process, checked through its output and the library.
//! - `archive`: opening, migrating and refusing archives on disk.
//! - `members`: listing and showing members through the library on a demo archive.
//! - `lifecycle`: `dangan check` and `dangan rules` against the rules and the demo's planted problems.
//! - `roster`: `dangan import` / `export` / `template` on the fixtures of `roster_fixtures`.
//!
//! Helpers for temporary archives live in `util`.

// Helpers outside #[test] functions may panic too: a failed setup is a failed test.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod archive;
mod cli;
mod lifecycle;
mod members;
mod roster;
mod roster_fixtures;
mod util;
