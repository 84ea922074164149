//! PDF documents read back with poppler-utils (`pdftotext`, `pdffonts`, `pdfinfo`): page counts,
//! text in reading order, embedded subset fonts, kinsoku in a long paragraph, the letter register
//! and batches.

use std::path::Path;
use std::process::Command as Process;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

use dangan::pdf::FontSet;
use dangan::pdf::batch::{self, BatchScope};
use dangan::pdf::layout::{Flow, NO_LINE_END, NO_LINE_START, PageStyle};

use crate::util::{AS_OF, TempArchive, as_of, json, raw_connection};

fn tool(name: &str, args: &[&str]) -> String {
    let output = Process::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|err| panic!("{name} is needed (poppler-utils): {err}"));
    assert!(
        output.status.success(),
        "{name} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn text_of(pdf: &Path) -> String {
    tool("pdftotext", &["-layout", pdf.to_str().unwrap(), "-"])
}

fn pages_of(pdf: &Path) -> usize {
    let info = tool("pdfinfo", &[pdf.to_str().unwrap()]);
    info.lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap()
}

/// Every font embedded and subset (pdffonts: emb yes, sub yes); returns how many fonts.
fn assert_fonts_embedded_and_subset(pdf: &Path) -> usize {
    let fonts = tool("pdffonts", &[pdf.to_str().unwrap()]);
    let rows: Vec<&str> = fonts
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .collect();
    assert!(!rows.is_empty(), "no fonts in {}", pdf.display());
    for row in &rows {
        let cols: Vec<&str> = row.split_whitespace().collect();
        // name, type words..., encoding, emb, sub, uni, object, id
        let n = cols.len();
        assert_eq!(cols[n - 5], "yes", "not embedded: {row}");
        assert_eq!(cols[n - 4], "yes", "not subset: {row}");
        assert!(cols[0].contains('+'), "no subset tag: {row}");
    }
    rows.len()
}

