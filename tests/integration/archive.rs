//! Archives on disk: schema refusal, migration with a backup first, foreign files.

use dangan::people::Stage;
use predicates::str::contains;

use crate::util::{TempArchive, json, raw_connection};

#[test]
fn a_newer_schema_is_refused_and_the_file_left_byte_identical() {
    let temp = TempArchive::demo(30);
    let newer = dangan::SCHEMA_VERSION + 7;
    {
        let conn = raw_connection(&temp.db_path());
        conn.pragma_update(None, "user_version", newer).unwrap();
        // Fold the WAL into the main file so that the file alone is the archive.
        conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = std::fs::read(temp.db_path()).unwrap();
    let listing_before = std::fs::read_dir(&temp.root).unwrap().count();

    for args in [
        &["member", "list"][..],
        &["init"],
        &["info", "--json"],
        &["demo"],
    ] {
        temp.dangan(args)
            .assert()
            .code(3)
            .stderr(contains(format!("schema version {newer}")))
            .stderr(contains("newer Dangan"));
    }
    let after = std::fs::read(temp.db_path()).unwrap();
    assert!(before == after, "the refused archive was modified");
    assert_eq!(
        std::fs::read_dir(&temp.root).unwrap().count(),
        listing_before
    );
}

#[test]
fn an_older_archive_is_backed_up_then_migrated_keeping_its_data() {
    let temp = TempArchive::new();
    std::fs::create_dir_all(&temp.root).unwrap();
    {
        // An archive as schema v1 left it: the tree and members, no timeline yet.
        let conn = raw_connection(&temp.db_path());
        conn.execute_batch(dangan::migration_sql(1).unwrap())
            .unwrap();
        conn.execute_batch(
            "INSERT INTO org_unit (id, kind, name, parent_id) VALUES
               (1, 'university_committee', '示范大学党委', NULL),
               (2, 'college_committee', '医学院党委', 1),
               (3, 'branch', '本科生第一党支部', 2);
             INSERT INTO member (id, name, sex, id_number, branch_id, student_no, college)
             VALUES (1, '欧阳喆', 'male', '110105194912310038', 3, '2024110001', '医学院');
             PRAGMA user_version = 1;",
        )
        .unwrap();
    }

    // An archive from before accounts has none: `init` migrates it and creates the admin.
    temp.dangan(&["init"]).assert().success();
    let rows = json(temp.dangan(&["member", "list", "--json"]));
    assert_eq!(rows.as_array().unwrap().len(), 1);
    assert_eq!(rows[0]["name"], "欧阳喆");
    assert_eq!(rows[0]["stage"], Stage::Applicant.as_code());
    assert_eq!(rows[0]["id_number_masked"], "110105********0038");

    let info = json(temp.dangan(&["info", "--json"]));
    assert_eq!(info["schema_version"], dangan::SCHEMA_VERSION);

    let backups: Vec<_> = std::fs::read_dir(temp.root.join("backups"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(backups.len(), 1, "{backups:?}");
    let name = backups[0]
        .file_name()
        .unwrap()
        .to_string_lossy()
        .to_string();
    assert!(name.starts_with("archive-v1-before-migration-"), "{name}");
    let backup = raw_connection(&backups[0]);
    let version: u32 = backup
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, 1);
    let members: i64 = backup
        .query_row("SELECT count(*) FROM member", [], |r| r.get(0))
        .unwrap();
    assert_eq!(members, 1);

    // Opening again migrates nothing and backs up nothing more.
    temp.dangan(&["info"]).assert().success();
    assert_eq!(
        std::fs::read_dir(temp.root.join("backups"))
            .unwrap()
            .count(),
        1
    );
}

#[test]
fn a_foreign_file_is_refused_untouched() {
    let temp = TempArchive::new();
    std::fs::create_dir_all(&temp.root).unwrap();
    let roster = "姓名,身份证号\n张三,110108200110010129\n".repeat(10);
    std::fs::write(temp.db_path(), &roster).unwrap();
    temp.dangan(&["member", "list"])
        .assert()
        .code(1)
        .stderr(contains("not a Dangan archive"));
    assert_eq!(std::fs::read_to_string(temp.db_path()).unwrap(), roster);
}

#[test]
fn rebuilding_the_timeline_table_keeps_events_people_evidence_and_corrections() {
    let temp = TempArchive::new();
    std::fs::create_dir_all(&temp.root).unwrap();
    {
        // An archive as schema v5 left it, with a corrected step, people and evidence: migration
        // 6 rebuilds member_event underneath all of them.
        let conn = raw_connection(&temp.db_path());
        for version in 1..=5 {
            conn.execute_batch(dangan::migration_sql(version).unwrap())
                .unwrap();
        }
        conn.execute_batch(
            "INSERT INTO org_unit (id, kind, name, parent_id) VALUES
               (1, 'university_committee', '示范大学党委', NULL),
               (2, 'college_committee', '医学院党委', 1),
               (3, 'branch', '本科生第一党支部', 2);
             INSERT INTO member (id, name, branch_id, birth_date) VALUES
               (1, '欧阳喆', 3, '2004-05-01'), (2, '司马淼', 3, '1980-01-01');
             INSERT INTO member_event (id, member_id, kind, step, date, recorded_by) VALUES
               (1, 1, 'step', 1, '2024-03-01', 'admin'),
               (2, 1, 'step', 2, '2024-03-10', 'admin'),
               (3, 1, 'step', 2, '2024-03-09', 'admin'),
               (4, 2, 'transferred_in', NULL, '2020-01-01', 'admin');
             UPDATE member_event SET superseded_by = 3 WHERE id = 2;
             INSERT INTO event_person (event_id, position, role, name, member_id) VALUES
               (3, 0, 'talker', '司马淼', 2);
             INSERT INTO attachment (sha256, size) VALUES (printf('%064d', 7), 10);
             INSERT INTO event_attachment (event_id, sha256, file_name, added_by) VALUES
               (1, printf('%064d', 7), '申请书.pdf', 'admin');
             PRAGMA user_version = 5;",
        )
        .unwrap();
    }

    temp.dangan(&["init"]).assert().success();
    let timeline = json(temp.dangan(&["step", "list", "1", "--json"]));
    let events: Vec<(i64, i64)> = timeline
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["id"].as_i64().unwrap(), e["step"].as_i64().unwrap()))
        .collect();
    assert_eq!(events, [(1, 1), (3, 2)]);
    assert_eq!(timeline[1]["people"][0]["name"], "司马淼");
    assert_eq!(timeline[1]["people"][0]["member_id"], 2);

    let conn = raw_connection(&temp.db_path());
    let version: u32 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    assert_eq!(version, dangan::SCHEMA_VERSION);
    let count = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    assert_eq!(count("SELECT count(*) FROM member_event"), 4);
    assert_eq!(
        count("SELECT superseded_by FROM member_event WHERE id = 2"),
        3
    );
    assert_eq!(count("SELECT count(*) FROM event_person"), 1);
    assert_eq!(count("SELECT count(*) FROM event_attachment"), 1);
    let violations: i64 = conn
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(violations, 0);
    // Deleting a member still cascades to its events and their people (the rebuilt table's keys
    // are in force).
    conn.execute_batch("PRAGMA foreign_keys = ON; DELETE FROM member WHERE id = 1;")
        .unwrap();
    assert_eq!(count("SELECT count(*) FROM member_event"), 1);
    assert_eq!(count("SELECT count(*) FROM event_attachment"), 0);
}
