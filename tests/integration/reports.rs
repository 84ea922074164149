//! Thought reports and search: recording, reviewing, importing a folder all-or-nothing, the
//! quarters a member owes, and the bigram index found to agree with a plain LIKE scan.

use std::collections::BTreeSet;
use std::path::Path;

use dangan::search;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};

use crate::util::{AS_OF, TempArchive, json, raw_connection};

/// A student of the demo still in the pipeline: (id, student number, name).
fn student(temp: &TempArchive, stage: &str) -> (String, String, String) {
    let members = json(temp.dangan(&["member", "list", "--stage", stage, "--json"]));
    let member = members
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["student_no"].is_string())
        .unwrap();
    (
        member["id"].as_i64().unwrap().to_string(),
        member["student_no"].as_str().unwrap().to_string(),
        member["name"].as_str().unwrap().to_string(),
    )
}

#[test]
fn a_typed_report_is_listed_reviewed_and_searchable() {
    let temp = TempArchive::demo(120);
    let (id, _, name) = student(&temp, "activist");
    let added = json(temp.dangan(&[
        "report",
        "add",
        &id,
        "--date",
        "2026-10-15",
        "--text",
        "本季度我参加了湿地保护志愿活动，认识到生态文明建设的重要性。",
        "--as-of",
        AS_OF,
        "--json",
    ]));
    assert_eq!(added["period"], "2026Q4");
    assert_eq!(added["title"], "2026年第4季度思想汇报");
    assert_eq!(added["member_name"], name.as_str());
    let report_id = added["id"].as_i64().unwrap().to_string();

    let reviewed = json(temp.dangan(&[
        "report",
        "review",
        &report_id,
        "--reviewer",
        "王老师",
        "--comment",
        "认识深刻",
        "--date",
        AS_OF,
        "--json",
    ]));
    assert_eq!(reviewed["reviewer"], "王老师");
    assert_eq!(reviewed["reviewed_on"], AS_OF);

    let list = json(temp.dangan(&["report", "list", &id, "--json"]));
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|r| r["id"] == added["id"])
    );

    // 湿地 appears in no generated report: the search finds exactly this one, with the word
    // highlighted in the snippet.
    let found = json(temp.dangan(&["search", "湿地", "--json"]));
    assert_eq!(found["total"], 1, "{found}");
    let hit = &found["hits"][0];
    assert_eq!(hit["kind"], "thought_report");
    assert_eq!(hit["id"], added["id"]);
    assert_eq!(hit["member_id"].as_i64().unwrap().to_string(), id);
    assert_eq!(
        hit["subtitle"],
        format!("{name} · 2026Q4 · 2026-10-15").as_str()
    );
    let snippet: Vec<char> = hit["snippet"].as_str().unwrap().chars().collect();
    let [start, end] = [&hit["highlights"][0][0], &hit["highlights"][0][1]]
        .map(|v| usize::try_from(v.as_u64().unwrap()).unwrap());
    assert_eq!(snippet[start..end].iter().collect::<String>(), "湿地");

    // A member is found by name, and by the last digits of the ID number.
    let by_name = json(temp.dangan(&["search", &name, "--json"]));
    assert!(
        by_name["hits"]
            .as_array()
            .unwrap()
            .iter()
            .any(|h| h["kind"] == "member" && h["title"] == name.as_str())
    );

    // Empty text and a quarter in the future are refused, naming the field.
    temp.dangan(&["report", "add", &id, "--date", "2026-10-15", "--text", "  "])
        .assert()
        .code(2);
    temp.dangan(&[
        "report",
        "add",
        &id,
        "--date",
        "2026-10-15",
        "--period",
        "2027Q1",
        "--text",
        "内容",
        "--as-of",
        AS_OF,
    ])
    .assert()
    .code(2)
    .stderr(predicates::str::contains("period"));
}