/// Text without the spaces `pdftotext -layout` puts between wide glyphs.
fn squeeze(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn first_of_stage(temp: &TempArchive, stage: &str) -> serde_json::Value {
    let list = json(temp.dangan(&["member", "list", "--stage", stage, "--json"]));
    list.as_array().unwrap()[0].clone()
}

#[test]
fn a_dossier_has_the_members_name_dates_headings_and_subset_fonts() {
    let temp = TempArchive::demo(60);
    let id = first_of_stage(&temp, "full_member")["id"].as_i64().unwrap();
    let member = json(temp.dangan(&["member", "show", &id.to_string(), "--json"]));
    let out = temp.root.join("out").join("dossier.pdf");
    let file = json(temp.dangan(&[
        "dossier",
        &id.to_string(),
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--json",
    ]));
    assert_eq!(file["file"], out.to_str().unwrap());
    let pages = file["pages"].as_u64().unwrap() as usize;
    assert!(pages >= 4, "cover, contents and sections: {pages}");
    assert_eq!(pages_of(&out), pages);
    assert_eq!(
        file["bytes"].as_u64().unwrap(),
        std::fs::metadata(&out).unwrap().len()
    );
    assert!(file["bytes"].as_u64().unwrap() < 300_000, "{file}");
    assert_eq!(assert_fonts_embedded_and_subset(&out), 2);

    let text = squeeze(&text_of(&out));
    let name = member["name"].as_str().unwrap();
    assert!(text.contains(name));
    let joined = member["joined_date"].as_str().unwrap();
    assert!(text.contains(joined), "入党时间 {joined}");
    for event in member["events"].as_array().unwrap() {
        assert!(text.contains(event["date"].as_str().unwrap()));
    }
    // Headings in archive order, each listed in the contents and then in the body.
    let headings = [
        "一、基本信息",
        "二、发展过程",
        "三、规则核查结果",
        "四、思想汇报",
        "五、会议与表决",
        "六、民主评议",
        "七、档案材料目录",
    ];
    let mut at = text.find("目录").unwrap();
    for heading in headings {
        at += text[at..]
            .find(heading)
            .unwrap_or_else(|| panic!("{heading} in contents"));
    }
    let mut at = text.rfind("一、基本信息").unwrap();
    for heading in &headings[1..] {
        at += text[at..]
            .find(heading)
            .unwrap_or_else(|| panic!("{heading} in order"));
    }
    assert!(
        text.contains(&format!("第1页共{pages}页")) || text.contains(&format!("第2页共{pages}页"))
    );
    assert!(text.contains(&format!("第{pages}页共{pages}页")));
    // The full ID number is printed (the filed copy).
    let masked = member["id_number_masked"].as_str().unwrap();
    assert!(text.contains(&masked[..6]) && text.contains(&masked[14..]));
    assert!(!text.contains(masked));
    assert!(text.contains("暂无记录"));
}

#[test]
fn rare_name_characters_are_drawn_from_the_font() {
    let temp = TempArchive::demo(20);
    let id = first_of_stage(&temp, "applicant")["id"].as_i64().unwrap();
    // Set up a name with a character outside the BMP (U+2020C) directly in the file.
    raw_connection(&temp.db_path())
        .execute("UPDATE member SET name = '李𠈌喆堃' WHERE id = ?1", [id])
        .unwrap();
    let out = temp.root.join("rare.pdf");
    json(temp.dangan(&[
        "dossier",
        &id.to_string(),
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]));
    assert!(squeeze(&text_of(&out)).contains("李𠈌喆堃"));
    assert_fonts_embedded_and_subset(&out);
}

#[test]
fn no_line_of_a_long_paragraph_starts_or_ends_with_a_forbidden_mark() {
    let fonts = FontSet::discover().unwrap();
    let style = PageStyle::default();
    let mut flow = Flow::new(&fonts, style);
    let sentence = "通过学习《中国共产党章程》和党的理论，我进一步认识到：党员必须坚持（全心全意）为人民服务，“吃苦在前、享受在后”！我是否做到了？还要继续努力；";
    let paragraph = sentence.repeat(40);
    flow.paragraph(&paragraph);
    let (pages, _) = flow.finish();
    assert!(pages.len() >= 2, "long enough to break across pages");
    let bytes = dangan::pdf::render::render(
        &fonts,
        "kinsoku",
        &pages,
        (
            dangan::pdf::layout::A4_WIDTH,
            dangan::pdf::layout::A4_HEIGHT,
        ),
    )
    .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("long.pdf");
    std::fs::write(&out, bytes).unwrap();
    let text = text_of(&out);
    let lines: Vec<&str> = text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    assert!(lines.len() > 60, "{} lines", lines.len());
    for (i, line) in lines.iter().enumerate() {
        let first = line.chars().next().unwrap();
        let last = line.chars().last().unwrap();
        assert!(
            !NO_LINE_START.contains(first),
            "line {i} starts with {first}: {line}"
        );
        assert!(
            i + 1 == lines.len() || !NO_LINE_END.contains(last),
            "line {i} ends with {last}: {line}"
        );
    }
    assert_eq!(squeeze(&lines.concat()), squeeze(&paragraph));
}

#[test]
fn a_letter_has_three_parts_with_the_serial_and_its_receipt_is_registered() {
    let temp = TempArchive::demo(60);
    let member = first_of_stage(&temp, "full_member");
    let id = member["id"].as_i64().unwrap().to_string();
    let out = temp.root.join("letter.pdf");
    let issued = json(temp.dangan(&[
        "letter",
        &id,
        "--to",
        "中共某某科技有限公司委员会",
        "--out",
        out.to_str().unwrap(),
        "--date",
        "2026-06-20",
        "--dues",
        "2026-06",
        "--valid-days",
        "30",
        "--json",
    ]));
    assert_eq!(issued["letter"]["serial"], 1);
    assert_eq!(issued["letter"]["receipt_due"], "2026-07-20");
    assert_eq!(issued["pdf"]["pages"], 1);
    assert_eq!(pages_of(&out), 1);
    assert_fonts_embedded_and_subset(&out);
    let text = squeeze(&text_of(&out));
    for part in ["（存根）", "（介绍信）", "（回执）"] {
        assert!(text.contains(part), "{part}");
    }
    // The serial on each part and across both cut lines.
    assert_eq!(text.matches("组字第1号").count(), 5, "{text}");
    assert!(text.contains("贰零贰陆年陆月"), "dues in 大写");
    assert!(text.contains("有效期叁拾天"));
    assert!(text.contains("二〇二六年六月二十日"));
    assert!(text.contains(member["name"].as_str().unwrap()));

    // Not back by the reference day: a reminder.
    let overdue = json(temp.dangan(&["letter", "overdue", "--as-of", AS_OF, "--json"]));
    assert_eq!(overdue.as_array().unwrap().len(), 1);
    let receipt = json(temp.dangan(&["letter", "receipt", "1", "--date", "2026-07-02", "--json"]));
    assert_eq!(receipt["receipt_on"], "2026-07-02");
    let overdue = json(temp.dangan(&["letter", "overdue", "--as-of", AS_OF, "--json"]));
    assert!(overdue.as_array().unwrap().is_empty());
    // Once only; unknown serials are not found.
    temp.dangan(&["letter", "receipt", "1", "--date", "2026-07-03"])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("已于 2026-07-02 登记"));
    temp.dangan(&["letter", "receipt", "9", "--date", "2026-07-03"])
        .assert()
        .code(4);
    // The next letter takes the next serial.
    let second = json(temp.dangan(&[
        "letter",
        &id,
        "--to",
        "中共某市委员会",
        "--out",
        temp.root.join("letter2.pdf").to_str().unwrap(),
        "--date",
        "2026-06-21",
        "--json",
    ]));
    assert_eq!(second["letter"]["serial"], 2);
}

