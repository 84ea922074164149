//! `dangan reminders` and `dangan stats` on a demo archive, on fixed dates derived from members'
//! timelines.

use chrono::{Datelike, Months, NaiveDate};
use serde_json::Value;

use crate::util::{AS_OF, TempArchive, json};

fn reminders(temp: &TempArchive, month: &str) -> Vec<Value> {
    json(temp.dangan(&["reminders", "--month", month, "--as-of", AS_OF, "--json"]))
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn a_probation_ending_brings_the_conversion_meeting_and_the_political_birthday() {
    let temp = TempArchive::demo(600);
    let members =
        json(temp.dangan(&["member", "list", "--stage", "probationary_member", "--json"]));
    // A probationary member whose probation ends after today, without a conversion meeting.
    let (id, joined) = members
        .as_array()
        .unwrap()
        .iter()
        .find_map(|m| {
            let id = m["id"].as_i64()?;
            let events = json(temp.dangan(&["step", "list", &id.to_string(), "--json"]));
            let events = events.as_array()?;
            let date_of = |step: i64| {
                events
                    .iter()
                    .find(|e| e["step"] == step)
                    .and_then(|e| e["date"].as_str()?.parse::<NaiveDate>().ok())
            };
            let joined = date_of(15)?;
            let ends = joined.checked_add_months(Months::new(12))?;
            let extended = events.iter().any(|e| e["kind"] == "probation_extended");
            (date_of(23).is_none() && !extended && ends.to_string().as_str() > AS_OF)
                .then_some((id, joined))
        })
        .expect("a probationary member in their first year");
    let ends = joined.checked_add_months(Months::new(12)).unwrap();
    let month = format!("{}-{:02}", ends.year(), ends.month());
    let list = reminders(&temp, &month);
    let mine: Vec<&Value> = list.iter().filter(|r| r["member_id"] == id).collect();
    let conversion = mine.iter().find(|r| r["kind"] == "conversion").unwrap();
    assert_eq!(conversion["date"], ends.to_string());
    assert_eq!(conversion["rule"], "probation_one_year");
    assert_eq!(conversion["overdue"], false);
    assert!(conversion["branch"].as_str().unwrap().contains('/'));
    let birthday = mine
        .iter()
        .find(|r| r["kind"] == "political_birthday")
        .unwrap();
    assert_eq!(birthday["date"], ends.to_string());
    assert!(birthday["message"].as_str().unwrap().contains("入党1周年"));
    // Sorted by date, every item names a member or a branch and has a message.
    let dates: Vec<&str> = list.iter().map(|r| r["date"].as_str().unwrap()).collect();
    assert!(dates.windows(2).all(|w| w[0] <= w[1]));
    assert!(
        list.iter()
            .all(|r| (r["name"].is_string() || r["branch"].is_string())
                && !r["message"].as_str().unwrap().is_empty())
    );
    // The month before, neither is due yet.
    let before = ends.checked_sub_months(Months::new(1)).unwrap();
    let earlier = reminders(&temp, &format!("{}-{:02}", before.year(), before.month()));
    assert!(
        !earlier
            .iter()
            .any(|r| r["member_id"] == id && r["kind"] == "conversion")
    );
    // A bad month is refused.
    temp.dangan(&["reminders", "--month", "2026-13"])
        .assert()
        .code(2);
}

#[test]
fn a_branch_owes_its_general_meeting_until_it_holds_one() {
    let temp = TempArchive::demo(600);
    let branch = "计算机科学与技术学院/教职工党支部";
    let owed = |temp: &TempArchive| {
        json(temp.dangan(&[
            "reminders",
            "--month",
            "2026-12",
            "--branch",
            branch,
            "--as-of",
            AS_OF,
            "--json",
        ]))
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["kind"] == "meeting" && r["rule"] == "meeting_general_meeting")
        .count()
    };
    assert_eq!(owed(&temp), 1, "the 2026Q4 general meeting");
    let branch_id = json(temp.dangan(&["branch", "list", "--json"]))
        .as_array()
        .unwrap()
        .iter()
        .find(|b| {
            b["name"] == "教职工党支部" && b["college"].as_str().unwrap().starts_with("计算机")
        })
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let file = temp.root.with_file_name("meeting.json");
    std::fs::write(
        &file,
        serde_json::json!({
            "branch_id": branch_id, "kind": "general_meeting", "date": AS_OF,
            "topic": "学习党的二十大精神", "minutes": "集体学习。",
        })
        .to_string(),
    )
    .unwrap();
    json(temp.dangan(&[
        "meeting",
        "add",
        file.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--json",
    ]));
    assert_eq!(owed(&temp), 0);
}

