//! Listing and showing members through the library, as the desktop shell calls it.

use dangan::Actor;
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
    let archive = temp.open();
    let actor = Actor::local_admin();
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
    let archive = temp.open();
    let actor = Actor::local_admin();
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
    let archive = temp.open();
    let actor = Actor::local_admin();
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
    let err = people::show(&temp.open(), &Actor::local_admin(), 4242).unwrap_err();
    assert_eq!(dangan::ErrorCode::code(&err), "member_not_found");
}
