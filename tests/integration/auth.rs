//! Accounts and scopes: lockout and unlock, password change and reset, and the scope test — a
//! counselor of one college tries every read and write on another college's member, meeting and
//! report through the core and through the CLI: all refused, all in the audit trail, and the
//! lists show only their own college.

use chrono::{Duration, Utc};
use dangan::audit::{self, AuditQuery};
use dangan::auth::{self, AuthError, NewUser};
use dangan::lifecycle::{self, CheckRequest, StepRequest};
use dangan::meetings;
use dangan::pdf::batch::{self, BatchScope};
use dangan::people::{self, EventKind, MemberQuery, MemberSummary};
use dangan::reports::{self, NewThoughtReport, ReportReview};
use dangan::{Actor, Archive, ErrorCode, Role, appraisals, search, stats};

use crate::util::{TempArchive, admin, as_of, json};

fn login(archive: &Archive, user: &str) -> Actor {
    let password = auth::DEMO_ACCOUNTS
        .iter()
        .find(|a| a.username == user)
        .unwrap()
        .password;
    auth::login(archive, user, password).unwrap()
}

fn denied(archive: &Archive, admin: &Actor) -> usize {
    audit::list(
        archive,
        admin,
        &AuditQuery {
            action: Some("access_denied".into()),
            limit: Some(100_000),
            ..AuditQuery::default()
        },
    )
    .unwrap()
    .len()
}

#[test]
fn five_wrong_passwords_lock_the_account_until_the_time_said_or_an_unlock() {
    let temp = TempArchive::demo(20);
    let mut archive = temp.open();
    let now = Utc::now();
    for attempt in 1..=4 {
        let err = auth::login_at(&archive, "viewer", "wrong-password", now).unwrap_err();
        assert_eq!(err.code(), "bad_credentials", "attempt {attempt}");
    }
    let err = auth::login_at(&archive, "viewer", "wrong-password", now).unwrap_err();
    let AuthError::Locked { until, .. } = &err else {
        panic!("{err:?}")
    };
    assert!(err.to_string().contains(until.as_str()), "{err}");
    // Locked: even the right password is refused until then.
    let err = auth::login_at(
        &archive,
        "viewer",
        "demo-viewer",
        now + Duration::minutes(14),
    );
    assert_eq!(err.unwrap_err().code(), "account_locked");
    auth::login_at(
        &archive,
        "viewer",
        "demo-viewer",
        now + Duration::minutes(16),
    )
    .unwrap();

    // Locked again, then unlocked by the admin.
    for _ in 0..5 {
        let _ = auth::login_at(&archive, "viewer", "wrong-password", now);
    }
    assert_eq!(
        auth::login_at(&archive, "viewer", "demo-viewer", now)
            .unwrap_err()
            .code(),
        "account_locked"
    );
    let admin = admin(&archive);
    let viewer_actor = login_after_unlock(&mut archive, &admin);
    assert_eq!(viewer_actor.role(), Role::Viewer);
    // Only an admin unlocks.
    let err = auth::unlock(&mut archive, &viewer_actor, "viewer").unwrap_err();
    assert_eq!(err.code(), "forbidden");

    let failures = audit::list(
        &archive,
        &admin,
        &AuditQuery {
            action: Some("login_failed".into()),
            ..AuditQuery::default()
        },
    )
    .unwrap();
    assert_eq!(failures.len(), 12, "every failed login is audited");
    assert!(failures.iter().all(|e| e.actor == "viewer"));
}

fn login_after_unlock(archive: &mut Archive, admin: &Actor) -> Actor {
    auth::unlock(archive, admin, "viewer").unwrap();
    auth::login(archive, "viewer", "demo-viewer").unwrap()
}

