//! Malformed and mutated input to every command that reads a file the user names: rosters
//! (`dangan import` .xlsx/.xls/.csv), thought reports (`dangan report add --file`, `dangan report
//! import FOLDER`, .docx/.txt), backups (`dangan restore FILE`), rule sets (`dangan rules load`,
//! TOML), meetings and grades (`dangan meeting add`, `dangan appraisal set`, JSON), and an
//! archive's own document templates (`templates/dossier.toml`).
//!
//! The corpus is generated here at test time from the committed fixtures (nothing large is
//! committed): 0-byte, truncated, bit-flipped, other formats renamed (PNG, PDF, a workbook as a
//! document and the other way round), plain text renamed, a 5 MB cell, 2 MB lines, 200,000-deep
//! XML/JSON/TOML nesting inside an otherwise valid container, a zip bomb (1 GiB inflated from
//! about 1 MB), invalid UTF-8 and GBK/UTF-8 mixes, NUL bytes. For each case: no panic, exit code
//! 2 or 4 (1 for a broken template, which is archive configuration, not the command's input), a
//! message naming the file, and the archive unchanged (row counts and the audit head). The zip
//! bombs' peak memory is measured. Two property tests mutate the bytes of a .docx and of a
//! backup and feed them to the library's readers.

use std::io::{Cursor, Read, Write};
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::Duration;

use proptest::prelude::*;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::util::{AS_OF, TempArchive};

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10\0\0\0\x10\x08\x06\0\0\0\x1f\xf3\xffa";
const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n";
const MIB: usize = 1024 * 1024;

fn fixture(path: &str) -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(path),
    )
    .unwrap()
}

/// `bytes` with `n` bytes past `from` XORed with random non-zero values (seeded).
fn flipped(bytes: &[u8], from: usize, n: usize, seed: u64) -> Vec<u8> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = bytes.to_vec();
    for _ in 0..n {
        let i = rng.random_range(from.min(out.len() - 1)..out.len());
        out[i] ^= rng.random_range(1..=255u8);
    }
    out
}

fn half(bytes: &[u8]) -> Vec<u8> {
    bytes[..bytes.len() / 2].to_vec()
}

/// A copy of the zip `base` with entry `name` replaced by (or added as) `content`.
fn zip_replacing(base: &[u8], name: &str, content: &[u8]) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(Cursor::new(base)).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let file = source.by_index_raw(i).unwrap();
        if file.name().unwrap() != name {
            writer.raw_copy_file(file).unwrap();
        }
    }
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    writer.start_file(name, options).unwrap();
    writer.write_all(content).unwrap();
    writer.finish().unwrap().into_inner()
}

/// A zip whose one entry inflates from about 1 MB to 1 GiB of one repeated letter inside an XML
/// element: generated once, then copied raw (still compressed) into each container.
fn bomb() -> &'static [u8] {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| {
        let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(9))
            .large_file(true);
        writer.start_file("bomb", options).unwrap();
        writer
            .write_all(b"<?xml version=\"1.0\"?><sst><si><t>")
            .unwrap();
        let chunk = vec![b'A'; MIB];
        for _ in 0..1024 {
            writer.write_all(&chunk).unwrap();
        }
        writer.write_all(b"</t></si></sst>").unwrap();
        writer.finish().unwrap().into_inner()
    })
}

/// `base` with the bomb as entry `name`.
fn zip_with_bomb(base: &[u8], name: &str) -> Vec<u8> {
    let mut source = zip::ZipArchive::new(Cursor::new(base)).unwrap();
    let mut bomb = zip::ZipArchive::new(Cursor::new(bomb())).unwrap();
    let mut writer = zip::ZipWriter::new(Cursor::new(Vec::new()));
    for i in 0..source.len() {
        let file = source.by_index_raw(i).unwrap();
        if file.name().unwrap() != name {
            writer.raw_copy_file(file).unwrap();
        }
    }
    writer
        .raw_copy_file_rename(bomb.by_index_raw(0).unwrap(), name)
        .unwrap();
    writer.finish().unwrap().into_inner()
}

