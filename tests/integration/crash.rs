//! The crash harness: the real `dangan` binary is started on a copy of a demo archive and killed
//! with SIGKILL at a random moment (a seeded RNG, delays spread over the command's measured run
//! time, very early and very late ones included), 100 times across four commands:
//!
//! - `dangan import ROSTER` of a generated 2,000-row roster into a 60-member demo: 40 kills;
//! - `dangan dossier --branch … --out-dir D` (a batch): 25 kills;
//! - `dangan backup`: 20 kills;
//! - `dangan letter MEMBER --out F` (an introduction letter, registered with a serial): 15 kills.
//!
//! After each kill the archive is reopened and must hold: `PRAGMA integrity_check` = ok; the
//! member, event, import batch, letter and audit counts equal either the state before the command
//! or the state after a run that completed (never anything between); `dangan audit verify`
//! passes; every recorded verified backup is a file that opens and passes `integrity_check`; no
//! file under a final name is half-written (the batch's `.pdf` files all end with `%%EOF`; the
//! only other files are `.dangan-*.part` temporaries, which no reader lists); and after a killed
//! backup, the next `dangan backup` succeeds; a letter's PDF exists under its final name only if
//! its serial is registered, and the next letter gets the next serial. The four kinds run as four
//! tests, so they share the cores with the rest of the suite.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use dangan::Archive;
use dangan::roster::{self, ExportFormat, ExportOptions, TextEncoding};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rusqlite::{Connection, OpenFlags};

use crate::util::{AS_OF, TempArchive, as_of};

/// The seed of the kill delays: the same seed gives the same schedule.
const SEED: u64 = 0xDA16A;

/// What a crash may not leave half done: the rows a command writes, counted.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Counts {
    members: i64,
    events: i64,
    batches: i64,
    batch_rows: i64,
    letters: i64,
    audit: i64,
}

