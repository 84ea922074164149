//! The audit trail on real archives: real operations leave a chain that verifies; an entry
//! edited, a middle entry deleted or the newest entries deleted behind the program's back are
//! found at the right entry; a refused write leaves no entry.

use dangan::audit::{self, AuditQuery};
use dangan::lifecycle::{self, LifecycleError, StepRequest};
use dangan::people::{self, EventKind, MemberQuery, Stage};
use dangan::reports::{self, NewThoughtReport, ReportReview};
use dangan::roster::{self, ExportFormat, ExportOptions, TextEncoding};
use dangan::{Actor, Archive};
use rstest::rstest;

use crate::util::{TempArchive, as_of, json, raw_connection};

use crate::util::admin;

fn first(archive: &Archive, actor: &Actor, stage: Stage) -> i64 {
    let query = MemberQuery {
        stage: Some(stage),
        ..MemberQuery::default()
    };
    people::list_all(archive, actor, &query).unwrap()[0].id
}

/// The actions of `entries` other than logins and account changes (which every CLI call and the
/// demo's accounts add).
fn operations(entries: &serde_json::Value) -> Vec<serde_json::Value> {
    entries
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| !matches!(e["action"].as_str(), Some("login" | "user_create")))
        .cloned()
        .collect()
}

/// A demo archive with a dozen real operations in its trail; returns the number of entries.
fn with_operations(temp: &TempArchive) -> i64 {
    let mut archive = temp.open();
    let actor = admin(&archive);
    let applicant = first(&archive, &actor, Stage::Applicant);
    let full = first(&archive, &actor, Stage::FullMember);
    people::show(&archive, &actor, applicant).unwrap();
    people::show(&archive, &actor, full).unwrap();
    let report = reports::add(
        &mut archive,
        &actor,
        &NewThoughtReport {
            member_id: applicant,
            date: as_of(),
            period: None,
            title: None,
            body: "敬爱的党组织：\n这个季度我认真学习了党章。\n此致\n敬礼".to_string(),
        },
        as_of(),
    )
    .unwrap();
    reports::review(
        &mut archive,
        &actor,
        report,
        &ReportReview {
            reviewer: "李老师".to_string(),
            comment: "认识深刻".to_string(),
            date: as_of(),
        },
    )
    .unwrap();
    lifecycle::record_status(
        &mut archive,
        &actor,
        full,
        EventKind::TransferredOut,
        as_of(),
        Some("毕业".to_string()),
        as_of(),
    )
    .unwrap();
    let out = temp.root.parent().unwrap().join("名册.xlsx");
    export_national(&archive, &actor, &out);
    dangan::backup::create(
        &mut archive,
        &actor,
        dangan::backup::BackupReason::Manual,
        None,
    )
    .unwrap();
    // The demo's 5 accounts, this login, then member_view ×2, report_add, report_review,
    // status_record, export, backup.
    let entries = audit::verify(&archive, &actor).unwrap().entries;
    assert_eq!(entries, 5 + 1 + 7);
    entries
}

#[test]
fn real_operations_leave_a_chain_that_verifies_and_can_be_filtered() {
    let temp = TempArchive::demo(60);
    let expected = with_operations(&temp);
    // The CLI's own login is one more entry.
    let verified = json(temp.dangan(&["audit", "verify", "--json"]));
    assert_eq!(verified["ok"], true, "{verified}");
    assert_eq!(verified["entries"], expected + 1);
    assert_eq!(verified["head"]["seq"], expected + 1);

    let all = operations(&json(temp.dangan(&["audit", "list", "--json"])));
    let actions: Vec<&str> = all.iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(
        actions,
        [
            "backup",
            "export",
            "status_record",
            "report_review",
            "report_add",
            "member_view",
            "member_view"
        ]
    );
    assert!(all.iter().all(|e| e["actor"] == "admin"));
    // Changes carry before/after.
    assert_eq!(
        all[3]["detail"]["before"]["reviewer"],
        serde_json::Value::Null
    );
    assert_eq!(all[3]["detail"]["after"]["reviewer"], "李老师");
    assert_eq!(all[2]["detail"]["after"]["kind"], "transferred_out");

    let archive = temp.open();
    let actor = admin(&archive);
    let applicant = first(&archive, &actor, Stage::Applicant);
    let of_applicant = audit::list(
        &archive,
        &actor,
        &AuditQuery {
            member_id: Some(applicant),
            ..AuditQuery::default()
        },
    )
    .unwrap();
    let codes: Vec<&str> = of_applicant.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(codes, ["report_review", "report_add", "member_view"]);
    let views = json(temp.dangan(&[
        "audit",
        "list",
        "--action",
        "member_view",
        "--limit",
        "1",
        "--json",
    ]));
    assert_eq!(views.as_array().unwrap().len(), 1);
    let today = chrono::Utc::now().date_naive().to_string();
    let none_before = json(temp.dangan(&["audit", "list", "--to", "2000-01-01", "--json"]));
    assert_eq!(none_before.as_array().unwrap().len(), 0);
    let todays = json(temp.dangan(&["audit", "list", "--from", &today, "--json"]));
    assert_eq!(operations(&todays).len(), 7);
    temp.dangan(&["audit", "list", "--action", "nonsense"])
        .assert()
        .code(2);
}

