//! The trust features people see: revealing a full ID number (audited), the automatic-backup
//! policy stored in the archive, the scheduled backup made from a second connection while the
//! app's is open, and the audit browser's filters and pages.

use chrono::{Duration, Utc};
use dangan::audit::{self, AuditQuery};
use dangan::backup::{self, BackupPolicy};
use dangan::people::{self, MemberQuery, id_number};
use dangan::{Actor, Archive};
use predicates::str::contains;

use crate::util::{TempArchive, json};

/// The program's own actor (an admin without an account): these tests exercise the core, not logins.
fn admin() -> Actor {
    Actor::system()
}

fn entries(archive: &Archive) -> i64 {
    audit::verify(archive, &admin()).unwrap().entries
}

/// A member with an ID number recorded, and its masked form.
fn member_with_id(archive: &Archive) -> (i64, String) {
    people::list_all(archive, &admin(), &MemberQuery::default())
        .unwrap()
        .into_iter()
        .find_map(|m| Some((m.id, m.id_number_masked?)))
        .unwrap()
}

#[test]
fn revealing_an_id_number_writes_exactly_one_entry_naming_the_member() {
    let temp = TempArchive::demo(20);
    let archive = temp.open();
    let (member, masked) = member_with_id(&archive);
    let before = entries(&archive);

    let full = people::reveal_id_number(&archive, &admin(), member).unwrap();
    assert_eq!(full.chars().count(), 18, "{full}");
    assert_eq!(id_number::mask(&full), masked);
    assert_eq!(entries(&archive), before + 1);
    let newest = audit::list(
        &archive,
        &admin(),
        &AuditQuery {
            limit: Some(1),
            ..AuditQuery::default()
        },
    )
    .unwrap();
    assert_eq!(newest[0].action, "id_reveal");
    assert_eq!(newest[0].member_id, Some(member));
    assert_eq!(newest[0].target_kind, "member");
    assert_eq!(newest[0].target_id, Some(member));
    assert_eq!(newest[0].actor, "system");
    // The trail records that it was revealed, never the number itself.
    assert!(
        !newest[0].detail.to_string().contains(&full),
        "{:?}",
        newest[0].detail
    );
    assert!(audit::verify(&archive, &admin()).unwrap().ok);

    // A member that does not exist: refused, nothing recorded.
    let err = people::reveal_id_number(&archive, &admin(), 999_999).unwrap_err();
    assert_eq!(dangan::ErrorCode::code(&err), "member_not_found");
    assert_eq!(entries(&archive), before + 1);
}

#[test]
fn the_cli_reveals_an_id_number_and_the_trail_shows_it() {
    let temp = TempArchive::demo(10);
    let (member, masked) = member_with_id(&temp.open());
    let id = member.to_string();
    let shown = json(temp.dangan(&["member", "reveal-id", &id, "--json"]));
    assert_eq!(shown["member_id"], member);
    let full = shown["id_number"].as_str().unwrap();
    assert_eq!(id_number::mask(full), masked);

    let reveals = json(temp.dangan(&["audit", "list", "--action", "id_reveal", "--json"]));
    let reveals = reveals.as_array().unwrap();
    assert_eq!(reveals.len(), 1);
    assert_eq!(reveals[0]["member_id"], member);
    assert!(reveals[0]["member_name"].is_string());
    // No list shows the full number: the member list and the search hits mask it.
    let list = temp.dangan(&["member", "list", "--json"]).output().unwrap();
    assert!(!String::from_utf8_lossy(&list.stdout).contains(full));
    temp.dangan(&["member", "reveal-id", "999999"])
        .assert()
        .code(4);
}

#[test]
fn the_backup_policy_is_stored_checked_and_audited() {
    let temp = TempArchive::demo(5);
    let shown = json(temp.dangan(&["backup", "policy", "--json"]));
    assert_eq!(shown["enabled"], true);
    assert_eq!(shown["interval_hours"], 24);
    assert_eq!(shown["daily"], 7);
    assert_eq!(shown["weekly"], 4);
    assert_eq!(shown["monthly"], 12);

    let set = json(temp.dangan(&[
        "backup",
        "policy",
        "--set",
        "backup.daily=3",
        "--set",
        "backup.interval_hours=6",
        "--json",
    ]));
    assert_eq!(set["daily"], 3);
    assert_eq!(set["interval_hours"], 6);
    let archive = temp.open();
    let policy = backup::policy::get(&archive, &admin()).unwrap();
    assert_eq!(
        policy,
        BackupPolicy {
            daily: 3,
            interval_hours: 6,
            ..BackupPolicy::default()
        }
    );
    assert_eq!(policy.rotation().daily, 3);
    let changes = audit::list(
        &archive,
        &admin(),
        &AuditQuery {
            action: Some("setting_change".into()),
            ..AuditQuery::default()
        },
    )
    .unwrap();
    assert_eq!(changes.len(), 1);
    assert_eq!(changes[0].detail["changes"]["backup.daily"]["before"], "7");
    assert_eq!(changes[0].detail["changes"]["backup.daily"]["after"], "3");

    // One bad value and nothing is stored.
    temp.dangan(&[
        "backup",
        "policy",
        "--set",
        "backup.weekly=2",
        "--set",
        "backup.interval_hours=0",
    ])
    .assert()
    .code(2)
    .stderr(contains("backup.interval_hours"));
    temp.dangan(&["backup", "policy", "--set", "backup.yearly=1"])
        .assert()
        .code(2);
    assert_eq!(backup::policy::get(&archive, &admin()).unwrap(), policy);
    // Setting the same values again records nothing (the CLI calls above logged in: count from here).
    let mut archive = archive;
    let before = entries(&archive);
    backup::policy::set(
        &mut archive,
        &admin(),
        &[("backup.daily".into(), "3".into())],
    )
    .unwrap();
    assert_eq!(entries(&archive), before);
}