fn read_only(db: &Path) -> Connection {
    Connection::open_with_flags(db, OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap()
}

/// Opens the archive file as SQLite would after a crash (recovering the WAL), checks its
/// integrity and counts its rows.
fn check_and_count(db: &Path) -> Counts {
    // Read-write, so that SQLite may roll back or recover what the killed process left.
    let conn = crate::util::raw_connection(db);
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(integrity, "ok", "{}", db.display());
    let count = |table: &str| -> i64 {
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    Counts {
        members: count("member"),
        events: count("member_event"),
        batches: count("import_batch"),
        batch_rows: count("import_batch_row"),
        letters: count("letter"),
        // Every CLI call logs in first: its login entry is not part of what the command did.
        audit: count("audit_log WHERE action <> 'login'"),
    }
}

/// Every backup the archive records as verified (and not rotated away) is a whole database.
fn recorded_backups_are_whole(root: &Path) -> usize {
    let conn = read_only(&root.join("archive.db"));
    let mut stmt = conn
        .prepare("SELECT file FROM backup WHERE problem IS NULL AND deleted_at IS NULL")
        .unwrap();
    let files: Vec<String> = stmt
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    for file in &files {
        let path = root.join(file);
        assert!(path.is_file(), "recorded backup {file} is missing");
        let integrity: String = read_only(&path)
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .unwrap();
        assert_eq!(integrity, "ok", "recorded backup {file}");
    }
    files.len()
}

fn audit_verifies(temp: &TempArchive) {
    let output = temp
        .dangan(&["audit", "verify", "--json"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "audit verify: {}\n{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let target = to.join(entry.file_name());
        if entry.file_type().unwrap().is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// A fresh copy of the archive folder `template` (which nobody opens, so it has no WAL).
pub fn copy_of(template: &Path) -> TempArchive {
    let temp = TempArchive::new();
    copy_dir(template, &temp.root);
    temp
}

/// How a run ended.
enum Ended {
    Killed,
    /// It finished before the kill came.
    Completed,
}

/// Starts `dangan args…` on the archive, kills it with SIGKILL after `delay` (unless it has
/// finished by then) and waits for it.
fn run_and_kill(temp: &TempArchive, args: &[&str], delay: Duration) -> Ended {
    let mut child = temp
        .dangan_process(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + delay;
    // Sleep in short steps, so a child that finishes early is seen as completed.
    loop {
        if child.try_wait().unwrap().is_some() {
            return Ended::Completed;
        }
        let now = Instant::now();
        if now >= deadline {
            break;
        }
        std::thread::sleep((deadline - now).min(Duration::from_millis(2)));
    }
    // `Child::kill` is SIGKILL on Unix: no handler runs, nothing is flushed.
    child.kill().unwrap();
    let status = child.wait().unwrap();
    if status.success() {
        Ended::Completed
    } else {
        Ended::Killed
    }
}

/// Runs the command once to completion on a fresh copy and returns how long it took, and the
/// archive it left.
fn measure(
    template: &Path,
    args_for: &dyn Fn(&TempArchive) -> Vec<String>,
) -> (Duration, TempArchive) {
    let temp = copy_of(template);
    let args = args_for(&temp);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let started = Instant::now();
    let output = temp.dangan(&args).output().unwrap();
    let took = started.elapsed();
    assert!(
        output.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    (took, temp)
}

/// A roster of 2,000 generated members (a demo with another seed, exported in the national
/// format) and a small demo archive (60 members) to import it into: made once per test run and
/// shared (each test works on its own copy of the archive folder).
pub fn roster_and_target() -> (&'static Path, &'static Path) {
    static SHARED: OnceLock<(tempfile::TempDir, PathBuf, TempArchive)> = OnceLock::new();
    let (_, file, target) = SHARED.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let source = TempArchive::new();
        let mut archive = Archive::open(&source.root).unwrap();
        let options = dangan::demo::DemoOptions {
            members: 2000,
            seed: 7,
            as_of: as_of(),
        };
        let admin = crate::util::bootstrap(&mut archive);
        dangan::demo::generate(&mut archive, &admin, &options).unwrap();
        let file = dir.path().join("名册.xlsx");
        let export = ExportOptions {
            branch_id: None,
            stage: None,
            format: ExportFormat::National,
            encoding: TextEncoding::Utf8Bom,
            as_of: as_of(),
        };
        roster::export(&archive, &admin, &file, &export).unwrap();
        (dir, file, TempArchive::demo(60))
    });
    (file, &target.root)
}

/// Runs `args` on copies of `template`, killing each run at a random moment, until `kills` runs
/// were killed (a run that finishes before its kill does not count, and teaches the schedule
/// that runs can be that short). `check` inspects each copy afterwards.
fn kill_repeatedly(
    what: &str,
    template: &Path,
    args_for: &dyn Fn(&TempArchive) -> Vec<String>,
    kills: usize,
    seed: u64,
    mut normal: Duration,
    check: &mut dyn FnMut(&TempArchive, Duration),
) {
    let started = Instant::now();
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let (mut killed, mut completed) = (0, 0);
    let mut i = 0usize;
    while killed < kills {
        assert!(
            completed <= kills,
            "{what}: {completed} runs finished before their kill"
        );
        let seconds = normal.as_secs_f64();
        // A tenth in the first 5 ms (start-up, opening the archive), a tenth in the last 10%
        // of the run (commit, rename, record), the rest over the whole run.
        let delay = Duration::from_secs_f64(match i % 10 {
            0 => rng.random_range(0.0..0.005),
            1 => rng.random_range(seconds * 0.9..seconds),
            _ => rng.random_range(0.0..seconds),
        });
        i += 1;
        let temp = copy_of(template);
        let args = args_for(&temp);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let t0 = Instant::now();
        match run_and_kill(&temp, &args, delay) {
            Ended::Killed => killed += 1,
            Ended::Completed => {
                completed += 1;
                normal = normal.min(t0.elapsed());
            }
        }
        check(&temp, delay);
    }
    println!(
        "crash {what}: {killed} killed, {completed} finished before the kill; run time \
         estimate {:.0} ms at the end; {:.1} s in all",
        normal.as_secs_f64() * 1000.0,
        started.elapsed().as_secs_f64()
    );
}

#[cfg(unix)]
#[test]
fn killed_imports_leave_the_batch_wholly_present_or_wholly_absent() {
    let (roster, template) = roster_and_target();
    let roster = roster.to_str().unwrap().to_string();
    let args_for = |_: &TempArchive| {
        [
            "import",
            &roster,
            "--create-branches",
            "--skip-invalid",
            "--as-of",
            AS_OF,
        ]
        .map(String::from)
        .to_vec()
    };
    let before = check_and_count(&copy_of(template).db_path());
    let (normal, done) = measure(template, &args_for);
    let after = check_and_count(&done.db_path());
    assert_eq!(after.batches, before.batches + 1);
    assert!(
        after.members >= before.members + 1500,
        "the roster adds its members: {before:?} → {after:?}"
    );
    // The before-import backup is recorded inside the import's transaction, so the audit trail
    // moves with the member data: all of the batch's entries or none.
    let data = |c: &Counts| (c.members, c.events, c.batches, c.batch_rows, c.letters);
    let mut after_state = 0;
    kill_repeatedly(
        "import",
        template,
        &args_for,
        40,
        SEED,
        normal,
        &mut |temp, delay| {
            let now = check_and_count(&temp.db_path());
            assert!(
                data(&now) == data(&before) || data(&now) == data(&after),
                "killed after {delay:?}: {now:?} is neither {before:?} nor {after:?}"
            );
            if data(&now) == data(&after) {
                after_state += 1;
                assert_eq!(now.audit, after.audit, "killed after {delay:?}");
            } else {
                assert_eq!(now.audit, before.audit, "killed after {delay:?}");
            }
            audit_verifies(temp);
            recorded_backups_are_whole(&temp.root);
        },
    );
    println!(
        "crash import: normal run {:.0} ms; {after_state} runs left the batch wholly present, \
         the rest left the archive as it was",
        normal.as_secs_f64() * 1000.0
    );
}

/// Every file in a batch folder under a final name is a whole PDF; the rest are temporaries.
fn only_whole_pdfs(dir: &Path) -> usize {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 0;
    };
    let mut whole = 0;
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if name.starts_with(".dangan-") && name.ends_with(".part") {
            continue;
        }
        assert!(name.ends_with(".pdf"), "unexpected file {name}");
        let bytes = std::fs::read(&path).unwrap();
        assert!(bytes.starts_with(b"%PDF-"), "{name} is not a PDF");
        let tail = &bytes[bytes.len().saturating_sub(64)..];
        assert!(
            tail.windows(5).any(|w| w == b"%%EOF"),
            "{name} is cut short ({} bytes)",
            bytes.len()
        );
        whole += 1;
    }
    whole
}

#[cfg(unix)]
#[test]
fn killed_dossier_batches_leave_only_whole_pdfs() {
    let (_, template) = roster_and_target();
    let branch = {
        // Never opened in place: other tests copy the template meanwhile.
        let copy = copy_of(template);
        let conn = read_only(&copy.db_path());
        let id: i64 = conn
            .query_row(
                "SELECT branch_id FROM member GROUP BY branch_id ORDER BY count(*) DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
            .unwrap();
        id.to_string()
    };
    let out = |temp: &TempArchive| temp.root.join("批量");
    let args_for = |temp: &TempArchive| {
        vec![
            "dossier".to_string(),
            "--branch".to_string(),
            branch.clone(),
            "--out-dir".to_string(),
            out(temp).display().to_string(),
            "--threads".to_string(),
            "2".to_string(),
            "--as-of".to_string(),
            AS_OF.to_string(),
        ]
    };
    let before = check_and_count(&copy_of(template).db_path());
    let (normal, done) = measure(template, &args_for);
    let complete = only_whole_pdfs(&out(&done));
    assert!(complete >= 3, "a batch of several dossiers: {complete}");
    let after = check_and_count(&done.db_path());
    let data = |c: &Counts| (c.members, c.events, c.batches, c.batch_rows, c.letters);
    assert_eq!(data(&after), data(&before), "a batch writes no member data");
    let mut after_state = 0;
    kill_repeatedly(
        "dossier",
        template,
        &args_for,
        25,
        SEED + 1,
        normal,
        &mut |temp, delay| {
            let now = check_and_count(&temp.db_path());
            assert_eq!(data(&now), data(&before), "killed after {delay:?}");
            // The batch's audit entry is written once the index is: there or not, never torn.
            assert!(now.audit == before.audit || now.audit == after.audit);
            if now.audit == after.audit {
                after_state += 1;
                assert!(out(temp).join("index.pdf").is_file());
            }
            assert!(only_whole_pdfs(&out(temp)) <= complete);
            audit_verifies(temp);
        },
    );
    println!(
        "crash dossier: normal run {:.0} ms for {} PDFs; {after_state} runs were recorded",
        normal.as_secs_f64() * 1000.0,
        complete
    );
}

#[cfg(unix)]
#[test]
fn killed_backups_record_no_half_backup_and_the_next_one_works() {
    let (_, template) = roster_and_target();
    let args_for = |_: &TempArchive| vec!["backup".to_string()];
    let before = check_and_count(&copy_of(template).db_path());
    let (normal, done) = measure(template, &args_for);
    let after = check_and_count(&done.db_path());
    assert_eq!(recorded_backups_are_whole(&done.root), 1);
    let mut after_state = 0;
    // What killed backups leave in backups/ that no row records: `.partial` copies and whole
    // copies renamed just before the kill. Ignorable (nothing lists or restores them) but taking
    // space; counted for the record.
    let (mut partials, mut unrecorded) = (0, 0);
    kill_repeatedly(
        "backup",
        template,
        &args_for,
        20,
        SEED + 2,
        normal,
        &mut |temp, delay| {
            let now = check_and_count(&temp.db_path());
            assert!(
                now == before || now == after,
                "killed after {delay:?}: {now:?}"
            );
            let recorded = recorded_backups_are_whole(&temp.root);
            if now == after {
                after_state += 1;
                assert_eq!(recorded, 1);
            } else {
                assert_eq!(recorded, 0, "no row for a backup that was not finished");
            }
            audit_verifies(temp);
            if let Ok(entries) = std::fs::read_dir(temp.root.join("backups")) {
                for entry in entries {
                    let name = entry.unwrap().file_name().to_string_lossy().to_string();
                    if name.ends_with(".partial") {
                        partials += 1;
                    } else if name.ends_with(".db") && recorded == 0 {
                        unrecorded += 1;
                    }
                }
            }
            let next = crate::util::json(temp.dangan(&["backup", "--json"]));
            assert_eq!(next["verified"], true, "{next}");
            assert_eq!(recorded_backups_are_whole(&temp.root), recorded + 1);
        },
    );
    println!(
        "crash backup: normal run {:.0} ms; {after_state} runs were recorded; left behind \
         unrecorded: {partials} .partial files, {unrecorded} whole copies",
        normal.as_secs_f64() * 1000.0
    );
}

#[cfg(unix)]
#[test]
fn killed_letters_leave_no_file_without_its_registered_serial() {
    let (_, template) = roster_and_target();
    let member = {
        let copy = copy_of(template);
        let list =
            crate::util::json(copy.dangan(&["member", "list", "--stage", "full_member", "--json"]));
        list[0]["id"].as_i64().unwrap().to_string()
    };
    let out = |temp: &TempArchive| temp.root.join("介绍信").join("letter.pdf");
    let args_for = |temp: &TempArchive| {
        [
            "letter",
            &member,
            "--to",
            "中共某某科技有限公司委员会",
            "--out",
            out(temp).to_str().unwrap(),
            "--date",
            AS_OF,
        ]
        .map(String::from)
        .to_vec()
    };
    let before = check_and_count(&copy_of(template).db_path());
    let (normal, done) = measure(template, &args_for);
    let after = check_and_count(&done.db_path());
    assert_eq!(after.letters, before.letters + 1);
    assert_eq!(only_whole_pdfs(out(&done).parent().unwrap()), 1);
    let (mut issued, mut registered_without_file) = (0, 0);
    kill_repeatedly(
        "letter",
        template,
        &args_for,
        15,
        SEED + 3,
        normal,
        &mut |temp, delay| {
            let now = check_and_count(&temp.db_path());
            assert!(
                now == before || now == after,
                "killed after {delay:?}: {now:?} is neither {before:?} nor {after:?}"
            );
            let dir = out(temp).parent().unwrap().to_path_buf();
            let files = only_whole_pdfs(&dir);
            if now == before {
                assert_eq!(files, 0, "killed after {delay:?}: a PDF without its serial");
            } else if files == 1 {
                issued += 1;
            } else {
                // Killed between the commit and the rename: registered, the file not in place.
                registered_without_file += 1;
            }
            audit_verifies(temp);
            // The next letter gets the serial after the last registered one.
            let last: i64 = read_only(&temp.db_path())
                .query_row("SELECT coalesce(max(serial), 0) FROM letter", [], |r| {
                    r.get(0)
                })
                .unwrap();
            let next = crate::util::json(temp.dangan(&[
                "letter",
                &member,
                "--to",
                "中共某某科技有限公司委员会",
                "--out",
                dir.join("next.pdf").to_str().unwrap(),
                "--date",
                AS_OF,
                "--json",
            ]));
            assert_eq!(
                next["letter"]["serial"].as_i64().unwrap(),
                last + 1,
                "killed after {delay:?}: {next}"
            );
        },
    );
    println!(
        "crash letter: normal run {:.0} ms; {issued} runs left the letter issued, \
         {registered_without_file} left it registered without its file",
        normal.as_secs_f64() * 1000.0
    );
}