/// A worksheet of inline strings (no shared strings needed).
fn sheet_xml(rows: &[Vec<String>]) -> Vec<u8> {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><worksheet \
         xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    for (r, row) in rows.iter().enumerate() {
        xml.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, text) in row.iter().enumerate() {
            let col = (b'A' + c as u8) as char;
            xml.push_str(&format!(
                "<c r=\"{col}{}\" t=\"inlineStr\"><is><t>{text}</t></is></c>",
                r + 1
            ));
        }
        xml.push_str("</row>");
    }
    xml.push_str("</sheetData></worksheet>");
    xml.into_bytes()
}

fn document_xml(body: &str) -> Vec<u8> {
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><w:document \
         xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>\
         {body}</w:body></w:document>"
    )
    .into_bytes()
}

fn header() -> Vec<String> {
    ["姓名", "性别", "公民身份号码", "所在党支部"]
        .map(String::from)
        .to_vec()
}

/// The roster corpus: (file name, bytes).
fn roster_cases() -> Vec<(String, Vec<u8>)> {
    let xlsx = fixture("roster/messy.xlsx");
    let xls = fixture("roster/legacy.xls");
    let csv = fixture("roster/gbk.csv");
    let ods = fixture("roster/office.ods");
    let sheet = "xl/worksheets/sheet1.xml";
    // 3,000 rows of 3,000 values in a few hundred bytes: 9 million cells once spelled out.
    let repeated = r#"<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0"><office:body><office:spreadsheet><table:table table:name="名册"><table:table-row table:number-rows-repeated="3000"><table:table-cell office:value-type="float" office:value="1" table:number-columns-repeated="3000"/></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#;
    let huge = "张".repeat(5 * MIB / 3);
    let mut nested = String::from(
        "<worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    nested.push_str(&"<row><c><is>".repeat(200_000));
    let (gbk_row, _, _) = encoding_rs::GBK.encode("李四,女,110108200110010124,第一党支部\n");
    let mut mixed = "姓名,性别,公民身份号码,所在党支部\n张三,男,"
        .as_bytes()
        .to_vec();
    mixed.extend_from_slice(&gbk_row);
    mixed.extend_from_slice(b"\xFF\xFE\x80\n");
    let mut nul = b"\xE5\xA7\x93\xE5\x90\x8D,\0\0\0,x\n".to_vec();
    nul.extend([0u8; 256]);
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.xlsx", Vec::new()),
        ("empty.xls", Vec::new()),
        ("empty.csv", Vec::new()),
        ("truncated.xlsx", half(&xlsx)),
        ("truncated.xls", half(&xls)),
        ("truncated.csv", csv[..csv.len() / 2 + 1].to_vec()),
        ("empty.ods", Vec::new()),
        ("truncated.ods", half(&ods)),
        ("flipped.ods", flipped(&ods, 0, 32, 7)),
        ("text.ods", "姓名,性别\n张三,男\n".as_bytes().to_vec()),
        ("bomb.ods", zip_with_bomb(&ods, "content.xml")),
        (
            "repeated.ods",
            zip_replacing(&ods, "content.xml", repeated.as_bytes()),
        ),
        ("flipped.xlsx", flipped(&xlsx, 0, 32, 1)),
        ("flipped-deep.xlsx", flipped(&xlsx, 200, 8, 2)),
        ("flipped.xls", flipped(&xls, 512, 32, 3)),
        ("flipped.csv", flipped(&csv, 0, 32, 4)),
        ("picture.xlsx", PNG.to_vec()),
        ("document.xlsx", PDF.to_vec()),
        ("report.xlsx", fixture("reports/report.docx")),
        ("picture.csv", PNG.to_vec()),
        (
            "text.xlsx",
            "这只是一段文字，不是表格。\n".as_bytes().to_vec(),
        ),
        ("text.xls", "plain text\n".as_bytes().to_vec()),
        (
            "huge-cell.csv",
            format!(
                "{}\n{huge},男,110108200110010124,第一党支部\n",
                header().join(",")
            )
            .into_bytes(),
        ),
        (
            "huge-cell.xlsx",
            zip_replacing(
                &xlsx,
                sheet,
                &sheet_xml(&[
                    header(),
                    vec![
                        huge.clone(),
                        "男".into(),
                        "110108200110010124".into(),
                        "第一党支部".into(),
                    ],
                ]),
            ),
        ),
        (
            "long-line.csv",
            format!("{}\n{}\n", header().join(","), "x,".repeat(MIB)).into_bytes(),
        ),
        (
            "nested.xlsx",
            zip_replacing(&xlsx, sheet, nested.as_bytes()),
        ),
        ("bomb.xlsx", zip_with_bomb(&xlsx, "xl/sharedStrings.xml")),
        ("bomb-sheet.xlsx", zip_with_bomb(&xlsx, sheet)),
        ("mixed-encoding.csv", mixed),
        (
            "invalid-utf8.csv",
            b"\xFF\xFE\xFD\xFC,\x80\x81\n\xC3\x28,\xA0\xA1\n".to_vec(),
        ),
        ("nul.csv", nul),
    ];
    cases.into_iter().map(|(n, b)| (n.to_string(), b)).collect()
}

