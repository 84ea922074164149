//! Meeting attachments: files kept with a meeting at record time and later, listed by `meeting
//! show`, read back, audited, and named in the dossiers of the members who attended.

use dangan::meetings;
use serde_json::{Value, json as j};

use crate::meetings::meeting_add;
use crate::util::{AS_OF, TempArchive, json};

/// A full member and their branch, and a group meeting of that branch they attended.
fn group_meeting(temp: &TempArchive) -> (i64, Value) {
    let members = json(temp.dangan(&["member", "list", "--stage", "full_member", "--json"]));
    let member = &members.as_array().unwrap()[0];
    let (id, branch) = (
        member["id"].as_i64().unwrap(),
        member["branch_id"].as_i64().unwrap(),
    );
    let request = j!({
        "branch_id": branch,
        "kind": "group",
        "date": AS_OF,
        "topic": "学习党章第三章（附件测试）",
        "attendance": [{"member_id": id, "status": "present"}],
    });
    (id, request)
}

fn names(files: &Value) -> Vec<&str> {
    files
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file_name"].as_str().unwrap())
        .collect()
}

#[test]
fn files_are_kept_with_a_meeting_when_it_is_recorded_and_later() {
    let temp = TempArchive::demo(60);
    let (member, request) = group_meeting(&temp);
    let scans = temp.root.with_file_name("scans");
    std::fs::create_dir_all(&scans).unwrap();
    let sheet = scans.join("签到表.png");
    let photo = scans.join("会场照片.jpg");
    let minutes = scans.join("会议记录.pdf");
    std::fs::write(&sheet, b"\x89PNG sign-in sheet").unwrap();
    std::fs::write(&photo, b"\xff\xd8 photo").unwrap();
    std::fs::write(&minutes, b"%PDF-1.4 minutes").unwrap();

    let outcome = json(meeting_add(
        &temp,
        &request,
        &[
            "--attach",
            sheet.to_str().unwrap(),
            "--attach",
            photo.to_str().unwrap(),
        ],
    ));
    assert_eq!(
        names(&outcome["attachments"]),
        ["签到表.png", "会场照片.jpg"]
    );
    let id = outcome["meeting_id"].as_i64().unwrap().to_string();

    let added = json(temp.dangan(&[
        "meeting",
        "attach",
        &id,
        minutes.to_str().unwrap(),
        "--json",
    ]));
    assert_eq!(added["file_name"], "会议记录.pdf");
    assert_eq!(added["size"], 16);
    // The same content again keeps one link.
    json(temp.dangan(&[
        "meeting",
        "attach",
        &id,
        minutes.to_str().unwrap(),
        "--json",
    ]));

    let shown = json(temp.dangan(&["meeting", "show", &id, "--json"]));
    assert_eq!(
        names(&shown["attachments"]),
        ["签到表.png", "会场照片.jpg", "会议记录.pdf"]
    );
    let text = temp.dangan(&["meeting", "show", &id]).assert().success();
    let text = String::from_utf8(text.get_output().stdout.clone()).unwrap();
    assert!(
        text.contains("附件：签到表.png、会场照片.jpg、会议记录.pdf"),
        "{text}"
    );

    // Read back through the core: the bytes as attached; a file of another meeting is refused.
    let archive = temp.open();
    let actor = crate::util::admin(&archive);
    let meeting_id: i64 = id.parse().unwrap();
    let sha = added["sha256"].as_str().unwrap();
    let (file, bytes) = meetings::read_attachment(&archive, &actor, meeting_id, sha).unwrap();
    assert_eq!(file.file_name, "会议记录.pdf");
    assert_eq!(bytes, b"%PDF-1.4 minutes");
    let other = meetings::read_attachment(&archive, &actor, meeting_id, &"ab".repeat(32));
    assert_eq!(
        dangan::error::ErrorCode::code(&other.unwrap_err()),
        "file_not_found"
    );

    // One audit entry per file linked, none for the repeated attach.
    let audit = json(temp.dangan(&["audit", "list", "--json"]));
    let attached: Vec<&Value> = audit
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "meeting_attach")
        .collect();
    assert_eq!(attached.len(), 3, "{audit}");
    assert!(attached.iter().all(|e| e["target_id"] == meeting_id));

    // The member's dossier names the files where it lists the meeting.
    let out = temp.root.with_file_name("dossier.pdf");
    temp.dangan(&[
        "dossier",
        &member.to_string(),
        "--out",
        out.to_str().unwrap(),
        "--as-of",
        AS_OF,
    ])
    .assert()
    .success();
    let text = std::process::Command::new("pdftotext")
        .args([out.to_str().unwrap(), "-"])
        .output()
        .expect("pdftotext is needed (poppler-utils)");
    let text: String = String::from_utf8(text.stdout)
        .unwrap()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    // (The topic cell wraps, so the attendance column's text may fall between its lines.)
    let listed = text
        .find("学习党章第三章（附件测试）（附件：")
        .expect("the meeting's row names its files");
    let row = &text[listed..];
    assert!(
        row.contains("会场照片.jpg") && row.contains("会议记录.pdf"),
        "{row}"
    );
}

#[test]
fn a_missing_file_or_meeting_is_refused_and_nothing_is_recorded() {
    let temp = TempArchive::demo(60);
    let (_, request) = group_meeting(&temp);
    let before = json(temp.dangan(&["meeting", "list", "--json"]));
    let missing = temp.root.with_file_name("没有这个文件.png");
    meeting_add(&temp, &request, &["--attach", missing.to_str().unwrap()])
        .assert()
        .failure()
        .stderr(predicates::str::contains("没有这个文件.png"));
    let after = json(temp.dangan(&["meeting", "list", "--json"]));
    assert_eq!(before, after, "no meeting recorded without its file");

    let file = temp.root.with_file_name("scan.png");
    std::fs::write(&file, b"scan").unwrap();
    temp.dangan(&["meeting", "attach", "999999", file.to_str().unwrap()])
        .assert()
        .code(4);
}
