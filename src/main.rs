//! `dangan`: the headless door onto the core, for batch jobs and scripts.
//!
//! Each command parses its arguments, calls the core, and prints: a readable table by default, or
//! exactly one JSON document on stdout with `--json`. Errors go to stderr with a non-zero exit
//! code (see `Failure::exit_code`). No domain logic lives here.

use std::io::{IsTerminal, Write};
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use clap::{Args, Parser, Subcommand};
use dangan::appraisals::{self, AppraisalBatch, AppraisalEntry, Grade};
use dangan::cipher::{self, PASSPHRASE_ENV, Secret};
use dangan::demo::{self, DemoOptions};
use dangan::lifecycle::{
    self, CheckRequest, Evidence, ExtensionRequest, Severity, StepCorrection, StepRequest,
};
use dangan::meetings::{self, MeetingRequest};
use dangan::org;
use dangan::pdf::{
    self, FontSet, PdfFile,
    batch::{BatchProgress, BatchScope},
    letter::{LetterRecord, LetterRequest},
    notice::{NoticeKind, NoticeRequest},
};
use dangan::people::{self, EventKind, EventPerson, MemberQuery, PersonRole, Stage};
use dangan::reports::{self, NewThoughtReport, Quarter, ReportReview};
use dangan::roster::{self, ExportFormat, ExportOptions, ImportOptions, TextEncoding};
use dangan::search;
use dangan::{ARCHIVE_ENV, Actor, Archive, ErrorCode};
use dangan::{audit, backup};
use dangan::{reminders, stats};
use serde::Serialize;

#[path = "cli/session.rs"]
mod session;
use session::open_existing;