#[test]
fn a_refused_write_leaves_no_entry() {
    let temp = TempArchive::demo(60);
    let mut archive = temp.open();
    let actor = admin(&archive);
    let applicant = first(&archive, &actor, Stage::Applicant);
    let before = audit::verify(&archive, &actor).unwrap().entries;
    // Step 24 (转正) for an applicant breaks the order rule, which blocks.
    let err = lifecycle::add_step(
        &mut archive,
        &actor,
        &StepRequest {
            member_id: applicant,
            step: 24,
            date: as_of(),
            people: Vec::new(),
            note: None,
        },
        as_of(),
    )
    .unwrap_err();
    assert!(matches!(err, LifecycleError::Blocked { .. }), "{err:?}");
    // A member that does not exist is not a view.
    assert!(people::show(&archive, &actor, 999_999).is_err());
    let after = audit::verify(&archive, &actor).unwrap();
    assert!(after.ok);
    assert_eq!(after.entries, before);
}

#[test]
fn the_log_refuses_updates_and_deletes_through_sql() {
    let temp = TempArchive::demo(60);
    with_operations(&temp);
    let conn = raw_connection(&temp.db_path());
    let err = conn
        .execute("UPDATE audit_log SET actor = 'x' WHERE seq = 1", [])
        .unwrap_err();
    assert!(err.to_string().contains("append-only"), "{err}");
    assert!(
        conn.execute("DELETE FROM audit_log WHERE seq = 1", [])
            .is_err()
    );
}

/// Tampering as someone with the sqlite3 shell would: drop the guards, then change rows.
fn tamper(temp: &TempArchive, sql: &str) {
    let conn = raw_connection(&temp.db_path());
    conn.execute_batch(&format!(
        "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; {sql}"
    ))
    .unwrap();
}

#[rstest]
#[case::detail("UPDATE audit_log SET detail = '{}' WHERE seq = 4", 4, "edited")]
#[case::at(
    "UPDATE audit_log SET at = '2020-01-01T00:00:00.000Z' WHERE seq = 3",
    3,
    "edited"
)]
#[case::actor("UPDATE audit_log SET actor = 'someone' WHERE seq = 5", 5, "edited")]
#[case::middle_deleted("DELETE FROM audit_log WHERE seq = 2", 2, "missing")]
// The CLI's own login appends after the deleted tail, so the tail shows as a gap.
#[case::tail_deleted("DELETE FROM audit_log WHERE seq >= 6", 6, "missing")]
#[case::renumbered(
    "DELETE FROM audit_log WHERE seq = 3; UPDATE audit_log SET seq = seq - 1 WHERE seq > 3;",
    3,
    "broken_link"
)]
fn tampering_is_found_at_the_entry(
    #[case] sql: &str,
    #[case] first_bad: i64,
    #[case] problem: &str,
) {
    let temp = TempArchive::demo(60);
    assert_eq!(with_operations(&temp), 13);
    temp.dangan(&["audit", "verify"]).assert().success();
    tamper(&temp, sql);
    let output = temp
        .dangan(&["audit", "verify", "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(6));
    let result: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(result["ok"], false);
    assert_eq!(result["first_bad_seq"], first_bad, "{result}");
    assert_eq!(result["problem_code"], problem, "{result}");
    assert!(
        String::from_utf8_lossy(&output.stderr).contains(&format!("第 {first_bad} 条"))
            || problem == "truncated"
    );
}

/// An import appends its rows' entries with the chain's head written once at the end: the chain
/// still verifies, counts one entry per member, and the next write continues it.
#[test]
fn an_import_keeps_the_chain_whole_and_the_next_entry_follows_it() {
    let source = TempArchive::demo(40);
    let source_archive = source.open();
    let source_actor = admin(&source_archive);
    let roster_file = source.root.with_file_name("名册.xlsx");
    export_national(&source_archive, &source_actor, &roster_file);

    let target = TempArchive::new();
    let mut archive = Archive::open(&target.root).unwrap();
    let actor = crate::util::bootstrap(&mut archive);
    let before = audit::verify(&archive, &actor).unwrap().entries;
    let options = roster::ImportOptions {
        sheet: None,
        dry_run: false,
        skip_invalid: false,
        as_of: as_of(),
        create_branches: true,
        columns: Vec::new(),
    };
    let report = roster::import(&mut archive, &actor, &roster_file, &options).unwrap();
    assert!(report.committed && report.created == 40, "{report:?}");
    let after = audit::verify(&archive, &actor).unwrap();
    assert!(after.ok, "{after:?}");
    // One entry per member, the batch's commit, and the before-import backup.
    assert_eq!(after.entries, before + 40 + 2);
    assert_eq!(after.head.as_ref().unwrap().seq, after.entries);

    let member = first(&archive, &actor, Stage::Applicant);
    people::show(&archive, &actor, member).unwrap();
    let next = audit::verify(&archive, &actor).unwrap();
    assert!(next.ok, "{next:?}");
    assert_eq!(next.entries, after.entries + 1);
}

/// The whole archive exported as a national-format roster.
fn export_national(archive: &Archive, actor: &Actor, out: &std::path::Path) {
    let options = ExportOptions {
        branch_id: None,
        stage: None,
        format: ExportFormat::National,
        encoding: TextEncoding::Utf8Bom,
        as_of: as_of(),
    };
    roster::export(archive, actor, out, &options).unwrap();
}