#[test]
fn passwords_change_with_the_old_one_and_reset_by_an_admin() {
    let temp = TempArchive::demo(20);
    let mut archive = temp.open();
    let clerk = login(&archive, "clerk");
    let err = auth::change_password(&mut archive, &clerk, "not-the-old", "new-password-1");
    assert_eq!(err.unwrap_err().code(), "bad_credentials");
    let err = auth::change_password(&mut archive, &clerk, "demo-clerk", "short");
    assert_eq!(err.unwrap_err().code(), "invalid_argument");
    auth::change_password(&mut archive, &clerk, "demo-clerk", "new-password-1").unwrap();
    assert!(auth::login(&archive, "clerk", "demo-clerk").is_err());
    auth::login(&archive, "clerk", "new-password-1").unwrap();

    // A clerk may not reset, create or list users; the admin may.
    assert_eq!(
        auth::reset_password(&mut archive, &clerk, "viewer", "whatever-1")
            .unwrap_err()
            .code(),
        "forbidden"
    );
    assert_eq!(
        auth::list_users(&archive, &clerk).unwrap_err().code(),
        "forbidden"
    );
    let admin = admin(&archive);
    auth::reset_password(&mut archive, &admin, "clerk", "reset-password").unwrap();
    auth::login(&archive, "clerk", "reset-password").unwrap();
    let branch = auth::find_unit(&archive, "机械工程学院党委/本科生第一党支部").unwrap();
    let created = auth::create_user(
        &mut archive,
        &admin,
        &NewUser {
            username: "zhang".into(),
            display_name: Some("张书记".into()),
            role: Role::Secretary,
            password: "zhang-password".into(),
            scope_unit_ids: vec![branch],
        },
    )
    .unwrap();
    assert_eq!(created.scope, ["机械工程学院党委/本科生第一党支部"]);
    let users = auth::list_users(&archive, &admin).unwrap();
    assert_eq!(users.len(), 6);
    let actions: Vec<String> = audit::list(&archive, &admin, &AuditQuery::default())
        .unwrap()
        .into_iter()
        .map(|e| e.action)
        .collect();
    for action in ["user_password", "user_reset", "user_create"] {
        assert!(actions.iter().any(|a| a == action), "{action}: {actions:?}");
    }
}

/// A member, a meeting and a thought report of a branch outside the counselor's college.
struct Elsewhere {
    member: MemberSummary,
    branch_id: i64,
    meeting_id: i64,
    report_id: i64,
}

fn elsewhere(archive: &Archive, admin: &Actor, counselor: &Actor) -> Elsewhere {
    let everyone = people::list_all(archive, admin, &MemberQuery::default()).unwrap();
    for member in everyone
        .iter()
        .filter(|m| !counselor.sees_unit(m.branch_id))
    {
        let Some(branch_id) = member.branch_id else {
            continue;
        };
        let meetings = meetings::list(archive, admin, Some(branch_id), None, None, None).unwrap();
        let reports = reports::list(archive, admin, member.id).unwrap();
        if let (Some(meeting), Some(report)) = (meetings.first(), reports.first()) {
            return Elsewhere {
                member: member.clone(),
                branch_id,
                meeting_id: meeting.id,
                report_id: report.id,
            };
        }
    }
    panic!("no member elsewhere with a meeting and a report");
}