#[test]
fn a_letter_is_refused_for_someone_not_yet_a_member_and_nothing_is_registered() {
    let temp = TempArchive::demo(30);
    let id = first_of_stage(&temp, "applicant")["id"]
        .as_i64()
        .unwrap()
        .to_string();
    let out = temp.root.join("no.pdf");
    temp.dangan(&[
        "letter",
        &id,
        "--to",
        "某单位",
        "--out",
        out.to_str().unwrap(),
    ])
    .assert()
    .code(1)
    .stderr(predicates::str::contains("不是党员"));
    assert!(!out.exists());
    let overdue = json(temp.dangan(&["letter", "overdue", "--as-of", "2030-01-01", "--json"]));
    assert!(overdue.as_array().unwrap().is_empty());
}

#[test]
fn a_development_notice_lists_the_branchs_development_targets_with_the_period() {
    let temp = TempArchive::demo(200);
    let target = first_of_stage(&temp, "development_target");
    let branch = target["branch_id"].as_i64().unwrap().to_string();
    let out = temp.root.join("notice.pdf");
    let outcome = json(temp.dangan(&[
        "notice",
        "--branch",
        &branch,
        "--kind",
        "development",
        "--from",
        "2026-11-26",
        "--days",
        "5",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(outcome["until"], "2026-12-02");
    let text = squeeze(&text_of(&out));
    assert!(text.contains("拟发展党员的公示"));
    assert!(text.contains("公示期为2026年11月26日至2026年12月2日（五个工作日）"));
    for name in outcome["names"].as_array().unwrap() {
        assert!(text.contains(name.as_str().unwrap()));
    }
    assert!(text.contains(target["name"].as_str().unwrap()));
    assert_fonts_embedded_and_subset(&out);
}

#[test]
fn a_branch_batch_writes_one_dossier_per_member_and_an_index() {
    let temp = TempArchive::demo(80);
    let member = first_of_stage(&temp, "activist");
    let branch = member["branch_id"].as_i64().unwrap().to_string();
    let members = json(temp.dangan(&["member", "list", "--branch", &branch, "--json"]));
    let count = members.as_array().unwrap().len();
    let dir = temp.root.join("batch");
    let outcome = json(temp.dangan(&[
        "dossier",
        "--branch",
        &branch,
        "--out-dir",
        dir.to_str().unwrap(),
        "--threads",
        "2",
        "--as-of",
        AS_OF,
        "--json",
    ]));
    assert_eq!(outcome["dossiers"].as_array().unwrap().len(), count);
    let files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    assert_eq!(files.len(), count + 1, "{files:?}");
    assert!(
        files.iter().all(|f| f.ends_with(".pdf")),
        "no temporary files: {files:?}"
    );
    let index = squeeze(&text_of(&dir.join("index.pdf")));
    for m in members.as_array().unwrap() {
        assert!(index.contains(m["name"].as_str().unwrap()));
    }
}

#[test]
fn a_batch_reports_progress_and_a_cancelled_batch_leaves_only_whole_files() {
    let temp = TempArchive::demo(80);
    let (archive, actor) = temp.open_as_admin();
    let fonts = FontSet::discover().unwrap();
    let first = first_of_stage(&temp, "activist");
    let scope = BatchScope::Branch(first["branch_id"].as_i64().unwrap());
    let total = batch::members(&archive, &actor, &scope).unwrap().len();

    let dir = tempfile::tempdir().unwrap();
    // What a killed earlier run would have left behind.
    std::fs::write(dir.path().join(".dangan-AbC123.part"), b"%PDF-1.7 half").unwrap();
    let seen = Mutex::new(Vec::new());
    let never = AtomicBool::new(false);
    let outcome = batch::generate(
        &archive,
        &actor,
        &fonts,
        &scope,
        as_of(),
        dir.path(),
        Some(2),
        &|p| seen.lock().unwrap().push(p.done),
        &never,
    )
    .unwrap();
    assert_eq!(outcome.dossiers.len(), total);
    assert!(!dir.path().join(".dangan-AbC123.part").exists());
    let mut seen = seen.into_inner().unwrap();
    seen.sort_unstable();
    assert_eq!(seen, (1..=total).collect::<Vec<_>>());

    // Cancel after the first dossier is done.
    let dir = tempfile::tempdir().unwrap();
    let cancel = AtomicBool::new(false);
    let err = batch::generate(
        &archive,
        &actor,
        &fonts,
        &scope,
        as_of(),
        dir.path(),
        Some(1),
        &|_| cancel.store(true, Ordering::Relaxed),
        &cancel,
    )
    .unwrap_err();
    assert_eq!(dangan::ErrorCode::code(&err), "cancelled");
    let files: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert_eq!(files.len(), 1, "one finished dossier, no index: {files:?}");
    for file in files {
        assert!(file.extension().is_some_and(|e| e == "pdf"));
        assert!(pages_of(&file) > 0);
    }
}

#[test]
fn a_class_batch_and_a_chosen_members_batch_cover_exactly_those_members() {
    let temp = TempArchive::demo(80);
    let student = first_of_stage(&temp, "activist");
    let class = student["class_name"].as_str().unwrap();
    let everyone = json(temp.dangan(&["member", "list", "--json"]));
    let in_class: Vec<&serde_json::Value> = everyone
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["class_name"] == class)
        .collect();
    let dir = temp.root.join("class");
    let outcome = json(temp.dangan(&[
        "dossier",
        "--class",
        class,
        "--out-dir",
        dir.to_str().unwrap(),
        "--json",
    ]));
    let names: Vec<&str> = outcome["dossiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap())
        .collect();
    assert_eq!(names.len(), in_class.len());
    for m in in_class {
        assert!(names.contains(&m["name"].as_str().unwrap()));
    }

    let dir = temp.root.join("chosen");
    let outcome = json(temp.dangan(&[
        "dossier",
        "--members",
        "3,1,2",
        "--out-dir",
        dir.to_str().unwrap(),
        "--json",
    ]));
    let ids: Vec<i64> = outcome["dossiers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["member_id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids, [3, 1, 2]);
    temp.dangan(&[
        "dossier",
        "--members",
        "1,99999",
        "--out-dir",
        dir.to_str().unwrap(),
    ])
    .assert()
    .code(4);
}

#[test]
fn an_archive_may_reword_the_dossier_and_a_broken_template_is_named() {
    let temp = TempArchive::demo(20);
    let templates = temp.root.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let embedded = include_str!("../../assets/templates/dossier.toml");
    std::fs::write(
        templates.join("dossier.toml"),
        embedded
            .replace("\"发展过程\"", "\"发展党员过程\"")
            .replace("title = \"党 员 档 案\"", "title = \"学生党员档案\""),
    )
    .unwrap();
    let out = temp.root.join("reworded.pdf");
    json(temp.dangan(&["dossier", "1", "--out", out.to_str().unwrap(), "--json"]));
    let text = squeeze(&text_of(&out));
    assert!(text.contains("学生党员档案"));
    assert!(text.contains("二、发展党员过程"));

    std::fs::write(templates.join("dossier.toml"), "title = 1\n").unwrap();
    temp.dangan(&["dossier", "1", "--out", out.to_str().unwrap()])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("dossier.toml"));
}

/// The dossier's text in reading order without page headers and footers (a paragraph that runs
/// onto the next page reads on), squeezed.
fn body_text(pdf: &Path, header_start: &str) -> String {
    let text = text_of(pdf);
    let kept: Vec<&str> = text
        .lines()
        .filter(|l| {
            let t = squeeze(l);
            !(t.starts_with(header_start) || (t.starts_with('第') && t.contains("页共")))
        })
        .collect();
    squeeze(&kept.join("\n"))
}

fn dossier_of(temp: &TempArchive, id: i64) -> std::path::PathBuf {
    let out = temp.root.join("out").join(format!("dossier-{id}.pdf"));
    json(temp.dangan(&[
        "dossier",
        &id.to_string(),
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        AS_OF,
        "--json",
    ]));
    out
}

#[test]
fn a_dossier_prints_every_thought_report_in_date_order_with_its_text_and_review() {
    let temp = TempArchive::demo(60);
    let conn = raw_connection(&temp.root.join("archive.db"));
    let id: i64 = conn
        .query_row(
            "SELECT member_id FROM thought_report GROUP BY member_id ORDER BY count(*) DESC,
             member_id LIMIT 1",
            [],
            |row| row.get(0),
        )
        .unwrap();
    let reports = json(temp.dangan(&["report", "list", &id.to_string(), "--json"]));
    let reports = reports.as_array().unwrap();
    assert!(reports.len() >= 4, "{} reports", reports.len());
    // The last one is reviewed; its comment is printed after its text.
    let last = reports.last().unwrap()["id"].to_string();
    json(temp.dangan(&[
        "report",
        "review",
        &last,
        "--reviewer",
        "王老师",
        "--comment",
        "认识较深刻，望联系实际继续学习。",
        "--date",
        AS_OF,
        "--json",
    ]));

    let out = dossier_of(&temp, id);
    let member = json(temp.dangan(&["member", "show", &id.to_string(), "--json"]));
    let text = body_text(&out, "党员档案");
    let section = text.rfind("四、思想汇报").unwrap();
    let meetings = text.rfind("五、会议与表决").unwrap();
    assert!(
        text[meetings..].contains("五、会议与表决暂无记录"),
        "no meetings"
    );
    let mut at = section;
    for report in reports {
        let shown = json(temp.dangan(&["report", "show", &report["id"].to_string(), "--json"]));
        let title = shown["title"].as_str().unwrap();
        at += text[at..]
            .find(title)
            .unwrap_or_else(|| panic!("{title} after the previous report"));
        assert!(text[at..].contains(shown["date"].as_str().unwrap()));
        // The second paragraph's first sentence, after the title and before the next report.
        let body = shown["body"].as_str().unwrap();
        let paragraph = body.lines().nth(1).unwrap();
        let sentence = squeeze(&paragraph[..paragraph.find('。').unwrap() + '。'.len_utf8()]);
        let found = text[at..].find(&sentence).unwrap_or_else(|| {
            panic!(
                "{sentence:?} of {title} in the dossier of {}",
                member["name"]
            )
        });
        at += found;
        assert!(at < meetings);
    }
    assert!(
        text[at..meetings]
            .contains("审阅意见（王老师，2026-11-24）：认识较深刻，望联系实际继续学习。")
    );
}

#[test]
fn a_member_admitted_by_a_general_meeting_has_it_and_the_tally_in_the_dossier() {
    use crate::meetings::{meeting_add, request};
    let temp = TempArchive::demo(2000);
    let targets = json(temp.dangan(&["member", "list", "--stage", "development_target", "--json"]));
    // The first development target the branch meeting may admit today (the rules refuse some).
    let (member, n, yes) = targets
        .as_array()
        .unwrap()
        .iter()
        .find_map(|t| {
            let (member, branch) = (t["id"].as_i64()?, t["branch_id"].as_i64()?);
            let output = meeting_add(&temp, &request(branch, member, &[], &[]), &["--dry-run"])
                .output()
                .unwrap();
            let preview: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
            let entitled: Vec<i64> = preview["entitled"]
                .as_array()?
                .iter()
                .filter_map(|v| v["member_id"].as_i64())
                .collect();
            if entitled.len() < 3 {
                return None;
            }
            let yes = entitled[..entitled.len() / 2 + 1].to_vec();
            let output = meeting_add(&temp, &request(branch, member, &yes, &yes), &[])
                .output()
                .unwrap();
            let outcome: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
            (outcome["preview"]["resolutions"][0]["passed"] == true).then_some((
                member,
                entitled.len(),
                yes,
            ))
        })
        .expect("a development target the branch meeting admits");

    // The candidate was not on the attendance list; a voter was present.
    let text = body_text(&dossier_of(&temp, member), "党员档案");
    let section = &text[text.rfind("五、会议与表决").unwrap()..text.rfind("六、民主评议").unwrap()];
    assert!(
        section.contains(&format!("{AS_OF}支部党员大会讨论接收预备党员未参会")),
        "{section}"
    );
    assert!(section.contains("有关本人的决议"), "{section}");
    assert!(
        section.contains(&format!(
            "{AS_OF}同意接收为中共预备党员赞成{}反对0弃权0{n}人通过",
            yes.len()
        )),
        "{section}"
    );
    let voter = body_text(&dossier_of(&temp, yes[0]), "党员档案");
    let section =
        &voter[voter.rfind("五、会议与表决").unwrap()..voter.rfind("六、民主评议").unwrap()];
    assert!(
        section.contains(&format!("{AS_OF}支部党员大会讨论接收预备党员出席")),
        "{section}"
    );
    assert!(!section.contains("有关本人的决议"), "{section}");
}

/// Ctrl-C during `dangan dossier --members …` stops after the dossiers in progress: exit code
/// 130, a message saying so, only complete PDFs in the folder and no index.
#[cfg(unix)]
#[test]
fn ctrl_c_cancels_a_cli_batch_and_leaves_only_whole_files() {
    let temp = TempArchive::demo(200);
    let ids: Vec<String> = (1..=200).map(|i| i.to_string()).collect();
    let out = temp.root.join("batch");
    let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("dangan"))
        .env_remove(dangan::ARCHIVE_ENV)
        .env(dangan::auth::USER_ENV, crate::util::ADMIN)
        .env(dangan::auth::PASSWORD_ENV, crate::util::ADMIN_PASSWORD)
        .arg("--archive")
        .arg(&temp.root)
        .args(["dossier", "--members", &ids.join(","), "--threads", "1"])
        .arg("--out-dir")
        .arg(&out)
        .args(["--as-of", AS_OF])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // Wait for the first finished dossier (the handler is installed before the batch starts).
    let finished = |dir: &Path| {
        std::fs::read_dir(dir).map_or(0, |entries| {
            entries
                .flatten()
                .filter(|e| e.path().extension().is_some_and(|x| x == "pdf"))
                .count()
        })
    };
    while finished(&out) == 0 {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the batch ended before a dossier was written"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    let status = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{stderr}");
    assert!(stderr.contains("已取消"), "{stderr}");
    let files: Vec<_> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    assert!(!files.is_empty() && files.len() < 200, "{files:?}");
    assert!(!out.join("index.pdf").exists(), "no index after a cancel");
    for file in files {
        assert!(
            file.extension().is_some_and(|e| e == "pdf"),
            "only finished PDFs, no temporary file: {file:?}"
        );
        assert!(pages_of(&file) > 0, "{file:?} opens");
    }
}