/// The thought report corpus (.docx and .txt).
fn report_cases() -> Vec<(String, Vec<u8>)> {
    let docx = fixture("reports/report.docx");
    let main = "word/document.xml";
    let paragraph = |text: &str| format!("<w:p><w:r><w:t>{text}</w:t></w:r></w:p>");
    let (gbk, _, _) = encoding_rs::GBK.encode("思想汇报\n敬爱的党组织：\n");
    let mut mixed = gbk.into_owned();
    mixed.extend_from_slice("这个季度我认真学习。\n".as_bytes());
    mixed.extend_from_slice(b"\xFF\xFF\x81\n");
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.docx", Vec::new()),
        ("empty.txt", Vec::new()),
        ("truncated.docx", half(&docx)),
        ("flipped.docx", flipped(&docx, 0, 32, 5)),
        ("flipped-deep.docx", flipped(&docx, 100, 8, 6)),
        ("picture.docx", PNG.to_vec()),
        ("document.docx", PDF.to_vec()),
        ("roster.docx", fixture("roster/messy.xlsx")),
        (
            "text.docx",
            "思想汇报\n敬爱的党组织：\n".as_bytes().to_vec(),
        ),
        ("picture.txt", PNG.to_vec()),
        (
            "huge-cell.docx",
            zip_replacing(
                &docx,
                main,
                &document_xml(&(paragraph("思想汇报") + &paragraph(&"学".repeat(5 * MIB / 3)))),
            ),
        ),
        (
            "long-line.txt",
            format!("思想汇报\n{}\n", "学习".repeat(MIB / 3)).into_bytes(),
        ),
        (
            "nested.docx",
            zip_replacing(&docx, main, &document_xml(&"<w:p><w:r>".repeat(200_000))),
        ),
        ("bomb.docx", zip_with_bomb(&docx, main)),
        ("mixed-encoding.txt", mixed),
        (
            "invalid-utf8.txt",
            b"\xFF\xFE\xFD\xFC\x80\x81\xC3\x28".to_vec(),
        ),
        (
            "nul.txt",
            "思想汇报\n\0\0\0敬爱的党组织".as_bytes().to_vec(),
        ),
    ];
    cases.into_iter().map(|(n, b)| (n.to_string(), b)).collect()
}

/// The backup corpus for `dangan restore`, from a real backup `good`.
fn restore_cases(good: &[u8]) -> Vec<(String, Vec<u8>)> {
    let foreign = {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("other.db");
        let conn = crate::util::raw_connection(&path);
        conn.execute_batch("CREATE TABLE note (text TEXT); INSERT INTO note VALUES ('x');")
            .unwrap();
        drop(conn);
        std::fs::read(&path).unwrap()
    };
    let mut header_only = b"SQLite format 3\0".to_vec();
    header_only.extend(std::iter::repeat_n(0xA5u8, 4000));
    let cases: Vec<(&str, Vec<u8>)> = vec![
        ("empty.db", Vec::new()),
        ("truncated.db", half(good)),
        ("header-only.db", good[..100].to_vec()),
        ("bad-page-size.db", {
            // The page size (offset 16, big-endian) set to 0x1234, not a power of two.
            let mut bytes = good.to_vec();
            bytes[16..18].copy_from_slice(&[0x12, 0x34]);
            bytes
        }),
        ("flipped-pages.db", flipped(good, 4096, 64, 8)),
        ("picture.db", PNG.to_vec()),
        ("document.db", PDF.to_vec()),
        ("roster.db", fixture("roster/messy.xlsx")),
        ("text.db", "这不是备份\n".as_bytes().to_vec()),
        ("nul.db", vec![0u8; 8192]),
        ("garbage-after-magic.db", header_only),
        ("foreign.db", foreign),
    ];
    cases.into_iter().map(|(n, b)| (n.to_string(), b)).collect()
}

