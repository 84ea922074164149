//! Encryption at rest, end to end: no member name in any file of an encrypted archive folder
//! (attachments of reports and meetings, manual and scheduled backups included), a wrong
//! passphrase refused (exit 9) without touching the folder, the passphrase asked before the
//! login, `encrypt` of a plain archive keeping every count, `passphrase change` (admins only),
//! and backup + restore of an encrypted archive.

use std::path::{Path, PathBuf};

use dangan::cipher::{PASSPHRASE_ENV, Secret};
use dangan::demo::{self, DemoOptions};
use dangan::people::{self, MemberQuery};
use dangan::{Actor, Archive, ErrorCode};

use crate::util::{TempArchive, admin, as_of, bootstrap, json};

const PASSPHRASE: &str = "红色档案-2026";

fn secret(text: &str) -> Secret {
    Secret::new(text).unwrap()
}

/// An encrypted archive with a small demo in it and the demo accounts (as `dangan demo` makes).
fn encrypted_demo(members: usize) -> TempArchive {
    let temp = TempArchive::new();
    let mut archive = Archive::open_with(&temp.root, Some(&secret(PASSPHRASE))).unwrap();
    assert!(archive.is_encrypted());
    let options = DemoOptions {
        members,
        seed: 1,
        as_of: as_of(),
    };
    let actor = bootstrap(&mut archive);
    demo::generate(&mut archive, &actor, &options).unwrap();
    dangan::auth::create_demo_accounts(&mut archive, &actor).unwrap();
    temp
}

/// Every file under `root` with its content, to prove nothing changed.
fn snapshot(root: &Path) -> Vec<(PathBuf, Vec<u8>, std::time::SystemTime)> {
    let mut files = Vec::new();
    every_file(root, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let modified = std::fs::metadata(&f).unwrap().modified().unwrap();
            (f.clone(), std::fs::read(&f).unwrap(), modified)
        })
        .collect()
}

/// `dangan` on `temp` with the passphrase in the environment.
fn dangan_with(temp: &TempArchive, passphrase: &str, args: &[&str]) -> assert_cmd::Command {
    let mut cmd = temp.dangan(args);
    cmd.env(PASSPHRASE_ENV, passphrase);
    cmd
}

/// A few member names (UTF-8) and the member id of the first.
fn some_names(archive: &Archive) -> (Vec<String>, i64) {
    let page = people::list(
        archive,
        &admin(archive),
        &MemberQuery {
            limit: 200,
            ..MemberQuery::default()
        },
    )
    .unwrap();
    // Two Chinese characters are six bytes: found by chance in a few MB of ciphertext about once
    // in 10^8 runs.
    let names: Vec<String> = page.rows.iter().map(|m| m.name.clone()).take(8).collect();
    assert!(names.len() >= 5, "{names:?}");
    (names, page.rows[0].id)
}

fn every_file(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            every_file(&path, found);
        } else {
            found.push(path);
        }
    }
}

/// Whether some file under `root` contains one of `needles` (the control: a plain archive does).
fn any_readable(root: &Path, needles: &[String]) -> bool {
    let mut files = Vec::new();
    every_file(root, &mut files);
    files.iter().any(|file| {
        let bytes = std::fs::read(file).unwrap();
        needles
            .iter()
            .any(|n| bytes.windows(n.len()).any(|w| w == n.as_bytes()))
    })
}

/// Asserts that no file under `root` contains any of `needles` as bytes (the issue's
/// `strings archive.db | grep NAME`, for every file of the folder).
fn assert_nothing_readable(root: &Path, needles: &[String]) {
    let mut files = Vec::new();
    every_file(root, &mut files);
    assert!(files.len() >= 3, "{files:?}");
    for file in &files {
        let bytes = std::fs::read(file).unwrap();
        for needle in needles {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "{needle} found in {}",
                file.display()
            );
        }
    }
}

/// A thought report handed in as a .txt file naming the member: stored under files/. Returns
/// the file's SHA-256.
fn add_report_file(
    temp: &TempArchive,
    passphrase: Option<&str>,
    member: i64,
    name: &str,
) -> String {
    use sha2::Digest;
    let file = temp.root.parent().unwrap().join("思想汇报.txt");
    let content = format!(
        "敬爱的党组织：\n我是{name}，本季度认真学习。\n此致\n敬礼\n汇报人：{name}\n2026年10月8日\n"
    );
    std::fs::write(&file, &content).unwrap();
    let args = [
        "report",
        "add",
        &member.to_string(),
        "--file",
        file.to_str().unwrap(),
        "--json",
    ];
    let cmd = match passphrase {
        Some(p) => dangan_with(temp, p, &args),
        None => temp.dangan(&args),
    };
    json(cmd);
    hex::encode(sha2::Sha256::digest(content.as_bytes()))
}

