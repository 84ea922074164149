//! The TypeScript types the UI uses are generated from the Rust types that cross IPC. This test
//! fails when `ui/src/generated/` differs from what the Rust types produce; run
//! `UPDATE_GENERATED=1 cargo test ts_bindings` to rewrite the files after changing a type.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ts_rs::{Config, TS};

use crate::actor::{Permission, Role};
use crate::appraisals::{
    Appraisal, AppraisalBatch, AppraisalEntry, AppraisalList, AppraisalOutcome, AppraisalProblem,
    AppraisalWarning, Grade,
};
use crate::archive::ArchiveInfo;
use crate::audit::{AuditEntry, AuditHead, AuditPage, AuditQuery, AuditVerification};
use crate::auth::{DemoAccount, ScopeUnit, SessionInfo, UserSummary};
use crate::backup::{BackupOverview, BackupPolicy, BackupReason, BackupRecord, RestoreSummary};
use crate::documents::AttachmentRef;
use crate::error::ApiError;
use crate::lifecycle::{
    EventFile, ExtensionRequest, Finding, Material, MaterialStatus, MissingReports, Plan,
    PlanConflict, PlannedStep, Severity, StepCorrection, StepInfo, StepOutcome, StepRequest,
};
use crate::meetings::{
    AttendanceEntry, AttendanceStatus, Attendee, CastVote, Compliance, CompliancePeriod, Frequency,
    MeetingDetail, MeetingKind, MeetingOutcome, MeetingPreview, MeetingRequest, MeetingSummary,
    MemberMeeting, MemberResolution, ResolutionDetail, ResolutionKind, ResolutionRequest,
    ResolutionTally, RollMember, VoteChoice, VoteEntry, Voter,
};
use crate::org::{BranchOption, OrgKind};
use crate::pdf::PdfFile;
use crate::pdf::batch::{BatchEntry, BatchOutcome, BatchProgress, BatchScope};
use crate::pdf::letter::{IssuedLetter, LetterRecord, LetterRequest, MemberKind};
use crate::pdf::notice::{NoticeKind, NoticeOutcome, NoticeRequest};
use crate::people::{
    EventKind, EventPerson, MemberDetail, MemberEvent, MemberPage, MemberQuery, MemberSummary,
    PersonRole, Sex, Stage,
};
use crate::reminders::{Reminder, ReminderKind};
use crate::reports::{
    FolderImport, FolderItem, NewThoughtReport, ReportReview, ReportSource, ReportSummary,
    ThoughtReport, UnreviewedReports,
};
use crate::roster::{
    BatchSummary, CellIssue, ColumnMapping, ColumnOverride, ExportFormat, ExportSummary, Field,
    FieldChange, ImportPhase, ImportProgress, ImportReport, IssueCode, RowAction, RowChange,
    SheetPreview, TextEncoding, UndoSummary,
};
use crate::search::{HitKind, SearchHit, SearchResults};
use crate::stats::{BranchMeetings, MonthStats, Stats, UnitStats, YearStats};

fn render<T: TS + 'static>(cfg: &Config, files: &mut BTreeMap<String, String>) {
    let name = format!("{}.ts", T::ident(cfg));
    let text = T::export_to_string(cfg).unwrap_or_else(|err| panic!("{name}: {err}"));
    files.insert(name, text);
}