/// Text-format corpora: TOML rule sets and JSON requests share the shapes of damage.
fn text_cases(extension: &str, valid: &str, nested: (&str, &str)) -> Vec<(String, Vec<u8>)> {
    let deep = format!("{}{}{}", nested.0, "[".repeat(200_000), "]".repeat(200_000));
    let huge = format!("{}\"{}\"{}", nested.0, "长".repeat(5 * MIB / 3), nested.1);
    let cases: Vec<(String, Vec<u8>)> = vec![
        ("empty".into(), Vec::new()),
        ("truncated".into(), half(valid.as_bytes())),
        ("flipped".into(), flipped(valid.as_bytes(), 0, 16, 9)),
        ("picture".into(), PNG.to_vec()),
        ("document".into(), PDF.to_vec()),
        ("roster".into(), fixture("roster/messy.xlsx")),
        ("text".into(), "这只是一段文字\n".as_bytes().to_vec()),
        ("nested".into(), (deep + nested.1).into_bytes()),
        ("huge-value".into(), huge.into_bytes()),
        ("long-line".into(), "x".repeat(2 * MIB).into_bytes()),
        ("invalid-utf8".into(), b"\xFF\xFE\xC3\x28 = 1\n".to_vec()),
        ("nul".into(), [valid.as_bytes(), b"\0\0\0"].concat()),
    ];
    cases
        .into_iter()
        .map(|(n, b)| (format!("{n}.{extension}"), b))
        .collect()
}

