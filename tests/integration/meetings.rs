//! Meetings: the quorum and vote arithmetic on a real branch, and a general meeting admitting a
//! member, which adds step 15 to their timeline linked to the resolution.

use dangan::meetings::{self, MeetingKind, MeetingRequest};
use serde_json::{Value, json as j};

use crate::util::{AS_OF, TempArchive, as_of, json};

/// Writes the request and runs `dangan meeting add FILE [extra…] --as-of AS_OF --json`.
pub(crate) fn meeting_add(
    temp: &TempArchive,
    request: &Value,
    extra: &[&str],
) -> assert_cmd::Command {
    let file = temp.root.with_file_name(format!(
        "meeting-{}.json",
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .unwrap()
            .as_nanos()
    ));
    std::fs::write(&file, request.to_string()).unwrap();
    let mut args = vec!["meeting", "add", file.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend_from_slice(&["--as-of", AS_OF, "--json"]);
    temp.dangan(&args)
}

pub(crate) fn request(branch: i64, member: i64, present: &[i64], yes: &[i64]) -> Value {
    j!({
        "branch_id": branch,
        "kind": "general_meeting",
        "date": AS_OF,
        "place": "党员活动室",
        "host": "支部书记",
        "recorder": "组织委员",
        "topic": "讨论接收预备党员",
        "minutes": "会议听取了发展对象的情况汇报，入党介绍人介绍了其培养考察情况。",
        "attendance": present.iter().map(|id| j!({"member_id": id, "status": "present"})).collect::<Vec<_>>(),
        "resolutions": [{
            "kind": "admit",
            "member_id": member,
            "text": "同意接收为中共预备党员",
            "votes": yes.iter().map(|id| j!({"member_id": id, "vote": "yes"})).collect::<Vec<_>>(),
        }],
    })
}

#[test]
fn a_general_meeting_admits_a_member_only_with_a_quorum_and_enough_yes_votes() {
    let temp = TempArchive::demo(2000);
    // A development target whose admission today breaks no blocking rule, in a branch with at
    // least three full members.
    let targets = json(temp.dangan(&["member", "list", "--stage", "development_target", "--json"]));
    let (member, branch, entitled) = targets
        .as_array()
        .unwrap()
        .iter()
        .find_map(|t| {
            let (member, branch) = (t["id"].as_i64()?, t["branch_id"].as_i64()?);
            let output = meeting_add(&temp, &request(branch, member, &[], &[]), &["--dry-run"])
                .output()
                .unwrap();
            let preview: Value = serde_json::from_slice(&output.stdout).ok()?;
            let entitled: Vec<i64> = preview["entitled"]
                .as_array()?
                .iter()
                .filter_map(|v| v["member_id"].as_i64())
                .collect();
            let steps = json(temp.dangan(&["step", "list", &member.to_string(), "--json"]));
            let has = |step: i64| {
                steps
                    .as_array()
                    .is_some_and(|e| e.iter().any(|e| e["step"] == step))
            };
            (has(14) && !has(15) && entitled.len() >= 3).then_some((member, branch, entitled))
        })
        .expect("a development target ready for admission");
    let n = entitled.len();
    let half = n / 2;

    // Exactly half attend (or fewer than half + 1): not quorate, so nothing passes.
    let preview = json(meeting_add(
        &temp,
        &request(branch, member, &entitled[..half], &entitled[..half]),
        &["--dry-run"],
    ));
    assert_eq!(preview["quorate"], false, "{preview}");
    assert_eq!(preview["quorum"], half + 1);
    assert_eq!(preview["resolutions"][0]["passed"], false);

    // Everyone attends, but yes votes from only half of the entitled: not passed.
    let preview = json(meeting_add(
        &temp,
        &request(branch, member, &entitled, &entitled[..half]),
        &["--dry-run"],
    ));
    assert_eq!(preview["quorate"], true);
    assert_eq!(preview["resolutions"][0]["yes"], half);
    assert_eq!(preview["resolutions"][0]["passed"], false);

    // A member who is not a full member of the branch (the candidate) cannot vote.
    let refused = meeting_add(
        &temp,
        &request(
            branch,
            member,
            &[entitled.as_slice(), &[member]].concat(),
            &[member],
        ),
        &[],
    )
    .assert()
    .code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(stderr.contains("has no vote"), "{stderr}");

    // The demo's history already holds the branch's meetings; this one adds to the quarter.
    let held_before = general_meetings_in(&compliance(&temp, branch), "2026Q4")["held"]
        .as_u64()
        .unwrap();

    // More than half attend and vote yes: recorded, and step 15 joins the timeline.
    let yes = &entitled[..=half];
    let outcome = json(meeting_add(&temp, &request(branch, member, yes, yes), &[]));
    assert_eq!(outcome["preview"]["resolutions"][0]["passed"], true);
    let event_id = outcome["event_ids"][0].as_i64().unwrap();
    let steps = json(temp.dangan(&["step", "list", &member.to_string(), "--json"]));
    let admitted = steps
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["step"] == 15)
        .unwrap();
    assert_eq!(admitted["id"], event_id);
    assert_eq!(admitted["date"], AS_OF);
    assert!(
        admitted["note"]
            .as_str()
            .unwrap()
            .contains("同意接收为中共预备党员")
    );
    let shown = json(temp.dangan(&["member", "show", &member.to_string(), "--json"]));
    assert_eq!(shown["joined_date"], AS_OF);

    let meeting = json(temp.dangan(&[
        "meeting",
        "show",
        &outcome["meeting_id"].to_string(),
        "--json",
    ]));
    assert_eq!(meeting["resolutions"][0]["event_id"], event_id);
    assert_eq!(meeting["resolutions"][0]["entitled"], n);
    assert_eq!(meeting["resolutions"][0]["yes"], half + 1);
    assert_eq!(meeting["resolutions"][0]["no"], 0);
    assert_eq!(meeting["resolutions"][0]["needed"], half + 1);
    assert_eq!(
        meeting["resolutions"][0]["votes"].as_array().unwrap().len(),
        half + 1
    );
    assert_eq!(meeting["attendance"].as_array().unwrap().len(), half + 1);

    // The list finds it by branch and kind, and not under another kind.
    let listed = |kind: &str| {
        json(temp.dangan(&[
            "meeting",
            "list",
            "--branch",
            &branch.to_string(),
            "--kind",
            kind,
            "--json",
        ]))
    };
    let general = listed("general_meeting");
    assert!(
        general
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["kind"] == "general_meeting")
    );
    let ours = general
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["id"] == outcome["meeting_id"])
        .unwrap();
    assert_eq!(ours["present"], half + 1);
    let lectures = listed("lecture");
    assert!(
        lectures
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["kind"] == "lecture")
    );
    assert!(
        lectures
            .as_array()
            .unwrap()
            .iter()
            .all(|m| m["id"] != outcome["meeting_id"])
    );

    // The minutes are searchable, and the branch's quarter now has its general meeting.
    let found = json(temp.dangan(&["search", "发展对象的情况汇报", "--json"]));
    assert!(
        found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["kind"] == "meeting" && h["id"] == outcome["meeting_id"])
    );
    let after = compliance(&temp, branch);
    let q4 = general_meetings_in(&after, "2026Q4");
    assert_eq!(
        (q4["held"].as_u64(), q4["met"].as_bool()),
        (Some(held_before + 1), Some(true))
    );
    // A closed quarter is counted as it stands: met exactly when enough were held.
    let q1 = general_meetings_in(&after, "2026Q1");
    assert_eq!(q1["open"], false);
    assert_eq!(
        q1["met"].as_bool(),
        Some(q1["held"].as_u64() >= q1["required"].as_u64())
    );

    // Admitting the same member again is refused by the lifecycle (step already recorded).
    meeting_add(&temp, &request(branch, member, yes, yes), &[])
        .assert()
        .failure()
        .stderr(predicates::str::contains("already recorded"));
}