#[test]
fn a_counselor_cannot_read_or_write_another_college_through_the_core() {
    let temp = TempArchive::demo(400);
    let mut archive = temp.open();
    let admin = admin(&archive);
    let counselor = login(&archive, "counselor");
    assert!(!counselor.sees_all());
    let b = elsewhere(&archive, &admin, &counselor);
    let before = denied(&archive, &admin);

    let mut refusals: Vec<(&str, String)> = Vec::new();
    let mut expect = |what: &'static str, code: &str| refusals.push((what, code.to_string()));

    expect(
        "people::show",
        people::show(&archive, &counselor, b.member.id)
            .unwrap_err()
            .code(),
    );
    let step = StepRequest {
        member_id: b.member.id,
        step: 2,
        date: as_of(),
        people: Vec::new(),
        note: None,
    };
    expect(
        "lifecycle::add_step",
        lifecycle::add_step(&mut archive, &counselor, &step, as_of())
            .unwrap_err()
            .code(),
    );
    expect(
        "lifecycle::preview_step",
        lifecycle::preview_step(&archive, &counselor, &step, as_of())
            .unwrap_err()
            .code(),
    );
    expect(
        "lifecycle::record_status",
        lifecycle::record_status(
            &mut archive,
            &counselor,
            b.member.id,
            EventKind::TransferredOut,
            as_of(),
            None,
            as_of(),
        )
        .unwrap_err()
        .code(),
    );
    expect(
        "lifecycle::plan",
        lifecycle::plan(&archive, &counselor, b.member.id, as_of())
            .unwrap_err()
            .code(),
    );
    expect(
        "lifecycle::materials",
        lifecycle::materials(&archive, &counselor, b.member.id)
            .unwrap_err()
            .code(),
    );
    expect(
        "lifecycle::event_files",
        lifecycle::event_files(&archive, &counselor, b.member.id)
            .unwrap_err()
            .code(),
    );
    let member_check = CheckRequest {
        member_id: Some(b.member.id),
        branch_id: None,
        as_of: as_of(),
    };
    expect(
        "lifecycle::check member",
        lifecycle::check(&archive, &counselor, &member_check)
            .unwrap_err()
            .code(),
    );
    let branch_check = CheckRequest {
        member_id: None,
        branch_id: Some(b.branch_id),
        as_of: as_of(),
    };
    expect(
        "lifecycle::check branch",
        lifecycle::check(&archive, &counselor, &branch_check)
            .unwrap_err()
            .code(),
    );
    expect(
        "lifecycle::due branch",
        lifecycle::due(
            &archive,
            &counselor,
            Some(b.branch_id),
            as_of(),
            as_of(),
            as_of(),
        )
        .unwrap_err()
        .code(),
    );
    let first_event = people::show(&archive, &admin, b.member.id).unwrap().events[0].id;
    expect(
        "lifecycle::correct_step",
        lifecycle::correct_step(
            &mut archive,
            &counselor,
            first_event,
            &lifecycle::StepCorrection {
                date: as_of(),
                people: Vec::new(),
                note: Some("x".into()),
            },
            as_of(),
        )
        .unwrap_err()
        .code(),
    );
    let report = NewThoughtReport {
        member_id: b.member.id,
        date: as_of(),
        period: None,
        title: None,
        body: "敬爱的党组织：".into(),
    };
    expect(
        "reports::add",
        reports::add(&mut archive, &counselor, &report, as_of())
            .unwrap_err()
            .code(),
    );
    expect(
        "reports::list",
        reports::list(&archive, &counselor, b.member.id)
            .unwrap_err()
            .code(),
    );
    expect(
        "reports::show",
        reports::show(&archive, &counselor, b.report_id)
            .unwrap_err()
            .code(),
    );
    expect(
        "reports::review",
        reports::review(
            &mut archive,
            &counselor,
            b.report_id,
            &ReportReview {
                reviewer: "王老师".into(),
                comment: "好".into(),
                date: as_of(),
            },
        )
        .unwrap_err()
        .code(),
    );
    expect(
        "reports::unreviewed branch",
        reports::unreviewed(&archive, &counselor, Some(b.branch_id), 10)
            .unwrap_err()
            .code(),
    );
    expect(
        "meetings::show",
        meetings::show(&archive, &counselor, b.meeting_id)
            .unwrap_err()
            .code(),
    );
    expect(
        "meetings::list branch",
        meetings::list(&archive, &counselor, Some(b.branch_id), None, None, None)
            .unwrap_err()
            .code(),
    );
    expect(
        "meetings::roll",
        meetings::roll(&archive, &counselor, b.branch_id, as_of())
            .unwrap_err()
            .code(),
    );
    expect(
        "meetings::of_member",
        meetings::of_member(&archive, &counselor, b.member.id)
            .unwrap_err()
            .code(),
    );
    expect(
        "meetings::compliance",
        meetings::compliance(&archive, &counselor, b.branch_id, 2025, as_of())
            .unwrap_err()
            .code(),
    );
    expect(
        "appraisals::list",
        appraisals::list(&archive, &counselor, b.branch_id, 2025)
            .unwrap_err()
            .code(),
    );
    expect(
        "appraisals::of_member",
        appraisals::of_member(&archive, &counselor, b.member.id)
            .unwrap_err()
            .code(),
    );
    expect(
        "pdf batch members",
        batch::members(
            &archive,
            &counselor,
            &BatchScope::Members(vec![b.member.id]),
        )
        .unwrap_err()
        .code(),
    );
    expect(
        "pdf batch branch",
        batch::members(&archive, &counselor, &BatchScope::Branch(b.branch_id))
            .unwrap_err()
            .code(),
    );
    // Beyond the role, whatever the scope.
    expect(
        "audit::list",
        audit::list(&archive, &counselor, &AuditQuery::default())
            .unwrap_err()
            .code(),
    );
    expect(
        "backup::create",
        dangan::backup::create(
            &mut archive,
            &counselor,
            dangan::backup::BackupReason::Manual,
            None,
        )
        .unwrap_err()
        .code(),
    );
    let n = refusals.len();
    for (what, code) in &refusals {
        assert_eq!(code, "forbidden", "{what}");
    }
    assert_eq!(
        denied(&archive, &admin) - before,
        n,
        "every refusal is audited"
    );

    // Nothing was written for member B.
    let after = people::show(&archive, &admin, b.member.id).unwrap();
    assert_eq!(after.stage, b.member.stage);

    // The lists show only the counselor's college.
    let mine = people::list_all(&archive, &counselor, &MemberQuery::default()).unwrap();
    let everyone = people::list_all(&archive, &admin, &MemberQuery::default()).unwrap();
    assert!(!mine.is_empty() && mine.len() < everyone.len());
    assert!(mine.iter().all(|m| counselor.sees_unit(m.branch_id)));
    let expected = everyone
        .iter()
        .filter(|m| counselor.sees_unit(m.branch_id))
        .count();
    assert_eq!(mine.len(), expected);
    let hits = search::search(&archive, &counselor, &b.member.name, 100).unwrap();
    assert!(
        hits.hits.iter().all(|h| h.member_id != Some(b.member.id)),
        "{:?}",
        hits.hits
    );
    let all_hits = search::search(&archive, &admin, &b.member.name, 100).unwrap();
    assert!(
        all_hits
            .hits
            .iter()
            .any(|h| h.member_id == Some(b.member.id))
    );
    let counted = stats::stats(&archive, &counselor, as_of()).unwrap();
    assert_eq!(counted.members, expected);
    assert!(
        counted
            .meetings
            .iter()
            .all(|m| counselor.sees_unit(Some(m.branch_id)))
    );
    let meetings = meetings::list(&archive, &counselor, None, None, None, None).unwrap();
    assert!(!meetings.is_empty());
    assert!(
        meetings
            .iter()
            .all(|m| counselor.sees_unit(Some(m.branch_id)))
    );
    let due = lifecycle::due(&archive, &counselor, None, as_of(), as_of(), as_of()).unwrap();
    let visible: std::collections::HashSet<i64> = mine.iter().map(|m| m.id).collect();
    assert!(due.iter().all(|d| visible.contains(&d.member_id)));
    let reminders = dangan::reminders::reminders(
        &archive,
        &counselor,
        None,
        as_of() - Duration::days(60),
        as_of(),
        as_of(),
    )
    .unwrap();
    assert!(
        reminders
            .iter()
            .all(|r| r.branch_id.is_none_or(|id| counselor.sees_unit(Some(id))))
    );
    let unreviewed = reports::unreviewed(&archive, &counselor, None, 1000).unwrap();
    assert!(
        unreviewed
            .reports
            .iter()
            .all(|r| visible.contains(&r.member_id))
    );
}