/// The archive's data is as it was at `before`: the same row counts, and the audit trail grown
/// by nothing but backups and the CLI's own login. (`dangan import` takes its before-import backup once the file reads,
/// before it checks the rows, so a roster whose rows are all invalid still leaves one verified
/// backup and its audit entry; no member data.)
fn assert_unchanged(temp: &TempArchive, before: &[(String, i64)], case: &str) {
    let now = fingerprint(temp);
    let data = |f: &[(String, i64)]| -> Vec<(String, i64)> {
        f.iter()
            .filter(|(t, _)| t != "backup" && t != "audit_log" && t.len() != 64)
            .cloned()
            .collect()
    };
    assert_eq!(data(&now), data(before), "{case} changed the archive");
    let seq_before = before.last().unwrap().1;
    let conn = crate::util::raw_connection(&temp.db_path());
    let mut stmt = conn
        .prepare("SELECT action FROM audit_log WHERE seq > ?1")
        .unwrap();
    let actions: Vec<String> = stmt
        .query_map([seq_before], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(
        actions.iter().all(|a| a == "backup" || a == "login"),
        "{case} recorded {actions:?}"
    );
}

/// What the archive holds, cheaply: row counts of every table a command might write, and the
/// audit trail's newest entry other than a login (its hash, then its seq, last).
fn fingerprint(temp: &TempArchive) -> Vec<(String, i64)> {
    let conn = crate::util::raw_connection(&temp.db_path());
    let mut out: Vec<(String, i64)> = [
        "member",
        "member_event",
        "thought_report",
        "import_batch",
        "letter",
        "rule_set",
        "meeting",
        "appraisal",
        "backup",
        "attachment",
        "audit_log",
    ]
    .iter()
    .map(|t| {
        // Every CLI call logs in first: its login entry is not part of what the command did.
        let filter = if *t == "audit_log" {
            " WHERE action <> 'login'"
        } else {
            ""
        };
        let n = conn
            .query_row(&format!("SELECT count(*) FROM {t}{filter}"), [], |r| {
                r.get(0)
            })
            .unwrap();
        (t.to_string(), n)
    })
    .collect();
    let (seq, hash): (i64, String) = conn
        .query_row(
            "SELECT seq, hash FROM audit_log WHERE action <> 'login' ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    out.push((hash, seq));
    out
}

/// The peak resident memory of a process, from `/proc` (polled until it exits), in MB.
fn run_measuring_peak(mut cmd: std::process::Command) -> (std::process::Output, u64) {
    let child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let status_file = PathBuf::from(format!("/proc/{}/status", child.id()));
    let peak = std::sync::Arc::new(std::sync::atomic::AtomicU64::new(0));
    let watcher = {
        let peak = peak.clone();
        std::thread::spawn(move || {
            while let Ok(status) = std::fs::read_to_string(&status_file) {
                let kb = status
                    .lines()
                    .find(|l| l.starts_with("VmHWM:"))
                    .and_then(|l| l.split_whitespace().nth(1))
                    .and_then(|v| v.parse::<u64>().ok());
                match kb {
                    Some(kb) => peak.fetch_max(kb, std::sync::atomic::Ordering::Relaxed),
                    // A zombie has no memory lines left: it has finished.
                    None => break,
                };
                std::thread::sleep(Duration::from_millis(2));
            }
        })
    };
    let output = child.wait_with_output().unwrap();
    watcher.join().unwrap();
    (
        output,
        peak.load(std::sync::atomic::Ordering::Relaxed) / 1024,
    )
}

/// Runs `args` (where `{}` stands for the case's path) for every case and checks the outcome.
/// Returns the lines of the record: file, exit code, first line of the message.
fn feed(
    temp: &TempArchive,
    dir: &Path,
    cases: &[(String, Vec<u8>)],
    args: &dyn Fn(&Path) -> Vec<String>,
    expected_codes: &[i32],
    name_in_message: &dyn Fn(&str) -> String,
) -> Vec<String> {
    let before = fingerprint(temp);
    let mut record = Vec::new();
    for (name, bytes) in cases {
        let path = dir.join(name);
        std::fs::write(&path, bytes).unwrap();
        let args = args(&path);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (output, peak_mb) = run_measuring_peak(temp.dangan_process(&args));
        let code = output.status.code();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(!text.contains("panicked"), "{name}: {text}");
        assert!(
            code.is_some_and(|c| expected_codes.contains(&c)),
            "{name}: exit {code:?}: {text}"
        );
        let named = name_in_message(name);
        assert!(
            text.contains(&named),
            "{name}: the message names {named}: {text}"
        );
        assert!(peak_mb < 400, "{name}: peak memory {peak_mb} MB");
        assert_unchanged(temp, &before, name);
        let message: String = String::from_utf8_lossy(&output.stderr)
            .lines()
            .next()
            .unwrap_or("")
            .chars()
            .take(150)
            .collect();
        record.push(format!(
            "{name} ({} bytes): exit {}, peak {peak_mb} MB: {message}",
            bytes.len(),
            code.unwrap_or(-1)
        ));
        let _ = std::fs::remove_file(&path);
    }
    record
}

fn owned(args: &[&str]) -> Vec<String> {
    args.iter().map(|s| s.to_string()).collect()
}

#[test]
fn malformed_rosters_are_refused_clearly_and_change_nothing() {
    let temp = TempArchive::demo(20);
    let dir = tempfile::tempdir().unwrap();
    let record = feed(
        &temp,
        dir.path(),
        &roster_cases(),
        &|path| owned(&["import", path.to_str().unwrap(), "--as-of", AS_OF]),
        &[2, 4],
        &|name| name.to_string(),
    );
    println!("roster corpus:\n  {}", record.join("\n  "));
}

#[test]
fn malformed_report_files_are_refused_clearly_and_change_nothing() {
    let temp = TempArchive::demo(20);
    let conn = crate::util::raw_connection(&temp.db_path());
    let (id, student_no, name): (i64, String, String) = conn
        .query_row(
            "SELECT id, student_no, name FROM member WHERE student_no IS NOT NULL LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    drop(conn);
    let dir = tempfile::tempdir().unwrap();
    let cases = report_cases();
    let record = feed(
        &temp,
        dir.path(),
        &cases,
        &|path| {
            owned(&[
                "report",
                "add",
                &id.to_string(),
                "--file",
                path.to_str().unwrap(),
                "--as-of",
                AS_OF,
            ])
        },
        &[2, 4],
        &|name| name.to_string(),
    );
    println!("report add corpus:\n  {}", record.join("\n  "));

    // The same files in a folder import, each named as the import expects.
    let mut record = Vec::new();
    for (case, bytes) in &cases {
        let folder = tempfile::tempdir().unwrap();
        let extension = Path::new(case).extension().unwrap().to_str().unwrap();
        let file_name = format!("{student_no}-{name}-2026Q3.{extension}");
        let one = [(file_name.clone(), bytes.clone())];
        let folder_path = folder.path().to_path_buf();
        record.extend(
            feed(
                &temp,
                folder.path(),
                &one,
                &|_| {
                    owned(&[
                        "report",
                        "import",
                        folder_path.to_str().unwrap(),
                        "--as-of",
                        AS_OF,
                    ])
                },
                &[2],
                &|file| file.to_string(),
            )
            .into_iter()
            .map(|line| format!("{case} as {line}")),
        );
    }
    println!("report import corpus:\n  {}", record.join("\n  "));
}

#[test]
fn malformed_backups_are_refused_for_restore_and_change_nothing() {
    let temp = TempArchive::demo(20);
    let dir = tempfile::tempdir().unwrap();
    let good = dir.path().join("good-backup.db");
    crate::util::json(temp.dangan(&["backup", "--out", good.to_str().unwrap(), "--json"]));
    let good = std::fs::read(&good).unwrap();
    let before = fingerprint(&temp);
    let record = feed(
        &temp,
        dir.path(),
        &restore_cases(&good),
        &|path| owned(&["restore", path.to_str().unwrap()]),
        &[2, 4],
        &|name| name.to_string(),
    );
    assert_eq!(fingerprint(&temp), before);
    assert!(
        !temp.root.join("archive.db.restoring").exists(),
        "the staged copy is removed"
    );
    println!("restore corpus:\n  {}", record.join("\n  "));
}

#[test]
fn malformed_rule_sets_meetings_grades_and_templates_are_refused() {
    let temp = TempArchive::demo(20);
    let dir = tempfile::tempdir().unwrap();
    let rules = include_str!("../../assets/rules/national-2014.toml");
    let mut record = feed(
        &temp,
        dir.path(),
        &text_cases("toml", rules, ("a = ", "")),
        &|path| owned(&["rules", "load", path.to_str().unwrap()]),
        &[2, 4],
        &|name| name.to_string(),
    );
    let meeting = r#"{"branch_id": 1, "kind": "general_meeting", "date": "2026-10-01", "topic": "x", "attendance": []}"#;
    let branch = {
        let conn = crate::util::raw_connection(&temp.db_path());
        let id: i64 = conn
            .query_row("SELECT branch_id FROM member LIMIT 1", [], |r| r.get(0))
            .unwrap();
        id.to_string()
    };
    record.extend(feed(
        &temp,
        dir.path(),
        &text_cases("json", meeting, ("{\"topic\": ", "}")),
        &|path| owned(&["meeting", "add", path.to_str().unwrap(), "--as-of", AS_OF]),
        &[2, 4],
        &|name| name.to_string(),
    ));
    record.extend(feed(
        &temp,
        dir.path(),
        &text_cases(
            "json",
            r#"[{"member_id": 1, "grade": "qualified"}]"#,
            ("[", "]"),
        ),
        &|path| {
            owned(&[
                "appraisal",
                "set",
                path.to_str().unwrap(),
                "--branch",
                &branch,
                "--year",
                "2026",
            ])
        },
        &[2, 4],
        &|name| name.to_string(),
    ));
    // The archive's own dossier wording: a broken one is named; exit 1 (the archive's
    // configuration is wrong, not the command's input).
    let templates = temp.root.join("templates");
    std::fs::create_dir_all(&templates).unwrap();
    let embedded = include_str!("../../assets/templates/dossier.toml");
    let out = dir.path().join("dossier.pdf");
    for (case, bytes) in text_cases("toml", embedded, ("title = ", "")) {
        std::fs::write(templates.join("dossier.toml"), &bytes).unwrap();
        let before = fingerprint(&temp);
        let output = temp
            .dangan(&["dossier", "1", "--out", out.to_str().unwrap()])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(!stderr.contains("panicked"), "{case}: {stderr}");
        if case == "long-line.toml" && output.status.success() {
            // Not TOML at all would fail; a 2 MB bare key line cannot parse either.
            panic!("{case} was accepted");
        }
        assert_eq!(output.status.code(), Some(1), "template {case}: {stderr}");
        assert!(stderr.contains("dossier.toml"), "template {case}: {stderr}");
        assert!(!out.exists(), "no dossier from a broken template");
        assert_eq!(fingerprint(&temp), before);
        record.push(format!(
            "templates/dossier.toml as {case}: exit 1: {}",
            stderr
                .lines()
                .next()
                .unwrap_or("")
                .chars()
                .take(150)
                .collect::<String>()
        ));
    }
    println!(
        "rules, meeting, grades, template corpus:\n  {}",
        record.join("\n  ")
    );
}

fn docx_bytes() -> &'static [u8] {
    static DOCX: OnceLock<Vec<u8>> = OnceLock::new();
    DOCX.get_or_init(|| fixture("reports/report.docx"))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Mutated .docx bytes never make the report reader panic: a report is recorded or the
    /// file is refused as unreadable, naming it.
    #[test]
    fn mutated_docx_never_panics(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 0..24),
        cut in prop::option::of(any::<prop::sample::Index>()),
        junk in prop::collection::vec(any::<u8>(), 0..32),
    ) {
        let mut bytes = docx_bytes().to_vec();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] ^= value;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        bytes.extend(junk);
        let temp = TempArchive::new();
        let mut archive = dangan::Archive::open(&temp.root).unwrap();
        let admin = crate::util::bootstrap(&mut archive);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mutated.docx");
        std::fs::write(&path, &bytes).unwrap();
        // No member 1 in an empty archive: the file is read first, so a readable one ends in
        // member_not_found and an unreadable one in file_unreadable.
        let outcome = dangan::reports::add_file(
            &mut archive, &admin, 1, &path, None, None, crate::util::as_of(),
        );
        let err = outcome.unwrap_err();
        let code = dangan::ErrorCode::code(&err);
        prop_assert!(
            ["file_unreadable", "member_not_found"].contains(&code),
            "{}: {}", code, err
        );
        if code == "file_unreadable" {
            prop_assert!(err.to_string().contains("mutated.docx"));
        }
    }
}

