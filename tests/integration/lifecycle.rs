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