#[test]
fn a_counselor_is_refused_through_the_cli_with_exit_7_and_every_refusal_is_audited() {
    let temp = TempArchive::demo(400);
    let archive = temp.open();
    let admin = admin(&archive);
    let counselor = login(&archive, "counselor");
    let b = elsewhere(&archive, &admin, &counselor);
    let before = denied(&archive, &admin);
    drop(archive);

    let member = b.member.id.to_string();
    let meeting = b.meeting_id.to_string();
    let report = b.report_id.to_string();
    let branch = b.branch_id.to_string();
    let out = temp.root.join("x.xlsx");
    let backup = temp.root.join("x.db");
    let commands: Vec<Vec<&str>> = vec![
        vec!["member", "show", &member],
        vec!["member", "list", "--branch", &branch],
        vec!["step", "add", &member, "2", "--date", "2026-11-20"],
        vec!["step", "list", &member],
        vec!["plan", &member],
        vec!["materials", &member],
        vec!["check", "--member", &member],
        vec!["check", "--branch", &branch],
        vec![
            "status",
            "add",
            &member,
            "transferred_out",
            "--date",
            "2026-11-20",
        ],
        vec!["report", "list", &member],
        vec!["report", "show", &report],
        vec![
            "report",
            "review",
            &report,
            "--reviewer",
            "王老师",
            "--comment",
            "好",
        ],
        vec![
            "report",
            "add",
            &member,
            "--date",
            "2026-10-15",
            "--text",
            "敬爱的党组织：",
        ],
        vec!["meeting", "show", &meeting],
        vec!["meeting", "list", "--branch", &branch],
        vec!["reminders", "--branch", &branch],
        vec!["dossier", &member, "--out", "/tmp/never.pdf"],
        vec!["export", out.to_str().unwrap()],
        vec!["backup", "--out", backup.to_str().unwrap()],
        vec!["audit", "list"],
        vec!["user", "list"],
    ];
    for args in &commands {
        let output = temp
            .dangan(args)
            .env("DANGAN_USER", "counselor")
            .env("DANGAN_PASSWORD", "demo-counselor")
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(7),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(
            String::from_utf8_lossy(&output.stderr).contains("无权"),
            "{args:?}"
        );
    }
    let archive = temp.open();
    assert_eq!(denied(&archive, &admin) - before, commands.len());

    // A wrong password or no user at all: exit 8.
    temp.dangan(&["info"])
        .env("DANGAN_PASSWORD", "nope-nope")
        .assert()
        .code(8);
    temp.dangan(&["info"])
        .env_remove("DANGAN_USER")
        .assert()
        .code(8);

    // The counselor's own list is their college.
    let mut list = temp.dangan(&["member", "list", "--json"]);
    list.env("DANGAN_USER", "counselor")
        .env("DANGAN_PASSWORD", "demo-counselor");
    let mine = json(list);
    let mine = mine.as_array().unwrap();
    assert!(!mine.is_empty());
    assert!(
        mine.iter()
            .all(|m| counselor.sees_unit(m["branch_id"].as_i64()))
    );
    let users = json(temp.dangan(&["user", "list", "--json"]));
    assert_eq!(users.as_array().unwrap().len(), 5);
}

