//! `dangan check` and `dangan rules`: the demo is clean but for what it plants, and each planted
//! problem is found with its rule and source.

use std::collections::BTreeSet;

use crate::util::{AS_OF, TempArchive, json};

#[test]
fn check_finds_exactly_the_problems_the_demo_plants() {
    let temp = TempArchive::demo(2000);
    let planted: BTreeSet<(i64, String)> = temp
        .demo
        .as_ref()
        .unwrap()
        .planted
        .iter()
        .map(|p| (p.member_id, p.rule.to_string()))
        .collect();
    assert_eq!(
        planted.len(),
        3,
        "the demo plants three problems: {planted:?}"
    );

    let findings = json(temp.dangan(&["check", "--as-of", AS_OF, "--json"]));
    let findings = findings.as_array().unwrap();
    let found: BTreeSet<(i64, String)> = findings
        .iter()
        .map(|f| {
            (
                f["member_id"].as_i64().unwrap(),
                f["rule"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(found, planted);
    for finding in findings {
        for key in [
            "member_id",
            "name",
            "rule",
            "source",
            "severity",
            "message",
            "dates",
        ] {
            assert!(finding.get(key).is_some(), "{key} missing from {finding}");
        }
        assert!(
            finding["source"].as_str().unwrap().contains("《"),
            "{finding}"
        );
        assert!(!finding["dates"].as_array().unwrap().is_empty());
    }
    let talk = findings
        .iter()
        .find(|f| f["rule"] == "talk_within_one_month")
        .unwrap();
    assert_eq!(talk["severity"], "warn");
    assert!(talk["message"].as_str().unwrap().contains("40天"), "{talk}");
    let target = findings
        .iter()
        .find(|f| f["rule"] == "activist_at_least_one_year")
        .unwrap();
    assert_eq!(target["severity"], "block");
}

#[test]
fn check_can_be_limited_to_a_member_or_a_branch() {
    let temp = TempArchive::demo(2000);
    let problem = &temp.demo.as_ref().unwrap().planted[0];
    let id = problem.member_id.to_string();
    let findings = json(temp.dangan(&["check", "--member", &id, "--as-of", AS_OF, "--json"]));
    assert_eq!(findings.as_array().unwrap().len(), 1);
    assert_eq!(findings[0]["rule"], problem.rule);

    let clean = json(temp.dangan(&["check", "--member", "1", "--as-of", AS_OF, "--json"]));
    assert!(clean.as_array().unwrap().is_empty(), "{clean}");
    temp.dangan(&["check", "--member", "999999"])
        .assert()
        .code(4);

    let branch = "医学院/教职工党支部";
    let staff = json(temp.dangan(&["check", "--branch", branch, "--as-of", AS_OF, "--json"]));
    assert!(staff.as_array().unwrap().is_empty(), "{staff}");
}

#[test]
fn rules_list_names_every_rule_with_its_source() {
    let temp = TempArchive::demo(10);
    let sets = json(temp.dangan(&["rules", "list", "--json"]));
    let national = &sets[0];
    assert_eq!(national["id"], "national-2014");
    assert_eq!(national["kind"], "national");
    assert_eq!(national["effective_from"], "2014-06-10");
    let rules = national["rule"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    for id in [
        "talk_within_one_month",
        "activist_at_least_one_year",
        "two_introducers",
        "probation_one_year",
    ] {
        assert!(ids.contains(&id), "{id} missing from {ids:?}");
    }
    assert!(
        rules
            .iter()
            .all(|r| r["source"].is_string() && r["severity"].is_string())
    );
}

/// An activist whose step 3 is more than a year old and who has no step 7 yet.
fn seasoned_activist(temp: &TempArchive) -> (String, chrono::NaiveDate) {
    let activists = json(temp.dangan(&["member", "list", "--stage", "activist", "--json"]));
    for row in activists.as_array().unwrap() {
        let id = row["id"].as_i64().unwrap().to_string();
        let steps = json(temp.dangan(&["step", "list", &id, "--json"]));
        let activist_on = steps
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["step"] == 3)
            .map(|e| {
                chrono::NaiveDate::parse_from_str(e["date"].as_str().unwrap(), "%Y-%m-%d").unwrap()
            });
        if let Some(on) = activist_on
            && on < crate::util::as_of() - chrono::Days::new(400)
        {
            return (id, on);
        }
    }
    panic!("the demo has no activist of more than a year");
}

#[test]
fn step_add_refuses_a_blocking_step_and_records_an_allowed_one() {
    let temp = TempArchive::demo(600);
    let (id, activist_on) = seasoned_activist(&temp);
    let too_early = (activist_on + chrono::Days::new(300)).to_string();
    temp.dangan(&[
        "step", "add", &id, "7", "--date", &too_early, "--as-of", AS_OF,
    ])
    .assert()
    .code(5)
    .stderr(predicates::str::contains("至少应满12个月"));
    let before = json(temp.dangan(&["step", "list", &id, "--json"]));
    assert!(
        before.as_array().unwrap().iter().all(|e| e["step"] != 7),
        "a refused step was written"
    );

    let a_year_on = activist_on
        .checked_add_months(chrono::Months::new(12))
        .unwrap()
        .to_string();
    let outcome = json(temp.dangan(&[
        "step",
        "add",
        &id,
        "7",
        "--date",
        &a_year_on,
        "--people",
        "other:党支部书记",
        "--as-of",
        AS_OF,
        "--json",
    ]));
    assert!(outcome["event_id"].as_i64().unwrap() > 0);
    assert!(
        outcome["findings"].as_array().unwrap().is_empty(),
        "{outcome}"
    );
    let after = json(temp.dangan(&["step", "list", &id, "--json"]));
    let target = after
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["step"] == 7)
        .unwrap();
    assert_eq!(target["date"], a_year_on.as_str());
    assert_eq!(target["people"][0]["name"], "党支部书记");
    let member = json(temp.dangan(&["member", "show", &id, "--json"]));
    assert_eq!(member["stage"], "development_target");

    temp.dangan(&[
        "step", "add", &id, "7", "--date", &a_year_on, "--as-of", AS_OF,
    ])
    .assert()
    .code(1)
    .stderr(predicates::str::contains("already recorded"));
    temp.dangan(&["step", "add", &id, "26", "--date", &a_year_on])
        .assert()
        .code(2);
}

const LOCAL_SET: &str = r#"
id = "demo-university-2025"
title = "示范大学发展党员工作实施细则"
kind = "local"
effective_from = "2025-01-01"
source = "示大党发〔2024〕12号"

[[rule]]
id = "activist_at_least_one_year"
title = "入党积极分子培养考察满一年半方可列为发展对象"
source = "示大党发〔2024〕12号 第八条"
severity = "block"
check = "min_interval"
from = 3
to = 7
months = 18
"#;

#[test]
fn a_local_rule_set_tightens_the_checks_from_its_date() {
    let temp = TempArchive::demo(2000);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("local.toml");
    std::fs::write(&file, LOCAL_SET).unwrap();
    let file = file.to_str().unwrap();

    let loaded = json(temp.dangan(&["rules", "load", file, "--json"]));
    assert_eq!(loaded["id"], "demo-university-2025");
    let sets = json(temp.dangan(&["rules", "list", "--json"]));
    assert_eq!(sets.as_array().unwrap().len(), 2);

    let findings = json(temp.dangan(&["check", "--as-of", AS_OF, "--json"]));
    let local: Vec<_> = findings
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule_set"] == "demo-university-2025")
        .collect();
    assert!(!local.is_empty(), "the stricter local rule found nothing");
    for finding in local {
        assert_eq!(finding["source"], "示大党发〔2024〕12号 第八条");
        // Only steps dated from the local set's effective date are held to it.
        assert!(
            finding["dates"][1].as_str().unwrap() >= "2025-01-01",
            "{finding}"
        );
    }

    temp.dangan(&["rules", "load", file])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("already loaded"));
}

#[test]
fn a_rule_set_that_loosens_or_does_not_parse_is_refused() {
    let temp = TempArchive::demo(10);
    let dir = tempfile::tempdir().unwrap();
    let loose = dir.path().join("loose.toml");
    std::fs::write(&loose, LOCAL_SET.replace("months = 18", "months = 6")).unwrap();
    temp.dangan(&["rules", "load", loose.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("6 months is less than 12"));
    let broken = dir.path().join("broken.toml");
    std::fs::write(&broken, "id = \"x\"\nkind = ").unwrap();
    temp.dangan(&["rules", "load", broken.to_str().unwrap()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("broken.toml"));
    let sets = json(temp.dangan(&["rules", "list", "--json"]));
    assert_eq!(sets.as_array().unwrap().len(), 1, "nothing was stored");
}

#[test]
fn plan_gives_earliest_dates_and_flags_students_who_leave_too_soon() {
    let temp = TempArchive::demo(600);
    let (id, activist_on) = seasoned_activist(&temp);
    let plan = json(temp.dangan(&["plan", &id, "--as-of", AS_OF, "--json"]));
    assert_eq!(plan["member_id"].as_i64().unwrap().to_string(), id);
    let steps = plan["steps"].as_array().unwrap();
    let target = steps.iter().find(|s| s["step"] == 7).unwrap();
    let a_year_on = activist_on
        .checked_add_months(chrono::Months::new(12))
        .unwrap();
    assert!(target["earliest"].as_str().unwrap() >= a_year_on.to_string().as_str());
    assert!(target["earliest"].as_str().unwrap() >= AS_OF);
    assert!(
        steps.iter().all(|s| s["step"] != 3),
        "recorded steps are not planned again"
    );

    let flagged = json(temp.dangan(&["plan", "--as-of", AS_OF, "--json"]));
    let flagged = flagged.as_array().unwrap();
    assert!(
        !flagged.is_empty(),
        "the demo has graduating students who cannot finish"
    );
    for plan in flagged {
        let leaves = plan["leaves_on"].as_str().unwrap();
        assert!(leaves >= AS_OF, "{plan}");
        for conflict in plan["conflicts"].as_array().unwrap() {
            assert!(
                [
                    "no_admission_before_leaving",
                    "probation_one_year",
                    "step_order"
                ]
                .contains(&conflict["rule"].as_str().unwrap())
            );
            assert!(conflict["message"].as_str().unwrap().contains(leaves));
        }
    }
}

#[test]
fn evidence_is_stored_once_by_hash_and_fills_the_materials_checklist() {
    let temp = TempArchive::demo(600);
    let (id, activist_on) = seasoned_activist(&temp);
    let before = json(temp.dangan(&["materials", &id, "--json"]));
    let letter = before
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["material"]["id"] == "application_letter")
        .unwrap();
    assert_eq!(letter["due"], true);
    assert_eq!(letter["missing"], true, "the demo files no scans");

    let dir = tempfile::tempdir().unwrap();
    let scan = dir.path().join("发展对象备案表.pdf");
    std::fs::write(&scan, b"%PDF-1.4 scanned").unwrap();
    let a_year_on = activist_on
        .checked_add_months(chrono::Months::new(12))
        .unwrap()
        .to_string();
    let scan_path = scan.to_str().unwrap();
    json(temp.dangan(&[
        "step", "add", &id, "7", "--date", &a_year_on, "--as-of", AS_OF, "--json",
    ]));
    json(temp.dangan(&[
        "step",
        "add",
        &id,
        "8",
        "--date",
        &a_year_on,
        "--evidence",
        scan_path,
        "--as-of",
        AS_OF,
        "--json",
    ]));
    let after = json(temp.dangan(&["materials", &id, "--json"]));
    let filing = after
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["material"]["id"] == "target_filing")
        .unwrap();
    assert_eq!(filing["files"][0]["file_name"], "发展对象备案表.pdf");
    let sha = filing["files"][0]["sha256"].as_str().unwrap();
    let stored = temp.root.join("files").join(&sha[..2]).join(sha);
    assert_eq!(std::fs::read(stored).unwrap(), b"%PDF-1.4 scanned");

    // An unknown material or an unreadable file is refused and nothing is recorded.
    let next = (activist_on
        .checked_add_months(chrono::Months::new(13))
        .unwrap())
    .to_string();
    temp.dangan(&[
        "step",
        "add",
        &id,
        "9",
        "--date",
        &next,
        "--people",
        "introducer:甲,introducer:乙",
        "--evidence",
        scan_path,
        "--material",
        "nonsense",
        "--as-of",
        AS_OF,
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::contains("nonsense"));
    temp.dangan(&[
        "step",
        "add",
        &id,
        "9",
        "--date",
        &next,
        "--people",
        "introducer:甲,introducer:乙",
        "--evidence",
        "/no/such/扫描件.pdf",
        "--as-of",
        AS_OF,
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::contains("扫描件.pdf"));
    let steps = json(temp.dangan(&["step", "list", &id, "--json"]));
    assert!(steps.as_array().unwrap().iter().all(|e| e["step"] != 9));
}

#[test]
fn a_correction_supersedes_the_event_and_keeps_it() {
    let temp = TempArchive::demo(2000);
    let planted = temp
        .demo
        .as_ref()
        .unwrap()
        .planted
        .iter()
        .find(|p| p.rule == "talk_within_one_month")
        .unwrap();
    let id = planted.member_id.to_string();
    let steps = json(temp.dangan(&["step", "list", &id, "--json"]));
    let applied = steps
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["step"] == 1)
        .unwrap()["date"]
        .as_str()
        .unwrap()
        .to_string();
    let talk = steps
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["step"] == 2)
        .unwrap();
    let talk_id = talk["id"].as_i64().unwrap().to_string();
    let applied = chrono::NaiveDate::parse_from_str(&applied, "%Y-%m-%d").unwrap();
    let right_day = (applied + chrono::Days::new(20)).to_string();

    // A correction that would put the talk before the application is refused.
    let wrong_day = (applied - chrono::Days::new(3)).to_string();
    temp.dangan(&[
        "step", "correct", &talk_id, "--date", &wrong_day, "--as-of", AS_OF,
    ])
    .assert()
    .code(5);

    let outcome = json(temp.dangan(&[
        "step",
        "correct",
        &talk_id,
        "--date",
        &right_day,
        "--people",
        "talker:王老师",
        "--note",
        "按谈话记录原件更正日期",
        "--as-of",
        AS_OF,
        "--json",
    ]));
    let new_id = outcome["event_id"].as_i64().unwrap();
    let after = json(temp.dangan(&["step", "list", &id, "--json"]));
    let talks: Vec<_> = after
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["step"] == 2)
        .collect();
    assert_eq!(talks.len(), 1, "only the current talk is on the timeline");
    assert_eq!(talks[0]["id"], new_id);
    assert_eq!(talks[0]["date"], right_day.as_str());
    assert_eq!(talks[0]["note"], "按谈话记录原件更正日期");
    let findings = json(temp.dangan(&["check", "--member", &id, "--as-of", AS_OF, "--json"]));
    assert!(findings.as_array().unwrap().is_empty(), "{findings}");

    // The old record is still in the archive, pointing to its correction.
    let conn = crate::util::raw_connection(&temp.db_path());
    let superseded_by: i64 = conn
        .query_row(
            "SELECT superseded_by FROM member_event WHERE id = ?1",
            [talk_id.parse::<i64>().unwrap()],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(superseded_by, new_id);
    temp.dangan(&[
        "step", "correct", &talk_id, "--date", &right_day, "--as-of", AS_OF,
    ])
    .assert()
    .code(4)
    .stderr(predicates::str::contains("already corrected"));
}

#[test]
fn status_changes_move_a_member_out_and_back() {
    let temp = TempArchive::demo(600);
    let full = json(temp.dangan(&["member", "list", "--stage", "full_member", "--json"]));
    let id = full[0]["id"].as_i64().unwrap().to_string();
    let out = json(temp.dangan(&[
        "status",
        "add",
        &id,
        "transferred_out",
        "--date",
        AS_OF,
        "--note",
        "调往外校工作，组织关系转出",
        "--as-of",
        AS_OF,
        "--json",
    ]));
    assert_eq!(out["stage"], "transferred_out");
    temp.dangan(&[
        "status",
        "add",
        &id,
        "withdrawn",
        "--date",
        AS_OF,
        "--as-of",
        AS_OF,
    ])
    .assert()
    .code(1)
    .stderr(predicates::str::contains("already left"));
    let back = json(temp.dangan(&[
        "status",
        "add",
        &id,
        "transferred_in",
        "--date",
        AS_OF,
        "--as-of",
        AS_OF,
        "--json",
    ]));
    assert_eq!(back["stage"], "full_member");
    temp.dangan(&[
        "status",
        "add",
        &id,
        "deceased",
        "--date",
        "2099-01-01",
        "--as-of",
        AS_OF,
    ])
    .assert()
    .code(2);
    temp.dangan(&[
        "status",
        "add",
        &id,
        "deceased",
        "--date",
        "2001-01-01",
        "--as-of",
        AS_OF,
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::contains("last recorded step"));
    temp.dangan(&["status", "add", &id, "step", "--date", AS_OF])
        .assert()
        .code(2);
    let listed = json(temp.dangan(&["member", "list", "--stage", "full_member", "--json"]));
    assert!(
        listed
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["id"].as_i64().unwrap().to_string() == id)
    );
}

/// A probationary member of the demo admitted within the last half year (so that the extended
/// probation still ends in the future), with the date of 入党 (step 15).
fn recent_probationer(temp: &TempArchive) -> (String, chrono::NaiveDate) {
    let members =
        json(temp.dangan(&["member", "list", "--stage", "probationary_member", "--json"]));
    for member in members.as_array().unwrap() {
        let id = member["id"].as_i64().unwrap().to_string();
        let events = json(temp.dangan(&["step", "list", &id, "--json"]));
        let date_of = |step: i64| {
            events
                .as_array()
                .unwrap()
                .iter()
                .find(|e| e["step"] == step)
                .map(|e| {
                    e["date"]
                        .as_str()
                        .unwrap()
                        .parse::<chrono::NaiveDate>()
                        .unwrap()
                })
        };
        if let (Some(joined), Some(_approved), None) = (date_of(15), date_of(17), date_of(23))
            && joined.to_string().as_str() > "2026-06-01"
        {
            return (id, joined);
        }
    }
    panic!("the demo has no recent probationary member");
}

#[test]
fn a_probation_extension_moves_the_conversion_back_and_is_allowed_once() {
    let temp = TempArchive::demo(600);
    let (id, joined) = recent_probationer(&temp);
    let extend = |months: &str| {
        temp.dangan(&[
            "probation",
            "extend",
            &id,
            "--months",
            months,
            "--date",
            AS_OF,
            "--as-of",
            AS_OF,
            "--json",
        ])
    };

    // Four months is too short: refused with the rule, nothing written.
    let refused = extend("4").assert().code(5);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(stderr.contains("延长预备期"), "{stderr}");
    let events = json(temp.dangan(&["step", "list", &id, "--json"]));
    assert!(
        events
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["kind"] != "probation_extended")
    );

    let outcome = json(extend("6"));
    assert!(outcome["event_id"].as_i64().unwrap() > 0);
    let events = json(temp.dangan(&["step", "list", &id, "--json"]));
    let extension = events
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "probation_extended")
        .unwrap();
    assert_eq!(extension["months"], 6);
    assert_eq!(extension["title_zh"], "延长预备期");
    let shown = json(temp.dangan(&["member", "show", &id, "--json"]));
    assert_eq!(shown["stage"], "probationary_member");

    // The conversion meeting can now be held 18 months after 入党, not 12.
    let plan = json(temp.dangan(&["plan", &id, "--as-of", AS_OF, "--json"]));
    let meeting = plan["steps"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["step"] == 23)
        .unwrap();
    let eighteen_months = joined.checked_add_months(chrono::Months::new(18)).unwrap();
    assert_eq!(meeting["earliest"], eighteen_months.to_string());
    assert_eq!(meeting["earliest_rule"], "probation_one_year");

    // A second extension is refused.
    extend("6").assert().code(5);
    // And the archive still checks clean for this member.
    let findings = json(temp.dangan(&["check", "--member", &id, "--as-of", AS_OF, "--json"]));
    assert!(
        findings
            .as_array()
            .unwrap()
            .iter()
            .all(|f| !f["rule"].as_str().unwrap().starts_with("probation")),
        "{findings}"
    );
}