#[test]
fn the_scheduled_backup_follows_the_policy() {
    let temp = TempArchive::demo(5);
    let mut archive = temp.open();
    let off = [("backup.enabled".to_string(), "false".to_string())];
    backup::policy::set(&mut archive, &admin(), &off).unwrap();
    assert!(
        backup::backup_if_due(&mut archive, &admin(), Utc::now())
            .unwrap()
            .is_none()
    );
    let on = [
        ("backup.enabled".to_string(), "true".to_string()),
        ("backup.interval_hours".to_string(), "2".to_string()),
    ];
    backup::policy::set(&mut archive, &admin(), &on).unwrap();
    let made = backup::backup_if_due(&mut archive, &admin(), Utc::now()).unwrap();
    assert!(made.unwrap().verified);
    let soon = Utc::now() + Duration::hours(1);
    assert!(
        backup::backup_if_due(&mut archive, &admin(), soon)
            .unwrap()
            .is_none()
    );
    let later = Utc::now() + Duration::hours(3);
    assert!(
        backup::backup_if_due(&mut archive, &admin(), later)
            .unwrap()
            .is_some()
    );
}

#[test]
fn a_scheduled_backup_runs_on_a_second_connection_while_the_first_works() {
    let temp = TempArchive::demo(300);
    // The app's connection, open for the whole test.
    let app = temp.open();
    let (member, _) = member_with_id(&app);
    let root = temp.root.clone();
    let worker = std::thread::spawn(move || {
        let mut second = Archive::open_existing(&root).unwrap();
        backup::backup_if_due(&mut second, &admin(), Utc::now()).unwrap()
    });
    // Meanwhile the app keeps reading and writing (each show writes an audit entry).
    for _ in 0..20 {
        people::show(&app, &admin(), member).unwrap();
    }
    let made = worker.join().unwrap().expect("no backup was due");
    assert!(made.verified, "{:?}", made.problem);
    assert_eq!(made.counts["member"], 300);
    // The first connection sees the record the second wrote, and the trail is whole.
    let overview = backup::overview(&app, &admin()).unwrap();
    assert_eq!(overview.last_verified.as_ref().map(|b| b.id), Some(made.id));
    assert_eq!(overview.backups.len(), 1);
    let check = audit::verify(&app, &admin()).unwrap();
    assert!(check.ok, "{:?}", check.problem);
    // The copy is a whole archive of its own.
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::copy(&made.path, elsewhere.path().join("archive.db")).unwrap();
    let copy = Archive::open_existing(elsewhere.path()).unwrap();
    assert_eq!(copy.info(&admin()).unwrap().members, 300);
}

#[test]
fn the_audit_browser_filters_by_target_and_pages() {
    let temp = TempArchive::demo(10);
    let mut archive = temp.open();
    let (member, _) = member_with_id(&archive);
    for _ in 0..3 {
        people::show(&archive, &admin(), member).unwrap();
    }
    let made = backup::create(&mut archive, &admin(), backup::BackupReason::Manual, None).unwrap();

    let of_backup = audit::page(
        &archive,
        &admin(),
        &AuditQuery {
            target_kind: Some("backup".into()),
            target_id: Some(made.id),
            ..AuditQuery::default()
        },
    )
    .unwrap();
    assert_eq!(of_backup.total, 1);
    assert_eq!(of_backup.rows[0].action, "backup");
    assert!(of_backup.actors.contains(&"system".to_string()));

    let query = AuditQuery {
        target_kind: Some("member".into()),
        member_id: Some(member),
        limit: Some(2),
        ..AuditQuery::default()
    };
    let first = audit::page(&archive, &admin(), &query).unwrap();
    assert_eq!(first.total, 3);
    assert_eq!(first.rows.len(), 2);
    assert!(first.rows[0].member_name.is_some());
    let second = audit::page(
        &archive,
        &admin(),
        &AuditQuery {
            offset: Some(2),
            ..query
        },
    )
    .unwrap();
    assert_eq!(second.rows.len(), 1);
    assert!(second.rows[0].seq < first.rows[1].seq);

    let cli = json(temp.dangan(&["audit", "list", "--target", "member", "--json"]));
    assert_eq!(cli.as_array().unwrap().len(), 3);
    temp.dangan(&["audit", "list", "--target", "member:x"])
        .assert()
        .code(2);
}