fn compliance(temp: &TempArchive, branch: i64) -> Value {
    json(temp.dangan(&[
        "meeting",
        "compliance",
        "--branch",
        &branch.to_string(),
        "--year",
        "2026",
        "--as-of",
        AS_OF,
        "--json",
    ]))
}

fn general_meetings_in(compliance: &Value, period: &str) -> Value {
    compliance["periods"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "general_meeting" && p["period"] == period)
        .unwrap()
        .clone()
}

#[test]
fn the_roll_lists_the_branch_s_party_members_and_marks_exactly_the_voters() {
    let temp = TempArchive::demo(1500);
    let (archive, actor) = temp.open_as_admin();
    let branches = dangan::org::list_branches(&archive, &actor).unwrap();
    let mut with_probationers = 0;
    for branch in &branches {
        let roll = meetings::roll(&archive, &actor, branch.id, as_of()).unwrap();
        let request = MeetingRequest {
            branch_id: branch.id,
            kind: MeetingKind::GeneralMeeting,
            date: as_of(),
            place: None,
            host: None,
            recorder: None,
            topic: "点名".to_string(),
            minutes: String::new(),
            attendance: Vec::new(),
            resolutions: Vec::new(),
        };
        let preview = meetings::preview(&archive, &actor, &request, as_of()).unwrap();
        let voters: Vec<i64> = preview.entitled.iter().map(|v| v.member_id).collect();
        let entitled: Vec<i64> = roll
            .iter()
            .filter(|m| m.entitled)
            .map(|m| m.member_id)
            .collect();
        assert_eq!(entitled, voters, "branch {}", branch.id);
        // Full members first, then the probationary members, who are party members of the
        // branch without a vote.
        let first_probationer = roll.iter().position(|m| !m.entitled).unwrap_or(roll.len());
        assert!(roll[first_probationer..].iter().all(|m| !m.entitled));
        for member in &roll[first_probationer..] {
            let shown = dangan::people::show(&archive, &actor, member.member_id).unwrap();
            assert_eq!(
                shown.stage,
                dangan::people::Stage::ProbationaryMember,
                "{:?}",
                shown
                    .events
                    .iter()
                    .map(|e| (e.step, e.date, e.kind))
                    .collect::<Vec<_>>()
            );
            assert_eq!(shown.branch_id, Some(branch.id));
            with_probationers += 1;
        }
    }
    assert!(with_probationers > 0, "the demo has probationary members");
    assert!(matches!(
        meetings::roll(&archive, &actor, 999_999, as_of()),
        Err(meetings::MeetingError::BranchNotFound(999_999))
    ));
}