fn backup_bytes() -> &'static [u8] {
    static BACKUP: OnceLock<Vec<u8>> = OnceLock::new();
    BACKUP.get_or_init(|| {
        let temp = TempArchive::demo(5);
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("b.db");
        crate::util::json(temp.dangan(&["backup", "--out", out.to_str().unwrap(), "--json"]));
        std::fs::read(out).unwrap()
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Mutated backups never make restore panic; a refused one leaves the archive as it was.
    #[test]
    fn mutated_backups_never_panic_and_a_refused_one_changes_nothing(
        flips in prop::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..24),
        cut in prop::option::of(any::<prop::sample::Index>()),
    ) {
        let mut bytes = backup_bytes().to_vec();
        for (at, value) in flips {
            let i = at.index(bytes.len());
            bytes[i] ^= value | 1;
        }
        if let Some(cut) = cut {
            bytes.truncate(cut.index(bytes.len() + 1));
        }
        let temp = TempArchive::demo(3);
        let mut archive = temp.open();
        // Logged in before the fingerprint: the login is not what is tested.
        let admin = crate::util::admin(&archive);
        let before = fingerprint(&temp);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mutated.db");
        std::fs::write(&path, &bytes).unwrap();
        let outcome = dangan::backup::restore(&mut archive, &admin, &path);
        drop(archive);
        if let Err(err) = outcome {
            let code = dangan::ErrorCode::code(&err);
            prop_assert!(
                ["restore_refused", "schema_too_new"].contains(&code),
                "{}: {}", code, err
            );
            prop_assert_eq!(fingerprint(&temp), before);
        }
        let mut check = Vec::new();
        std::fs::File::open(temp.db_path()).unwrap().read_to_end(&mut check).unwrap();
        prop_assert!(check.starts_with(b"SQLite format 3\0"));
    }
}