/// Every type that crosses IPC, rendered as the files ts-rs would write.
fn bindings() -> BTreeMap<String, String> {
    let cfg = Config::new().with_large_int("number");
    let mut files = BTreeMap::new();
    render::<ApiError>(&cfg, &mut files);
    render::<ArchiveInfo>(&cfg, &mut files);
    render::<Role>(&cfg, &mut files);
    render::<Permission>(&cfg, &mut files);
    render::<SessionInfo>(&cfg, &mut files);
    render::<UserSummary>(&cfg, &mut files);
    render::<ScopeUnit>(&cfg, &mut files);
    render::<DemoAccount>(&cfg, &mut files);
    render::<BranchOption>(&cfg, &mut files);
    render::<OrgKind>(&cfg, &mut files);
    render::<Sex>(&cfg, &mut files);
    render::<Stage>(&cfg, &mut files);
    render::<EventKind>(&cfg, &mut files);
    render::<PersonRole>(&cfg, &mut files);
    render::<EventPerson>(&cfg, &mut files);
    render::<MemberEvent>(&cfg, &mut files);
    render::<MemberQuery>(&cfg, &mut files);
    render::<MemberSummary>(&cfg, &mut files);
    render::<MemberPage>(&cfg, &mut files);
    render::<MemberDetail>(&cfg, &mut files);
    render::<Severity>(&cfg, &mut files);
    render::<Finding>(&cfg, &mut files);
    render::<StepInfo>(&cfg, &mut files);
    render::<StepRequest>(&cfg, &mut files);
    render::<StepOutcome>(&cfg, &mut files);
    render::<ExtensionRequest>(&cfg, &mut files);
    render::<Plan>(&cfg, &mut files);
    render::<PlannedStep>(&cfg, &mut files);
    render::<PlanConflict>(&cfg, &mut files);
    render::<Material>(&cfg, &mut files);
    render::<MaterialStatus>(&cfg, &mut files);
    render::<AttachmentRef>(&cfg, &mut files);
    render::<EventFile>(&cfg, &mut files);
    render::<StepCorrection>(&cfg, &mut files);
    render::<PdfFile>(&cfg, &mut files);
    render::<MemberKind>(&cfg, &mut files);
    render::<LetterRequest>(&cfg, &mut files);
    render::<LetterRecord>(&cfg, &mut files);
    render::<IssuedLetter>(&cfg, &mut files);
    render::<NoticeKind>(&cfg, &mut files);
    render::<NoticeRequest>(&cfg, &mut files);
    render::<NoticeOutcome>(&cfg, &mut files);
    render::<BatchScope>(&cfg, &mut files);
    render::<BatchProgress>(&cfg, &mut files);
    render::<BatchEntry>(&cfg, &mut files);
    render::<BatchOutcome>(&cfg, &mut files);
    render::<MissingReports>(&cfg, &mut files);
    render::<ReportSource>(&cfg, &mut files);
    render::<ReportSummary>(&cfg, &mut files);
    render::<UnreviewedReports>(&cfg, &mut files);
    render::<ThoughtReport>(&cfg, &mut files);
    render::<NewThoughtReport>(&cfg, &mut files);
    render::<ReportReview>(&cfg, &mut files);
    render::<FolderItem>(&cfg, &mut files);
    render::<FolderImport>(&cfg, &mut files);
    render::<HitKind>(&cfg, &mut files);
    render::<SearchHit>(&cfg, &mut files);
    render::<SearchResults>(&cfg, &mut files);
    render::<ReminderKind>(&cfg, &mut files);
    render::<Reminder>(&cfg, &mut files);
    render::<UnitStats>(&cfg, &mut files);
    render::<YearStats>(&cfg, &mut files);
    render::<MonthStats>(&cfg, &mut files);
    render::<BranchMeetings>(&cfg, &mut files);
    render::<Stats>(&cfg, &mut files);
    render::<MeetingKind>(&cfg, &mut files);
    render::<AttendanceStatus>(&cfg, &mut files);
    render::<AttendanceEntry>(&cfg, &mut files);
    render::<ResolutionKind>(&cfg, &mut files);
    render::<VoteChoice>(&cfg, &mut files);
    render::<VoteEntry>(&cfg, &mut files);
    render::<ResolutionRequest>(&cfg, &mut files);
    render::<MeetingRequest>(&cfg, &mut files);
    render::<Voter>(&cfg, &mut files);
    render::<RollMember>(&cfg, &mut files);
    render::<ResolutionTally>(&cfg, &mut files);
    render::<MeetingPreview>(&cfg, &mut files);
    render::<MeetingOutcome>(&cfg, &mut files);
    render::<Attendee>(&cfg, &mut files);
    render::<CastVote>(&cfg, &mut files);
    render::<ResolutionDetail>(&cfg, &mut files);
    render::<MeetingDetail>(&cfg, &mut files);
    render::<MeetingSummary>(&cfg, &mut files);
    render::<MemberMeeting>(&cfg, &mut files);
    render::<MemberResolution>(&cfg, &mut files);
    render::<Frequency>(&cfg, &mut files);
    render::<CompliancePeriod>(&cfg, &mut files);
    render::<Compliance>(&cfg, &mut files);
    render::<Field>(&cfg, &mut files);
    render::<IssueCode>(&cfg, &mut files);
    render::<CellIssue>(&cfg, &mut files);
    render::<ColumnMapping>(&cfg, &mut files);
    render::<ColumnOverride>(&cfg, &mut files);
    render::<SheetPreview>(&cfg, &mut files);
    render::<RowAction>(&cfg, &mut files);
    render::<FieldChange>(&cfg, &mut files);
    render::<RowChange>(&cfg, &mut files);
    render::<ImportReport>(&cfg, &mut files);
    render::<ImportPhase>(&cfg, &mut files);
    render::<ImportProgress>(&cfg, &mut files);
    render::<BatchSummary>(&cfg, &mut files);
    render::<UndoSummary>(&cfg, &mut files);
    render::<ExportFormat>(&cfg, &mut files);
    render::<TextEncoding>(&cfg, &mut files);
    render::<ExportSummary>(&cfg, &mut files);
    render::<AuditEntry>(&cfg, &mut files);
    render::<AuditPage>(&cfg, &mut files);
    render::<AuditQuery>(&cfg, &mut files);
    render::<AuditHead>(&cfg, &mut files);
    render::<AuditVerification>(&cfg, &mut files);
    render::<BackupReason>(&cfg, &mut files);
    render::<BackupRecord>(&cfg, &mut files);
    render::<RestoreSummary>(&cfg, &mut files);
    render::<BackupPolicy>(&cfg, &mut files);
    render::<BackupOverview>(&cfg, &mut files);
    render::<Grade>(&cfg, &mut files);
    render::<AppraisalEntry>(&cfg, &mut files);
    render::<AppraisalBatch>(&cfg, &mut files);
    render::<Appraisal>(&cfg, &mut files);
    render::<AppraisalWarning>(&cfg, &mut files);
    render::<AppraisalList>(&cfg, &mut files);
    render::<AppraisalOutcome>(&cfg, &mut files);
    render::<AppraisalProblem>(&cfg, &mut files);
    files
}

#[test]
fn generated_typescript_matches_the_rust_types() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("ui/src/generated");
    let expected = bindings();
    if std::env::var_os("UPDATE_GENERATED").is_some() {
        std::fs::create_dir_all(&dir).unwrap();
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|ext| ext == "ts") {
                std::fs::remove_file(path).unwrap();
            }
        }
        for (name, text) in &expected {
            std::fs::write(dir.join(name), text).unwrap();
        }
    }
    let mut found = BTreeMap::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "ts") {
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            found.insert(name, std::fs::read_to_string(&path).unwrap());
        }
    }
    let stale: Vec<_> = found
        .keys()
        .filter(|name| !expected.contains_key(*name))
        .collect();
    assert!(
        stale.is_empty(),
        "stale files in ui/src/generated: {stale:?}"
    );
    for (name, text) in &expected {
        assert_eq!(
            found.get(name),
            Some(text),
            "ui/src/generated/{name} is out of date: run UPDATE_GENERATED=1 cargo test ts_bindings"
        );
    }
}