fn stored_attachments(temp: &TempArchive) -> Vec<PathBuf> {
    let mut files = Vec::new();
    every_file(&temp.root.join("files"), &mut files);
    files.retain(|f| f.file_name().is_some_and(|n| n.len() == 64));
    files
}

#[test]
fn no_member_name_is_in_any_file_of_an_encrypted_archive() {
    let temp = encrypted_demo(120);
    let archive = Archive::open_existing_with(&temp.root, Some(&secret(PASSPHRASE))).unwrap();
    let (names, member) = some_names(&archive);
    drop(archive);
    add_report_file(&temp, Some(PASSPHRASE), member, &names[0]);
    // A meeting attachment (migration 0016) naming a member goes through the same store.
    let meetings = json(dangan_with(
        &temp,
        PASSPHRASE,
        &["meeting", "list", "--json"],
    ));
    let meeting = meetings.as_array().unwrap()[0]["id"].as_i64().unwrap();
    let minutes = temp.root.parent().unwrap().join("会议记录.txt");
    std::fs::write(&minutes, format!("出席：{}、{}\n", names[1], names[2])).unwrap();
    json(dangan_with(
        &temp,
        PASSPHRASE,
        &[
            "meeting",
            "attach",
            &meeting.to_string(),
            minutes.to_str().unwrap(),
            "--json",
        ],
    ));
    json(dangan_with(&temp, PASSPHRASE, &["backup", "--json"]));
    // A scheduled backup made by the policy code (as the app's schedule does, on its own
    // connection, as the program).
    {
        let mut second =
            Archive::open_existing_with(&temp.root, Some(&secret(PASSPHRASE))).unwrap();
        let far = chrono::Utc::now() + chrono::Duration::days(2);
        let made = dangan::backup::backup_if_due(&mut second, &Actor::system(), far)
            .unwrap()
            .expect("a scheduled backup is due two days on");
        assert!(made.verified, "{made:?}");
        assert!(
            !std::fs::read(&made.path)
                .unwrap()
                .starts_with(b"SQLite format 3")
        );
    }
    // A reader open at the same time keeps -wal/-shm on disk while the folder is read.
    let open = Archive::open_existing_with(&temp.root, Some(&secret(PASSPHRASE))).unwrap();
    assert!(open.is_encrypted());
    let attachments = stored_attachments(&temp);
    assert_eq!(attachments.len(), 2, "{attachments:?}");
    let backups = std::fs::read_dir(temp.root.join("backups"))
        .unwrap()
        .count();
    assert!(backups >= 2, "{backups}");
    // The app's exports and uploaded rosters are plain by nature: they go beside the folder.
    let admin_actor = admin(&open);
    let export = dangan::roster::export_path(&open, &admin_actor, "名册.xlsx").unwrap();
    let export_options = dangan::roster::ExportOptions {
        branch_id: None,
        stage: None,
        format: dangan::roster::ExportFormat::Full,
        encoding: dangan::roster::TextEncoding::Utf8Bom,
        as_of: as_of(),
    };
    dangan::roster::export(&open, &admin_actor, &export, &export_options).unwrap();
    let upload =
        dangan::roster::save_upload(&open, &admin_actor, "名册.csv", names[0].as_bytes()).unwrap();
    assert!(dangan::roster::is_upload(&open, &upload));
    let pdfs = dangan::pdf::exports::dir(&open);
    for path in [&export, &upload, &pdfs] {
        assert!(
            path.starts_with(temp.root.with_file_name("档案-导出")),
            "{}",
            path.display()
        );
    }
    assert_nothing_readable(&temp.root, &names);
    // The meeting's file reads back for whoever has the passphrase.
    let shown = json(dangan_with(
        &temp,
        PASSPHRASE,
        &["meeting", "show", &meeting.to_string(), "--json"],
    ));
    let sha = shown["attachments"][0]["sha256"]
        .as_str()
        .unwrap()
        .to_string();
    let content = dangan::meetings::read_attachment(&open, &admin(&open), meeting, &sha)
        .unwrap()
        .1;
    assert!(String::from_utf8(content).unwrap().contains(&names[1]));
    // The report's text is still there for whoever has the passphrase.
    let reports = json(dangan_with(
        &temp,
        PASSPHRASE,
        &["report", "list", &member.to_string(), "--json"],
    ));
    assert_eq!(reports.as_array().unwrap().len(), 1, "{reports}");
    let info = json(dangan_with(&temp, PASSPHRASE, &["info", "--json"]));
    assert_eq!(info["encrypted"], true);
    assert_eq!(info["members"], 120);
}

