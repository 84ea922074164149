//! The `dangan` binary as scripts use it: commands, `--json` documents, exit codes.

use dangan::people::{IdNumber, Stage};
use predicates::str::contains;

use crate::util::{AS_OF, TempArchive, dangan, json, raw_connection};

#[test]
fn version_is_printed() {
    dangan()
        .arg("--version")
        .assert()
        .success()
        .stdout(contains(dangan::VERSION));
}

#[test]
fn init_creates_an_archive_and_reports_it() {
    let temp = TempArchive::new();
    let info = json(temp.dangan(&["init", "--json"]));
    assert_eq!(info["schema_version"], dangan::SCHEMA_VERSION);
    assert_eq!(info["members"], 0);
    assert!(temp.db_path().is_file());
    assert!(temp.root.join("files").is_dir());
    assert!(temp.root.join("backups").is_dir());
}

#[test]
fn the_archive_can_come_from_the_environment() {
    let temp = TempArchive::new();
    dangan()
        .env(dangan::ARCHIVE_ENV, &temp.root)
        .arg("init")
        .assert()
        .success();
    assert!(temp.db_path().is_file());
}

#[test]
fn demo_of_2000_lists_2000_members_with_valid_id_numbers() {
    let temp = TempArchive::new();
    let summary = json(temp.dangan(&[
        "demo",
        "--members",
        "2000",
        "--seed",
        "3",
        "--as-of",
        AS_OF,
        "--json",
    ]));
    assert_eq!(summary["members"], 2000);
    assert_eq!(summary["colleges"], 8);
    assert_eq!(summary["branches"], 40);

    let list = json(temp.dangan(&["member", "list", "--json"]));
    let rows = list.as_array().unwrap();
    assert_eq!(rows.len(), 2000);
    for row in rows {
        for key in [
            "id",
            "name",
            "student_no",
            "branch",
            "stage",
            "id_number_masked",
        ] {
            assert!(row.get(key).is_some(), "{key} missing from {row}");
        }
        let masked = row["id_number_masked"].as_str().unwrap();
        assert_eq!(masked.len(), 18);
        assert_eq!(&masked[6..14], "********");
        assert!(Stage::from_code(row["stage"].as_str().unwrap()).is_some());
    }
    // Every stage of the pipeline is represented.
    for stage in [
        "applicant",
        "activist",
        "development_target",
        "probationary_member",
        "full_member",
    ] {
        assert!(
            rows.iter().any(|r| r["stage"] == stage),
            "no {stage} in the demo"
        );
    }
    // The full numbers are on disk only; check every one against GB 11643.
    let conn = raw_connection(&temp.db_path());
    let mut stmt = conn.prepare("SELECT id_number FROM member").unwrap();
    let numbers: Vec<String> = stmt
        .query_map([], |row| row.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(numbers.len(), 2000);
    for number in numbers {
        IdNumber::parse(&number).unwrap_or_else(|err| panic!("{number}: {err}"));
    }
}

#[test]
fn the_demo_is_deterministic() {
    let a = TempArchive::new();
    let b = TempArchive::new();
    for temp in [&a, &b] {
        temp.dangan(&["demo", "--members", "150", "--seed", "9", "--as-of", AS_OF])
            .assert()
            .success();
    }
    let list_a = json(a.dangan(&["member", "list", "--json"]));
    let list_b = json(b.dangan(&["member", "list", "--json"]));
    assert_eq!(list_a, list_b);
    let show_a = json(a.dangan(&["member", "show", "77", "--json"]));
    let show_b = json(b.dangan(&["member", "show", "77", "--json"]));
    assert_eq!(show_a, show_b);
}

#[test]
fn the_demo_refuses_an_archive_that_has_members() {
    let temp = TempArchive::demo(20);
    temp.dangan(&["demo", "--members", "20"])
        .assert()
        .failure()
        .stderr(contains("already holds 20 members"));
}

#[test]
fn member_show_gives_the_timeline_in_date_order() {
    let temp = TempArchive::demo(400);
    let full = json(temp.dangan(&["member", "list", "--stage", "full_member", "--json"]));
    let id = full[0]["id"].as_i64().unwrap();
    let member = json(temp.dangan(&["member", "show", &id.to_string(), "--json"]));
    assert_eq!(member["stage"], "full_member");
    let events = member["events"].as_array().unwrap();
    let dates: Vec<&str> = events.iter().map(|e| e["date"].as_str().unwrap()).collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted);
    for date in &dates {
        assert!(
            chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok(),
            "{date}"
        );
    }
    let steps: Vec<i64> = events.iter().filter_map(|e| e["step"].as_i64()).collect();
    for step in [1, 2, 3, 5, 7, 9, 15, 17, 23, 24] {
        assert!(steps.contains(&step), "step {step} missing from {steps:?}");
    }
    let introducers = events.iter().find(|e| e["step"] == 9).unwrap()["people"]
        .as_array()
        .unwrap();
    assert_eq!(introducers.len(), 2);
    assert!(
        introducers
            .iter()
            .all(|p| p["role"] == "introducer" && p["name"].is_string())
    );
    let joined = events.iter().find(|e| e["step"] == 15).unwrap()["date"].clone();
    assert_eq!(member["joined_date"], joined);
}

#[test]
fn member_list_filters_by_branch_and_stage() {
    let temp = TempArchive::demo(400);
    let branch = "计算机科学与技术学院/本科生第一党支部";
    let rows = json(temp.dangan(&["member", "list", "--branch", branch, "--json"]));
    let rows = rows.as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(
        rows.iter()
            .all(|r| r["branch"] == "本科生第一党支部" && r["college"] == "计算机科学与技术学院")
    );

    let activists = json(temp.dangan(&["member", "list", "--stage", "activist", "--json"]));
    assert!(
        activists
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["stage"] == "activist")
    );

    // The same branch name exists in every college.
    temp.dangan(&["member", "list", "--branch", "本科生第一党支部"])
        .assert()
        .code(2)
        .stderr(contains("several branches"));
    temp.dangan(&["member", "list", "--stage", "member"])
        .assert()
        .code(2);
}

#[test]
fn missing_things_exit_with_4_and_say_what() {
    let temp = TempArchive::new();
    temp.dangan(&["member", "list"])
        .assert()
        .code(4)
        .stderr(contains("dangan init"));
    assert!(
        !temp.root.exists(),
        "a reading command must not create an archive"
    );

    let temp = TempArchive::demo(20);
    temp.dangan(&["member", "show", "99999"])
        .assert()
        .code(4)
        .stderr(contains("no member with id 99999"));
}