fn write_gbk(path: &Path, text: &str) {
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(text);
    assert!(!unmappable);
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_folder_is_imported_whole_or_not_at_all() {
    let temp = TempArchive::demo(120);
    let (id, no, name) = student(&temp, "activist");
    let folder = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/reports/report.docx");
    std::fs::copy(
        &fixture,
        folder.path().join(format!("{no}-{name}-2026Q1.docx")),
    )
    .unwrap();
    write_gbk(
        &folder.path().join(format!("{no}-{name}-2026Q2.txt")),
        "第二季度思想汇报\r\n敬爱的党组织：\r\n本季度我学习了党史。\r\n2026年6月18日\r\n",
    );
    // A file that names someone else: the whole folder is refused.
    std::fs::write(
        folder.path().join(format!("{no}-某某某-2026Q3.txt")),
        "敬爱的党组织：这是一份汇报。",
    )
    .unwrap();
    std::fs::write(folder.path().join("说明.txt"), "不是汇报").unwrap();
    let before = json(temp.dangan(&["report", "list", &id, "--json"]));
    let dir = folder.path().to_str().unwrap();

    let refused = temp
        .dangan(&["report", "import", dir, "--as-of", AS_OF, "--json"])
        .assert()
        .code(2);
    let preview: serde_json::Value = serde_json::from_slice(&refused.get_output().stdout).unwrap();
    assert_eq!(preview["committed"], false);
    let errors: BTreeSet<(String, String)> = preview["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| !i["error"].is_null())
        .map(|i| {
            (
                i["file"].as_str().unwrap().to_string(),
                i["error"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        errors,
        BTreeSet::from([
            (
                format!("{no}-某某某-2026Q3.txt"),
                "name_mismatch".to_string()
            ),
            ("说明.txt".to_string(), "bad_file_name".to_string()),
        ])
    );
    let after = json(temp.dangan(&["report", "list", &id, "--json"]));
    assert_eq!(before, after, "nothing was imported");

    std::fs::remove_file(folder.path().join(format!("{no}-某某某-2026Q3.txt"))).unwrap();
    std::fs::remove_file(folder.path().join("说明.txt")).unwrap();
    let dry = json(temp.dangan(&[
        "report",
        "import",
        dir,
        "--dry-run",
        "--as-of",
        AS_OF,
        "--json",
    ]));
    assert_eq!(
        (dry["valid"].as_u64(), dry["committed"].as_bool()),
        (Some(2), Some(false))
    );
    let imported = json(temp.dangan(&["report", "import", dir, "--as-of", AS_OF, "--json"]));
    assert_eq!(imported["committed"], true);
    assert_eq!(imported["created"].as_array().unwrap().len(), 2);
    let items = imported["items"].as_array().unwrap();
    // The .docx: its first line is the title, its last date the date.
    assert_eq!(items[0]["title"], "2026年第一季度思想汇报");
    assert_eq!(items[0]["date"], "2026-03-20");
    assert_eq!(items[1]["title"], "第二季度思想汇报");
    assert_eq!(items[1]["date"], "2026-06-18");
    let report = json(temp.dangan(&[
        "report",
        "show",
        &imported["created"][1].as_i64().unwrap().to_string(),
        "--json",
    ]));
    assert_eq!(report["source"], "txt");
    assert!(
        report["body"]
            .as_str()
            .unwrap()
            .contains("本季度我学习了党史。")
    );

    // Importing the same folder again changes nothing.
    temp.dangan(&["report", "import", dir, "--as-of", AS_OF])
        .assert()
        .code(2)
        .stdout(predicates::str::contains("已在档案中"));
}

#[test]
fn missing_quarters_are_reported_and_filled() {
    let temp = TempArchive::demo(120);
    // The demo hands in every report that is due.
    let missing = json(temp.dangan(&["report", "missing", "--as-of", AS_OF, "--json"]));
    assert_eq!(missing, serde_json::json!([]));
    // A year later, everyone still in the pipeline owes the quarters since.
    let later = json(temp.dangan(&["report", "missing", "--as-of", "2027-11-24", "--json"]));
    let owing = later.as_array().unwrap();
    assert!(!owing.is_empty());
    let first = &owing[0];
    let quarters: Vec<&str> = first["missing"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q.as_str().unwrap())
        .collect();
    assert!(quarters.contains(&"2027Q1"), "{quarters:?}");
    let findings = json(temp.dangan(&[
        "check",
        "--member",
        &first["member_id"].to_string(),
        "--as-of",
        "2027-11-24",
        "--json",
    ]));
    let finding = findings
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "thought_reports_quarterly")
        .unwrap();
    assert_eq!(finding["severity"], "warn");
    assert!(finding["message"].as_str().unwrap().contains("2027Q1"));
}

#[test]
fn the_bigram_index_finds_exactly_what_like_finds() {
    let temp = TempArchive::demo(300);
    let (archive, actor) = temp.open_as_admin();
    let mut words: Vec<String> = [
        "学习",
        "党史",
        "志愿",
        "不足",
        "汇报",
        "笔记",
        "党章",
        "宣讲",
        "二十大",
        "思想汇报",
        "全心全意",
        "组织生活",
        "理论学习",
        "2025年",
        "第4季度",
        "敬礼",
        "初心使命",
        "乡村振兴",
    ]
    .iter()
    .map(|w| w.to_string())
    .collect();
    // And random 2–4 character pieces of real report texts, punctuation and all.
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(7);
    let ids = search::reports_containing(&archive, &actor, "").unwrap();
    assert!(ids.len() > 500, "{} reports", ids.len());
    for _ in 0..40 {
        let id = *ids.choose(&mut rng).unwrap();
        let text: Vec<char> = dangan::reports::show(&archive, &actor, id)
            .unwrap()
            .body
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect();
        let len = rng.random_range(2..=4);
        let at = rng.random_range(0..text.len() - len);
        words.push(text[at..at + len].iter().collect());
    }
    for word in &words {
        let like = search::reports_containing(&archive, &actor, word).unwrap();
        let indexed = search::report_ids(&archive, &actor, word).unwrap();
        let indexed_set: BTreeSet<i64> = indexed.iter().copied().collect();
        let searchable = dangan::search::tokens::index_text(word)
            .chars()
            .any(|c| !c.is_whitespace());
        if !searchable {
            continue; // punctuation only: nothing to search for
        }
        assert!(!like.is_empty(), "{word}: no report contains it");
        assert_eq!(
            like.iter().copied().collect::<BTreeSet<_>>(),
            indexed_set,
            "{word}: the index and LIKE disagree"
        );
        // The search box counts the same reports, plus the members it found (when they all fit
        // in one answer: a piece of a student number can match hundreds) and the demo's meetings
        // whose topic, minutes or resolutions contain the word.
        let results = search::search(&archive, &actor, word, search::MAX_LIMIT).unwrap();
        let members = results
            .hits
            .iter()
            .filter(|h| h.kind == search::HitKind::Member)
            .count();
        if members < search::MAX_LIMIT {
            // Punctuation is not indexed: a word with it finds the meetings with its letters.
            let meetings = meetings_containing(&temp, word);
            if word.chars().all(char::is_alphanumeric) {
                assert_eq!(results.total, like.len() + members + meetings, "{word}");
            } else {
                assert!(results.total >= like.len() + members + meetings, "{word}");
            }
        }
    }
    // Rebuilding the index from the reports gives the same answers.
    let before: Vec<Vec<i64>> = words
        .iter()
        .map(|w| search::report_ids(&archive, &actor, w).unwrap())
        .collect();
    let mut archive = archive;
    let indexed = search::rebuild_index(&mut archive, &actor).unwrap();
    let meetings: i64 = raw_connection(&temp.db_path())
        .query_row("SELECT count(*) FROM meeting", [], |r| r.get(0))
        .unwrap();
    assert_eq!(indexed, ids.len() + meetings as usize);
    let after: Vec<Vec<i64>> = words
        .iter()
        .map(|w| search::report_ids(&archive, &actor, w).unwrap())
        .collect();
    assert_eq!(before, after);
}

#[test]
fn a_branch_lists_its_unreviewed_reports_newest_first() {
    let temp = TempArchive::demo(120);
    let (mut archive, actor) = temp.open_as_admin();
    let everyone = dangan::reports::unreviewed(&archive, &actor, None, usize::MAX).unwrap();
    // The demo reviews none of its reports.
    assert!(everyone.total > 0);
    assert_eq!(everyone.reports.len(), everyone.total);

    let (id, _, _) = student(&temp, "activist");
    let member_id: i64 = id.parse().unwrap();
    let detail = json(temp.dangan(&["member", "show", &id, "--json"]));
    let branch_id = detail["branch_id"].as_i64().unwrap();
    let branch_members: BTreeSet<i64> = json(temp.dangan(&[
        "member",
        "list",
        "--branch",
        &branch_id.to_string(),
        "--json",
    ]))
    .as_array()
    .unwrap()
    .iter()
    .map(|m| m["id"].as_i64().unwrap())
    .collect();

    let before = dangan::reports::unreviewed(&archive, &actor, Some(branch_id), 5).unwrap();
    assert!(before.total > 5 && before.total < everyone.total);
    assert_eq!(before.reports.len(), 5);
    let all_of_branch =
        dangan::reports::unreviewed(&archive, &actor, Some(branch_id), usize::MAX).unwrap();
    assert_eq!(all_of_branch.reports.len(), before.total);
    assert!(
        all_of_branch
            .reports
            .iter()
            .all(|r| branch_members.contains(&r.member_id) && r.reviewer.is_none())
    );
    assert!(
        all_of_branch
            .reports
            .windows(2)
            .all(|w| (w[0].date, w[0].id) >= (w[1].date, w[1].id))
    );

    // A new report comes first; reviewing it takes it off the list.
    let new_id = dangan::reports::add(
        &mut archive,
        &actor,
        &dangan::reports::NewThoughtReport {
            member_id,
            date: crate::util::as_of(),
            period: None,
            title: None,
            body: "本季度我认真学习了党章。".into(),
        },
        crate::util::as_of(),
    )
    .unwrap();
    let with_new = dangan::reports::unreviewed(&archive, &actor, Some(branch_id), 5).unwrap();
    assert_eq!(with_new.total, before.total + 1);
    assert_eq!(with_new.reports[0].id, new_id);
    dangan::reports::review(
        &mut archive,
        &actor,
        new_id,
        &dangan::reports::ReportReview {
            reviewer: "王老师".into(),
            comment: "认识深刻".into(),
            date: crate::util::as_of(),
        },
    )
    .unwrap();
    let after = dangan::reports::unreviewed(&archive, &actor, Some(branch_id), 5).unwrap();
    assert_eq!(after.total, before.total);
    assert!(after.reports.iter().all(|r| r.id != new_id));
}

/// How many meetings have `word` in their topic, minutes or a resolution (a plain LIKE scan).
fn meetings_containing(temp: &TempArchive, word: &str) -> usize {
    raw_connection(&temp.db_path())
        .query_row(
            "SELECT count(*) FROM meeting m
              WHERE instr(m.topic, ?1) > 0 OR instr(m.minutes, ?1) > 0
                 OR EXISTS (SELECT 1 FROM resolution r
                             WHERE r.meeting_id = m.id AND instr(r.text, ?1) > 0)",
            [word],
            |r| r.get::<_, i64>(0),
        )
        .unwrap() as usize
}
