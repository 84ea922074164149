//! `dangan import` / `export` / `template` and the roster library, on the fixtures in
//! `tests/fixtures/roster/` (see `roster_fixtures`) and on demo archives.

use std::path::Path;

use dangan::Archive;
use dangan::roster::{self, ExportFormat, ExportOptions, ImportOptions, TextEncoding};
use proptest::prelude::*;
use serde_json::Value;

use crate::roster_fixtures::{self, id};
use crate::util::{AS_OF, TempArchive, as_of, json};

fn fixture(name: &str) -> String {
    roster_fixtures::dir().join(name).display().to_string()
}

/// `dangan import FILE --json --as-of AS_OF args...`: its JSON and exit code.
fn import(temp: &TempArchive, file: &str, args: &[&str]) -> (Value, i32) {
    let mut all = vec!["import", file, "--json", "--as-of", AS_OF];
    all.extend(args);
    let output = temp.dangan(&all).output().unwrap();
    let code = output.status.code().unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let value = serde_json::from_str(&stdout).unwrap_or_else(|_| {
        panic!(
            "not JSON (exit {code}): {stdout}\n{}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (value, code)
}

/// The error list as (sheet, row, column, code).
fn error_list(report: &Value) -> Vec<(String, u64, String, String)> {
    report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["sheet"].as_str().unwrap().to_string(),
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap().to_string(),
                e["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn expected(rows: &[(&str, u64, &str, &str)]) -> Vec<(String, u64, String, String)> {
    rows.iter()
        .map(|(s, r, c, code)| (s.to_string(), *r, c.to_string(), code.to_string()))
        .collect()
}

/// Everything a member list and every member's record show, to compare archives.
fn snapshot(temp: &TempArchive) -> (Value, i64) {
    let list = json(temp.dangan(&["member", "list", "--json"]));
    let conn = crate::util::raw_connection(&temp.db_path());
    let events: i64 = conn
        .query_row("SELECT count(*) FROM member_event", [], |r| r.get(0))
        .unwrap();
    (list, events)
}

#[test]
fn messy_workbook_reports_every_bad_cell_exactly() {
    let temp = TempArchive::demo(30);
    let before = snapshot(&temp);
    let (report, code) = import(&temp, &fixture("messy.xlsx"), &[]);
    assert_eq!(code, 2);
    let c = "计算机学院";
    let m = "机械学院";
    assert_eq!(
        error_list(&report),
        expected(&[
            (c, 10, "身份证号码", "id_number_as_number"),
            (c, 11, "身份证号码", "bad_id_number"),
            (c, 12, "出生日期", "id_birth_mismatch"),
            (c, 13, "性别", "id_sex_mismatch"),
            (c, 14, "入党时间", "bad_date"),
            (c, 14, "转正时间", "bad_date"),
            (c, 15, "姓名", "missing_required"),
            (c, 16, "手机号码", "bad_phone"),
            (c, 17, "所在支部", "unknown_branch"),
            (c, 18, "转正时间", "dates_out_of_order"),
            (c, 19, "入党时间", "date_in_future"),
            (c, 20, "民族", "bad_value"),
            (c, 22, "入党时间", "missing_required"),
            (m, 3, "公民身份号码", "duplicate_in_file"),
            (m, 4, "所在党支部", "ambiguous_branch"),
        ])
    );
    assert_eq!(report["rows"], 22);
    assert_eq!(report["valid"], 8);
    assert_eq!(report["created"], 8);
    assert_eq!(report["committed"], false);
    assert_eq!(report["batch"], Value::Null);
    assert_eq!(
        report["unknown_branches"],
        serde_json::json!(["不存在的党支部"])
    );
    // The header was found under the title and the group headers; the notes sheet is skipped.
    let sheets = report["sheets"].as_array().unwrap();
    assert_eq!(sheets[0]["header_row"], 3);
    assert_eq!(sheets[0]["columns"][0]["column"], "序号");
    assert_eq!(sheets[0]["columns"][10]["field"], "student_no");
    assert_eq!(sheets[1]["header_row"], 1);
    assert!(sheets[2]["skipped"].is_string());
    // The rounded number is shown as read, and nothing was written.
    let numeric = &report["errors"][0];
    assert_eq!(numeric["value"], "110108200110010130");
    assert_eq!(snapshot(&temp), before);
}

#[test]
fn gbk_csv_with_quoted_commas_and_line_breaks() {
    let temp = TempArchive::demo(30);
    let (report, code) = import(&temp, &fixture("gbk.csv"), &[]);
    assert_eq!(code, 2);
    assert_eq!(report["encoding"], "gb18030");
    // The second record spans lines 3 and 4, so the bad one starts on line 5.
    assert_eq!(
        error_list(&report),
        expected(&[("gbk", 5, "入党时间", "bad_date")])
    );
    let (report, code) = import(&temp, &fixture("gbk.csv"), &["--skip-invalid"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["created"], 3);
    let batch = report["batch"].as_i64().unwrap();
    let found = json(temp.dangan(&["member", "list", "--search", "刘喆", "--json"]));
    let member = json(temp.dangan(&["member", "show", &found[0]["id"].to_string(), "--json"]));
    assert_eq!(member["address"], "北京市海淀区中关村大街1号,3单元");
    assert_eq!(member["joined_date"], "2021-06-01");
    assert_eq!(member["stage"], "probationary_member");
    let other = json(temp.dangan(&["member", "list", "--search", "黄堃", "--json"]));
    let other = json(temp.dangan(&["member", "show", &other[0]["id"].to_string(), "--json"]));
    assert_eq!(other["address"], "上海市徐汇区\n漕溪北路2号");
    assert!(batch > 0);
}

#[test]
fn legacy_xls_is_read() {
    let temp = TempArchive::demo(30);
    let (report, code) = import(&temp, &fixture("legacy.xls"), &[]);
    assert_eq!(code, 2);
    assert_eq!(report["format"], "xls");
    assert_eq!(
        error_list(&report),
        expected(&[
            ("党员名册", 3, "公民身份号码", "id_number_as_number"),
            ("党员名册", 5, "联系电话", "bad_phone"),
        ])
    );
    assert_eq!(report["valid"], 2);
}

#[test]
fn an_opendocument_spreadsheet_is_read() {
    let temp = TempArchive::demo(30);
    let (report, code) = import(&temp, &fixture("office.ods"), &[]);
    assert_eq!(code, 2);
    assert_eq!(report["format"], "ods");
    assert_eq!(report["sheets"][0]["header_row"], 2);
    assert_eq!(report["rows"], 4);
    assert_eq!(
        error_list(&report),
        expected(&[
            ("党员名册", 4, "公民身份号码", "id_number_as_number"),
            ("党员名册", 6, "联系电话", "bad_phone"),
        ])
    );
    assert_eq!(report["valid"], 2);

    // The valid rows, committed: date cells and text dates read alike.
    let (report, code) = import(&temp, &fixture("office.ods"), &["--skip-invalid"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["created"], 2);
    let found = json(temp.dangan(&["member", "list", "--search", "宋喆", "--json"]));
    let member = json(temp.dangan(&["member", "show", &found[0]["id"].to_string(), "--json"]));
    assert_eq!(member["birth_date"], "2000-09-09");
    assert_eq!(member["joined_date"], "2020-12-01");
    assert_eq!(member["phone"], "13512345678");
    let found = json(temp.dangan(&["member", "list", "--search", "许堃", "--json"]));
    let member = json(temp.dangan(&["member", "show", &found[0]["id"].to_string(), "--json"]));
    assert_eq!(member["joined_date"], "2021-07-01");
}

#[test]
fn malformed_files_give_clear_errors_and_change_nothing() {
    let temp = TempArchive::demo(30);
    let before = snapshot(&temp);
    for (file, code, message) in [
        ("empty.xlsx", 2, "文件是空的"),
        ("text-renamed.xlsx", 2, "纯文本"),
        ("picture.png", 2, "PNG"),
        ("picture.xlsx", 2, "PNG"),
        ("truncated.xlsx", 2, "已损坏或不完整"),
        (
            "unrelated.xlsx",
            2,
            "缺少必需的列：姓名、公民身份号码；找到的表头：商品、单价、数量、金额",
        ),
        ("headers-only.xlsx", 2, "没有数据行"),
        ("missing-id-column.xlsx", 2, "缺少必需的列：公民身份号码"),
    ] {
        let output = temp
            .dangan(&["import", &fixture(file), "--as-of", AS_OF])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(code), "{file}: {stderr}");
        assert!(stderr.contains(message), "{file}: {stderr}");
        assert!(stderr.contains(file), "{file} is not named: {stderr}");
    }
    assert_eq!(snapshot(&temp), before);
}

#[test]
fn skip_invalid_commits_the_valid_rows_and_undo_reverts_exactly() {
    let temp = TempArchive::demo(30);
    let before = snapshot(&temp);
    let (report, code) = import(&temp, &fixture("messy.xlsx"), &["--skip-invalid"]);
    assert_eq!(code, 0);
    assert_eq!(report["committed"], true);
    assert_eq!(report["created"], 8);
    let batch = report["batch"].as_i64().unwrap().to_string();
    let after = snapshot(&temp);
    assert_eq!(after.0.as_array().unwrap().len(), 38);
    // The rare characters, the date forms and the normalised values arrived.
    let found = json(temp.dangan(&["member", "list", "--search", "赵𠈌", "--json"]));
    let zhao = json(temp.dangan(&["member", "show", &found[0]["id"].to_string(), "--json"]));
    assert_eq!(zhao["phone"], "13712345678");
    assert_eq!(zhao["joined_date"], "2019-06-01");
    assert_eq!(zhao["branch"], "本科生第一党支部");
    assert_eq!(zhao["college"], "计算机科学与技术学院");
    let found = json(temp.dangan(&["member", "list", "--search", "李堃", "--json"]));
    let li = json(temp.dangan(&["member", "show", &found[0]["id"].to_string(), "--json"]));
    assert_eq!(li["name"], "李堃");
    assert_eq!(li["ethnicity"], "汉族");
    assert_eq!(li["birth_date"], "2002-01-15");
    assert_eq!(li["joined_date"], "2021-06-01");
    let found = json(temp.dangan(&["member", "list", "--search", "张伟", "--json"]));
    let zhang = found
        .as_array()
        .unwrap()
        .iter()
        .find(|m| m["student_no"] == "2023030001")
        .unwrap();
    assert_eq!(zhang["stage"], "full_member");

    let history = json(temp.dangan(&["import", "history", "--json"]));
    assert_eq!(history[0]["skipped"], 14);
    let undone = json(temp.dangan(&["import", "undo", &batch, "--json"]));
    assert_eq!(undone["removed_members"], 8);
    assert_eq!(snapshot(&temp), before);
    temp.dangan(&["import", "undo", &batch])
        .assert()
        .failure()
        .stderr(predicates::str::contains("已于"));
}

/// A CSV roster written by the test.
fn write_csv(path: &Path, lines: &[String]) {
    std::fs::write(path, lines.join("\n")).unwrap();
}

const HEADER: &str = "姓名,性别,公民身份号码,学号,所在党支部,加入党组织日期,联系电话,家庭住址";
const BRANCH: &str = "经济与管理学院党委/本科生第一党支部";

/// A branch given by its short name resolves the same whether the row that creates it comes
/// before or after. When it comes after, the rows written so far are rolled back and the file is
/// checked again reading ahead for new branches; the commit keeps one before-import backup.
#[test]
fn a_short_branch_name_resolves_to_a_branch_the_batch_creates_in_any_row_order() {
    let dir = tempfile::tempdir().unwrap();
    let (a, b, c) = (
        id("2002-05-05", 71),
        id("2002-06-06", 82),
        id("2002-07-07", 93),
    );
    for (file, short_first) in [("short-first.csv", true), ("short-last.csv", false)] {
        let temp = TempArchive::new();
        temp.dangan(&["init"]).assert().success();
        // Written before the clash is seen, in a branch of its own.
        let first = format!("丙,男,{c},S003,地理学院党委/地理支部,,,");
        let short = format!("甲,男,{a},S001,测绘支部,,,");
        let full = format!("乙,女,{b},S002,测绘学院党委/测绘支部,,,");
        let [second, third] = if short_first {
            [short, full]
        } else {
            [full, short]
        };
        let path = dir.path().join(file);
        write_csv(&path, &[HEADER.to_string(), first, second, third]);
        let path = path.display().to_string();
        for args in [
            &["--create-branches", "--dry-run"][..],
            &["--create-branches"],
        ] {
            let (report, code) = import(&temp, &path, args);
            assert_eq!(code, 0, "{file} {args:?}: {report}");
            assert_eq!(report["created"], 3, "{file} {args:?}: {report}");
            assert_eq!(
                report["new_branches"],
                serde_json::json!(["地理学院党委/地理支部", "测绘学院党委/测绘支部"]),
                "{file} {args:?}"
            );
        }
        let conn = crate::util::raw_connection(&temp.db_path());
        let (branches, members_in_it): (i64, i64) = conn
            .query_row(
                "SELECT (SELECT count(*) FROM org_unit WHERE kind = 'branch'),
                        (SELECT count(*) FROM member m JOIN org_unit u ON u.id = m.branch_id
                          WHERE u.name = '测绘支部')",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!((branches, members_in_it), (2, 2), "{file}");
        assert_eq!(before_import_backups(&temp), (1, 1, 1), "{file}");
    }
}

#[test]
fn a_known_member_is_an_update_shown_as_a_diff_and_undo_restores_it() {
    let temp = TempArchive::demo(30);
    let dir = tempfile::tempdir().unwrap();
    let first = dir.path().join("first.csv");
    let a = id("2002-05-05", 71);
    let b = id("2002-06-06", 82);
    write_csv(
        &first,
        &[
            HEADER.to_string(),
            format!("甲,男,{a},S001,{BRANCH},,13800000001,旧址"),
            format!("乙,女,{b},S002,{BRANCH},2022-07-01,,"),
        ],
    );
    let (report, code) = import(&temp, &first.display().to_string(), &[]);
    assert_eq!((code, report["created"].as_i64()), (0, Some(2)), "{report}");
    let first_batch = report["batch"].as_i64().unwrap();

    let second = dir.path().join("second.csv");
    write_csv(
        &second,
        &[
            HEADER.to_string(),
            // The same ID number: a new phone and address, and now a joined date.
            format!("甲,男,{a},S001,{BRANCH},2023-07-01,13800000002,新址"),
            // The same person with a different joined date: never overwritten silently.
            format!("乙,女,{b},S002,{BRANCH},2022-08-01,,"),
            // The ID number of 甲 with the student number of 乙.
            format!("丙,男,{a},S002,{BRANCH},,,"),
        ],
    );
    let (report, code) = import(&temp, &second.display().to_string(), &[]);
    assert_eq!(code, 2);
    assert_eq!(
        error_list(&report),
        expected(&[
            ("second", 3, "加入党组织日期", "conflicts_with_timeline"),
            ("second", 4, "公民身份号码", "duplicate_in_file"),
            ("second", 4, "学号", "duplicate_in_file"),
            ("second", 4, "学号", "conflicting_match"),
        ])
    );
    let update = &report["updates"][0];
    assert_eq!(update["row"], 2);
    let changes: Vec<(String, String, String)> = update["changes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["label"].as_str().unwrap().to_string(),
                c["before"].as_str().unwrap().to_string(),
                c["after"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    assert_eq!(
        changes,
        [
            (
                "联系电话".into(),
                "13800000001".into(),
                "13800000002".into()
            ),
            ("家庭住址".into(), "旧址".into(), "新址".into()),
            ("加入党组织日期".into(), String::new(), "2023-07-01".into()),
        ]
    );

    let (report, code) = import(&temp, &second.display().to_string(), &["--skip-invalid"]);
    assert_eq!((code, report["updated"].as_i64()), (0, Some(1)));
    let second_batch = report["batch"].as_i64().unwrap();
    let jia = report["updates"][0]["member_id"].to_string();
    let shown = json(temp.dangan(&["member", "show", &jia, "--json"]));
    assert_eq!(shown["phone"], "13800000002");
    assert_eq!(shown["stage"], "probationary_member");

    // The first batch cannot be undone while the second one changed the same member.
    temp.dangan(&["import", "undo", &first_batch.to_string()])
        .assert()
        .failure()
        .stderr(predicates::str::contains(format!(
            "请先撤销批次 {second_batch}"
        )));
    let undone = json(temp.dangan(&["import", "undo", &second_batch.to_string(), "--json"]));
    assert_eq!(undone["restored_members"], 1);
    let shown = json(temp.dangan(&["member", "show", &jia, "--json"]));
    assert_eq!(shown["phone"], "13800000001");
    assert_eq!(shown["address"], "旧址");
    assert_eq!(shown["joined_date"], Value::Null);
    assert_eq!(shown["stage"], "applicant");
    temp.dangan(&["import", "undo", &first_batch.to_string()])
        .assert()
        .success();
}

#[test]
fn undo_is_refused_when_a_created_member_has_later_events() {
    let temp = TempArchive::demo(30);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("one.csv");
    write_csv(
        &file,
        &[
            HEADER.to_string(),
            format!("丁,男,{},,{BRANCH},,,", id("2002-01-01", 91)),
        ],
    );
    let (report, _) = import(&temp, &file.display().to_string(), &[]);
    let batch = report["batch"].to_string();
    let found = json(temp.dangan(&["member", "list", "--search", "丁", "--json"]));
    let member = found[0]["id"].to_string();
    temp.dangan(&[
        "step",
        "add",
        &member,
        "1",
        "--date",
        "2024-09-10",
        "--as-of",
        AS_OF,
    ])
    .assert()
    .success();
    temp.dangan(&["import", "undo", &batch])
        .assert()
        .failure()
        .stderr(predicates::str::contains("在导入后又记录了 1 个事件"));
    assert_eq!(
        json(temp.dangan(&["member", "list", "--search", "丁", "--json"]))
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn the_error_list_is_written_as_a_workbook_with_reasons() {
    let temp = TempArchive::demo(30);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("错误清单.xlsx");
    let output = temp
        .dangan(&[
            "import",
            &fixture("messy.xlsx"),
            "--as-of",
            AS_OF,
            "--errors-out",
            &out.display().to_string(),
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let written = roster::read_file(&out).unwrap();
    let first = &written.sheets[0];
    assert_eq!(first.name, "计算机学院");
    let header: Vec<String> = first.rows[0].cells.iter().map(|c| c.display()).collect();
    assert_eq!(header[0], "行号");
    assert_eq!(header.last().unwrap(), "错误原因");
    // One row per bad row (row 14 has two bad cells), with its Excel row number.
    assert_eq!(first.rows.len(), 1 + 12);
    assert_eq!(first.rows[1].cells[0].display(), "10");
    let reason = first.rows[5].cells.last().unwrap().display();
    assert!(
        reason.contains("入党时间") && reason.contains("转正时间"),
        "{reason}"
    );
    assert_eq!(written.sheets[1].rows.len(), 1 + 2);
}

#[test]
fn national_export_reimports_unchanged_and_into_an_empty_archive() {
    let temp = TempArchive::demo(300);
    let dir = tempfile::tempdir().unwrap();
    let xlsx = dir.path().join("national.xlsx");
    let csv = dir.path().join("national.csv");
    let summary = json(temp.dangan(&[
        "export",
        &xlsx.display().to_string(),
        "--json",
        "--as-of",
        AS_OF,
    ]));
    assert_eq!(summary["members"], 300);
    temp.dangan(&[
        "export",
        &csv.display().to_string(),
        "--encoding",
        "gbk",
        "--as-of",
        AS_OF,
    ])
    .assert()
    .success();
    for file in [&xlsx, &csv] {
        let (report, code) = import(&temp, &file.display().to_string(), &["--dry-run"]);
        assert_eq!(code, 0, "{report}");
        assert_eq!(report["unchanged"], 300, "{file:?}");
    }
    // Title row, header row, frozen below them; the header is in national order.
    let read = roster::read_file(&xlsx).unwrap();
    let header: Vec<String> = read.sheets[0].rows[1]
        .cells
        .iter()
        .map(|c| c.display())
        .collect();
    assert_eq!(header[..4], ["姓名", "性别", "民族", "公民身份号码"]);
    assert_eq!(header.len(), 16);

    let empty = TempArchive::new();
    empty.dangan(&["init"]).assert().success();
    let (report, code) = import(&empty, &xlsx.display().to_string(), &["--create-branches"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["created"], 300);
    let again = dir.path().join("again.xlsx");
    empty
        .dangan(&["export", &again.display().to_string(), "--as-of", AS_OF])
        .assert()
        .success();
    let rows = |path: &Path| -> Vec<Vec<String>> {
        let mut rows: Vec<Vec<String>> = roster::read_file(path).unwrap().sheets[0].rows[1..]
            .iter()
            .map(|r| r.cells.iter().map(|c| c.display()).collect())
            .collect();
        rows.sort();
        rows
    };
    assert_eq!(rows(&xlsx), rows(&again));
}

#[test]
fn full_export_filters_by_branch_and_stage() {
    let temp = TempArchive::demo(300);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("full.xlsx");
    let summary = json(temp.dangan(&[
        "export",
        &file.display().to_string(),
        "--format",
        "full",
        "--stage",
        "full_member",
        "--branch",
        "计算机科学与技术学院党委/教职工党支部",
        "--json",
    ]));
    let listed = json(temp.dangan(&[
        "member",
        "list",
        "--stage",
        "full_member",
        "--branch",
        "计算机科学与技术学院党委/教职工党支部",
        "--json",
    ]));
    assert_eq!(summary["members"], listed.as_array().unwrap().len());
    let read = roster::read_file(&file).unwrap();
    let rows = &read.sheets[0].rows;
    assert!(rows[0].cells[0].display().contains("教职工党支部"));
    let header: Vec<String> = rows[1].cells.iter().map(|c| c.display()).collect();
    assert_eq!(header.last().unwrap(), "发展阶段");
    assert!(
        rows[2..]
            .iter()
            .all(|r| r.cells.last().unwrap().display() == "正式党员")
    );
}

#[test]
fn the_template_has_every_column_notes_and_hidden_lists() {
    let temp = TempArchive::demo(30);
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("template.xlsx");
    temp.dangan(&["template", &file.display().to_string()])
        .assert()
        .success();
    let read = roster::read_file(&file).unwrap();
    let names: Vec<(&str, bool)> = read
        .sheets
        .iter()
        .map(|s| (s.name.as_str(), s.hidden))
        .collect();
    assert_eq!(
        names,
        [("党员名册", false), ("填写说明", false), ("选项", true)]
    );
    let header: Vec<String> = read.sheets[0].rows[0]
        .cells
        .iter()
        .map(|c| c.display())
        .collect();
    assert_eq!(header.len(), roster::columns::columns().len());
    let lists = &read.sheets[2];
    assert_eq!(lists.rows.len(), 1 + 56);
    assert_eq!(lists.rows[40].cells[3].display(), "医学院党委/教职工党支部");
    // The blank template is a roster without rows.
    temp.dangan(&["import", &file.display().to_string()])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("没有数据行"));
}

/// Generated national-format members, rare name characters included.
fn member_strategy() -> impl Strategy<Value = (String, String, u16, u32, u32, bool)> {
    let name = prop::collection::vec(
        prop::sample::select(vec![
            "王", "喆", "堃", "𠈌", "欧阳", "淼", "赟", "李", "婳", "·",
        ]),
        1..4,
    )
    .prop_map(|parts| format!("张{}", parts.concat()));
    (
        name,
        prop::sample::select(vec!["汉族", "维吾尔族", "壮族", "回族"]).prop_map(String::from),
        0u16..1000,
        0u32..3000,
        0u32..2000,
        any::<bool>(),
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 6, ..ProptestConfig::default() })]

    /// Members imported from a generated roster, exported in the national format and imported
    /// into an empty archive come back with every national field intact.
    #[test]
    fn national_export_round_trips_generated_members(
        members in prop::collection::vec(member_strategy(), 1..12)
    ) {
        let dir = tempfile::tempdir().unwrap();
        let source = dir.path().join("generated.csv");
        let mut lines = vec!["姓名,性别,民族,公民身份号码,所在党支部,加入党组织日期,转为正式党员日期,联系电话,家庭住址,是否为流动党员".to_string()];
        for (i, (name, ethnicity, seq, birth_offset, joined_offset, converted)) in members.iter().enumerate() {
            let birth = chrono::NaiveDate::from_ymd_opt(1980, 1, 1).unwrap() + chrono::Days::new(u64::from(*birth_offset) * 3);
            let number = dangan::people::IdNumber::compose("440106", birth, (*seq + i as u16 * 7) % 1000).unwrap();
            let sex = number.sex().zh();
            let joined = birth + chrono::Days::new(365 * 19 + u64::from(*joined_offset));
            let full = if *converted && joined.checked_add_months(chrono::Months::new(12)).unwrap() <= as_of() {
                joined.checked_add_months(chrono::Months::new(12)).unwrap().to_string()
            } else {
                String::new()
            };
            let joined = if joined <= as_of() { joined.to_string() } else { String::new() };
            let full = if joined.is_empty() { String::new() } else { full };
            lines.push(format!(
                "{name},{sex},{ethnicity},{},学院{}党委/第{}党支部,{joined},{full},1390000{:04},\"地址,{i}号\",{}",
                number.as_str(), i % 2, i % 3, i, if i % 2 == 0 { "是" } else { "否" }
            ));
        }
        // Duplicate ID numbers can be generated; keep the first of each.
        let mut seen = std::collections::HashSet::new();
        lines.retain(|l| seen.insert(l.split(',').nth(3).unwrap().to_string()));
        std::fs::write(&source, lines.join("\n")).unwrap();

        let options = ImportOptions {
            sheet: None,
            dry_run: false,
            skip_invalid: false,
            as_of: as_of(),
            create_branches: true,
            columns: Vec::new(),
        };
        let export_options = ExportOptions {
            branch_id: None,
            stage: None,
            format: ExportFormat::National,
            encoding: TextEncoding::Utf8Bom,
            as_of: as_of(),
        };
        let a = TempArchive::new();
        let mut archive_a = Archive::open(&a.root).unwrap();
        let actor = crate::util::bootstrap(&mut archive_a);
        let report = roster::import(&mut archive_a, &actor, &source, &options).unwrap();
        prop_assert!(report.errors.is_empty(), "{:?}", report.errors);
        let exported = dir.path().join("a.xlsx");
        roster::export(&archive_a, &actor, &exported, &export_options).unwrap();

        let b = TempArchive::new();
        let mut archive_b = Archive::open(&b.root).unwrap();
        crate::util::bootstrap(&mut archive_b);
        let report = roster::import(&mut archive_b, &actor, &exported, &options).unwrap();
        prop_assert!(report.errors.is_empty(), "{:?}", report.errors);
        prop_assert_eq!(report.created, lines.len() - 1);
        let again = dir.path().join("b.xlsx");
        roster::export(&archive_b, &actor, &again, &export_options).unwrap();

        let cells = |path: &Path| -> Vec<Vec<String>> {
            roster::read_file(path).unwrap().sheets[0].rows[1..]
                .iter()
                .map(|r| r.cells.iter().map(|c| c.display()).collect())
                .collect()
        };
        let first = cells(&exported);
        prop_assert_eq!(&first, &cells(&again));
        // And the export holds what the generated roster said (name, ID number, joined date).
        for line in &lines[1..] {
            let fields: Vec<&str> = line.splitn(10, ',').collect();
            let row = first[1..].iter().find(|r| r[3] == fields[3]).unwrap();
            prop_assert_eq!(&row[0], fields[0]);
            prop_assert_eq!(row.get(8).map(String::as_str).unwrap_or(""), fields[5]);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// Corrupted workbooks and arbitrary bytes never make the importer panic: each gives a
    /// report or an error, and nothing is written.
    #[test]
    fn corrupted_bytes_never_panic(
        source in prop::sample::select(vec!["messy.xlsx", "gbk.csv", "legacy.xls", "office.ods"]),
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..16),
        cut in prop::option::of(any::<prop::sample::Index>()),
        extension in prop::sample::select(vec!["xlsx", "xls", "ods", "csv"]),
        junk in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        let mut bytes = std::fs::read(roster_fixtures::dir().join(source)).unwrap();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] = value;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        bytes.extend(junk);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("corrupt.{extension}"));
        std::fs::write(&path, &bytes).unwrap();
        let temp = TempArchive::new();
        let mut archive = Archive::open(&temp.root).unwrap();
        let options = ImportOptions {
            sheet: None,
            dry_run: false,
            skip_invalid: false,
            as_of: as_of(),
            create_branches: false,
            columns: Vec::new(),
        };
        let actor = crate::util::bootstrap(&mut archive);
        let outcome = roster::import(&mut archive, &actor, &path, &options);
        if let Ok(report) = outcome {
            prop_assert!(!report.committed || report.errors.is_empty());
        }
    }
}

#[test]
fn a_cancelled_import_writes_nothing() {
    let temp = TempArchive::demo(30);
    let before = snapshot(&temp);
    let (mut archive, actor) = temp.open_as_admin();
    let options = ImportOptions {
        sheet: None,
        dry_run: false,
        skip_invalid: true,
        as_of: as_of(),
        create_branches: false,
        columns: Vec::new(),
    };
    let seen = std::cell::RefCell::new(Vec::new());
    let cancel_while_writing = |p: roster::ImportProgress| {
        seen.borrow_mut().push(p.phase);
        p.phase != roster::ImportPhase::Writing
    };
    let err = roster::import_with_progress(
        &mut archive,
        &actor,
        Path::new(&fixture("messy.xlsx")),
        &options,
        &cancel_while_writing,
    )
    .unwrap_err();
    assert_eq!(dangan::ErrorCode::code(&err), "cancelled");
    // A commit checks and writes each row in one pass inside the transaction: its rows are
    // reported as Writing (a preview's as Checking).
    assert_eq!(
        *seen.borrow(),
        [roster::ImportPhase::Reading, roster::ImportPhase::Writing]
    );
    drop(archive);
    assert_eq!(snapshot(&temp), before);
    assert!(
        json(temp.dangan(&["import", "history", "--json"]))
            .as_array()
            .unwrap()
            .is_empty()
    );
}

#[test]
fn a_deferred_conversion_is_an_extension_or_a_warning() {
    let temp = TempArchive::demo(30);
    let dir = tempfile::tempdir().unwrap();
    // Converted 18 months after joining: a probation extended by six months, recorded as such,
    // so that 转为正式党员日期 derives to the roster's date.
    let file = dir.path().join("extended.csv");
    write_csv(
        &file,
        &[
            "姓名,公民身份号码,所在党支部,加入党组织日期,转为正式党员日期".to_string(),
            format!("戊,{},{BRANCH},2020-06-01,2021-12-01", id("2000-01-01", 93)),
        ],
    );
    let (report, code) = import(&temp, &file.display().to_string(), &[]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["warnings"], serde_json::json!([]));
    let created = report["batch"].as_i64().unwrap();
    assert!(created > 0);
    let members = json(temp.dangan(&["member", "list", "--search", "戊", "--json"]));
    let member = members[0]["id"].to_string();
    let shown = json(temp.dangan(&["member", "show", &member, "--json"]));
    assert_eq!(shown["full_member_date"], "2021-12-01");
    let extension = shown["events"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["kind"] == "probation_extended")
        .unwrap();
    assert_eq!(
        (extension["months"].as_u64(), extension["date"].as_str()),
        (Some(6), Some("2021-06-01"))
    );
    // The same row again (as an export of this archive says it): nothing to change or report.
    let (report, code) = import(&temp, &file.display().to_string(), &["--dry-run"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["unchanged"], 1, "{report}");
    assert_eq!(report["warnings"], serde_json::json!([]));

    // Not a whole number of months later: kept as the approval date, with a warning.
    let file = dir.path().join("deferred.csv");
    write_csv(
        &file,
        &[
            "姓名,公民身份号码,所在党支部,加入党组织日期,转为正式党员日期".to_string(),
            format!("己,{},{BRANCH},2020-06-01,2021-12-15", id("2000-01-02", 95)),
        ],
    );
    let (report, code) = import(&temp, &file.display().to_string(), &["--dry-run"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["warnings"][0]["code"], "full_member_date_derived");
    assert_eq!(report["warnings"][0]["row"], 2);
    assert_eq!(report["valid"], 1);
}

#[test]
fn one_sheet_can_be_chosen_and_an_unknown_one_is_listed() {
    let temp = TempArchive::demo(30);
    let (report, code) = import(&temp, &fixture("messy.xlsx"), &["--sheet", "机械学院"]);
    assert_eq!(code, 2);
    assert_eq!(
        error_list(&report),
        expected(&[("机械学院", 4, "所在党支部", "ambiguous_branch"),])
    );
    assert_eq!(report["rows"], 4);
    temp.dangan(&["import", &fixture("messy.xlsx"), "--sheet", "Sheet9"])
        .assert()
        .code(4)
        .stderr(predicates::str::contains("计算机学院、机械学院、说明"));
}

/// The before-import backups the archive records, and the files in its `backups/` folder.
fn before_import_backups(temp: &TempArchive) -> (usize, usize, usize) {
    let list = json(temp.dangan(&["backup", "list", "--json"]));
    let recorded = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|b| b["reason"] == "before_import")
        .count();
    let audited = json(temp.dangan(&["audit", "list", "--action", "backup", "--json"]))
        .as_array()
        .map_or(0, Vec::len);
    let files = std::fs::read_dir(temp.root.join("backups"))
        .map(|d| {
            d.flatten()
                .filter(|e| e.file_name().to_string_lossy().contains("before_import"))
                .count()
        })
        .unwrap_or(0);
    (recorded, audited, files)
}

/// A roster whose rows are all invalid writes nothing, so it leaves no before-import backup:
/// no file, no record, no audit entry. A roster that writes gets exactly one, recorded.
#[test]
fn the_before_import_backup_is_kept_only_when_the_import_writes() {
    let temp = TempArchive::demo(30);
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("all-bad.csv");
    write_csv(
        &bad,
        &[
            HEADER.to_string(),
            format!("甲,男,123,S101,{BRANCH},,,"),
            format!("乙,女,{},S102,{BRANCH},2099-07-01,,", id("2002-06-06", 82)),
        ],
    );
    let before = before_import_backups(&temp);
    for args in [&[][..], &["--skip-invalid"][..]] {
        let (report, code) = import(&temp, &bad.display().to_string(), args);
        assert_ne!(code, 0, "{report}");
        assert_eq!(report["valid"], 0, "{report}");
        assert_eq!(report["committed"], false);
        assert_eq!(before_import_backups(&temp), before, "{args:?}");
    }

    let good = dir.path().join("good.csv");
    write_csv(
        &good,
        &[
            HEADER.to_string(),
            format!("丙,男,{},S103,{BRANCH},,,", id("2002-05-05", 71)),
        ],
    );
    let (report, code) = import(&temp, &good.display().to_string(), &["--skip-invalid"]);
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["committed"], true, "{report}");
    let after = before_import_backups(&temp);
    assert_eq!(
        after,
        (before.0 + 1, before.1 + 1, before.2 + 1),
        "{before:?} → {after:?}"
    );
}
