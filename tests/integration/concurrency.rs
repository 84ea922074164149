//! Two processes on one archive at once, as when the desktop app is open while a clerk runs the
//! CLI: the test process opens the archive through the core library (as the app's state does,
//! `src-tauri/src/state.rs`) while a `dangan import` child writes a 2,000-row batch.
//!
//! - Readers never see half a batch: every count read during the import is the before or the
//!   after state, and once the after state is seen it stays.
//! - Two writers at once (the import and thought reports recorded through the library) are
//!   serialised by SQLite: each library write either succeeds or fails with `archive_busy`, the
//!   import succeeds, and nothing acknowledged is lost.

use std::process::Stdio;
use std::time::Duration;

use chrono::NaiveDate;
use dangan::people::{self, MemberQuery};
use dangan::reports::{self, NewThoughtReport};
use dangan::{Actor, Archive};

use crate::crash::roster_and_target;
use crate::util::{AS_OF, TempArchive, as_of};

/// (members, import batches), each read through the core, as the app reads them.
fn counts(archive: &Archive, actor: &Actor) -> (i64, usize) {
    let query = MemberQuery {
        limit: 1,
        ..MemberQuery::default()
    };
    let members = people::list(archive, actor, &query).unwrap().total;
    let batches = dangan::roster::history(archive, actor).unwrap().len();
    (members, batches)
}

fn start_import(temp: &TempArchive, roster: &str) -> std::process::Child {
    temp.dangan_process(&[
        "import",
        roster,
        "--create-branches",
        "--skip-invalid",
        "--as-of",
        AS_OF,
    ])
    .stdout(Stdio::null())
    .stderr(Stdio::piped())
    .spawn()
    .unwrap()
}

fn finish(child: std::process::Child) {
    let output = child.wait_with_output().unwrap();
    assert!(
        output.status.success(),
        "the import: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn a_reader_sees_the_batch_wholly_or_not_at_all() {
    let (roster, template) = roster_and_target();
    let roster = roster.to_str().unwrap().to_string();
    let temp = crate::crash::copy_of(template);
    let archive = temp.open();
    let actor = crate::util::admin(&archive);
    let before = counts(&archive, &actor);

    let mut child = start_import(&temp, &roster);
    let mut seen = Vec::new();
    while child.try_wait().unwrap().is_none() {
        seen.push(counts(&archive, &actor));
        std::thread::sleep(Duration::from_millis(1));
    }
    finish(child);
    let after = counts(&archive, &actor);
    assert_eq!(after.1, before.1 + 1);
    assert!(after.0 > before.0 + 1500, "{before:?} → {after:?}");
    assert!(seen.len() > 10, "read while the import ran: {}", seen.len());
    let during = seen.iter().filter(|c| **c == before).count();
    println!(
        "concurrency: {} reads during the import: {during} before, {} after, none between",
        seen.len(),
        seen.len() - during
    );
    let mut saw_after = false;
    for (i, c) in seen.iter().enumerate() {
        // Each figure is read on its own, so each must be wholly before or wholly after.
        assert!(c.0 == before.0 || c.0 == after.0, "read {i}: {c:?}");
        assert!(c.1 == before.1 || c.1 == after.1, "read {i}: {c:?}");
        if c.0 == after.0 {
            saw_after = true;
        } else {
            assert!(!saw_after, "read {i} went back to the before state");
        }
    }
}

#[test]
fn the_library_and_the_cli_writing_at_once_lose_nothing() {
    let (roster, template) = roster_and_target();
    let roster = roster.to_str().unwrap().to_string();
    let temp = crate::crash::copy_of(template);
    let mut archive = temp.open();
    let actor = crate::util::admin(&archive);
    let writer = people::list(&archive, &actor, &MemberQuery::default())
        .unwrap()
        .rows[0]
        .id;
    let before = counts(&archive, &actor);

    let mut child = start_import(&temp, &roster);
    let mut written = Vec::new();
    let mut busy = 0;
    let mut n = 0;
    while child.try_wait().unwrap().is_none() || n < 5 {
        n += 1;
        let report = NewThoughtReport {
            member_id: writer,
            date: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            period: None,
            title: Some(format!("并发写入测试 {n}")),
            body: format!("第 {n} 份：导入进行中写入的思想汇报。"),
        };
        // A clerk's pace, not a tight loop: SQLite's busy wait is not fair, and a writer that
        // never pauses could hold the CLI off past its busy timeout.
        std::thread::sleep(Duration::from_millis(20));
        match reports::add(&mut archive, &actor, &report, as_of()) {
            Ok(id) => written.push(id),
            Err(err) => {
                // What the app would show: `ApiError` is what its commands return.
                let shown = dangan::ApiError::from_error(&err);
                assert_eq!(shown.code, "archive_busy", "{err}");
                busy += 1;
            }
        }
    }
    finish(child);
    let after = counts(&archive, &actor);
    assert_eq!(after.1, before.1 + 1, "the import committed");
    assert!(!written.is_empty(), "{busy} writes were refused as busy");
    let kept = reports::list(&archive, &actor, writer).unwrap();
    for id in &written {
        assert!(
            kept.iter().any(|r| r.id == *id),
            "report {id} was acknowledged and lost"
        );
    }
    println!(
        "concurrency: {} reports written during the import, {busy} refused as archive_busy",
        written.len()
    );
    let verify = crate::util::json(temp.dangan(&["audit", "verify", "--json"]));
    assert!(verify["problem"].is_null(), "{verify}");
}