#[test]
fn a_viewer_may_not_upload_a_roster_name_an_export_or_read_a_generated_pdf() {
    let temp = TempArchive::demo(20);
    let archive = temp.open();
    let viewer = login(&archive, "viewer");
    let admin = admin(&archive);
    let before = denied(&archive, &admin);
    let upload = dangan::roster::save_upload(&archive, &viewer, "名册.csv", b"x");
    assert_eq!(upload.unwrap_err().code(), "forbidden");
    let export = dangan::roster::export_path(&archive, &viewer, "名册.xlsx");
    assert_eq!(export.unwrap_err().code(), "forbidden");
    let saved = dangan::roster::save_upload(&archive, &admin, "名册.csv", b"x").unwrap();
    let discard = dangan::roster::discard_upload(&archive, &viewer, &saved);
    assert_eq!(discard.unwrap_err().code(), "forbidden");
    assert!(saved.exists(), "a refused discard leaves the upload");
    let pdf = dangan::pdf::exports::dir(&archive).join("a.pdf");
    let read = dangan::pdf::exports::read(&archive, &viewer, &pdf, &[]);
    assert_eq!(read.unwrap_err().code(), "forbidden");
    assert_eq!(
        denied(&archive, &admin),
        before + 4,
        "each refusal is audited"
    );
    // Nothing was written for the refused upload.
    assert_eq!(
        std::fs::read_dir(saved.parent().unwrap().parent().unwrap())
            .unwrap()
            .count(),
        1
    );
}

/// A stored file is read by hash (`documents::read`, the app's `documents_read`): knowing the
/// hash of another college's member's report is not enough, the file must belong to someone in
/// the counselor's scope. The refusal is audited.
#[test]
fn a_counselor_cannot_read_another_colleges_file_by_its_hash() {
    use sha2::Digest;
    let temp = TempArchive::demo(200);
    let archive = temp.open();
    let admin = admin(&archive);
    let counselor = login(&archive, "counselor");
    let everyone = people::list_all(&archive, &admin, &MemberQuery::default()).unwrap();
    let mine = everyone
        .iter()
        .find(|m| counselor.sees_unit(m.branch_id))
        .unwrap()
        .id;
    let theirs = everyone
        .iter()
        .find(|m| m.branch_id.is_some() && !counselor.sees_unit(m.branch_id))
        .unwrap()
        .id;
    drop(archive);
    let mut hashes = Vec::new();
    for (member, text) in [(mine, "本支部的汇报"), (theirs, "别的学院的汇报")] {
        let file = temp.root.with_file_name(format!("汇报{member}.txt"));
        std::fs::write(&file, format!("敬爱的党组织：{text}\n")).unwrap();
        json(temp.dangan(&[
            "report",
            "add",
            &member.to_string(),
            "--file",
            file.to_str().unwrap(),
            "--json",
        ]));
        hashes.push(hex::encode(sha2::Sha256::digest(
            std::fs::read(&file).unwrap(),
        )));
    }
    let archive = temp.open();
    let before = denied(&archive, &admin);
    let own = dangan::documents::read(&archive, &counselor, &hashes[0]).unwrap();
    assert!(String::from_utf8(own).unwrap().contains("本支部的汇报"));
    let err = dangan::documents::read(&archive, &counselor, &hashes[1]).unwrap_err();
    assert_eq!(err.code(), "forbidden");
    assert_eq!(denied(&archive, &admin), before + 1);
    // The admin (whole archive) reads both.
    dangan::documents::read(&archive, &admin, &hashes[1]).unwrap();
}