#[test]
fn a_wrong_or_missing_passphrase_is_refused_and_changes_nothing() {
    let temp = encrypted_demo(30);
    let folder = snapshot(&temp.root);

    let err = Archive::open_existing_with(&temp.root, Some(&secret("不对的口令"))).unwrap_err();
    assert_eq!(err.code(), "passphrase_wrong");
    let err = Archive::open_existing(&temp.root).unwrap_err();
    assert_eq!(err.code(), "passphrase_required");

    // Exit 9 (7 is `forbidden`, 8 not logged in), for a read and for a write alike.
    let out = dangan_with(&temp, "不对的口令", &["info"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(9));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("wrong passphrase"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = dangan_with(&temp, "不对的口令", &["backup", "--json"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(9));
    let out = temp.dangan(&["member", "list"]).output().unwrap();
    assert_eq!(out.status.code(), Some(9));

    // Nothing in the folder changed: no file added, removed, rewritten or touched (not even
    // the audit trail's login entry: the passphrase is refused before the login).
    assert_eq!(snapshot(&temp.root), folder);
    assert!(!temp.root.join("archive.db-wal").exists());
}

#[test]
fn encrypting_a_plain_archive_keeps_every_count_and_its_attachments() {
    let temp = TempArchive::demo(150);
    let (names, member) = some_names(&temp.open());
    let sha = add_report_file(&temp, None, member, &names[0]);
    json(temp.dangan(&["backup", "--json"]));
    let plain_counts = json(temp.dangan(&["backup", "--json"]))["counts"].clone();
    let plain_files = stored_attachments(&temp);
    assert_eq!(plain_files.len(), 1);
    // What the app leaves in a plain archive's folder: an export and a roster uploaded for an
    // import that never ran, both naming members.
    let exported = {
        let archive = temp.open();
        let admin = admin(&archive);
        let export = dangan::roster::export_path(&archive, &admin, "名册.csv").unwrap();
        std::fs::write(&export, names.join(",")).unwrap();
        dangan::roster::save_upload(&archive, &admin, "上传.csv", names[1].as_bytes()).unwrap();
        export
    };
    assert!(exported.starts_with(&temp.root));
    // The control: before encryption the names are there to be found.
    assert!(any_readable(&temp.root, &names));
    assert!(any_readable(&temp.root.join("files"), &names[..1]));

    let summary = json(dangan_with(&temp, PASSPHRASE, &["encrypt", "--json"]));
    // The export moved beside the folder; the upload is gone.
    let moved = PathBuf::from(summary["exports_moved_to"].as_str().unwrap());
    assert_eq!(moved, temp.root.with_file_name("档案-导出").join("exports"));
    assert_eq!(
        std::fs::read_to_string(moved.join("名册.csv")).unwrap(),
        names.join(",")
    );
    assert!(!temp.root.join("tmp").exists());
    assert_eq!(summary["attachments"], 1, "{summary}");
    assert_eq!(summary["backups"], 2, "{summary}");
    assert_eq!(summary["plain_kept"], serde_json::Value::Null);
    assert_eq!(summary["counts"]["member"], 150);
    // The plain attachment is gone; its sealed copy has another name.
    assert!(!plain_files[0].exists());
    assert_eq!(stored_attachments(&temp).len(), 1);
    assert_nothing_readable(&temp.root, &names);

    // Every table has the rows it had (the backup made just before counts them all).
    let after = json(dangan_with(&temp, PASSPHRASE, &["backup", "--json"]));
    let mut after_counts = after["counts"].clone();
    // The backup and audit tables grew by this backup, the encrypt entry and this backup.
    for table in ["backup", "audit_log"] {
        after_counts[table] = plain_counts[table].clone();
    }
    assert_eq!(after_counts, plain_counts);
    let audit = json(dangan_with(
        &temp,
        PASSPHRASE,
        &["audit", "list", "--action", "encrypt", "--json"],
    ));
    assert_eq!(audit.as_array().unwrap().len(), 1, "{audit}");
    let verify = json(dangan_with(
        &temp,
        PASSPHRASE,
        &["audit", "verify", "--json"],
    ));
    assert_eq!(verify["ok"], true, "{verify}");

    // The attachment reads back through the core.
    let archive = Archive::open_existing_with(&temp.root, Some(&secret(PASSPHRASE))).unwrap();
    let content = dangan::documents::read(&archive, &admin(&archive), &sha).unwrap();
    assert!(String::from_utf8(content).unwrap().contains(&names[0]));

    // Encrypting twice is refused.
    let out = dangan_with(&temp, PASSPHRASE, &["encrypt"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn encrypt_can_keep_a_plain_copy_outside_the_folder() {
    let temp = TempArchive::demo(20);
    let keep = temp.root.parent().unwrap().join("plain-copy.db");
    let summary = json(dangan_with(
        &temp,
        PASSPHRASE,
        &["encrypt", "--keep-plain", keep.to_str().unwrap(), "--json"],
    ));
    assert!(
        summary["plain_kept"]
            .as_str()
            .unwrap()
            .ends_with("plain-copy.db")
    );
    let plain = std::fs::read(&keep).unwrap();
    assert!(plain.starts_with(b"SQLite format 3\0"));
}

#[test]
fn a_changed_passphrase_opens_the_archive_and_the_old_one_no_longer_does() {
    let temp = encrypted_demo(40);
    let (names, member) =
        some_names(&Archive::open_existing_with(&temp.root, Some(&secret(PASSPHRASE))).unwrap());
    let sha = add_report_file(&temp, Some(PASSPHRASE), member, &names[1]);
    json(dangan_with(&temp, PASSPHRASE, &["backup", "--json"]));

    let mut cmd = dangan_with(&temp, PASSPHRASE, &["passphrase", "change", "--json"]);
    cmd.env("DANGAN_NEW_PASSPHRASE", "新的口令");
    let summary = json(cmd);
    assert_eq!(summary["backups"], 1, "{summary}");

    let err = Archive::open_existing_with(&temp.root, Some(&secret(PASSPHRASE))).unwrap_err();
    assert_eq!(err.code(), "passphrase_wrong");
    let archive = Archive::open_existing_with(&temp.root, Some(&secret("新的口令"))).unwrap();
    let content = dangan::documents::read(&archive, &admin(&archive), &sha).unwrap();
    assert!(String::from_utf8(content).unwrap().contains(&names[1]));
    drop(archive);
    assert_nothing_readable(&temp.root, &names);

    // The backup was rekeyed: it restores under the new passphrase.
    let list = json(dangan_with(
        &temp,
        "新的口令",
        &["backup", "list", "--json"],
    ));
    let manual = list
        .as_array()
        .unwrap()
        .iter()
        .find(|b| b["reason"] == "manual")
        .unwrap();
    let restored = json(dangan_with(
        &temp,
        "新的口令",
        &["restore", manual["path"].as_str().unwrap(), "--json"],
    ));
    assert_eq!(restored["counts"]["member"], 40);
    let audit = json(dangan_with(
        &temp,
        "新的口令",
        &["audit", "list", "--action", "restore", "--json"],
    ));
    assert_eq!(audit.as_array().unwrap().len(), 1);
}

#[test]
fn backups_of_an_encrypted_archive_are_encrypted_verified_and_restorable() {
    let temp = encrypted_demo(60);
    let made = json(dangan_with(&temp, PASSPHRASE, &["backup", "--json"]));
    assert_eq!(made["verified"], true, "{made}");
    let path = PathBuf::from(made["path"].as_str().unwrap());
    let bytes = std::fs::read(&path).unwrap();
    assert!(!bytes.starts_with(b"SQLite format 3"));

    // A backup written elsewhere with --out is encrypted too.
    let out = temp.root.parent().unwrap().join("外部备份.db");
    let made_out = json(dangan_with(
        &temp,
        PASSPHRASE,
        &["backup", "--out", out.to_str().unwrap(), "--json"],
    ));
    assert_eq!(made_out["verified"], true);
    assert!(!std::fs::read(&out).unwrap().starts_with(b"SQLite format 3"));

    let restored = json(dangan_with(
        &temp,
        PASSPHRASE,
        &["restore", path.to_str().unwrap(), "--json"],
    ));
    assert_eq!(restored["counts"]["member"], 60);
    let info = json(dangan_with(&temp, PASSPHRASE, &["info", "--json"]));
    assert_eq!(info["members"], 60);
    assert_eq!(info["encrypted"], true);

    // A plain database is refused by an encrypted archive (it would put names back in clear).
    let plain = TempArchive::demo(5);
    let out = dangan_with(
        &temp,
        PASSPHRASE,
        &["restore", plain.db_path().to_str().unwrap()],
    )
    .output()
    .unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn init_encrypt_creates_an_encrypted_archive() {
    let temp = TempArchive::new();
    let info = json(dangan_with(
        &temp,
        PASSPHRASE,
        &["init", "--encrypt", "--json"],
    ));
    assert_eq!(info["encrypted"], true);
    assert!(
        !std::fs::read(temp.db_path())
            .unwrap()
            .starts_with(b"SQLite format 3")
    );
    assert!(temp.root.join("files").join("key").is_file());
    // Without a terminal and without the variable there is no passphrase to use.
    let out = temp.dangan(&["info"]).output().unwrap();
    assert_eq!(out.status.code(), Some(9));
    // The admin `init` created logs in once the passphrase opened the archive.
    let info = json(dangan_with(&temp, PASSPHRASE, &["info", "--json"]));
    assert_eq!(info["encrypted"], true);
}

/// The order is passphrase, then login: the right passphrase with a wrong password is "not
/// logged in" (8), not a passphrase problem.
#[test]
fn the_right_passphrase_with_a_wrong_password_is_not_logged_in() {
    let temp = encrypted_demo(10);
    let mut cmd = dangan_with(&temp, PASSPHRASE, &["info"]);
    cmd.env(dangan::auth::PASSWORD_ENV, "不是这个密码");
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(8),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // No user at all: 8 as well.
    let mut cmd = dangan_with(&temp, PASSPHRASE, &["info"]);
    cmd.env_remove(dangan::auth::USER_ENV);
    assert_eq!(cmd.output().unwrap().status.code(), Some(8));
}

/// Encrypting and changing the passphrase are an admin's: anyone else is refused (7, recorded as
/// `access_denied`) before being asked for a passphrase, and nothing changes.
#[test]
fn only_an_admin_encrypts_or_changes_the_passphrase() {
    let plain = TempArchive::demo(10);
    let mut cmd = dangan_with(&plain, PASSPHRASE, &["encrypt", "--json"]);
    cmd.env(dangan::auth::USER_ENV, "clerk")
        .env(dangan::auth::PASSWORD_ENV, "demo-clerk");
    let out = cmd.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(7),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        std::fs::read(plain.db_path())
            .unwrap()
            .starts_with(b"SQLite format 3")
    );

    let temp = encrypted_demo(10);
    let mut cmd = dangan_with(&temp, PASSPHRASE, &["passphrase", "change", "--json"]);
    cmd.env(dangan::auth::USER_ENV, "viewer")
        .env(dangan::auth::PASSWORD_ENV, "demo-viewer")
        .env("DANGAN_NEW_PASSPHRASE", "新的口令");
    assert_eq!(cmd.output().unwrap().status.code(), Some(7));
    Archive::open_existing_with(&temp.root, Some(&secret(PASSPHRASE))).unwrap();
    let denied = json(dangan_with(
        &temp,
        PASSPHRASE,
        &["audit", "list", "--action", "access_denied", "--json"],
    ));
    assert_eq!(denied.as_array().unwrap().len(), 1, "{denied}");
    assert_eq!(denied[0]["actor"], "viewer", "{denied}");

    // The admin's change is recorded under the admin's name.
    let mut cmd = dangan_with(&temp, PASSPHRASE, &["passphrase", "change", "--json"]);
    cmd.env("DANGAN_NEW_PASSPHRASE", "新的口令");
    json(cmd);
    let changed = json(dangan_with(
        &temp,
        "新的口令",
        &["audit", "list", "--action", "passphrase_change", "--json"],
    ));
    assert_eq!(changed[0]["actor"], "admin", "{changed}");
}
