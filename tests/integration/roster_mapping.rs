//! `dangan import --map`: the clerk's corrections of the column mapping, applied before any cell
//! is checked, and the same field in two columns refused unless one is ignored.

use std::path::Path;

use serde_json::Value;

use crate::roster_fixtures::id;
use crate::util::{AS_OF, TempArchive};

const BRANCH: &str = "经济与管理学院党委/本科生第一党支部";

/// A roster whose ID column has a header Dangan does not know (证件号) and whose two phone
/// columns (联系电话, 手机号码) both name the phone field; the second phone is not a phone.
fn roster(dir: &Path) -> String {
    let path = dir.join("mapped.csv");
    let lines = [
        "姓名,性别,证件号,所在党支部,联系电话,手机号码".to_string(),
        format!("甲,男,{},{BRANCH},13800000001,无", id("2002-05-05", 71)),
        format!("乙,女,{},{BRANCH},13800000002,无", id("2002-06-06", 82)),
    ];
    std::fs::write(&path, lines.join("\n")).unwrap();
    path.display().to_string()
}

fn run(temp: &TempArchive, file: &str, args: &[&str]) -> (i32, String, String) {
    let mut all = vec!["import", file, "--json", "--as-of", AS_OF];
    all.extend(args);
    let output = temp.dangan(&all).output().unwrap();
    (
        output.status.code().unwrap(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn an_unknown_header_is_mapped_and_a_second_phone_column_ignored() {
    let temp = TempArchive::demo(30);
    let dir = tempfile::tempdir().unwrap();
    let file = roster(dir.path());

    // Unmapped: the ID column is missing, and the message lists what was found.
    let (code, _, stderr) = run(&temp, &file, &["--dry-run"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("公民身份号码") && stderr.contains("证件号"),
        "{stderr}"
    );

    // 证件号 mapped: now 联系电话 and 手机号码 both say phone, an error naming both.
    let (code, _, stderr) = run(&temp, &file, &["--dry-run", "--map", "证件号=id_number"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("\"联系电话\" 和 \"手机号码\"") && stderr.contains("手机号码=ignore"),
        "{stderr}"
    );

    // One of them ignored (by its Chinese field name for the other, to show both forms).
    let (code, stdout, stderr) = run(
        &temp,
        &file,
        &["--map", "证件号=公民身份号码", "--map", "手机号码=ignore"],
    );
    assert_eq!(code, 0, "{stderr}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        (&report["created"], &report["committed"], &report["errors"]),
        (
            &Value::from(2),
            &Value::from(true),
            &Value::Array(Vec::new())
        ),
        "{report}"
    );
    let columns: Vec<(String, Value)> = report["sheets"][0]["columns"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["column"].as_str().unwrap().to_string(),
                c["field"].clone(),
            )
        })
        .collect();
    assert_eq!(columns[2], ("证件号".to_string(), Value::from("id_number")));
    assert_eq!(columns[4], ("联系电话".to_string(), Value::from("phone")));
    assert_eq!(columns[5], ("手机号码".to_string(), Value::Null));
    let list = crate::util::json(temp.dangan(&["member", "list", "--json"]));
    assert!(list.to_string().contains("\"乙\""), "{list}");
}

#[test]
fn a_wrong_guess_can_be_ignored_for_one_sheet_only() {
    let temp = TempArchive::demo(30);
    let dir = tempfile::tempdir().unwrap();
    let file = roster(dir.path());
    // The phone column ignored instead: 手机号码's "无" is then the phone, and bad.
    let (code, stdout, _) = run(
        &temp,
        &file,
        &[
            "--dry-run",
            "--map",
            "证件号=id_number",
            "--map",
            "mapped:联系电话=ignore",
        ],
    );
    assert_eq!(code, 2);
    let report: Value = serde_json::from_str(&stdout).unwrap();
    let codes: Vec<(u64, &str, &str)> = report["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["row"].as_u64().unwrap(),
                e["column"].as_str().unwrap(),
                e["code"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        codes,
        [(2, "手机号码", "bad_phone"), (3, "手机号码", "bad_phone")]
    );
    // An override for another sheet does not apply here.
    let (code, _, stderr) = run(
        &temp,
        &file,
        &[
            "--dry-run",
            "--map",
            "证件号=id_number",
            "--map",
            "其他:联系电话=ignore",
        ],
    );
    assert_eq!(code, 2);
    assert!(
        stderr.contains("其他") && stderr.contains("联系电话"),
        "{stderr}"
    );
}

#[test]
fn a_mapping_naming_no_column_or_no_field_is_refused() {
    let temp = TempArchive::demo(30);
    let dir = tempfile::tempdir().unwrap();
    let file = roster(dir.path());
    let (code, _, stderr) = run(&temp, &file, &["--dry-run", "--map", "身份证=id_number"]);
    assert_eq!(code, 2);
    assert!(
        stderr.contains("身份证") && stderr.contains("证件号"),
        "{stderr}"
    );
    let (code, _, stderr) = run(&temp, &file, &["--dry-run", "--map", "证件号=shoe_size"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("shoe_size"), "{stderr}");
    let (code, _, stderr) = run(&temp, &file, &["--dry-run", "--map", "证件号"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("="), "{stderr}");
}
