//! The demo's meeting history, checked against the core: general meetings are quorate by the
//! core's count of the entitled, every admission and conversion has its meeting with a passing
//! resolution linked to the event, compliance has both met and missed branches, the minutes are
//! searchable, and the history is the same for the same seed.

use dangan::meetings::{self, MeetingKind, ResolutionKind, VoteChoice};

use crate::util::{TempArchive, as_of, json, raw_connection};

#[test]
fn demo_meetings_agree_with_the_core_and_the_timelines() {
    let temp = TempArchive::demo(2000);
    let (archive, actor) = temp.open_as_admin();
    let summary = temp.demo.as_ref().unwrap();
    assert!(summary.meetings > 1000, "{} meetings", summary.meetings);

    // General meetings are quorate by the core's own count of the full members entitled to
    // vote on the day (a sample across all branches).
    let all = meetings::list(&archive, &actor, None, None, None, None).unwrap();
    let general: Vec<_> = all
        .iter()
        .filter(|m| m.kind == MeetingKind::GeneralMeeting)
        .collect();
    assert!(general.len() > 100);
    for meeting in general.iter().step_by(general.len() / 40) {
        let entitled =
            meetings::entitled_voters(&archive, &actor, meeting.branch_id, meeting.date).unwrap();
        let detail = meetings::show(&archive, &actor, meeting.id).unwrap();
        let present = detail
            .attendance
            .iter()
            .filter(|a| {
                a.status == meetings::AttendanceStatus::Present
                    && entitled.iter().any(|v| v.member_id == a.member_id)
            })
            .count();
        assert!(
            meetings::is_quorate(entitled.len(), present),
            "meeting {} on {}: {present} of {} entitled present",
            meeting.id,
            meeting.date,
            entitled.len()
        );
        for resolution in &detail.resolutions {
            assert_eq!(
                resolution.entitled,
                entitled.len(),
                "meeting {}",
                meeting.id
            );
        }
    }

    // Every step 15 and 23 of a sample of students has its general meeting on that day, with a
    // resolution about them that passed by the core's arithmetic and is linked to the event.
    let conn = raw_connection(&temp.db_path());
    let mut stmt = conn
        .prepare(
            "SELECT e.id, e.member_id, e.step, e.date FROM member_event e
               JOIN member m ON m.id = e.member_id
              WHERE m.student_no IS NOT NULL AND e.step IN (15, 23) ORDER BY e.id",
        )
        .unwrap();
    let events: Vec<(i64, i64, i64, String)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(events.iter().any(|e| e.2 == 15) && events.iter().any(|e| e.2 == 23));
    for (event_id, member_id, step, date) in events.iter().step_by(events.len() / 30) {
        let concerning = meetings::of_member(&archive, &actor, *member_id).unwrap();
        let (meeting, resolution) = concerning
            .iter()
            .flat_map(|m| m.resolutions.iter().map(move |r| (m, r)))
            .find(|(_, r)| {
                r.member_id == Some(*member_id) && {
                    let kind = if *step == 15 {
                        ResolutionKind::Admit
                    } else {
                        ResolutionKind::Convert
                    };
                    r.kind == kind
                }
            })
            .unwrap_or_else(|| panic!("no meeting decided step {step} of member {member_id}"));
        assert_eq!(meeting.kind, MeetingKind::GeneralMeeting);
        assert_eq!(meeting.date.to_string(), *date);
        assert!(resolution.passed);
        assert!(meetings::passes(resolution.entitled, resolution.yes));
        let detail = meetings::show(&archive, &actor, meeting.meeting_id).unwrap();
        let linked = detail
            .resolutions
            .iter()
            .find(|r| r.id == resolution.id)
            .unwrap();
        assert_eq!(linked.event_id, Some(*event_id));
        // Only full members vote: every voter is entitled on the day; the member concerned
        // does not vote on their own resolution.
        let entitled =
            meetings::entitled_voters(&archive, &actor, detail.branch_id, detail.date).unwrap();
        assert_eq!(linked.entitled, entitled.len());
        assert!(
            linked.votes.iter().all(|v| v.member_id != *member_id
                && entitled.iter().any(|e| e.member_id == v.member_id))
        );
        let yes = linked
            .votes
            .iter()
            .filter(|v| v.vote == VoteChoice::Yes)
            .count();
        assert_eq!(yes, resolution.yes);
    }

    // Compliance over the last full year: most branches met every period, a few did not.
    let year = 2025;
    let branches = json(temp.dangan(&["branch", "list", "--json"]));
    let mut met = 0;
    let mut missed = 0;
    for branch in branches.as_array().unwrap() {
        let id = branch["id"].as_i64().unwrap();
        let compliance = meetings::compliance(&archive, &actor, id, year, as_of()).unwrap();
        if compliance.missed == 0 {
            met += 1;
        } else {
            missed += 1;
        }
    }
    assert!(met > missed && missed > 0, "{met} met, {missed} missed");

    // The CLI lists a branch's meetings, and minutes are found by search.
    let branch = general[0].branch_id.to_string();
    let listed = json(temp.dangan(&["meeting", "list", "--branch", &branch, "--json"]));
    assert!(!listed.as_array().unwrap().is_empty());
    let found = json(temp.dangan(&["search", "重温入党誓词", "--limit", "5", "--json"]));
    assert!(
        found["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["kind"] == "meeting"),
        "{found}"
    );
}

#[test]
fn the_meeting_history_is_the_same_for_the_same_seed() {
    let dump = |temp: &TempArchive| -> Vec<String> {
        let conn = raw_connection(&temp.db_path());
        let mut stmt = conn
            .prepare(
                "SELECT m.id || m.kind || m.date || m.topic || m.minutes || ifnull(m.place, '') ||
                        (SELECT group_concat(a.member_id || a.status || ifnull(a.signed_in_at, ''))
                           FROM meeting_attendance a WHERE a.meeting_id = m.id)
                   FROM meeting m ORDER BY m.id",
            )
            .unwrap();
        stmt.query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    };
    let first = dump(&TempArchive::demo(300));
    assert!(!first.is_empty());
    assert_eq!(first, dump(&TempArchive::demo(300)));
}
