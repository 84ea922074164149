//! Listing and showing members through the library, as the desktop shell calls it.

use dangan::people::{self, EventKind, MemberQuery, Stage};

use crate::util::TempArchive;

fn query(text: Option<&str>, stage: Option<Stage>) -> MemberQuery {
    MemberQuery {
        text: text.map(str::to_string),
        stage,
        limit: 50,
        ..MemberQuery::default()
    }
}

#[test]
fn pages_cover_the_archive_and_stages_partition_it() {
    let temp = TempArchive::demo(600);
    let (archive, actor) = temp.open_as_admin();
    let page = people::list(&archive, &actor, &query(None, None)).unwrap();
    assert_eq!(page.total, 600);
    assert_eq!(page.rows.len(), 50);

    let mut ids = Vec::new();
    let mut offset = 0;
    loop {
        let q = MemberQuery {
            offset,
            limit: 128,
            ..MemberQuery::default()
        };
        let page = people::list(&archive, &actor, &q).unwrap();
        if page.rows.is_empty() {
            break;
        }
        ids.extend(page.rows.iter().map(|r| r.id));
        offset += 128;
    }
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 600);

    let by_stage: i64 = Stage::ALL
        .iter()
        .map(|stage| {
            let page = people::list(&archive, &actor, &query(None, Some(*stage))).unwrap();
            assert!(page.rows.iter().all(|r| r.stage == *stage));
            page.total
        })
        .sum();
    assert_eq!(by_stage, 600);
}

#[test]
fn the_stage_in_the_list_is_the_stage_the_timeline_gives() {
    let temp = TempArchive::demo(200);
    let (archive, actor) = temp.open_as_admin();
    for row in people::list_all(&archive, &actor, &MemberQuery::default()).unwrap() {
        let detail = people::show(&archive, &actor, row.id).unwrap();
        assert_eq!(detail.stage, row.stage, "member {}", row.id);
        if detail
            .events
            .iter()
            .any(|e| e.kind == EventKind::TransferredOut)
        {
            assert_eq!(detail.stage, Stage::TransferredOut);
        }
    }
}

#[test]
fn search_finds_names_student_numbers_and_id_number_tails() {
    let temp = TempArchive::demo(300);
    let (archive, actor) = temp.open_as_admin();
    let all = people::list_all(&archive, &actor, &MemberQuery::default()).unwrap();
    let student = all.iter().find(|m| m.student_no.is_some()).unwrap();

    let by_name = people::list(&archive, &actor, &query(Some(&student.name), None)).unwrap();
    assert!(by_name.rows.iter().any(|r| r.id == student.id));
    assert!(by_name.rows.iter().all(|r| r.name.contains(&student.name)));

    let number = student.student_no.as_deref().unwrap();
    let by_number = people::list(&archive, &actor, &query(Some(number), None)).unwrap();
    assert_eq!(by_number.total, 1);
    assert_eq!(by_number.rows[0].id, student.id);

    let tail = &student.id_number_masked.as_deref().unwrap()[14..];
    let by_tail = people::list(&archive, &actor, &query(Some(tail), None)).unwrap();
    assert!(by_tail.rows.iter().any(|r| r.id == student.id));

    // LIKE wildcards typed by a user are matched literally.
    let wildcard = people::list(&archive, &actor, &query(Some("%"), None)).unwrap();
    assert_eq!(wildcard.total, 0);
}

#[test]
fn an_unknown_member_is_not_found() {
    let temp = TempArchive::demo(10);
    let err = {
        let (archive, actor) = temp.open_as_admin();
        people::show(&archive, &actor, 4242)
    }
    .unwrap_err();
    assert_eq!(dangan::ErrorCode::code(&err), "member_not_found");
}

#[test]
fn demo_timelines_respect_the_national_intervals() {
    let temp = TempArchive::demo(800);
    let (archive, actor) = temp.open_as_admin();
    let as_of = crate::util::as_of();
    let planted: Vec<i64> = temp
        .demo
        .as_ref()
        .unwrap()
        .planted
        .iter()
        .map(|p| p.member_id)
        .collect();
    for row in people::list_all(&archive, &actor, &MemberQuery::default()).unwrap() {
        if planted.contains(&row.id) {
            continue;
        }
        let member = people::show(&archive, &actor, row.id).unwrap();
        let on = |step: u8| {
            member
                .events
                .iter()
                .find(|e| e.step == Some(step))
                .map(|e| e.date)
        };
        let days = |from: u8, to: u8| Some((on(to)? - on(from)?).num_days());
        let who = format!("member {} {}", member.id, member.name);

        assert!(
            member.events.iter().all(|e| e.date <= as_of),
            "{who}: event after {as_of}"
        );
        let applied = on(1).unwrap_or_else(|| panic!("{who}: no application"));
        let birth = member.birth_date.unwrap();
        assert!(
            applied >= birth + chrono::Months::new(18 * 12),
            "{who}: applied before 18"
        );
        // Every recorded step's prerequisite is recorded, and earlier.
        for (step, before) in [
            (2, 1),
            (3, 2),
            (7, 3),
            (9, 7),
            (15, 11),
            (17, 15),
            (23, 15),
            (24, 23),
        ] {
            if on(step).is_some() {
                assert!(
                    days(before, step).is_some_and(|d| d >= 0),
                    "{who}: step {step} before {before}"
                );
            }
        }
        if let Some(talk) = days(1, 2) {
            assert!(talk <= 31, "{who}: talk {talk} days after the application");
        }
        if let Some(activist) = days(3, 7) {
            assert!(
                activist >= 365,
                "{who}: development target after {activist} days as activist"
            );
        }
        if let Some(approval) = days(15, 17) {
            assert!(
                approval <= 92,
                "{who}: admission approved {approval} days after the meeting"
            );
        }
        if let Some(probation) = days(15, 23) {
            assert!(
                probation >= 365,
                "{who}: conversion discussed after {probation} days"
            );
        }
        if let (Some(admitted), Some(leaves)) = (on(15), member.expected_graduation) {
            assert!(
                (leaves - admitted).num_days() > 90,
                "{who}: admitted within 3 months of leaving"
            );
        }
        if on(5).is_some() {
            let contacts = &member
                .events
                .iter()
                .find(|e| e.step == Some(5))
                .unwrap()
                .people;
            assert_eq!(contacts.len(), 2, "{who}: contacts");
        }
    }
}
