//! Backups and restore on real archive folders: a verified copy of a demo archive, a corrupted,
//! foreign or newer copy refused with nothing changed, a deleted member brought back, the
//! scheduled backup, and an archive folder moved elsewhere.

use std::path::{Path, PathBuf};

use chrono::{Duration, Utc};
use dangan::backup::{self, BackupReason};
use dangan::people::{MemberQuery, Stage};
use dangan::{Archive, lifecycle, people};
use predicates::str::contains;

use crate::util::{TempArchive, json, raw_connection};

use crate::util::admin;

/// A backup made through the CLI; returns its path.
fn cli_backup(temp: &TempArchive) -> PathBuf {
    let made = json(temp.dangan(&["backup", "--json"]));
    assert_eq!(made["verified"], true, "{made}");
    PathBuf::from(made["path"].as_str().unwrap())
}

/// What must not change when a restore is refused: the members, the audit head, the backups.
fn state(temp: &TempArchive) -> (i64, serde_json::Value, usize) {
    let members = json(temp.dangan(&["info", "--json"]))["members"]
        .as_i64()
        .unwrap();
    // The newest entry other than the logins every CLI call adds.
    assert_eq!(
        json(temp.dangan(&["audit", "verify", "--json"]))["ok"],
        true
    );
    let head = json(temp.dangan(&["audit", "list", "--limit", "1000000", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] != "login")
        .cloned()
        .unwrap_or_default();
    let backups = json(temp.dangan(&["backup", "list", "--json"]))
        .as_array()
        .unwrap()
        .len();
    (members, head, backups)
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

#[test]
fn a_backup_of_a_demo_archive_verifies_and_is_listed() {
    let temp = TempArchive::demo(200);
    let made = json(temp.dangan(&["backup", "--json"]));
    assert_eq!(made["verified"], true);
    assert_eq!(made["reason"], "manual");
    assert_eq!(made["counts"]["member"], 200);
    let path = PathBuf::from(made["path"].as_str().unwrap());
    assert!(path.starts_with(temp.root.join("backups")), "{path:?}");
    assert_eq!(
        made["bytes"].as_u64().unwrap(),
        std::fs::metadata(&path).unwrap().len()
    );
    // The copy is a complete single file: no log beside it, sound, with every member.
    assert!(!Path::new(&format!("{}-wal", path.display())).exists());
    let copy = raw_connection(&path);
    let ok: String = copy
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let members: i64 = copy
        .query_row("SELECT count(*) FROM member", [], |r| r.get(0))
        .unwrap();
    assert_eq!(members, 200);
    drop(copy);

    let list = json(temp.dangan(&["backup", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["file"], made["file"]);
    // The backup is in the audit trail.
    let entries = json(temp.dangan(&["audit", "list", "--action", "backup", "--json"]));
    assert_eq!(entries[0]["detail"]["file"], made["file"]);

    // --out writes elsewhere, and never over an existing file.
    let out = temp.root.parent().unwrap().join("外部备份.db");
    let external = json(temp.dangan(&["backup", "--out", out.to_str().unwrap(), "--json"]));
    assert_eq!(external["verified"], true);
    assert!(out.is_file());
    temp.dangan(&["backup", "--out", out.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("already exists"));
}

#[test]
fn a_corrupted_foreign_or_newer_file_is_refused_and_nothing_changes() {
    let temp = TempArchive::demo(100);
    let good = cli_backup(&temp);
    let before = state(&temp);

    // Bytes flipped in the middle of the file.
    let corrupted = temp.root.parent().unwrap().join("corrupted.db");
    let mut bytes = std::fs::read(&good).unwrap();
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 4096] {
        *b ^= 0xA5;
    }
    std::fs::write(&corrupted, &bytes).unwrap();
    temp.dangan(&["restore", corrupted.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("corrupted.db"))
        .stderr(contains("not changed"));

    let foreign = temp.root.parent().unwrap().join("名册.db");
    std::fs::write(&foreign, "姓名,学号\n张三,1\n".repeat(100)).unwrap();
    temp.dangan(&["restore", foreign.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("名册.db"));

    // An SQLite file that is not an archive.
    let other = temp.root.parent().unwrap().join("other.db");
    raw_connection(&other)
        .execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .unwrap();
    temp.dangan(&["restore", other.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains("not a Dangan archive"));

    let newer = temp.root.parent().unwrap().join("newer.db");
    std::fs::copy(&good, &newer).unwrap();
    raw_connection(&newer)
        .pragma_update(None, "user_version", dangan::SCHEMA_VERSION + 1)
        .unwrap();
    temp.dangan(&["restore", newer.to_str().unwrap()])
        .assert()
        .code(3)
        .stderr(contains("newer.db"));

    temp.dangan(&["restore", "/no/such/file.db"])
        .assert()
        .code(4);

    assert_eq!(state(&temp), before);
    assert!(!temp.root.join("archive.db.restoring").exists());
}

#[test]
fn restore_brings_back_a_deleted_member() {
    let temp = TempArchive::demo(60);
    let member = {
        let archive = temp.open();
        people::list_all(&archive, &admin(&archive), &MemberQuery::default()).unwrap()[7].clone()
    };
    let id = member.id.to_string();
    let good = cli_backup(&temp);
    {
        // Lost by a mistake outside the program.
        let conn = raw_connection(&temp.db_path());
        conn.execute_batch(&format!(
            "DELETE FROM event_person WHERE event_id IN (SELECT id FROM member_event WHERE member_id = {id});
             DELETE FROM member_event WHERE member_id = {id};
             DELETE FROM thought_report WHERE member_id = {id};
             DELETE FROM member WHERE id = {id};"
        ))
        .unwrap();
    }
    temp.dangan(&["member", "show", &id]).assert().code(4);

    let restored = json(temp.dangan(&["restore", good.to_str().unwrap(), "--json"]));
    assert_eq!(restored["counts"]["member"], 60);
    assert_eq!(restored["before_restore"]["reason"], "before_restore");
    assert_eq!(restored["before_restore"]["verified"], true);
    let shown = json(temp.dangan(&["member", "show", &id, "--json"]));
    assert_eq!(shown["name"], member.name.as_str());
    assert!(!temp.root.join("archive.db.restoring").exists());

    // Both backups are still listed (the restored database did not know the second), the
    // restore is in the (restored) trail, and the trail verifies.
    let list = json(temp.dangan(&["backup", "list", "--json"]));
    let reasons: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["reason"].as_str().unwrap())
        .collect();
    assert_eq!(reasons, ["before_restore", "manual"]);
    let last = json(temp.dangan(&["audit", "list", "--action", "restore", "--json"]));
    assert_eq!(last.as_array().unwrap().len(), 1);
    assert_eq!(last[0]["action"], "restore");
    assert!(
        last[0]["detail"]["replaced_audit_head"]["seq"]
            .as_i64()
            .unwrap()
            > 0
    );
    temp.dangan(&["audit", "verify"]).assert().success();
}

#[test]
fn restore_refuses_an_archive_another_program_has_open() {
    let temp = TempArchive::demo(60);
    let good = cli_backup(&temp);
    let member: i64 = {
        let conn = raw_connection(&temp.db_path());
        let member = conn
            .query_row("SELECT member_id FROM thought_report LIMIT 1", [], |r| {
                r.get(0)
            })
            .unwrap();
        conn.execute("DELETE FROM thought_report WHERE member_id = ?1", [member])
            .unwrap();
        member
    };
    // This test process holds the archive open, as the app would.
    let open_elsewhere = temp.open();
    temp.dangan(&["restore", good.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(contains("open in another program"));
    drop(open_elsewhere);
    assert!(!temp.root.join("archive.db.restoring").exists());
    // Not replaced: the deleted reports are still gone.
    let reports = json(temp.dangan(&["report", "list", &member.to_string(), "--json"]));
    assert_eq!(reports.as_array().unwrap().len(), 0);
    temp.dangan(&["audit", "verify"]).assert().success();
}

#[test]
fn the_scheduled_backup_runs_once_a_day() {
    let temp = TempArchive::demo(20);
    let mut archive = temp.open();
    let actor = admin(&archive);
    let now = Utc::now();
    let first = backup::backup_if_due(&mut archive, &actor, now).unwrap();
    assert_eq!(first.unwrap().reason, BackupReason::Scheduled);
    assert!(
        backup::backup_if_due(&mut archive, &actor, now + Duration::hours(23))
            .unwrap()
            .is_none()
    );
    let next = backup::backup_if_due(&mut archive, &actor, now + Duration::hours(25)).unwrap();
    assert!(next.is_some());
    let last = backup::last_verified(&archive, &actor).unwrap().unwrap();
    assert_eq!(last.id, next.unwrap().id);
}

#[test]
fn an_archive_folder_copied_elsewhere_opens_and_restores_with_its_files() {
    let temp = TempArchive::demo(60);
    let actor = admin(&temp.open());
    let sha256 = {
        let mut archive = temp.open();
        let query = MemberQuery {
            stage: Some(Stage::FullMember),
            ..MemberQuery::default()
        };
        let member = people::list_all(&archive, &actor, &query).unwrap()[0].id;
        let event = people::show(&archive, &actor, member).unwrap().events[0].id;
        let file = lifecycle::attach_evidence(
            &mut archive,
            &actor,
            event,
            "申请书.png",
            b"\x89PNG scanned application",
            None,
        )
        .unwrap();
        backup::create(&mut archive, &actor, BackupReason::Manual, None).unwrap();
        file.sha256
    };

    let moved = tempfile::tempdir().unwrap();
    let root = moved.path().join("另一台电脑").join("档案");
    copy_dir(&temp.root, &root);
    drop(temp);

    let archive = Archive::open_existing(&root).unwrap();
    assert_eq!(archive.info(&actor).unwrap().members, 60);
    let list = backup::list(&archive, &actor).unwrap();
    assert!(
        Path::new(&list[0].path).starts_with(&root),
        "{:?}",
        list[0].path
    );
    assert!(Path::new(&list[0].path).is_file());
    let good = PathBuf::from(&list[0].path);
    drop(archive);

    let moved_archive = TempArchiveAt(root.clone());
    moved_archive
        .dangan(&["restore", good.to_str().unwrap()])
        .assert()
        .success();
    moved_archive
        .dangan(&["audit", "verify"])
        .assert()
        .success();

    // A backup naming a file the folder lacks is refused.
    let stored = root.join("files").join(&sha256[..2]).join(&sha256);
    std::fs::remove_file(&stored).unwrap();
    moved_archive
        .dangan(&["restore", good.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(contains(&sha256[..16]));
}

/// `dangan --archive ROOT` for a folder that is not a `TempArchive`.
struct TempArchiveAt(PathBuf);

impl TempArchiveAt {
    fn dangan(&self, args: &[&str]) -> assert_cmd::Command {
        let mut cmd = crate::util::dangan();
        cmd.arg("--archive").arg(&self.0).args(args);
        cmd
    }
}

#[test]
fn an_older_archive_records_its_pre_migration_backup() {
    let temp = TempArchive::new();
    std::fs::create_dir_all(&temp.root).unwrap();
    {
        let conn = raw_connection(&temp.db_path());
        conn.execute_batch(dangan::migration_sql(1).unwrap())
            .unwrap();
        conn.execute_batch(
            "INSERT INTO org_unit (id, kind, name, parent_id) VALUES
               (1, 'university_committee', '示范大学党委', NULL);
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }
    // An archive from before accounts has none: `init` migrates it and creates the admin.
    temp.dangan(&["init"]).assert().success();
    let list = json(temp.dangan(&["backup", "list", "--json"]));
    assert_eq!(list.as_array().unwrap().len(), 1, "{list}");
    assert_eq!(list[0]["reason"], "before_migration");
    assert_eq!(list[0]["verified"], true);
    assert_eq!(list[0]["schema_version"], 1);
    assert_eq!(list[0]["made_by"], "system");
    let entries = json(temp.dangan(&["audit", "list", "--action", "backup", "--json"]));
    assert_eq!(entries[0]["action"], "backup");
    assert_eq!(entries[0]["actor"], "system");

    // Restoring that old copy migrates it again (with a copy of its own) and keeps the records.
    let old = list[0]["path"].as_str().unwrap();
    let restored = json(temp.dangan(&["restore", old, "--json"]));
    assert_eq!(restored["schema_version"], 1);
    // The restored copy predates accounts: `init` creates the admin again.
    temp.dangan(&["init"]).assert().success();
    let info = json(temp.dangan(&["info", "--json"]));
    assert_eq!(info["schema_version"], dangan::SCHEMA_VERSION);
    let reasons: Vec<String> = json(temp.dangan(&["backup", "list", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .map(|b| b["reason"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        reasons,
        ["before_migration", "before_restore", "before_migration"],
        "newest first"
    );
    temp.dangan(&["audit", "verify"]).assert().success();
}