#[derive(Debug, Parser)]
#[command(
    name = "dangan",
    version,
    about = "党建档案 Dangan: the archive from the command line"
)]
struct Cli {
    /// The archive folder (default: the OS data folder).
    #[arg(long, global = true, env = ARCHIVE_ENV, value_name = "DIR")]
    archive: Option<PathBuf>,
    /// Who runs the command (every command but `demo` needs a logged-in user; `init` names the
    /// first admin with it). The password comes from DANGAN_PASSWORD or a prompt.
    #[arg(long, global = true, env = dangan::auth::USER_ENV, value_name = "NAME")]
    user: Option<String>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Create an empty archive (or migrate an existing one) and print where it is.
    Init(InitArgs),
    /// Fill an empty archive with a realistic, deterministic demo university.
    Demo(DemoArgs),
    /// Print the archive's location, schema version and size.
    Info(JsonFlag),
    /// Accounts (admin): add, list, reset, unlock, scope; `user passwd` for your own password.
    #[command(subcommand)]
    User(session::UserCommand),
    /// Members: list and show.
    #[command(subcommand)]
    Member(MemberCommand),
    /// Branches (党支部): list.
    #[command(subcommand)]
    Branch(BranchCommand),
    /// Development steps: record one (checked against the rules) or list a member's.
    #[command(subcommand)]
    Step(StepCommand),
    /// Plan a member's remaining steps (earliest dates, deadlines, graduation conflicts); without
    /// MEMBER, list every member with a step that cannot happen before they leave.
    Plan(PlanArgs),
    /// Changes of status: leaving (transfer out, disqualification, withdrawal, death) or a
    /// transfer in.
    #[command(subcommand)]
    Status(StatusCommand),
    /// Probation (预备期): extend it (延长预备期) by the months the branch meeting decided.
    #[command(subcommand)]
    Probation(ProbationCommand),
    /// The archive materials of a member in dossier order: which are on file, which are missing.
    Materials {
        member: i64,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Check members' files against the development rules (dates, order, people).
    Check(CheckArgs),
    /// The rule sets the checks use.
    #[command(subcommand)]
    Rules(RulesCommand),
    /// A member's dossier (党员档案) as PDF, or one per member of a branch or class plus an index.
    Dossier(DossierArgs),
    /// The organisational-relationship introduction letter (介绍信) with stub and receipt, and
    /// the register of letters (`letter receipt`, `letter overdue`).
    Letter(LetterArgs),
    /// A publicity notice (公示) of a branch's development targets or conversions.
    Notice(NoticeArgs),
    /// Thought reports (思想汇报): add, list, show, review, import a folder, list what is missing.
    #[command(subcommand)]
    Report(ReportCommand),
    /// Meetings (三会一课): record one with attendance, resolutions and votes; show, list, and
    /// the branch's compliance with the meeting frequencies.
    #[command(subcommand)]
    Meeting(MeetingCommand),
    /// 民主评议党员 (democratic appraisal): record a branch's yearly grades (all or none), list
    /// them with the "优秀 at most about a third" warning.
    #[command(subcommand)]
    Appraisal(AppraisalCommand),
    /// What falls due in a month or is overdue: steps with deadlines, reviews, thought reports,
    /// conversion meetings, political birthdays, meetings a branch owes, letter receipts.
    Reminders {
        /// The month, YYYY-MM (default: this month).
        #[arg(long)]
        month: Option<String>,
        #[arg(long)]
        branch: Option<String>,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Members per stage per college and branch, development per year, meeting compliance.
    Stats {
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Find members (name, student number, ID number or its last digits) and thought reports
    /// (any word, Chinese included).
    Search {
        query: String,
        #[arg(long, default_value_t = 20)]
        limit: usize,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Import a roster (.xlsx, .xlsm, .xls, .ods, .csv): every cell checked, nothing written while
    /// any row is invalid (unless --skip-invalid); `import undo BATCH` reverts an import.
    Import(ImportArgs),
    /// Export members to .xlsx or .csv.
    Export(ExportArgs),
    /// Write a blank import template (.xlsx) with dropdowns and a notes sheet.
    Template {
        file: PathBuf,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Back the archive up (a verified copy into backups/, or --out FILE); `backup list`.
    Backup(BackupArgs),
    /// Replace the archive's database with a backup: the file is verified first, the current
    /// archive is backed up, then swapped in atomically.
    Restore {
        file: PathBuf,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// The audit trail: `audit verify` checks the hash chain, `audit list` shows entries.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Encrypt a plain archive in place (database, attachments and backups) with a passphrase
    /// from DANGAN_PASSPHRASE or typed twice. The plain database is removed unless
    /// --keep-plain FILE asks for a copy.
    Encrypt {
        /// Keep a verified plain copy of the database in this file (best outside the folder).
        #[arg(long, value_name = "FILE")]
        keep_plain: Option<PathBuf>,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// The passphrase of an encrypted archive: `passphrase change`.
    #[command(subcommand)]
    Passphrase(PassphraseCommand),
}

#[derive(Debug, Args)]
struct InitArgs {
    /// Create the archive encrypted, with a passphrase from DANGAN_PASSPHRASE or typed twice.
    #[arg(long)]
    encrypt: bool,
    #[command(flatten)]
    out: JsonFlag,
}

#[derive(Debug, Subcommand)]
enum PassphraseCommand {
    /// Change it: the current one from DANGAN_PASSPHRASE or a prompt, the new one from
    /// DANGAN_NEW_PASSPHRASE or typed twice.
    Change(JsonFlag),
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
struct BackupArgs {
    #[command(subcommand)]
    command: Option<BackupCommand>,
    /// Write the copy to this file (which must not exist) instead of the archive's backups/.
    #[arg(long, value_name = "FILE")]
    out: Option<PathBuf>,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Subcommand)]
enum BackupCommand {
    /// Every recorded backup, newest first.
    List(JsonFlag),
    /// The automatic-backup policy stored in the archive; `--set key=value` changes it
    /// (backup.enabled, backup.interval_hours, backup.daily, backup.weekly, backup.monthly).
    Policy {
        #[arg(long = "set", value_name = "KEY=VALUE", value_parser = parse_setting)]
        set: Vec<(String, String)>,
        #[command(flatten)]
        output: JsonFlag,
    },
}

fn parse_setting(text: &str) -> Result<(String, String), String> {
    let (key, value) = text
        .split_once('=')
        .ok_or_else(|| format!("{text:?}: write KEY=VALUE, e.g. backup.daily=7"))?;
    Ok((key.trim().to_string(), value.trim().to_string()))
}

#[derive(Debug, Subcommand)]
enum AuditCommand {
    /// Check the whole chain: edited, deleted or missing newest entries are reported with the
    /// first bad entry (exit code 6).
    Verify(JsonFlag),
    /// Entries, newest first, filtered.
    List {
        #[arg(long)]
        actor: Option<String>,
        /// An action code, e.g. member_view, step_add, import_commit, export, backup.
        #[arg(long)]
        action: Option<String>,
        #[arg(long)]
        member: Option<i64>,
        /// What the entries are about: KIND (member, event, backup, meeting, archive, setting…)
        /// or KIND:ID.
        #[arg(long, value_name = "KIND[:ID]")]
        target: Option<String>,
        /// First day (UTC), YYYY-MM-DD.
        #[arg(long, value_name = "DATE")]
        from: Option<NaiveDate>,
        /// Last day (UTC), YYYY-MM-DD, inclusive.
        #[arg(long, value_name = "DATE")]
        to: Option<NaiveDate>,
        #[arg(long, default_value_t = 100)]
        limit: usize,
        /// Skip this many (newest) entries first.
        #[arg(long, default_value_t = 0)]
        offset: usize,
        #[command(flatten)]
        output: JsonFlag,
    },
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("who").required(true).args(["member", "branch", "class", "members"])))]
struct DossierArgs {
    member: Option<i64>,
    /// These members (comma-separated ids).
    #[arg(long, value_delimiter = ',')]
    members: Option<Vec<i64>>,
    /// Every member of this branch (an id, a unique name, or college/branch).
    #[arg(long)]
    branch: Option<String>,
    /// Every member of this class (班级).
    #[arg(long)]
    class: Option<String>,
    /// The PDF to write (one member).
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "out_dir",
        conflicts_with = "out_dir"
    )]
    out: Option<PathBuf>,
    /// The folder to write a batch into (with --branch or --class).
    #[arg(long, value_name = "DIR")]
    out_dir: Option<PathBuf>,
    /// Worker threads for a batch (default: one per core).
    #[arg(long)]
    threads: Option<usize>,
    /// The day the dossier is made and checked, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
struct LetterArgs {
    #[command(subcommand)]
    command: Option<LetterCommand>,
    #[arg(required = true)]
    member: Option<i64>,
    /// The receiving organisation (转到).
    #[arg(long, required = true)]
    to: Option<String>,
    /// The PDF to write.
    #[arg(long, value_name = "FILE", required = true)]
    out: Option<PathBuf>,
    /// The issuing organisation (default: 中共 + the member's college and branch).
    #[arg(long)]
    from: Option<String>,
    /// Dues paid up to this month, YYYY-MM (default: the month of issue).
    #[arg(long, value_name = "YYYY-MM")]
    dues: Option<String>,
    /// Validity in days.
    #[arg(long, default_value_t = 30)]
    valid_days: u32,
    /// The day of issue, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE")]
    date: Option<NaiveDate>,
    /// The word before 字第 N 号 (default from the template: 组).
    #[arg(long)]
    prefix: Option<String>,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Subcommand)]
enum LetterCommand {
    /// Record the day a letter's receipt (回执) came back.
    Receipt {
        serial: i64,
        #[arg(long, value_name = "DATE")]
        date: NaiveDate,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Letters whose receipt is not back within their validity.
    Overdue {
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        output: JsonFlag,
    },
}

#[derive(Debug, Args)]
struct NoticeArgs {
    /// The branch (an id, a unique name, or college/branch).
    #[arg(long)]
    branch: String,
    #[arg(long, value_parser = ["development", "conversion"])]
    kind: String,
    #[arg(long, value_name = "FILE")]
    out: PathBuf,
    /// First day of the publicity period, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE")]
    from: Option<NaiveDate>,
    /// Length of the period in working days (a local rule).
    #[arg(long, default_value_t = 5)]
    days: u32,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Subcommand)]
enum MeetingCommand {
    /// Record the meeting described by FILE (JSON: branch_id, kind, date, topic, minutes,
    /// place, host, recorder, attendance [{member_id, status, reason}], resolutions [{kind,
    /// member_id, months, text, votes [{member_id, vote}]}]). Passed resolutions that admit,
    /// convert or extend a probation add the member's timeline event; refused (exit 5) if one
    /// breaks a blocking rule. --dry-run prints the quorum and vote arithmetic only.
    /// --attach FILE (repeatable) keeps a sign-in sheet, photo or minutes with the meeting.
    Add {
        file: PathBuf,
        #[arg(long)]
        dry_run: bool,
        /// A file to keep with the meeting (scanned sign-in sheet, photo, PDF of the minutes).
        #[arg(long = "attach", value_name = "FILE")]
        attach: Vec<PathBuf>,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Attach a file (scanned sign-in sheet, photo, PDF of the minutes) to a recorded meeting.
    Attach {
        meeting: i64,
        file: PathBuf,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// One meeting: minutes, attendance, resolutions, votes and attached files.
    Show {
        id: i64,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Meetings, newest first.
    List {
        #[arg(long)]
        branch: Option<String>,
        #[arg(long)]
        from: Option<NaiveDate>,
        #[arg(long)]
        to: Option<NaiveDate>,
        /// Only meetings of this kind: general_meeting, committee, group, lecture, theme_day,
        /// life_meeting, appraisal.
        #[arg(long, value_parser = parse_meeting_kind)]
        kind: Option<meetings::MeetingKind>,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// How many meetings of each kind the branch held per month, quarter or year, against the
    /// required frequencies.
    Compliance {
        #[arg(long)]
        branch: String,
        #[arg(long)]
        year: i32,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        output: JsonFlag,
    },
}

#[derive(Debug, Subcommand)]
enum ReportCommand {
    /// Record a thought report for MEMBER, typed (--text) or from a .docx/.txt file (--file).
    Add {
        member: i64,
        /// The day it was handed in (with --file: default the last date written in it).
        #[arg(long, required_unless_present = "file")]
        date: Option<NaiveDate>,
        /// The quarter it reports on, like 2026Q3 (default: the quarter of the date).
        #[arg(long, value_parser = parse_quarter)]
        period: Option<Quarter>,
        #[arg(long)]
        title: Option<String>,
        #[arg(long, conflicts_with = "file", required_unless_present = "file")]
        text: Option<String>,
        #[arg(long, value_name = "FILE")]
        file: Option<PathBuf>,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// A member's thought reports, oldest first.
    List {
        member: i64,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// One report with its text.
    Show {
        id: i64,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Record the reviewer's comment on a report.
    Review {
        id: i64,
        #[arg(long)]
        reviewer: String,
        #[arg(long)]
        comment: String,
        #[arg(long)]
        date: Option<NaiveDate>,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Import every .docx/.txt in FOLDER named 学号-姓名-2026Q3.docx: all of them, or (if any
    /// cannot be imported) none; --dry-run only previews.
    Import {
        folder: PathBuf,
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Members who owe thought reports, with the quarters missing.
    Missing {
        #[arg(long)]
        member: Option<i64>,
        #[arg(long)]
        branch: Option<String>,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        output: JsonFlag,
    },
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
struct ImportArgs {
    #[command(subcommand)]
    command: Option<ImportCommand>,
    /// The roster file.
    file: Option<PathBuf>,
    /// Only this sheet (default: every sheet with roster columns).
    #[arg(long)]
    sheet: Option<String>,
    /// Check everything and report what would change; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Import the valid rows even though some rows are invalid.
    #[arg(long)]
    skip_invalid: bool,
    /// Create the branches the archive lacks when the roster names them as college/branch (the
    /// college committee too); undo removes them again.
    #[arg(long)]
    create_branches: bool,
    /// Map a column by hand: HEADER=FIELD or SHEET:HEADER=FIELD, FIELD a field code (id_number),
    /// a Chinese column name, or `ignore` to leave the column out. Repeatable.
    #[arg(long = "map", value_name = "HEADER=FIELD")]
    map: Vec<String>,
    /// Also write the rows with errors to this .xlsx, bad cells highlighted, with a reason column.
    #[arg(long, value_name = "FILE.xlsx")]
    errors_out: Option<PathBuf>,
    /// Today, YYYY-MM-DD (default: the system date): later dates are refused.
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Subcommand)]
enum ImportCommand {
    /// Revert import batch BATCH exactly; refused if later changes depend on it.
    Undo {
        batch: i64,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// List the import batches, newest first.
    History(JsonFlag),
}

#[derive(Debug, Args)]
struct ExportArgs {
    /// The file to write: .xlsx or .csv.
    file: PathBuf,
    /// Only this branch: an id, a unique branch name, or college/branch.
    #[arg(long)]
    branch: Option<String>,
    /// Only members in this stage (as in `member list`).
    #[arg(long, value_parser = parse_stage)]
    stage: Option<Stage>,
    /// national: the 16 national fields in the national order; full: every field and the stage.
    #[arg(long, default_value = "national", value_parser = parse_export_format)]
    format: ExportFormat,
    /// For .csv: utf8-bom (for Excel) or gbk (written as GB18030, so rare characters survive).
    #[arg(long, default_value = "utf8-bom", value_parser = parse_encoding)]
    encoding: TextEncoding,
    /// The date printed in the title row (default: today).
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    #[command(flatten)]
    output: JsonFlag,
}

fn parse_export_format(text: &str) -> Result<ExportFormat, String> {
    ExportFormat::from_code(text)
        .ok_or_else(|| format!("unknown format {text:?}; national or full"))
}

fn parse_encoding(text: &str) -> Result<TextEncoding, String> {
    TextEncoding::from_code(text)
        .ok_or_else(|| format!("unknown encoding {text:?}; utf8-bom or gbk"))
}

#[derive(Debug, Args)]
struct PlanArgs {
    member: Option<i64>,
    /// With no MEMBER: only this branch (an id, a unique name, or college/branch).
    #[arg(long)]
    branch: Option<String>,
    /// The day to plan from, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Args)]
struct CheckArgs {
    /// Only this member.
    #[arg(long)]
    member: Option<i64>,
    /// Only this branch: an id, a unique branch name, or college/branch.
    #[arg(long)]
    branch: Option<String>,
    /// The day to check on, YYYY-MM-DD (default: today): what is due by then and missing is overdue.
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Subcommand)]
enum StepCommand {
    /// Record step STEP (1-25) for member MEMBER; refused if it breaks a blocking rule.
    Add(StepAddArgs),
    /// Correct a recorded step (EVENT is its id in `step list`): the corrected step is recorded
    /// as a new event that supersedes the old one, which is kept.
    Correct(StepCorrectArgs),
    /// A member's timeline, in date order.
    List {
        member: i64,
        #[command(flatten)]
        output: JsonFlag,
    },
}

#[derive(Debug, Args)]
struct StepAddArgs {
    member: i64,
    step: u8,
    /// The day the step happened, YYYY-MM-DD.
    #[arg(long)]
    date: NaiveDate,
    /// The people involved, as ROLE:NAME or ROLE:NAME:MEMBER_ID, comma-separated; roles are
    /// talker, contact, introducer, approver, other.
    #[arg(long, value_delimiter = ',', value_parser = parse_person)]
    people: Vec<EventPerson>,
    #[arg(long)]
    note: Option<String>,
    /// A file to attach as evidence (a scan, a document); may be given several times.
    #[arg(long, value_name = "FILE")]
    evidence: Vec<PathBuf>,
    /// Which archive material the evidence is (default: the first material of the step); see
    /// `dangan materials MEMBER`.
    #[arg(long, value_name = "ID", requires = "evidence")]
    material: Option<String>,
    /// Today, YYYY-MM-DD (default: the system date): steps after it are refused.
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Subcommand)]
enum StatusCommand {
    /// Record KIND for MEMBER: transferred_out, transferred_in, disqualified, withdrawn or deceased.
    Add {
        member: i64,
        #[arg(value_parser = parse_event_kind)]
        kind: EventKind,
        #[arg(long)]
        date: NaiveDate,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        output: JsonFlag,
    },
}

#[derive(Debug, Subcommand)]
enum ProbationCommand {
    /// Extend MEMBER's probation by MONTHS (the national rule: 6 to 12, once); refused if it
    /// breaks a blocking rule. The earliest conversion meeting moves back by as much.
    Extend {
        member: i64,
        #[arg(long)]
        months: u8,
        /// The day the branch meeting decided it, YYYY-MM-DD.
        #[arg(long)]
        date: NaiveDate,
        #[arg(long)]
        note: Option<String>,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        output: JsonFlag,
    },
}

#[derive(Debug, Args)]
struct StepCorrectArgs {
    event: i64,
    /// The corrected date, YYYY-MM-DD.
    #[arg(long)]
    date: NaiveDate,
    /// The people involved, as in `step add` (the correction replaces them all).
    #[arg(long, value_delimiter = ',', value_parser = parse_person)]
    people: Vec<EventPerson>,
    /// Why the record is corrected.
    #[arg(long)]
    note: Option<String>,
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Subcommand)]
enum RulesCommand {
    /// List the rule sets and their rules with sources.
    List(JsonFlag),
    /// Load a local rule set (TOML) that tightens the national rules.
    Load {
        file: PathBuf,
        #[command(flatten)]
        output: JsonFlag,
    },
}

#[derive(Debug, Args)]
struct JsonFlag {
    /// Print one JSON document instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Args)]
struct DemoArgs {
    /// How many members (students and teachers) to generate.
    #[arg(long, default_value_t = 2000)]
    members: usize,
    /// The random seed: the same seed, size and date give the same archive.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// The day the demo treats as today, YYYY-MM-DD (default: today).
    #[arg(long, value_name = "DATE")]
    as_of: Option<NaiveDate>,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Subcommand)]
enum MemberCommand {
    /// List members, optionally filtered; ID numbers are masked.
    List(MemberListArgs),
    /// Show one member with their development timeline.
    Show {
        id: i64,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// Print a member's full ID number (recorded in the audit trail as id_reveal).
    RevealId {
        id: i64,
        #[command(flatten)]
        output: JsonFlag,
    },
}

#[derive(Debug, Args)]
struct MemberListArgs {
    /// A branch id, a unique branch name, or college/branch.
    #[arg(long)]
    branch: Option<String>,
    /// applicant, activist, development_target, probationary_member, full_member, transferred_out,
    /// disqualified, withdrawn or deceased.
    #[arg(long, value_parser = parse_stage)]
    stage: Option<Stage>,
    /// Part of a name, the start of a student number, or the last digits of an ID number.
    #[arg(long)]
    search: Option<String>,
    #[command(flatten)]
    output: JsonFlag,
}

#[derive(Debug, Subcommand)]
enum BranchCommand {
    /// List every branch with its id and college.
    List(JsonFlag),
}

fn parse_person(text: &str) -> Result<EventPerson, String> {
    let mut parts = text.splitn(3, ':');
    let role = parts.next().unwrap_or_default();
    let role = PersonRole::from_code(role.trim()).ok_or_else(|| {
        format!(
            "unknown role {role:?} in {text:?}; one of talker, contact, introducer, approver, other"
        )
    })?;
    let name = parts.next().map(str::trim).filter(|n| !n.is_empty());
    let name = name.ok_or_else(|| format!("{text:?} has no name: write ROLE:NAME"))?;
    let member_id = match parts.next() {
        Some(id) => Some(
            id.trim()
                .parse::<i64>()
                .map_err(|_| format!("{id:?} is not a member id"))?,
        ),
        None => None,
    };
    Ok(EventPerson {
        role,
        name: name.to_string(),
        member_id,
    })
}

fn parse_event_kind(text: &str) -> Result<EventKind, String> {
    EventKind::from_code(text).ok_or_else(|| {
        format!("unknown status {text:?}; one of transferred_out, transferred_in, disqualified, withdrawn, deceased")
    })
}

fn parse_quarter(text: &str) -> Result<Quarter, String> {
    text.parse()
        .map_err(|err: reports::BadQuarter| err.to_string())
}

fn parse_stage(text: &str) -> Result<Stage, String> {
    Stage::from_code(text).ok_or_else(|| {
        let codes: Vec<_> = Stage::ALL.iter().map(|s| s.as_code()).collect();
        format!("unknown stage {text:?}; one of: {}", codes.join(", "))
    })
}

/// `dangan demo --json`: the summary and the demo accounts.
#[derive(Serialize)]
struct DemoOutput<'a> {
    #[serde(flatten)]
    summary: &'a demo::DemoSummary,
    accounts: &'a [dangan::auth::DemoAccount],
}

/// A failed command: what to print and which exit code to use.
struct Failure {
    code: &'static str,
    message: String,
}

impl<E: ErrorCode> From<E> for Failure {
    fn from(err: E) -> Failure {
        if dangan::error::is_busy(&err) {
            return Failure {
                code: dangan::error::BUSY_CODE,
                message: format!("{}（{err}）", dangan::error::BUSY_MESSAGE),
            };
        }
        Failure {
            code: err.code(),
            message: err.to_string(),
        }
    }
}

impl Failure {
    /// 1: anything else; 2: bad arguments (clap); 3: the archive is newer than this program;
    /// 4: what was asked for does not exist; 5: a step was refused by a blocking rule; 6: the
    /// audit trail does not verify; 7: the user may not do this (role or scope, `forbidden`); 8:
    /// not logged in (no user, wrong password, locked or disabled account); 9: an encrypted
    /// archive needs its passphrase (none, or a wrong one); 130: a batch was cancelled with Ctrl-C.
    fn exit_code(&self) -> u8 {
        match self.code {
            "schema_too_new" => 3,
            "step_blocked" => 5,
            "event_not_found" => 4,
            "archive_missing" | "member_not_found" | "branch_not_found" | "letter_not_found" => 4,
            "id_number_missing" => 4,
            "branch_ambiguous" | "invalid_argument" | "import_invalid" => 2,
            "report_not_found" | "meeting_not_found" => 4,
            // The roster given cannot be imported as it is: bad input, like a bad argument.
            "invalid_rows"
            | "missing_columns"
            | "empty_file"
            | "unsupported_file"
            | "bad_workbook"
            | "bad_csv"
            | "no_rows"
            | "duplicate_column"
            | "unknown_mapped_column" => 2,
            "sheet_not_found" | "batch_not_found" => 4,
            // A backup that cannot be restored (corrupt, foreign): bad input.
            "restore_refused" => 2,
            "file_not_found" => 4,
            // A file the user gave that cannot be read as what it should be: bad input.
            "file_unreadable" | "file_too_large" | "rule_set_parse" => 2,
            // The audit trail was tampered with: not a failure to run, a finding scripts act on.
            "audit_broken" => 6,
            // Refused by the role or scope: scripts tell "not allowed" from "failed".
            "forbidden" => 7,
            // Nobody is logged in (or the login failed): "who are you", not "not allowed".
            "bad_credentials" | "account_locked" | "account_disabled" | "login_required" => 8,
            "user_not_found" | "unit_not_found" => 4,
            // An account change the account rules refuse (your own account, the last admin):
            // the request itself is wrong, like a bad argument.
            "cannot_disable_self" | "cannot_change_own_role" | "last_admin" => 2,
            // An encrypted archive and no (or a wrong) passphrase: scripts can ask again.
            "passphrase_required" | "passphrase_wrong" => 9,
            "already_encrypted" | "not_encrypted" => 2,
            // Interrupted by Ctrl-C: what shells report for a SIGINT (128 + 2), so scripts
            // can tell an interruption from a failure.
            "cancelled" => 130,
            _ => 1,
        }
    }
}

/// A UTF-8 text file the user named (a rule set, a meeting, grades): missing is exit 4, anything
/// else that stops it being read as text (a directory, invalid UTF-8) is bad input, exit 2.
fn read_text_file(file: &std::path::Path) -> Result<String, Failure> {
    std::fs::read_to_string(file).map_err(|err| Failure {
        code: if err.kind() == std::io::ErrorKind::NotFound {
            "file_not_found"
        } else {
            "file_unreadable"
        },
        message: format!("{}: {err}", file.display()),
    })
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            eprintln!("error: {}", failure.message);
            ExitCode::from(failure.exit_code())
        }
    }
}

fn run(cli: Cli) -> Result<(), Failure> {
    let dir = Archive::resolve_dir(cli.archive)?;
    let user = cli.user.as_deref();
    // The order: the archive's passphrase (asked once, kept for this run), then the user's
    // login, then the command.
    if let Command::Init(InitArgs { encrypt: true, .. }) = &cli.command {
        if dir.join("archive.db").is_file() && !Archive::is_encrypted_at(&dir)? {
            return Err(Failure {
                code: "invalid_argument",
                message: format!(
                    "{} already holds a plain archive: encrypt it with `dangan encrypt`",
                    dir.display()
                ),
            });
        }
        if !Archive::is_encrypted_at(&dir)? {
            let secret = match Secret::from_env() {
                Some(secret) => secret,
                None => new_passphrase("archive")?,
            };
            session::set_passphrase(secret);
        }
    }
    let actor = match &cli.command {
        Command::Init(_) => session::init_actor(&dir, user)?,
        Command::Demo(_) => session::demo_actor(&dir, user)?,
        _ => session::login(&dir, user)?,
    };
    match cli.command {
        Command::Init(InitArgs { encrypt, out }) => {
            // Created (encrypted with `--encrypt`: the passphrase was set before the login).
            let archive = session::open(&dir)?;
            debug_assert!(!encrypt || archive.is_encrypted());
            let info = archive.info(&actor)?;
            print(out.json, &info, || {
                format!(
                    "archive ready at {} (schema v{})",
                    info.path, info.schema_version
                )
            })
        }
        Command::Demo(args) => {
            let mut archive = session::open(&dir)?;
            let options = DemoOptions {
                members: args.members,
                seed: args.seed,
                as_of: args
                    .as_of
                    .unwrap_or_else(|| chrono::Local::now().date_naive()),
            };
            let started = Instant::now();
            let summary = demo::generate(&mut archive, &actor, &options)?;
            let seconds = started.elapsed().as_secs_f64();
            dangan::auth::create_demo_accounts(&mut archive, &actor)?;
            let accounts = dangan::auth::demo_accounts(&archive)?;
            let output = DemoOutput {
                summary: &summary,
                accounts: &accounts,
            };
            print(args.output.json, &output, || {
                let stages: Vec<String> = Stage::ALL
                    .iter()
                    .map(|s| {
                        format!(
                            "{} {}",
                            s.zh(),
                            summary.stages.get(s.as_code()).unwrap_or(&0)
                        )
                    })
                    .collect();
                let logins: Vec<String> = accounts
                    .iter()
                    .map(|a| {
                        format!(
                            "  {:<10} 密码 {:<16} {}（{}）",
                            a.username,
                            a.password,
                            a.role.zh(),
                            a.scope
                        )
                    })
                    .collect();
                format!(
                    "generated {} members ({}) in {} colleges, {} branches, with {} events in {seconds:.1} s\narchive: {}\ndemo accounts (log in with --user NAME and DANGAN_PASSWORD):\n{}",
                    summary.members,
                    stages.join(", "),
                    summary.colleges,
                    summary.branches,
                    summary.events,
                    archive.root().display(),
                    logins.join("\n")
                )
            })
        }
        Command::Info(out) => {
            let archive = open_existing(&dir)?;
            let info = archive.info(&actor)?;
            print(out.json, &info, || {
                let visible = if info.visible_members == info.members {
                    String::new()
                } else {
                    format!(" ({} in your scope)", info.visible_members)
                };
                format!(
                    "archive: {}\nschema: v{} (program {})\nmembers: {}{visible}",
                    info.path, info.schema_version, info.program_version, info.members
                )
            })
        }
        Command::Member(MemberCommand::List(args)) => {
            let archive = open_existing(&dir)?;
            let branch_id = branch_id(&archive, &actor, args.branch.as_deref())?;
            let query = MemberQuery {
                text: args.search,
                branch_id,
                stage: args.stage,
                ..MemberQuery::default()
            };
            let members = people::list_all(&archive, &actor, &query)?;
            print(args.output.json, &members, || {
                let mut text = String::new();
                for m in &members {
                    text.push_str(&format!(
                        "{}\t{}\t{}\t{}\t{}\t{}\n",
                        m.id,
                        m.name,
                        m.student_no.as_deref().unwrap_or("-"),
                        m.branch.as_deref().unwrap_or("-"),
                        m.stage.zh(),
                        m.id_number_masked.as_deref().unwrap_or("-"),
                    ));
                }
                text.push_str(&format!("{} members", members.len()));
                text
            })
        }
        Command::Member(MemberCommand::RevealId { id, output }) => {
            let archive = open_existing(&dir)?;
            let number = people::reveal_id_number(&archive, &actor, id)?;
            let value = serde_json::json!({ "member_id": id, "id_number": number });
            print(output.json, &value, || number.clone())
        }
        Command::Member(MemberCommand::Show { id, output }) => {
            let archive = open_existing(&dir)?;
            let member = people::show(&archive, &actor, id)?;
            print(output.json, &member, || {
                let mut text = format!(
                    "{} ({})  {}  {}\n学号 {}  身份证号 {}\n",
                    member.name,
                    member.stage.zh(),
                    member.college.as_deref().unwrap_or("-"),
                    member.branch.as_deref().unwrap_or("-"),
                    member.student_no.as_deref().unwrap_or("-"),
                    member.id_number_masked.as_deref().unwrap_or("-"),
                );
                for event in &member.events {
                    let step = event.step.map(|s| format!("第{s}步 ")).unwrap_or_default();
                    let people: Vec<&str> = event.people.iter().map(|p| p.name.as_str()).collect();
                    text.push_str(&format!(
                        "{}  {step}{}  {}\n",
                        event.date,
                        event.title_zh,
                        people.join("、")
                    ));
                }
                text.trim_end().to_string()
            })
        }
        Command::Step(StepCommand::Add(args)) => {
            let mut archive = open_existing(&dir)?;
            let request = StepRequest {
                member_id: args.member,
                step: args.step,
                date: args.date,
                people: args.people,
                note: args.note,
            };
            let as_of = args.as_of.unwrap_or_else(today);
            let evidence: Vec<Evidence> = args
                .evidence
                .into_iter()
                .map(|path| Evidence {
                    path,
                    material: args.material.clone(),
                })
                .collect();
            let outcome = lifecycle::add_step_with_evidence(
                &mut archive,
                &actor,
                &request,
                &evidence,
                as_of,
            )?;
            print(args.output.json, &outcome, || {
                let header = format!(
                    "recorded step {} as event {}",
                    request.step, outcome.event_id
                );
                with_warnings(header, &outcome.findings)
            })
        }
        Command::Step(StepCommand::Correct(args)) => {
            let mut archive = open_existing(&dir)?;
            let correction = StepCorrection {
                date: args.date,
                people: args.people,
                note: args.note,
            };
            let as_of = args.as_of.unwrap_or_else(today);
            let outcome =
                lifecycle::correct_step(&mut archive, &actor, args.event, &correction, as_of)?;
            print(args.output.json, &outcome, || {
                let header = format!(
                    "event {} corrected by event {}",
                    args.event, outcome.event_id
                );
                with_warnings(header, &outcome.findings)
            })
        }
        Command::Status(StatusCommand::Add {
            member,
            kind,
            date,
            note,
            as_of,
            output,
        }) => {
            let mut archive = open_existing(&dir)?;
            let as_of = as_of.unwrap_or_else(today);
            let event_id =
                lifecycle::record_status(&mut archive, &actor, member, kind, date, note, as_of)?;
            let stage = people::show(&archive, &actor, member)?.stage;
            let result = serde_json::json!({ "event_id": event_id, "stage": stage });
            print(output.json, &result, || {
                format!(
                    "recorded {} as event {event_id}; stage now {}",
                    kind.as_code(),
                    stage.zh()
                )
            })
        }
        Command::Probation(ProbationCommand::Extend {
            member,
            months,
            date,
            note,
            as_of,
            output,
        }) => {
            let mut archive = open_existing(&dir)?;
            let request = ExtensionRequest {
                member_id: member,
                date,
                months,
                note,
            };
            let as_of = as_of.unwrap_or_else(today);
            let outcome = lifecycle::extend_probation(&mut archive, &actor, &request, as_of)?;
            print(output.json, &outcome, || {
                let header = format!(
                    "extended the probation by {months} months as event {}",
                    outcome.event_id
                );
                with_warnings(header, &outcome.findings)
            })
        }
        Command::Step(StepCommand::List { member, output }) => {
            let archive = open_existing(&dir)?;
            let events = people::show(&archive, &actor, member)?.events;
            print(output.json, &events, || {
                events
                    .iter()
                    .map(|e| {
                        let step = e.step.map(|s| format!("第{s}步 ")).unwrap_or_default();
                        format!("{}\t{}  {step}{}", e.id, e.date, e.title_zh)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Plan(args) => {
            let archive = open_existing(&dir)?;
            let as_of = args.as_of.unwrap_or_else(today);
            let describe = |plan: &lifecycle::Plan| {
                let mut text = format!("{} {}", plan.member_id, plan.name);
                for step in &plan.steps {
                    let latest = step
                        .latest
                        .map(|d| format!("，最迟{d}"))
                        .unwrap_or_default();
                    text.push_str(&format!(
                        "\n  第{}步 {}  最早{}{latest}",
                        step.step, step.title_zh, step.earliest
                    ));
                }
                for conflict in &plan.conflicts {
                    text.push_str(&format!(
                        "\n  ！{}（{}）",
                        conflict.message, conflict.source
                    ));
                }
                text
            };
            match args.member {
                Some(id) => {
                    let plan = lifecycle::plan(&archive, &actor, id, as_of)?;
                    print(args.output.json, &plan, || describe(&plan))
                }
                None => {
                    let branch_id = branch_id(&archive, &actor, args.branch.as_deref())?;
                    let plans = lifecycle::plan_conflicts(&archive, &actor, branch_id, as_of)?;
                    print(args.output.json, &plans, || {
                        let mut text: Vec<String> = plans.iter().map(describe).collect();
                        text.push(format!(
                            "{} members cannot finish a step before they leave",
                            plans.len()
                        ));
                        text.join("\n")
                    })
                }
            }
        }
        Command::Report(command) => report_command(&dir, &actor, command),
        Command::Reminders {
            month,
            branch,
            as_of,
            output,
        } => {
            let archive = open_existing(&dir)?;
            let as_of = as_of.unwrap_or_else(today);
            let (from, until) = match month {
                Some(month) => reminders::month_bounds(&month)?,
                None => reminders::month_bounds(&as_of.format("%Y-%m").to_string())?,
            };
            let branch = branch_id(&archive, &actor, branch.as_deref())?;
            let list = reminders::reminders(&archive, &actor, branch, from, until, as_of)?;
            print(output.json, &list, || {
                list.iter()
                    .map(|r| {
                        let who = r
                            .name
                            .clone()
                            .or_else(|| r.branch.clone())
                            .unwrap_or_default();
                        let flag = if r.overdue { "逾期 " } else { "" };
                        format!("{}  {flag}{who}：{}", r.date, r.message)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Stats { as_of, output } => {
            let archive = open_existing(&dir)?;
            let figures = stats::stats(&archive, &actor, as_of.unwrap_or_else(today))?;
            print(output.json, &figures, || {
                let mut lines = vec![format!("{} members", figures.members)];
                for (stage, count) in &figures.stages {
                    lines.push(format!("  {stage}: {count}"));
                }
                for year in &figures.development {
                    lines.push(format!(
                        "{}: 申请 {} 积极分子 {} 发展对象 {} 接收 {} 转正 {}",
                        year.year,
                        year.applications,
                        year.activists,
                        year.development_targets,
                        year.admitted,
                        year.converted
                    ));
                }
                lines.join("\n")
            })
        }
        Command::Meeting(command) => meeting_command(&dir, &actor, command),
        Command::Appraisal(command) => appraisal_command(&dir, &actor, command),
        Command::Search {
            query,
            limit,
            output,
        } => {
            let archive = open_existing(&dir)?;
            let results = search::search(&archive, &actor, &query, limit)?;
            print(output.json, &results, || {
                let mut lines = vec![format!("{} found", results.total)];
                for hit in &results.hits {
                    let kind = match hit.kind {
                        search::HitKind::Member => "党员",
                        search::HitKind::ThoughtReport => "思想汇报",
                        search::HitKind::Meeting => "会议记录",
                    };
                    lines.push(format!(
                        "[{kind} {}] {}\n    {}",
                        hit.id, hit.title, hit.snippet
                    ));
                }
                lines.join("\n")
            })
        }
        Command::Import(args) => run_import(&dir, &actor, args),
        Command::Export(args) => {
            let archive = open_existing(&dir)?;
            let options = ExportOptions {
                branch_id: branch_id(&archive, &actor, args.branch.as_deref())?,
                stage: args.stage,
                format: args.format,
                encoding: args.encoding,
                as_of: args.as_of.unwrap_or_else(today),
            };
            let started = Instant::now();
            let summary = roster::export(&archive, &actor, &args.file, &options)?;
            let seconds = started.elapsed().as_secs_f64();
            print(args.output.json, &summary, || {
                format!(
                    "exported {} members to {} in {seconds:.2} s",
                    summary.members, summary.file
                )
            })
        }
        Command::Template { file, output } => {
            let archive = open_existing(&dir)?;
            let columns = roster::write_template(&archive, &actor, &file)?;
            let result =
                serde_json::json!({ "file": file.display().to_string(), "columns": columns });
            print(output.json, &result, || {
                format!(
                    "wrote the import template ({columns} columns) to {}",
                    file.display()
                )
            })
        }
        Command::Materials { member, output } => {
            let archive = open_existing(&dir)?;
            let statuses = lifecycle::materials(&archive, &actor, member)?;
            print(output.json, &statuses, || {
                statuses
                    .iter()
                    .map(|s| {
                        let state = if s.missing {
                            "缺"
                        } else if !s.files.is_empty() {
                            "有"
                        } else if s.due {
                            "—"
                        } else {
                            " "
                        };
                        let required = if s.material.required { "*" } else { " " };
                        let files: Vec<&str> =
                            s.files.iter().map(|f| f.file_name.as_str()).collect();
                        format!(
                            "[{state}]{required} 第{}步 {}  {}",
                            s.material.step,
                            s.material.title,
                            files.join("、")
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        Command::Check(args) => {
            let archive = open_existing(&dir)?;
            let branch_id = branch_id(&archive, &actor, args.branch.as_deref())?;
            let request = CheckRequest {
                member_id: args.member,
                branch_id,
                as_of: args.as_of.unwrap_or_else(today),
            };
            let findings = lifecycle::check(&archive, &actor, &request)?;
            print(args.output.json, &findings, || {
                let mut text = String::new();
                for f in &findings {
                    let severity = match f.severity {
                        Severity::Block => "错误",
                        Severity::Warn => "提醒",
                    };
                    text.push_str(&format!(
                        "{}\t{}\t{severity}\t{}\t{}（{}）\n",
                        f.member_id, f.name, f.message, f.rule_title, f.source
                    ));
                }
                text.push_str(&format!("{} findings", findings.len()));
                text
            })
        }
        Command::Rules(RulesCommand::List(out)) => {
            let archive = open_existing(&dir)?;
            let book = lifecycle::rule_book(&archive, &actor)?;
            let sets: Vec<_> = book.sets().collect();
            print(out.json, &sets, || {
                let mut text = String::new();
                for set in &sets {
                    text.push_str(&format!(
                        "{}  {}（{}起施行）\n",
                        set.id, set.title, set.effective_from
                    ));
                    for rule in &set.rules {
                        text.push_str(&format!("  {}\t{}\t{}\n", rule.id, rule.title, rule.source));
                    }
                }
                text.trim_end().to_string()
            })
        }
        Command::Rules(RulesCommand::Load { file, output }) => {
            let archive = open_existing(&dir)?;
            let text = read_text_file(&file)?;
            let name = file.display().to_string();
            let set = lifecycle::load_rule_set(&archive, &actor, &text, &name)?;
            print(output.json, &set, || {
                format!(
                    "loaded {} ({} rules) in force from {}",
                    set.id,
                    set.rules.len(),
                    set.effective_from
                )
            })
        }
        Command::Dossier(args) => run_dossier(&dir, &actor, args),
        Command::Letter(args) => run_letter(&dir, &actor, args),
        Command::Notice(args) => {
            let archive = open_existing(&dir)?;
            let fonts = FontSet::discover()?;
            let branch = org::find_branch(&archive, &actor, &args.branch)?;
            let kind = NoticeKind::from_code(&args.kind).ok_or(Failure {
                code: "invalid_argument",
                message: format!("--kind {}", args.kind),
            })?;
            let request = NoticeRequest {
                branch_id: branch.id,
                kind,
                from: args.from.unwrap_or_else(today),
                working_days: args.days,
            };
            let outcome = pdf::notice::generate(&archive, &actor, &fonts, &request, &args.out)?;
            print(args.output.json, &outcome, || {
                format!(
                    "{}  {} pages, {} bytes; 公示至 {}：{}",
                    outcome.pdf.file,
                    outcome.pdf.pages,
                    outcome.pdf.bytes,
                    outcome.until,
                    outcome.names.join("、")
                )
            })
        }
        Command::Backup(args) => backup_command(&dir, &actor, args),
        Command::User(command) => session::user_command(&dir, &actor, command),
        Command::Restore { file, output } => {
            let mut archive = open_existing(&dir)?;
            let summary = backup::restore(&mut archive, &actor, &file)?;
            print(output.json, &summary, || {
                format!(
                    "restored {} (schema v{}, {} members); the archive as it was is in {}",
                    summary.file,
                    summary.schema_version,
                    summary.counts.get("member").copied().unwrap_or(0),
                    summary.before_restore.file
                )
            })
        }
        Command::Audit(command) => audit_command(&dir, &actor, command),
        Command::Encrypt { keep_plain, output } => {
            let mut archive = open_existing(&dir)?;
            // Refused before asking for a passphrase the actor could not use.
            dangan::auth::require_admin(&archive, &actor)?;
            if archive.is_encrypted() {
                // Refused before asking for a new passphrase.
                return Err(cipher::CipherError::AlreadyEncrypted { path: dir }.into());
            }
            let secret = match Secret::from_env() {
                Some(secret) => secret,
                None => new_passphrase("archive")?,
            };
            let summary = cipher::encrypt(&mut archive, &actor, &secret, keep_plain.as_deref())?;
            print(output.json, &summary, || {
                let kept = match &summary.plain_kept {
                    Some(file) => format!("a plain copy was kept in {file} (keep it safe)"),
                    None => "the plain database was removed".to_string(),
                };
                let moved = match &summary.exports_moved_to {
                    Some(dir) => format!("; the plain exports moved out of the folder to {dir}"),
                    None => String::new(),
                };
                format!(
                    "encrypted {} ({} members, {} attachments, {} backups) in {} ms; {kept}{moved}",
                    summary.path,
                    summary.counts.get("member").copied().unwrap_or(0),
                    summary.attachments,
                    summary.backups,
                    summary.millis
                )
            })
        }
        Command::Passphrase(PassphraseCommand::Change(output)) => {
            let mut archive = open_existing(&dir)?;
            dangan::auth::require_admin(&archive, &actor)?;
            if !archive.is_encrypted() {
                return Err(cipher::CipherError::NotEncrypted { path: dir }.into());
            }
            let new = match std::env::var(NEW_PASSPHRASE_ENV).ok().and_then(Secret::new) {
                Some(secret) => secret,
                None => new_passphrase("new")?,
            };
            let summary = cipher::change_passphrase(&mut archive, &actor, &new)?;
            print(output.json, &summary, || {
                let mut text = format!(
                    "passphrase changed for {} ({} backups rekeyed) in {} ms",
                    summary.path, summary.backups, summary.millis
                );
                for file in &summary.backups_skipped {
                    text.push_str(&format!(
                        "\nleft as it was (does not open with the old passphrase): {file}"
                    ));
                }
                text
            })
        }
        Command::Branch(BranchCommand::List(out)) => {
            let archive = open_existing(&dir)?;
            let branches = org::list_branches(&archive, &actor)?;
            print(out.json, &branches, || {
                branches
                    .iter()
                    .map(|b| format!("{}\t{}/{}", b.id, b.college, b.name))
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}

fn describe_pdf(file: &PdfFile) -> String {
    format!("{}  {} pages, {} bytes", file.file, file.pages, file.bytes)
}

fn run_dossier(dir: &std::path::Path, actor: &Actor, args: DossierArgs) -> Result<(), Failure> {
    let archive = open_existing(dir)?;
    let fonts = FontSet::discover()?;
    let as_of = args.as_of.unwrap_or_else(today);
    if let Some(member) = args.member {
        let out = args.out.ok_or(Failure {
            code: "invalid_argument",
            message: "--out FILE is required for one member".to_string(),
        })?;
        let file = pdf::dossier::generate(&archive, actor, &fonts, member, as_of, &out)?;
        return print(args.output.json, &file, || describe_pdf(&file));
    }
    let out_dir = args.out_dir.ok_or(Failure {
        code: "invalid_argument",
        message: "--out-dir DIR is required with --branch, --class or --members".to_string(),
    })?;
    let scope = match (args.branch, args.class, args.members) {
        (Some(branch), _, _) => BatchScope::Branch(org::find_branch(&archive, actor, &branch)?.id),
        (None, Some(class), _) => BatchScope::Class(class),
        (None, None, Some(ids)) => BatchScope::Members(ids),
        (None, None, None) => {
            return Err(Failure {
                code: "invalid_argument",
                message: "give MEMBER, --branch, --class or --members".to_string(),
            });
        }
    };
    // Ctrl-C stops the batch after the dossiers in progress; every file written is complete.
    let cancel = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let flag = std::sync::Arc::clone(&cancel);
    ctrlc::set_handler(move || flag.store(true, std::sync::atomic::Ordering::Relaxed)).map_err(
        |err| Failure {
            code: "internal",
            message: format!("cannot handle Ctrl-C: {err}"),
        },
    )?;
    let started = Instant::now();
    let finished = std::sync::atomic::AtomicUsize::new(0);
    let progress = |p: &BatchProgress| {
        finished.fetch_max(p.done, std::sync::atomic::Ordering::Relaxed);
        eprint!("\r{}/{} {}        ", p.done, p.total, p.name);
    };
    let outcome = pdf::batch::generate(
        &archive,
        actor,
        &fonts,
        &scope,
        as_of,
        &out_dir,
        args.threads,
        &progress,
        &cancel,
    );
    eprintln!();
    let outcome = match outcome {
        Err(pdf::PdfError::Cancelled) => {
            return Err(Failure {
                code: "cancelled",
                message: format!(
                    "已取消（Ctrl-C）：{} 份完整的档案留在 {}，没有写了一半的文件",
                    finished.load(std::sync::atomic::Ordering::Relaxed),
                    out_dir.display()
                ),
            });
        }
        other => other?,
    };
    let seconds = started.elapsed().as_secs_f64();
    print(args.output.json, &outcome, || {
        let bytes: u64 = outcome.dossiers.iter().map(|d| d.pdf.bytes).sum();
        format!(
            "{} dossiers in {} ({} bytes) on {} threads in {seconds:.1} s\nindex: {}",
            outcome.dossiers.len(),
            outcome.dir,
            bytes,
            outcome.threads,
            outcome.index.file
        )
    })
}

fn run_letter(dir: &std::path::Path, actor: &Actor, args: LetterArgs) -> Result<(), Failure> {
    let describe_letter = |l: &LetterRecord| {
        let receipt = l.receipt_on.map_or_else(
            || format!("回执未回（应于 {} 前）", l.receipt_due),
            |d| format!("回执 {d}"),
        );
        format!(
            "{}  {}  {} → {}  开具 {}  {receipt}",
            l.serial_text(),
            l.name,
            l.from_org,
            l.to_org,
            l.issued_on
        )
    };
    match args.command {
        Some(LetterCommand::Receipt {
            serial,
            date,
            output,
        }) => {
            let mut archive = open_existing(dir)?;
            let letter = pdf::letter::record_receipt(&mut archive, actor, serial, date)?;
            print(output.json, &letter, || describe_letter(&letter))
        }
        Some(LetterCommand::Overdue { as_of, output }) => {
            let archive = open_existing(dir)?;
            let letters =
                pdf::letter::overdue_receipts(&archive, actor, as_of.unwrap_or_else(today))?;
            print(output.json, &letters, || {
                let mut lines: Vec<String> = letters.iter().map(describe_letter).collect();
                lines.push(format!("{} receipts overdue", letters.len()));
                lines.join("\n")
            })
        }
        None => {
            let missing = |what: &str| Failure {
                code: "invalid_argument",
                message: format!("{what} is required"),
            };
            let member = args.member.ok_or_else(|| missing("MEMBER"))?;
            let to = args.to.ok_or_else(|| missing("--to"))?;
            let out = args.out.ok_or_else(|| missing("--out"))?;
            let issued_on = args.date.unwrap_or_else(today);
            let (dues_year, dues_month) = match args.dues.as_deref() {
                Some(text) => parse_month(text).ok_or(Failure {
                    code: "invalid_argument",
                    message: format!("--dues {text}: expected YYYY-MM"),
                })?,
                None => (issued_on.year(), issued_on.month()),
            };
            let mut archive = open_existing(dir)?;
            let fonts = FontSet::discover()?;
            let request = LetterRequest {
                member_id: member,
                to_org: to,
                from_org: args.from,
                dues_year,
                dues_month,
                valid_days: args.valid_days,
                issued_on,
                prefix: args.prefix,
            };
            let issued = pdf::letter::issue(&mut archive, actor, &fonts, &request, &out)?;
            print(args.output.json, &issued, || {
                format!(
                    "{}\n{}",
                    describe_letter(&issued.letter),
                    describe_pdf(&issued.pdf)
                )
            })
        }
    }
}

/// `2026-06` → (2026, 6).
fn parse_month(text: &str) -> Option<(i32, u32)> {
    let (year, month) = text.trim().split_once('-')?;
    let year: i32 = year.parse().ok()?;
    let month: u32 = month.parse().ok()?;
    (1..=12).contains(&month).then_some((year, month))
}

fn parse_meeting_kind(text: &str) -> Result<meetings::MeetingKind, String> {
    meetings::MeetingKind::from_code(text).ok_or_else(|| {
        let codes: Vec<&str> = meetings::MeetingKind::ALL
            .iter()
            .map(|k| k.as_code())
            .collect();
        format!("unknown meeting kind {text:?}: one of {}", codes.join(", "))
    })
}

fn meeting_command(
    dir: &std::path::Path,
    actor: &Actor,
    command: MeetingCommand,
) -> Result<(), Failure> {
    match command {
        MeetingCommand::Add {
            file,
            dry_run,
            attach,
            as_of,
            output,
        } => {
            let text = read_text_file(&file)?;
            let request: MeetingRequest = serde_json::from_str(&text).map_err(|err| Failure {
                code: "invalid_argument",
                message: format!("{}: {err}", file.display()),
            })?;
            let mut archive = open_existing(dir)?;
            let as_of = as_of.unwrap_or_else(today);
            if dry_run {
                let preview = meetings::preview(&archive, actor, &request, as_of)?;
                return print(output.json, &preview, || describe_meeting(&preview));
            }
            let attachments: Vec<meetings::AttachmentSource> = attach
                .into_iter()
                .map(meetings::AttachmentSource::Path)
                .collect();
            let outcome = meetings::record_with_attachments(
                &mut archive,
                actor,
                &request,
                &attachments,
                as_of,
            )?;
            print(output.json, &outcome, || {
                let files: Vec<&str> = outcome
                    .attachments
                    .iter()
                    .map(|f| f.file_name.as_str())
                    .collect();
                format!(
                    "recorded meeting {}\n{}{}",
                    outcome.meeting_id,
                    describe_meeting(&outcome.preview),
                    if files.is_empty() {
                        String::new()
                    } else {
                        format!("\n附件：{}", files.join("、"))
                    }
                )
            })
        }
        MeetingCommand::Attach {
            meeting,
            file,
            output,
        } => {
            let mut archive = open_existing(dir)?;
            let stored = meetings::attach(&mut archive, actor, meeting, &file)?;
            print(output.json, &stored, || {
                format!(
                    "attached {} to meeting {meeting} ({} bytes, sha256 {})",
                    stored.file_name, stored.size, stored.sha256
                )
            })
        }
        MeetingCommand::Show { id, output } => {
            let archive = open_existing(dir)?;
            let meeting = meetings::show(&archive, actor, id)?;
            print(output.json, &meeting, || {
                let present: Vec<&str> = meeting
                    .attendance
                    .iter()
                    .filter(|a| a.status == meetings::AttendanceStatus::Present)
                    .map(|a| a.name.as_str())
                    .collect();
                let files: Vec<&str> = meeting
                    .attachments
                    .iter()
                    .map(|f| f.file_name.as_str())
                    .collect();
                format!(
                    "{} {} {}\n{}\n到会：{}\n决议 {} 项\n附件：{}",
                    meeting.date,
                    meeting.kind.zh(),
                    meeting.topic,
                    meeting.branch,
                    present.join("、"),
                    meeting.resolutions.len(),
                    if files.is_empty() {
                        "无".to_string()
                    } else {
                        files.join("、")
                    }
                )
            })
        }
        MeetingCommand::List {
            branch,
            from,
            to,
            kind,
            output,
        } => {
            let archive = open_existing(dir)?;
            let branch = branch_id(&archive, actor, branch.as_deref())?;
            let list = meetings::list(&archive, actor, branch, from, to, kind)?;
            print(output.json, &list, || {
                list.iter()
                    .map(|m| {
                        format!(
                            "{}\t{} {} {}  {}",
                            m.id,
                            m.date,
                            m.kind.zh(),
                            m.branch,
                            m.topic
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        MeetingCommand::Compliance {
            branch,
            year,
            as_of,
            output,
        } => {
            let archive = open_existing(dir)?;
            let branch = branch_id(&archive, actor, Some(&branch))?.unwrap_or_default();
            let result =
                meetings::compliance(&archive, actor, branch, year, as_of.unwrap_or_else(today))?;
            print(output.json, &result, || {
                let mut lines: Vec<String> = result
                    .periods
                    .iter()
                    .filter(|p| !p.met)
                    .map(|p| {
                        format!(
                            "{} {}：{}/{}{}",
                            p.kind.zh(),
                            p.period,
                            p.held,
                            p.required,
                            if p.open { "（进行中）" } else { "" }
                        )
                    })
                    .collect();
                lines.push(format!("{} period(s) missed", result.missed));
                lines.join("\n")
            })
        }
    }
}

/// The quorum and vote arithmetic of a meeting, as the minutes would state it.
fn describe_meeting(preview: &meetings::MeetingPreview) -> String {
    let mut lines = vec![format!(
        "有表决权的正式党员 {} 名，到会 {} 名，{}（需过半数 {} 名）",
        preview.entitled.len(),
        preview.present_entitled,
        if preview.quorate {
            "符合法定人数"
        } else {
            "不足法定人数"
        },
        preview.quorum
    )];
    for (n, r) in preview.resolutions.iter().enumerate() {
        lines.push(format!(
            "决议{}：赞成 {}，反对 {}，弃权 {}；需赞成 {} 票 → {}",
            n + 1,
            r.yes,
            r.no,
            r.abstain,
            r.needed,
            if r.passed { "通过" } else { "未通过" }
        ));
    }
    lines.join("\n")
}

fn report_command(
    dir: &std::path::Path,
    actor: &Actor,
    command: ReportCommand,
) -> Result<(), Failure> {
    match command {
        ReportCommand::Add {
            member,
            date,
            period,
            title,
            text,
            file,
            as_of,
            output,
        } => {
            let mut archive = open_existing(dir)?;
            let as_of = as_of.unwrap_or_else(today);
            let id = match (file, text) {
                (Some(file), _) => {
                    reports::add_file(&mut archive, actor, member, &file, date, period, as_of)?
                }
                (None, text) => {
                    let report = NewThoughtReport {
                        member_id: member,
                        date: date.unwrap_or(as_of),
                        period,
                        title,
                        body: text.unwrap_or_default(),
                    };
                    reports::add(&mut archive, actor, &report, as_of)?
                }
            };
            let report = reports::show(&archive, actor, id)?;
            print(output.json, &report.summary, || {
                format!(
                    "recorded report {id}: {} ({}, {})",
                    report.summary.title, report.summary.period, report.summary.date
                )
            })
        }
        ReportCommand::List { member, output } => {
            let archive = open_existing(dir)?;
            let list = reports::list(&archive, actor, member)?;
            print(output.json, &list, || {
                list.iter()
                    .map(|r| {
                        let review = r
                            .reviewer
                            .as_deref()
                            .map_or("未审阅".to_string(), |who| format!("{who}已审阅"));
                        format!("{}\t{}  {}  {}  {review}", r.id, r.period, r.date, r.title)
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
        ReportCommand::Show { id, output } => {
            let archive = open_existing(dir)?;
            let report = reports::show(&archive, actor, id)?;
            print(output.json, &report, || {
                format!(
                    "{}（{}，{}）\n\n{}",
                    report.summary.title,
                    report.summary.member_name,
                    report.summary.date,
                    report.body
                )
            })
        }
        ReportCommand::Review {
            id,
            reviewer,
            comment,
            date,
            output,
        } => {
            let mut archive = open_existing(dir)?;
            let review = ReportReview {
                reviewer,
                comment,
                date: date.unwrap_or_else(today),
            };
            reports::review(&mut archive, actor, id, &review)?;
            let report = reports::show(&archive, actor, id)?;
            print(output.json, &report.summary, || {
                format!("reviewed report {id}")
            })
        }
        ReportCommand::Import {
            folder,
            dry_run,
            as_of,
            output,
        } => {
            let mut archive = open_existing(dir)?;
            let as_of = as_of.unwrap_or_else(today);
            let preview = reports::preview_folder(&archive, actor, &folder, as_of)?;
            let result = if dry_run || preview.invalid > 0 {
                preview
            } else {
                reports::commit_folder(&mut archive, actor, &folder, as_of)?
            };
            print(output.json, &result, || {
                let mut lines: Vec<String> = result
                    .items
                    .iter()
                    .map(|item| match &item.message {
                        Some(message) => format!("✗ {message}"),
                        None => format!(
                            "✓ {}: {} {} {}",
                            item.file,
                            item.name.as_deref().unwrap_or(""),
                            item.period.map(|p| p.to_string()).unwrap_or_default(),
                            item.title.as_deref().unwrap_or("")
                        ),
                    })
                    .collect();
                lines.push(format!(
                    "{} file(s): {} valid, {} invalid; {}",
                    result.items.len(),
                    result.valid,
                    result.invalid,
                    if result.committed {
                        format!("{} report(s) imported", result.created.len())
                    } else {
                        "nothing imported".to_string()
                    }
                ));
                lines.join("\n")
            })?;
            if result.invalid > 0 {
                return Err(Failure {
                    code: "import_invalid",
                    message: format!(
                        "{} file(s) cannot be imported; nothing was imported",
                        result.invalid
                    ),
                });
            }
            Ok(())
        }
        ReportCommand::Missing {
            member,
            branch,
            as_of,
            output,
        } => {
            let archive = open_existing(dir)?;
            let request = CheckRequest {
                member_id: member,
                branch_id: branch_id(&archive, actor, branch.as_deref())?,
                as_of: as_of.unwrap_or_else(today),
            };
            let missing = lifecycle::missing_reports(&archive, actor, &request)?;
            print(output.json, &missing, || {
                missing
                    .iter()
                    .map(|m| {
                        let quarters: Vec<String> =
                            m.missing.iter().map(|q| q.to_string()).collect();
                        format!("{} {}\t{}", m.member_id, m.name, quarters.join(" "))
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}

fn run_import(dir: &std::path::Path, actor: &Actor, args: ImportArgs) -> Result<(), Failure> {
    match args.command {
        Some(ImportCommand::Undo { batch, output }) => {
            let mut archive = open_existing(dir)?;
            let summary = roster::undo(&mut archive, actor, batch)?;
            return print(output.json, &summary, || {
                format!(
                    "undid import batch {}: {} members removed, {} restored, {} steps removed",
                    summary.batch,
                    summary.removed_members,
                    summary.restored_members,
                    summary.removed_events
                )
            });
        }
        Some(ImportCommand::History(output)) => {
            let archive = open_existing(dir)?;
            let batches = roster::history(&archive, actor)?;
            return print(output.json, &batches, || {
                batches
                    .iter()
                    .map(|b| {
                        let undone = b
                            .undone_at
                            .as_deref()
                            .map(|at| format!("  已撤销 {at}"))
                            .unwrap_or_default();
                        format!(
                            "{}\t{}\t{}\t新增 {}，更新 {}，跳过 {}{undone}",
                            b.id, b.imported_at, b.file_name, b.created, b.updated, b.skipped
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        None => {}
    }
    let Some(file) = args.file else {
        return Err(Failure {
            code: "invalid_argument",
            message: "give the roster file: dangan import FILE (or import undo BATCH)".to_string(),
        });
    };
    let mut archive = open_existing(dir)?;
    let options = ImportOptions {
        sheet: args.sheet,
        dry_run: args.dry_run,
        skip_invalid: args.skip_invalid,
        as_of: args.as_of.unwrap_or_else(today),
        create_branches: args.create_branches,
        columns: args
            .map
            .iter()
            .map(|m| roster::ColumnOverride::parse(m))
            .collect::<Result<_, _>>()?,
    };
    // A progress line on a terminal; nothing when stderr is redirected or JSON is asked for.
    let show_progress = !args.output.json && std::io::stderr().is_terminal();
    let progress = |p: roster::ImportProgress| {
        if show_progress {
            let phase = match p.phase {
                roster::ImportPhase::Reading => "读取",
                roster::ImportPhase::Checking => "检查",
                roster::ImportPhase::Writing => "写入",
            };
            eprint!("\r{phase} {}/{}    ", p.done, p.total);
        }
        true
    };
    let report = roster::import_with_progress(&mut archive, actor, &file, &options, &progress);
    if show_progress {
        eprint!("\r{}\r", " ".repeat(30));
    }
    let report = report?;
    if let Some(out) = &args.errors_out {
        roster::write_error_workbook(&file, &report.errors, out)?;
    }
    print(args.output.json, &report, || {
        let mut text = String::new();
        for e in &report.errors {
            text.push_str(&format!(
                "{} 第{}行 [{}] {}: {}\n",
                e.sheet,
                e.row,
                e.column,
                e.code.as_code(),
                e.message
            ));
        }
        for w in &report.warnings {
            text.push_str(&format!(
                "提醒: {} 第{}行 [{}] {}\n",
                w.sheet, w.row, w.column, w.message
            ));
        }
        for u in &report.updates {
            let changes: Vec<String> = u
                .changes
                .iter()
                .map(|c| format!("{} {:?} → {:?}", c.label, c.before, c.after))
                .collect();
            text.push_str(&format!(
                "更新 {} 第{}行 {}（党员 {}）: {}\n",
                u.sheet,
                u.row,
                u.name,
                u.member_id.unwrap_or_default(),
                changes.join("，")
            ));
        }
        if !report.new_branches.is_empty() {
            text.push_str(&format!(
                "将创建的党支部: {}\n",
                report.new_branches.join("、")
            ));
        }
        if !report.unknown_branches.is_empty() {
            text.push_str(&format!(
                "档案中没有的党支部: {}\n",
                report.unknown_branches.join("、")
            ));
        }
        let outcome = match report.batch {
            Some(batch) => format!("已导入，批次 {batch}（撤销：dangan import undo {batch}）"),
            None if options.dry_run => "试运行，未写入".to_string(),
            None => "未写入".to_string(),
        };
        text.push_str(&format!(
            "{} 行：有效 {}，无效 {}；新增 {}，更新 {}，无变化 {}。{outcome}",
            report.rows,
            report.valid,
            report.invalid,
            report.created,
            report.updated,
            report.unchanged
        ));
        text
    })?;
    if !report.errors.is_empty() && !report.committed {
        return Err(Failure {
            code: "invalid_rows",
            message: format!(
                "{}: {} of {} rows are invalid; nothing was imported (fix them, or import the valid rows with --skip-invalid)",
                file.display(),
                report.invalid,
                report.rows
            ),
        });
    }
    Ok(())
}

fn describe_backup(b: &backup::BackupRecord) -> String {
    let state = match (&b.problem, &b.deleted_at) {
        (Some(problem), _) => format!("✗ {problem}"),
        (None, Some(at)) => format!("✓ (rotated away {at})"),
        (None, None) => "✓ verified".to_string(),
    };
    format!(
        "{}\t{}\t{}\t{} bytes\t{} members\t{state}",
        b.made_at,
        b.reason.as_code(),
        b.file,
        b.bytes,
        b.counts.get("member").copied().unwrap_or(0)
    )
}

fn backup_command(dir: &std::path::Path, actor: &Actor, args: BackupArgs) -> Result<(), Failure> {
    match args.command {
        Some(BackupCommand::List(output)) => {
            let archive = open_existing(dir)?;
            let list = backup::list(&archive, actor)?;
            return print(output.json, &list, || {
                list.iter()
                    .map(describe_backup)
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        Some(BackupCommand::Policy { set, output }) => {
            let mut archive = open_existing(dir)?;
            let policy = if set.is_empty() {
                backup::policy::get(&archive, actor)?
            } else {
                backup::policy::set(&mut archive, actor, &set)?
            };
            return print(output.json, &policy, || {
                backup::policy::KEYS
                    .iter()
                    .map(|key| format!("{key}={}", policy.get(key).unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join("\n")
            });
        }
        None => {}
    }
    let mut archive = open_existing(dir)?;
    let record = backup::create(
        &mut archive,
        actor,
        backup::BackupReason::Manual,
        args.out.as_deref(),
    )?;
    print(args.output.json, &record, || describe_backup(&record))
}

fn audit_command(
    dir: &std::path::Path,
    actor: &Actor,
    command: AuditCommand,
) -> Result<(), Failure> {
    let archive = open_existing(dir)?;
    match command {
        AuditCommand::Verify(output) => {
            let result = audit::verify(&archive, actor)?;
            print(output.json, &result, || match &result.problem {
                None => format!("audit trail ok: {} entries", result.entries),
                Some(problem) => format!(
                    "audit trail BROKEN at entry {}: {problem}",
                    result.first_bad_seq.unwrap_or_default()
                ),
            })?;
            match result.problem {
                None => Ok(()),
                Some(problem) => Err(Failure {
                    code: "audit_broken",
                    message: problem,
                }),
            }
        }
        AuditCommand::List {
            actor: who,
            action,
            member,
            target,
            from,
            to,
            limit,
            offset,
            output,
        } => {
            let (target_kind, target_id) = match target.as_deref().map(|t| t.split_once(':')) {
                None => (None, None),
                Some(None) => (target, None),
                Some(Some((kind, id))) => {
                    let id = id.trim().parse::<i64>().map_err(|_| Failure {
                        code: "invalid_argument",
                        message: format!("--target {kind}:{id}: the id must be a number"),
                    })?;
                    (Some(kind.to_string()), Some(id))
                }
            };
            let query = audit::AuditQuery {
                actor: who,
                action,
                member_id: member,
                from,
                to,
                target_kind,
                target_id,
                limit: Some(limit),
                offset: Some(offset),
            };
            let entries = audit::list(&archive, actor, &query)?;
            print(output.json, &entries, || {
                entries
                    .iter()
                    .map(|e| {
                        format!(
                            "{}\t{}\t{}\t{}\t{}:{}\t{}",
                            e.seq,
                            e.at,
                            e.actor,
                            e.action,
                            e.target_kind,
                            e.target_id.map(|id| id.to_string()).unwrap_or_default(),
                            e.detail
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
        }
    }
}

/// The branch a `--branch` argument names, if one was given.
fn branch_id(archive: &Archive, actor: &Actor, text: Option<&str>) -> Result<Option<i64>, Failure> {
    match text {
        Some(text) => Ok(Some(org::find_branch(archive, actor, text)?.id)),
        None => Ok(None),
    }
}

/// `header`, then one line per warning a step brought.
fn with_warnings(header: String, findings: &[lifecycle::Finding]) -> String {
    let mut text = header;
    for f in findings {
        text.push_str(&format!(
            "\n提醒: {}（{}，{}）",
            f.message, f.rule_title, f.source
        ));
    }
    text
}

fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

/// Prints `value` as JSON, or the text `describe` makes.
/// Where `passphrase change` reads the new passphrase from when no terminal is there to ask.
const NEW_PASSPHRASE_ENV: &str = "DANGAN_NEW_PASSPHRASE";

/// A new passphrase, typed twice at a terminal.
fn new_passphrase(which: &str) -> Result<Secret, Failure> {
    let missing = || Failure {
        code: "invalid_argument",
        message: format!(
            "no {which} passphrase: set {} or run in a terminal",
            if which == "new" {
                NEW_PASSPHRASE_ENV
            } else {
                PASSPHRASE_ENV
            }
        ),
    };
    if !std::io::stdin().is_terminal() {
        return Err(missing());
    }
    let read = |prompt: &str| {
        rpassword::prompt_password(prompt).map_err(|err| Failure {
            code: "io",
            message: format!("cannot read the passphrase: {err}"),
        })
    };
    let first = read("新口令 (new passphrase): ")?;
    let second = read("再输入一次 (again): ")?;
    if first != second {
        return Err(Failure {
            code: "invalid_argument",
            message: "the two passphrases differ".to_string(),
        });
    }
    Secret::new(first).ok_or_else(missing)
}

fn print<T: Serialize>(
    json: bool,
    value: &T,
    describe: impl FnOnce() -> String,
) -> Result<(), Failure> {
    let text = if json {
        serde_json::to_string_pretty(value).map_err(|err| Failure {
            code: "internal",
            message: err.to_string(),
        })?
    } else {
        describe()
    };
    let mut stdout = std::io::stdout().lock();
    // A closed pipe (`dangan member list | head`) is not an error worth reporting.
    let _ = writeln!(stdout, "{text}");
    Ok(())
}

#[derive(Debug, Subcommand)]
enum AppraisalCommand {
    /// Record the grades a branch gave for a year: from FILE (JSON: [{member_id, grade, note}] or
    /// {meeting_id, grades: [...]}; grade is excellent/qualified/basically_qualified/unqualified
    /// or 优秀/合格/基本合格/不合格), or one member with --member and --grade. Only full members
    /// of the branch on the appraisal day are graded, once a year; one bad row and nothing is
    /// recorded. --dry-run checks and prints the warnings only.
    Set {
        #[arg(required_unless_present = "member", conflicts_with = "member")]
        file: Option<PathBuf>,
        #[arg(long)]
        branch: String,
        #[arg(long)]
        year: i32,
        #[arg(long, requires = "grade")]
        member: Option<i64>,
        #[arg(long, value_parser = parse_grade)]
        grade: Option<Grade>,
        #[arg(long, requires = "member")]
        note: Option<String>,
        /// The 民主评议 meeting the grades were given at (overrides the file's).
        #[arg(long)]
        meeting: Option<i64>,
        #[arg(long)]
        dry_run: bool,
        #[arg(long, value_name = "DATE")]
        as_of: Option<NaiveDate>,
        #[command(flatten)]
        output: JsonFlag,
    },
    /// A branch's grades for a year with their warnings, or (--member) one member's grades.
    List {
        #[arg(long, required_unless_present = "member", requires = "year")]
        branch: Option<String>,
        #[arg(long, requires = "branch")]
        year: Option<i32>,
        #[arg(long, conflicts_with = "branch")]
        member: Option<i64>,
        #[command(flatten)]
        output: JsonFlag,
    },
}

fn parse_grade(text: &str) -> Result<Grade, String> {
    Grade::parse(text).ok_or_else(|| {
        format!(
            "unknown grade {text:?}; one of excellent, qualified, basically_qualified, \
             unqualified (优秀, 合格, 基本合格, 不合格)"
        )
    })
}

/// A grades file: a list of grades, or the grades with the meeting they were given at.
#[derive(serde::Deserialize)]
#[serde(untagged)]
enum GradesFile {
    List(Vec<AppraisalEntry>),
    Batch {
        #[serde(default)]
        meeting_id: Option<i64>,
        grades: Vec<AppraisalEntry>,
    },
}

fn describe_grades(grades: &[appraisals::Appraisal]) -> Vec<String> {
    grades
        .iter()
        .map(|a| {
            format!(
                "{}\t{}\t{} {}\t{}{}",
                a.member_id,
                a.name,
                a.year,
                a.branch,
                a.grade.zh(),
                a.note
                    .as_deref()
                    .map(|n| format!("（{n}）"))
                    .unwrap_or_default()
            )
        })
        .collect()
}

fn describe_appraisal_warnings(lines: &mut Vec<String>, warnings: &[appraisals::AppraisalWarning]) {
    for w in warnings {
        lines.push(format!(
            "提醒: {}（{}，{}）",
            w.message, w.rule_title, w.source
        ));
    }
}

fn appraisal_command(
    dir: &std::path::Path,
    actor: &Actor,
    command: AppraisalCommand,
) -> Result<(), Failure> {
    match command {
        AppraisalCommand::Set {
            file,
            branch,
            year,
            member,
            grade,
            note,
            meeting,
            dry_run,
            as_of,
            output,
        } => {
            let (file_meeting, grades) = match (file, member, grade) {
                (Some(file), _, _) => {
                    let text = read_text_file(&file)?;
                    let parsed: GradesFile =
                        serde_json::from_str(&text).map_err(|err| Failure {
                            code: "invalid_argument",
                            message: format!(
                                "{}: {err} (expected [{{member_id, grade, note}}] or \
                                 {{meeting_id, grades: [...]}})",
                                file.display()
                            ),
                        })?;
                    match parsed {
                        GradesFile::List(grades) => (None, grades),
                        GradesFile::Batch { meeting_id, grades } => (meeting_id, grades),
                    }
                }
                (None, Some(member_id), Some(grade)) => (
                    None,
                    vec![AppraisalEntry {
                        member_id,
                        grade,
                        note,
                    }],
                ),
                _ => {
                    return Err(Failure {
                        code: "invalid_argument",
                        message: "give FILE, or --member and --grade".to_string(),
                    });
                }
            };
            let mut archive = open_existing(dir)?;
            let branch_id = branch_id(&archive, actor, Some(&branch))?.unwrap_or_default();
            let batch = AppraisalBatch {
                branch_id,
                year,
                meeting_id: meeting.or(file_meeting),
                grades,
            };
            let outcome = appraisals::set(
                &mut archive,
                actor,
                &batch,
                as_of.unwrap_or_else(today),
                dry_run,
            )?;
            print(output.json, &outcome, || {
                let mut lines = vec![if dry_run {
                    format!(
                        "{} grade(s) checked; nothing recorded (--dry-run)",
                        batch.grades.len()
                    )
                } else {
                    format!("recorded {} grade(s)", outcome.written)
                }];
                describe_appraisal_warnings(&mut lines, &outcome.warnings);
                lines.join("\n")
            })
        }
        AppraisalCommand::List {
            branch,
            year,
            member,
            output,
        } => {
            let archive = open_existing(dir)?;
            if let Some(member) = member {
                let grades = appraisals::of_member(&archive, actor, member)?;
                return print(output.json, &grades, || describe_grades(&grades).join("\n"));
            }
            let (Some(branch), Some(year)) = (branch, year) else {
                return Err(Failure {
                    code: "invalid_argument",
                    message: "give --branch and --year, or --member".to_string(),
                });
            };
            let branch_id = branch_id(&archive, actor, Some(&branch))?.unwrap_or_default();
            let list = appraisals::list(&archive, actor, branch_id, year)?;
            print(output.json, &list, || {
                let mut lines = describe_grades(&list.grades);
                lines.push(format!("{} grade(s)", list.grades.len()));
                describe_appraisal_warnings(&mut lines, &list.warnings);
                lines.join("\n")
            })
        }
    }
}