#[test]
fn stats_count_every_member_once() {
    let temp = TempArchive::demo(600);
    let stats = json(temp.dangan(&["stats", "--as-of", AS_OF, "--json"]));
    assert_eq!(stats["members"], 600);
    let by_stage: u64 = stats["stages"]
        .as_object()
        .unwrap()
        .values()
        .map(|v| v.as_u64().unwrap())
        .sum();
    assert_eq!(by_stage, 600);
    let by_college: u64 = stats["colleges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["total"].as_u64().unwrap())
        .sum();
    assert_eq!(by_college, 600);
    let summary = temp.demo.as_ref().unwrap();
    assert_eq!(
        stats["stages"]["full_member"].as_u64().unwrap() as usize,
        summary.stages["full_member"]
    );
    let years = stats["development"].as_array().unwrap();
    let admitted: u64 = years.iter().map(|y| y["admitted"].as_u64().unwrap()).sum();
    assert!(admitted > 0);
    assert!(
        years
            .windows(2)
            .all(|w| w[0]["year"].as_i64() < w[1]["year"].as_i64())
    );
    assert_eq!(
        stats["meetings"].as_array().unwrap().len(),
        summary.branches
    );
    // The monthly trend: 24 months ending with November 2026, each as many admissions as the
    // year's figure holds for the months of that year it covers.
    let trend = stats["trend"].as_array().unwrap();
    assert_eq!(trend.len(), 24);
    assert_eq!(trend[0]["month"], "2024-12");
    assert_eq!(trend[23]["month"], "2026-11");
    let admitted_2025: u64 = trend
        .iter()
        .filter(|m| m["month"].as_str().unwrap().starts_with("2025-"))
        .map(|m| m["admitted"].as_u64().unwrap())
        .sum();
    let year_2025 = years.iter().find(|y| y["year"] == 2025).unwrap();
    assert_eq!(admitted_2025, year_2025["admitted"].as_u64().unwrap());
    let applied_2025: u64 = trend
        .iter()
        .filter(|m| m["month"].as_str().unwrap().starts_with("2025-"))
        .map(|m| m["applications"].as_u64().unwrap())
        .sum();
    assert_eq!(applied_2025, year_2025["applications"].as_u64().unwrap());
}

#[test]
fn stats_count_the_meetings_each_branch_owed_and_held() {
    let temp = TempArchive::demo(120);
    let branch = json(temp.dangan(&["branch", "list", "--json"]))[0]["id"]
        .as_i64()
        .unwrap();
    let of_branch = |stats: &serde_json::Value| {
        stats["meetings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["branch_id"] == branch)
            .unwrap()
            .clone()
    };
    let before = of_branch(&json(temp.dangan(&["stats", "--as-of", AS_OF, "--json"])));
    // The demo holds most of a branch's meetings, so whether one more counts depends on whether
    // its period was already met.
    let q3_met = json(temp.dangan(&[
        "meeting",
        "compliance",
        "--branch",
        &branch.to_string(),
        "--year",
        "2026",
        "--as-of",
        AS_OF,
        "--json",
    ]))["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "general_meeting" && p["period"] == "2026Q3")
        .unwrap()["met"]
        == true;

    // A general meeting in the third quarter, which ended before AS_OF.
    let meeting = serde_json::json!({
        "branch_id": branch,
        "kind": "general_meeting",
        "date": "2026-08-20",
        "place": "党员活动室",
        "host": "支部书记",
        "recorder": "组织委员",
        "topic": "学习党章",
        "minutes": "全体党员学习了党章总纲。",
        "attendance": [],
        "resolutions": [],
    });
    crate::meetings::meeting_add(&temp, &meeting, &[])
        .assert()
        .success();
    let after = of_branch(&json(temp.dangan(&["stats", "--as-of", AS_OF, "--json"])));

    // The figures are the ended periods of the branch's compliance, each period's meetings
    // counted up to what it required.
    let compliance = json(temp.dangan(&[
        "meeting",
        "compliance",
        "--branch",
        &branch.to_string(),
        "--year",
        "2026",
        "--as-of",
        AS_OF,
        "--json",
    ]));
    let ended: Vec<_> = compliance["periods"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["open"] == false)
        .collect();
    let required: u64 = ended.iter().map(|p| p["required"].as_u64().unwrap()).sum();
    let held: u64 = ended
        .iter()
        .map(|p| {
            p["held"]
                .as_u64()
                .unwrap()
                .min(p["required"].as_u64().unwrap())
        })
        .sum();
    assert_eq!(after["required"].as_u64().unwrap(), required);
    assert_eq!(after["held"].as_u64().unwrap(), held);
    assert_eq!(after["required"], before["required"]);
    assert_eq!(
        after["held"].as_u64().unwrap(),
        before["held"].as_u64().unwrap() + u64::from(!q3_met)
    );
    assert!(after["held"].as_u64().unwrap() <= required);
}
