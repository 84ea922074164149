//! 民主评议 grades through the CLI: the demo's grades and its planted over-share year, a batch
//! written all or nothing, one grade per member and year, the share warning, and the dossier.

use chrono::Datelike;
use dangan::appraisals::{self, ExcellentShare, Grade};
use dangan::meetings;
use serde_json::{Value, json as j};

use crate::util::{AS_OF, TempArchive, as_of, json};

fn grades_file(temp: &TempArchive, name: &str, grades: &Value) -> String {
    let file = temp.root.with_file_name(name);
    std::fs::write(&file, grades.to_string()).unwrap();
    file.to_str().unwrap().to_string()
}

fn list(temp: &TempArchive, branch: i64, year: i32) -> Value {
    json(temp.dangan(&[
        "appraisal",
        "list",
        "--branch",
        &branch.to_string(),
        "--year",
        &year.to_string(),
        "--json",
    ]))
}

#[test]
fn the_demo_grades_full_members_and_one_branch_year_gives_too_many_excellent() {
    let temp = TempArchive::demo(2000);
    let summary = temp.demo.as_ref().unwrap();
    assert!(summary.appraisals > 100, "{} grades", summary.appraisals);
    let planted = summary.appraisal_warning.as_ref().expect("a planted year");
    let listed = list(&temp, planted.branch_id, planted.year);
    let warnings = listed["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{listed}");
    assert_eq!(warnings[0]["rule"], "appraisal_excellent_share");
    assert_eq!(warnings[0]["severity"], "warn");
    assert!(warnings[0]["excellent"].as_u64() > warnings[0]["allowed"].as_u64());

    // Every other branch-year of the demo stays within the share, with 优秀 given somewhere,
    // each grade given at the branch's appraisal meeting of that year.
    let (archive, actor) = temp.open_as_admin();
    let branches = json(temp.dangan(&["branch", "list", "--json"]));
    let mut excellent = 0;
    let mut graded = 0;
    for branch in branches.as_array().unwrap() {
        let id = branch["id"].as_i64().unwrap();
        for year in 2022..=2025 {
            let listed = appraisals::list(&archive, &actor, id, year).unwrap();
            graded += listed.grades.len();
            excellent += listed
                .grades
                .iter()
                .filter(|g| g.grade == Grade::Excellent)
                .count();
            if (id, year) != (planted.branch_id, planted.year) {
                assert!(listed.warnings.is_empty(), "{:?}", listed.warnings);
            }
            if let Some(grade) = listed.grades.first() {
                let meeting = meetings::show(&archive, &actor, grade.meeting_id.unwrap()).unwrap();
                assert_eq!(meeting.kind, meetings::MeetingKind::Appraisal);
                assert_eq!((meeting.branch_id, meeting.date.year()), (id, year));
                // Only full members on that day are graded.
                let entitled =
                    meetings::entitled_voters(&archive, &actor, id, meeting.date).unwrap();
                assert_eq!(listed.grades.len(), entitled.len());
            }
        }
    }
    assert!(
        graded > 0 && excellent * 100 / graded >= 10,
        "{excellent} of {graded}"
    );

    // The share warning is not a problem `dangan check` reports.
    let findings = json(temp.dangan(&["check", "--as-of", AS_OF, "--json"]));
    assert_eq!(findings.as_array().unwrap().len(), summary.planted.len());
}

#[test]
fn a_batch_is_written_all_or_nothing_once_a_year_and_warns_beyond_a_third() {
    let temp = TempArchive::demo(600);
    let (archive, actor) = temp.open_as_admin();
    // The staff branch with the most full members today; 2026 is not graded yet.
    let branches = json(temp.dangan(&["branch", "list", "--json"]));
    let (branch, entitled) = branches
        .as_array()
        .unwrap()
        .iter()
        .map(|b| {
            let id = b["id"].as_i64().unwrap();
            (
                id,
                meetings::entitled_voters(&archive, &actor, id, as_of()).unwrap(),
            )
        })
        .max_by_key(|(_, voters)| voters.len())
        .unwrap();
    let n = entitled.len();
    assert!(n >= 3, "{n} full members");
    let allowed = ExcellentShare::load().unwrap().allowed(n);
    let year = "2026";
    let branch_arg = branch.to_string();
    let batch = |excellent: usize| -> Value {
        j!({"grades": entitled.iter().enumerate().map(|(i, v)| j!({
            "member_id": v.member_id,
            "grade": if i < excellent { "优秀" } else { "合格" },
        })).collect::<Vec<_>>()})
    };
    let set = |file: &str, extra: &[&str]| {
        let mut args = vec![
            "appraisal",
            "set",
            file,
            "--branch",
            &branch_arg,
            "--year",
            year,
            "--as-of",
            AS_OF,
            "--json",
        ];
        args.extend_from_slice(extra);
        temp.dangan(&args)
    };

    // One bad row (a member who is not a full member of the branch): nothing is written, and
    // the error names the row.
    let stranger =
        json(temp.dangan(&["member", "list", "--stage", "applicant", "--json"]))[0]["id"]
            .as_i64()
            .unwrap();
    let mut bad = batch(allowed);
    bad["grades"]
        .as_array_mut()
        .unwrap()
        .push(j!({"member_id": stranger, "grade": "qualified"}));
    let refused = set(&grades_file(&temp, "bad.json", &bad), &[])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&refused.get_output().stderr).to_string();
    assert!(
        stderr.contains(&format!("row {}, member_id", n + 1)),
        "{stderr}"
    );
    assert!(
        list(&temp, branch, 2026)["grades"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // One more 优秀 than about a third allows: a warning on a dry run, nothing written.
    let over = json(set(
        &grades_file(&temp, "over.json", &batch(allowed + 1)),
        &["--dry-run"],
    ));
    assert_eq!(over["dry_run"], true);
    assert_eq!(over["written"], 0);
    assert_eq!(over["warnings"][0]["allowed"], allowed);
    assert!(
        list(&temp, branch, 2026)["grades"]
            .as_array()
            .unwrap()
            .is_empty()
    );

    // Exactly the share: written, no warning.
    let done = json(set(&grades_file(&temp, "ok.json", &batch(allowed)), &[]));
    assert_eq!(done["written"], n);
    assert!(done["warnings"].as_array().unwrap().is_empty());
    let listed = list(&temp, branch, 2026);
    assert_eq!(listed["grades"].as_array().unwrap().len(), n);
    assert_eq!(
        listed["grades"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|g| g["grade"] == "excellent")
            .count(),
        allowed
    );

    // A second grade for the same member and year is refused.
    let member = entitled[0].member_id.to_string();
    let again = temp
        .dangan(&[
            "appraisal",
            "set",
            "--branch",
            &branch_arg,
            "--year",
            year,
            "--member",
            &member,
            "--grade",
            "基本合格",
            "--as-of",
            AS_OF,
        ])
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&again.get_output().stderr).to_string();
    assert!(stderr.contains("already has a grade for 2026"), "{stderr}");
    // The batch written is audited once, against the branch; the refused one not at all.
    let audit = json(temp.dangan(&["audit", "list", "--json"]));
    let set: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "appraisal_set")
        .collect();
    assert_eq!(set.len(), 1, "{audit}");
    assert_eq!(set[0]["target_kind"], "branch");

    // The member's grades, oldest first, and in their dossier.
    let own = json(temp.dangan(&["appraisal", "list", "--member", &member, "--json"]));
    let years: Vec<i64> = own
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years.last(), Some(&2026));
    assert!(years.windows(2).all(|w| w[0] < w[1]));
    let out = temp.root.join("out").join("dossier.pdf");
    json(temp.dangan(&[
        "dossier",
        &member,
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--json",
    ]));
    let text = std::process::Command::new("pdftotext")
        .args([out.to_str().unwrap(), "-"])
        .output()
        .unwrap();
    let text: String = String::from_utf8_lossy(&text.stdout)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let section = text.rfind("六、民主评议").unwrap();
    let end = text.rfind("七、档案材料目录").unwrap();
    // The first member was among the 优秀 (at least one is allowed).
    assert!(
        text[section..end].contains("2026年度"),
        "{}",
        &text[section..end]
    );
    assert!(text[section..end].contains("优秀"));
}
