//! Meetings (三会一课 and more): minutes, attendance, resolutions and each member's vote, and the
//! arithmetic that decides them (domain.md): a meeting is quorate only if more than half of the
//! full members entitled to vote attend; a resolution passes only if its yes votes exceed half of
//! the full members entitled to vote — not of those present. Probationary members attend but do
//! not vote.
//!
//! A resolution of a branch general meeting that admits (step 15), converts (step 23) or extends
//! the probation of a member creates that timeline event, linked to the resolution, in the
//! transaction that records the meeting — after the same rule check `lifecycle` applies to any
//! step, so a meeting cannot admit someone whose file forbids it.

mod compliance;

use crate::actor::Permission;
use crate::auth;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use compliance::{Compliance, CompliancePeriod, Frequency, compliance, frequencies};

use crate::actor::Actor;
use crate::archive::Archive;
use crate::audit::{self, Action, Target};
use crate::db;
use crate::documents::{self, AttachmentRef, DocumentError};
use crate::error::ErrorCode;
use crate::lifecycle::{self, ExtensionRequest, Finding, LifecycleError, Severity, StepRequest};
use crate::people::EventKind;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// 支部党员大会
    GeneralMeeting,
    /// 支部委员会
    Committee,
    /// 党小组会
    Group,
    /// 党课
    Lecture,
    /// 主题党日
    ThemeDay,
    /// 组织生活会
    LifeMeeting,
    /// 民主评议党员
    Appraisal,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 7] = [
        MeetingKind::GeneralMeeting,
        MeetingKind::Committee,
        MeetingKind::Group,
        MeetingKind::Lecture,
        MeetingKind::ThemeDay,
        MeetingKind::LifeMeeting,
        MeetingKind::Appraisal,
    ];

    pub fn as_code(self) -> &'static str {
        match self {
            MeetingKind::GeneralMeeting => "general_meeting",
            MeetingKind::Committee => "committee",
            MeetingKind::Group => "group",
            MeetingKind::Lecture => "lecture",
            MeetingKind::ThemeDay => "theme_day",
            MeetingKind::LifeMeeting => "life_meeting",
            MeetingKind::Appraisal => "appraisal",
        }
    }

    pub fn from_code(code: &str) -> Option<MeetingKind> {
        MeetingKind::ALL.into_iter().find(|k| k.as_code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            MeetingKind::GeneralMeeting => "支部党员大会",
            MeetingKind::Committee => "支部委员会",
            MeetingKind::Group => "党小组会",
            MeetingKind::Lecture => "党课",
            MeetingKind::ThemeDay => "主题党日",
            MeetingKind::LifeMeeting => "组织生活会",
            MeetingKind::Appraisal => "民主评议党员",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum AttendanceStatus {
    Present,
    /// On leave, with a reason (请假).
    Leave,
    Absent,
}

impl AttendanceStatus {
    pub fn as_code(self) -> &'static str {
        match self {
            AttendanceStatus::Present => "present",
            AttendanceStatus::Leave => "leave",
            AttendanceStatus::Absent => "absent",
        }
    }

    pub fn from_code(code: &str) -> Option<AttendanceStatus> {
        [
            AttendanceStatus::Present,
            AttendanceStatus::Leave,
            AttendanceStatus::Absent,
        ]
        .into_iter()
        .find(|s| s.as_code() == code)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AttendanceEntry {
    #[ts(type = "number")]
    pub member_id: i64,
    pub status: AttendanceStatus,
    /// Why, for leave.
    #[serde(default)]
    pub reason: Option<String>,
    /// Sign-in time, HH:MM.
    #[serde(default)]
    pub signed_in_at: Option<String>,
}

/// What a resolution decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ResolutionKind {
    /// 接收预备党员: step 15.
    Admit,
    /// 转为正式党员: step 23.
    Convert,
    /// 延长预备期, by `months`.
    ExtendProbation,
    Other,
}

impl ResolutionKind {
    pub fn as_code(self) -> &'static str {
        match self {
            ResolutionKind::Admit => "admit",
            ResolutionKind::Convert => "convert",
            ResolutionKind::ExtendProbation => "extend_probation",
            ResolutionKind::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<ResolutionKind> {
        [
            ResolutionKind::Admit,
            ResolutionKind::Convert,
            ResolutionKind::ExtendProbation,
            ResolutionKind::Other,
        ]
        .into_iter()
        .find(|k| k.as_code() == code)
    }

    /// The development step a passed resolution of this kind records.
    fn step(self) -> Option<u8> {
        match self {
            ResolutionKind::Admit => Some(15),
            ResolutionKind::Convert => Some(23),
            ResolutionKind::ExtendProbation | ResolutionKind::Other => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum VoteChoice {
    Yes,
    No,
    Abstain,
}

impl VoteChoice {
    pub fn as_code(self) -> &'static str {
        match self {
            VoteChoice::Yes => "yes",
            VoteChoice::No => "no",
            VoteChoice::Abstain => "abstain",
        }
    }

    pub fn from_code(code: &str) -> Option<VoteChoice> {
        [VoteChoice::Yes, VoteChoice::No, VoteChoice::Abstain]
            .into_iter()
            .find(|v| v.as_code() == code)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct VoteEntry {
    #[ts(type = "number")]
    pub member_id: i64,
    pub vote: VoteChoice,
}

#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ResolutionRequest {
    pub kind: ResolutionKind,
    /// The member it concerns (required unless `other`).
    #[serde(default)]
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    /// For `extend_probation`.
    #[serde(default)]
    pub months: Option<u8>,
    pub text: String,
    #[serde(default)]
    pub votes: Vec<VoteEntry>,
}

/// A meeting to record.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct MeetingRequest {
    #[ts(type = "number")]
    pub branch_id: i64,
    pub kind: MeetingKind,
    #[ts(type = "string")]
    pub date: NaiveDate,
    #[serde(default)]
    pub place: Option<String>,
    #[serde(default)]
    pub host: Option<String>,
    #[serde(default)]
    pub recorder: Option<String>,
    pub topic: String,
    #[serde(default)]
    pub minutes: String,
    #[serde(default)]
    pub attendance: Vec<AttendanceEntry>,
    #[serde(default)]
    pub resolutions: Vec<ResolutionRequest>,
}

/// A member who may vote at the meeting.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Voter {
    #[ts(type = "number")]
    pub member_id: i64,
    pub name: String,
}

/// How a resolution came out.
#[derive(Debug, Clone, Serialize, TS)]
pub struct ResolutionTally {
    pub kind: ResolutionKind,
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    pub entitled: usize,
    pub yes: usize,
    pub no: usize,
    pub abstain: usize,
    /// More yes votes than half of `entitled`, at a quorate meeting.
    pub passed: bool,
    /// The yes votes it needs: the smallest number above half of `entitled`.
    pub needed: usize,
    /// What the event the resolution records would bring (rule findings), if it passes.
    pub findings: Vec<Finding>,
}

/// The meeting's arithmetic before it is recorded: who may vote, whether it is quorate, and how
/// each resolution comes out.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingPreview {
    /// Full members of the branch on the meeting's day who have not left.
    pub entitled: Vec<Voter>,
    /// How many of them attend.
    pub present_entitled: usize,
    /// The attendance it needs: the smallest number above half of the entitled.
    pub quorum: usize,
    pub quorate: bool,
    pub resolutions: Vec<ResolutionTally>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingOutcome {
    #[ts(type = "number")]
    pub meeting_id: i64,
    pub preview: MeetingPreview,
    /// The timeline events the passed resolutions created.
    #[ts(type = "Array<number>")]
    pub event_ids: Vec<i64>,
    /// The files attached with the meeting.
    pub attachments: Vec<AttachmentRef>,
}

#[derive(Debug, thiserror::Error)]
pub enum MeetingError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error("no branch with id {0}")]
    BranchNotFound(i64),
    #[error("no meeting with id {0}")]
    NotFound(i64),
    #[error("{0}")]
    Invalid(String),
    #[error("the meeting was not recorded: {}", blocking(findings))]
    Blocked { findings: Vec<Finding> },
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error("meeting {meeting_id} has no attached file with SHA-256 {sha256}")]
    AttachmentNotFound { meeting_id: i64, sha256: String },
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

fn blocking(findings: &[Finding]) -> String {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Block)
        .map(|f| format!("{}：{}（{}）", f.name, f.message, f.source))
        .collect::<Vec<_>>()
        .join("；")
}

impl ErrorCode for MeetingError {
    fn code(&self) -> &'static str {
        match self {
            MeetingError::Forbidden(_) => "forbidden",
            MeetingError::BranchNotFound(_) => "branch_not_found",
            MeetingError::NotFound(_) => "meeting_not_found",
            MeetingError::Invalid(_) => "invalid_argument",
            MeetingError::Blocked { .. } => "step_blocked",
            MeetingError::Lifecycle(err) => err.code(),
            MeetingError::Document(err) => err.code(),
            MeetingError::AttachmentNotFound { .. } => "file_not_found",
            MeetingError::Db(_) => "database",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            MeetingError::Forbidden(f) => f.details(),
            MeetingError::Blocked { findings } => serde_json::json!({ "findings": findings }),
            MeetingError::Lifecycle(err) => err.details(),
            MeetingError::Document(err) => err.details(),
            MeetingError::AttachmentNotFound { meeting_id, sha256 } => {
                serde_json::json!({ "meeting_id": meeting_id, "sha256": sha256 })
            }
            _ => serde_json::Value::Null,
        }
    }
}

/// The smallest count that is more than half of `of`.
pub fn more_than_half(of: usize) -> usize {
    of / 2 + 1
}

/// Quorate: more than half of the full members entitled to vote attend.
pub fn is_quorate(entitled: usize, present: usize) -> bool {
    entitled > 0 && present >= more_than_half(entitled)
}

/// Passed: the yes votes exceed half of the full members entitled to vote (not of those present).
pub fn passes(entitled: usize, yes: usize) -> bool {
    entitled > 0 && yes >= more_than_half(entitled)
}

/// The meeting's arithmetic and the findings its resolutions would bring; nothing is written.
/// The topic and the resolutions' texts may still be empty (`record` requires them).
pub fn preview(
    archive: &Archive,
    actor: &Actor,
    request: &MeetingRequest,
    as_of: NaiveDate,
) -> Result<MeetingPreview, MeetingError> {
    auth::require_unit(archive, actor, Permission::MeetingWrite, request.branch_id)?;
    validate_shape(request, as_of)?;
    if !db::org::is_branch(archive.conn(), request.branch_id)? {
        return Err(MeetingError::BranchNotFound(request.branch_id));
    }
    let entitled = entitled_voters(archive, actor, request.branch_id, request.date)?;
    let entitled_ids: HashSet<i64> = entitled.iter().map(|v| v.member_id).collect();
    let names = db::members::names(archive.conn())?;
    let name_of = |id: i64| names.get(&id).cloned().unwrap_or_else(|| id.to_string());

    let mut seen = HashSet::new();
    for entry in &request.attendance {
        if !names.contains_key(&entry.member_id) {
            return Err(MeetingError::Invalid(format!(
                "attendance: no member with id {}",
                entry.member_id
            )));
        }
        if !seen.insert(entry.member_id) {
            return Err(MeetingError::Invalid(format!(
                "attendance: {} is listed twice",
                name_of(entry.member_id)
            )));
        }
    }
    let present: HashSet<i64> = request
        .attendance
        .iter()
        .filter(|a| a.status == AttendanceStatus::Present)
        .map(|a| a.member_id)
        .collect();
    let present_entitled = present.intersection(&entitled_ids).count();
    let quorate = is_quorate(entitled.len(), present_entitled);

    let mut resolutions = Vec::with_capacity(request.resolutions.len());
    for (index, resolution) in request.resolutions.iter().enumerate() {
        let label = format!("resolution {}", index + 1);
        let mut voted = HashSet::new();
        let (mut yes, mut no, mut abstain) = (0, 0, 0);
        for vote in &resolution.votes {
            let who = name_of(vote.member_id);
            if !entitled_ids.contains(&vote.member_id) {
                return Err(MeetingError::Invalid(format!(
                    "{label}: {who} has no vote (only full members of the branch vote; \
                     probationary members do not)"
                )));
            }
            if !present.contains(&vote.member_id) {
                return Err(MeetingError::Invalid(format!(
                    "{label}: {who} votes but is not marked present"
                )));
            }
            if !voted.insert(vote.member_id) {
                return Err(MeetingError::Invalid(format!("{label}: {who} votes twice")));
            }
            match vote.vote {
                VoteChoice::Yes => yes += 1,
                VoteChoice::No => no += 1,
                VoteChoice::Abstain => abstain += 1,
            }
        }
        let passed = quorate && passes(entitled.len(), yes);
        let findings = match (passed, resolution.member_id) {
            (true, Some(member_id)) => {
                resolution_findings(archive, actor, request, resolution, member_id, as_of)?
            }
            _ => Vec::new(),
        };
        resolutions.push(ResolutionTally {
            kind: resolution.kind,
            member_id: resolution.member_id,
            entitled: entitled.len(),
            yes,
            no,
            abstain,
            passed,
            needed: more_than_half(entitled.len()),
            findings,
        });
    }
    Ok(MeetingPreview {
        quorum: more_than_half(entitled.len()),
        entitled,
        present_entitled,
        quorate,
        resolutions,
    })
}

/// The texts a meeting needs before it is recorded (a preview, which a form asks for while it is
/// being filled in, does without them).
fn validate_complete(request: &MeetingRequest) -> Result<(), MeetingError> {
    if request.topic.trim().is_empty() {
        return Err(MeetingError::Invalid(
            "topic: give the meeting's topic".to_string(),
        ));
    }
    for (index, resolution) in request.resolutions.iter().enumerate() {
        if resolution.text.trim().is_empty() {
            return Err(MeetingError::Invalid(format!(
                "resolution {}: the text is empty",
                index + 1
            )));
        }
    }
    Ok(())
}

/// Checks what can be checked without the archive.
fn validate_shape(request: &MeetingRequest, as_of: NaiveDate) -> Result<(), MeetingError> {
    if request.date > as_of {
        return Err(MeetingError::Invalid(format!(
            "date: {} is after today ({as_of})",
            request.date
        )));
    }
    for (index, resolution) in request.resolutions.iter().enumerate() {
        let label = format!("resolution {}", index + 1);
        if resolution.kind != ResolutionKind::Other {
            if resolution.member_id.is_none() {
                return Err(MeetingError::Invalid(format!(
                    "{label}: name the member it concerns"
                )));
            }
            if request.kind != MeetingKind::GeneralMeeting {
                return Err(MeetingError::Invalid(format!(
                    "{label}: only a branch general meeting (支部党员大会) admits, converts or \
                     extends a probation"
                )));
            }
        }
        match (resolution.kind, resolution.months) {
            (ResolutionKind::ExtendProbation, None) => {
                return Err(MeetingError::Invalid(format!(
                    "{label}: give the months of the extension"
                )));
            }
            (ResolutionKind::ExtendProbation, Some(_)) | (_, None) => {}
            (_, Some(_)) => {
                return Err(MeetingError::Invalid(format!(
                    "{label}: months belong only to a probation extension"
                )));
            }
        }
    }
    Ok(())
}

/// What recording the resolution's event would add to the member's findings.
fn resolution_findings(
    archive: &Archive,
    actor: &Actor,
    request: &MeetingRequest,
    resolution: &ResolutionRequest,
    member_id: i64,
    as_of: NaiveDate,
) -> Result<Vec<Finding>, MeetingError> {
    Ok(match (resolution.kind.step(), resolution.months) {
        (Some(step), _) => lifecycle::preview_step(
            archive,
            actor,
            &StepRequest {
                member_id,
                step,
                date: request.date,
                people: Vec::new(),
                note: None,
            },
            as_of,
        )?,
        (None, Some(months)) => lifecycle::preview_extension(
            archive,
            actor,
            &ExtensionRequest {
                member_id,
                date: request.date,
                months,
                note: None,
            },
            as_of,
        )?,
        (None, None) => Vec::new(),
    })
}

/// Full members of the branch on `date` who had not left by then: those entitled to vote.
pub fn entitled_voters(
    archive: &Archive,
    actor: &Actor,
    branch_id: i64,
    date: NaiveDate,
) -> Result<Vec<Voter>, MeetingError> {
    let mut voters: Vec<Voter> = lifecycle::full_members_on(archive, actor, Some(branch_id), date)?
        .into_iter()
        .map(|(member_id, name)| Voter { member_id, name })
        .collect();
    voters.sort_by_key(|v| v.member_id);
    Ok(voters)
}

/// A party member of the branch on the meeting's day, as the attendance list shows them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct RollMember {
    #[ts(type = "number")]
    pub member_id: i64,
    pub name: String,
    pub student_no: Option<String>,
    /// A full member that day, so entitled to vote; a probationary member attends without a vote.
    pub entitled: bool,
}

/// The attendance list of a meeting of the branch on `date`: its party members that day (full
/// and probationary, not left), the full members first, each group by id. Exactly the `entitled`
/// ones are the voters `preview` counts.
pub fn roll(
    archive: &Archive,
    actor: &Actor,
    branch_id: i64,
    date: NaiveDate,
) -> Result<Vec<RollMember>, MeetingError> {
    auth::require_unit(archive, actor, Permission::MemberRead, branch_id)?;
    if !db::org::is_branch(archive.conn(), branch_id)? {
        return Err(MeetingError::BranchNotFound(branch_id));
    }
    let student_nos = db::meetings::student_nos(archive.conn(), branch_id)?;
    let mut roll: Vec<RollMember> =
        lifecycle::party_members_on(archive, actor, Some(branch_id), date)?
            .into_iter()
            .map(|(member_id, name, entitled)| RollMember {
                member_id,
                name,
                student_no: student_nos.get(&member_id).cloned().flatten(),
                entitled,
            })
            .collect();
    roll.sort_by_key(|m| (!m.entitled, m.member_id));
    Ok(roll)
}

/// Records the meeting, its attendance, resolutions and votes, and the timeline event of every
/// passed resolution that admits, converts or extends a probation — all in one transaction, and
/// only if none of those events breaks a blocking rule.
pub fn record(
    archive: &mut Archive,
    actor: &Actor,
    request: &MeetingRequest,
    as_of: NaiveDate,
) -> Result<MeetingOutcome, MeetingError> {
    record_with_attachments(archive, actor, request, &[], as_of)
}

/// A file to attach to a meeting: one on disk (the CLI) or the bytes of one the UI read.
#[derive(Debug, Clone)]
pub enum AttachmentSource {
    Path(PathBuf),
    Bytes { file_name: String, bytes: Vec<u8> },
}

/// Copies the file into the archive's store (the one copy, `documents`); the rows are the
/// caller's to write.
fn store_source(
    archive: &Archive,
    source: &AttachmentSource,
) -> Result<AttachmentRef, DocumentError> {
    match source {
        AttachmentSource::Path(path) => documents::store(archive, path, None),
        AttachmentSource::Bytes { file_name, bytes } => {
            documents::store_bytes(archive, file_name, bytes, None)
        }
    }
}

/// Links stored files to a meeting inside `tx`, with one audit entry per new link.
fn link_files(
    tx: &rusqlite::Connection,
    actor: &Actor,
    meeting_id: i64,
    files: &[AttachmentRef],
) -> rusqlite::Result<()> {
    for file in files {
        db::attachments::insert_blob(tx, &file.sha256, file.size)?;
        if db::attachments::link_meeting(tx, meeting_id, file, actor.name())? {
            audit::record(
                tx,
                actor,
                Action::MeetingAttach,
                Target::meeting(meeting_id),
                serde_json::json!({ "after": file }),
            )?;
        }
    }
    Ok(())
}

/// `record`, with files (sign-in sheets, photos, minutes) attached to the meeting in the same
/// transaction. The files are copied into the store first; a file that cannot be read stops the
/// recording before anything is written to the database.
pub fn record_with_attachments(
    archive: &mut Archive,
    actor: &Actor,
    request: &MeetingRequest,
    attachments: &[AttachmentSource],
    as_of: NaiveDate,
) -> Result<MeetingOutcome, MeetingError> {
    validate_complete(request)?;
    let preview = preview(archive, actor, request, as_of)?;
    let blocked: Vec<Finding> = preview
        .resolutions
        .iter()
        .flat_map(|r| r.findings.iter())
        .filter(|f| f.severity == Severity::Block)
        .cloned()
        .collect();
    if !blocked.is_empty() {
        return Err(MeetingError::Blocked { findings: blocked });
    }
    let files = attachments
        .iter()
        .map(|source| store_source(archive, source))
        .collect::<Result<Vec<_>, _>>()?;
    let recorded_by = actor.name().to_string();
    let (meeting_id, event_ids) = db::with_tx(archive.conn_mut(), |tx| {
        let meeting_id = db::meetings::insert(tx, request, &recorded_by)?;
        let mut event_ids = Vec::new();
        for (position, (resolution, tally)) in request
            .resolutions
            .iter()
            .zip(&preview.resolutions)
            .enumerate()
        {
            let event_id = match (tally.passed, resolution.member_id) {
                (true, Some(member_id)) if resolution.kind != ResolutionKind::Other => {
                    let (kind, step) = match resolution.kind.step() {
                        Some(step) => (EventKind::Step, Some(step)),
                        None => (EventKind::ProbationExtended, None),
                    };
                    let event = db::members::NewEvent {
                        member_id,
                        kind,
                        step,
                        months: resolution.months,
                        date: request.date,
                        note: Some(format!(
                            "{}决议：{}（赞成{}票，应到有表决权党员{}名）",
                            request.kind.zh(),
                            resolution.text.trim(),
                            tally.yes,
                            tally.entitled
                        )),
                        people: Vec::new(),
                    };
                    let id = db::members::insert_event(tx, &event, &recorded_by)?;
                    audit::record(
                        tx,
                        actor,
                        Action::StepAdd,
                        Target::event(id, member_id),
                        serde_json::json!({ "after": { "kind": kind.as_code(), "step": step, "months": resolution.months, "date": request.date }, "meeting_id": meeting_id }),
                    )?;
                    event_ids.push(id);
                    Some(id)
                }
                _ => None,
            };
            db::meetings::insert_resolution(
                tx,
                meeting_id,
                i64::try_from(position).unwrap_or(i64::MAX),
                resolution,
                tally,
                event_id,
            )?;
        }
        audit::record(
            tx,
            actor,
            Action::MeetingRecord,
            Target::meeting(meeting_id),
            serde_json::json!({ "after": request, "event_ids": event_ids }),
        )?;
        link_files(tx, actor, meeting_id, &files)?;
        Ok::<_, rusqlite::Error>((meeting_id, event_ids))
    })?;
    Ok(MeetingOutcome {
        meeting_id,
        preview,
        event_ids,
        attachments: files,
    })
}

/// An attendee as the minutes list them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Attendee {
    #[ts(type = "number")]
    pub member_id: i64,
    pub name: String,
    pub status: AttendanceStatus,
    pub reason: Option<String>,
    pub signed_in_at: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct CastVote {
    #[ts(type = "number")]
    pub member_id: i64,
    pub name: String,
    pub vote: VoteChoice,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct ResolutionDetail {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: ResolutionKind,
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    pub member_name: Option<String>,
    pub months: Option<u8>,
    pub text: String,
    pub entitled: usize,
    pub yes: usize,
    pub no: usize,
    pub abstain: usize,
    /// The yes votes it needed: the smallest number above half of `entitled`.
    pub needed: usize,
    pub passed: bool,
    #[ts(type = "number | null")]
    pub event_id: Option<i64>,
    pub votes: Vec<CastVote>,
}

/// A recorded meeting in full.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingDetail {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub branch_id: i64,
    pub branch: String,
    pub kind: MeetingKind,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub place: Option<String>,
    pub host: Option<String>,
    pub recorder: Option<String>,
    pub topic: String,
    pub minutes: String,
    pub attendance: Vec<Attendee>,
    pub resolutions: Vec<ResolutionDetail>,
    /// Sign-in sheets, photos, minutes: files in the archive's store, in the order added.
    pub attachments: Vec<AttachmentRef>,
}

/// A meeting in a list.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MeetingSummary {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub branch_id: i64,
    pub branch: String,
    pub kind: MeetingKind,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub topic: String,
    pub present: usize,
    pub resolutions: usize,
}

pub fn show(archive: &Archive, actor: &Actor, id: i64) -> Result<MeetingDetail, MeetingError> {
    auth::require_meeting(archive, actor, Permission::MemberRead, id)?;
    let mut meeting = db::meetings::get(archive.conn(), id)?.ok_or(MeetingError::NotFound(id))?;
    for resolution in &mut meeting.resolutions {
        let count =
            |choice: VoteChoice| resolution.votes.iter().filter(|v| v.vote == choice).count();
        (resolution.yes, resolution.no, resolution.abstain) = (
            count(VoteChoice::Yes),
            count(VoteChoice::No),
            count(VoteChoice::Abstain),
        );
        resolution.needed = more_than_half(resolution.entitled);
    }
    meeting.attachments = db::attachments::of_meetings(archive.conn(), &[id])?
        .into_iter()
        .map(|(_, file)| file)
        .collect();
    Ok(meeting)
}

/// Attaches a file on disk to a recorded meeting (a sign-in sheet scanned later). Attaching the
/// same content twice keeps one link.
pub fn attach(
    archive: &mut Archive,
    actor: &Actor,
    meeting_id: i64,
    path: &Path,
) -> Result<AttachmentRef, MeetingError> {
    attach_source(
        archive,
        actor,
        meeting_id,
        &AttachmentSource::Path(path.to_path_buf()),
    )
}

/// `attach` for the bytes of a file the UI read, named `file_name` on the user's machine.
pub fn attach_bytes(
    archive: &mut Archive,
    actor: &Actor,
    meeting_id: i64,
    file_name: &str,
    bytes: &[u8],
) -> Result<AttachmentRef, MeetingError> {
    attach_source(
        archive,
        actor,
        meeting_id,
        &AttachmentSource::Bytes {
            file_name: file_name.to_string(),
            bytes: bytes.to_vec(),
        },
    )
}

fn attach_source(
    archive: &mut Archive,
    actor: &Actor,
    meeting_id: i64,
    source: &AttachmentSource,
) -> Result<AttachmentRef, MeetingError> {
    if !db::meetings::exists(archive.conn(), meeting_id)? {
        return Err(MeetingError::NotFound(meeting_id));
    }
    auth::require_meeting(archive, actor, Permission::MeetingWrite, meeting_id)?;
    let file = store_source(archive, source)?;
    db::with_tx(archive.conn_mut(), |tx| {
        link_files(tx, actor, meeting_id, std::slice::from_ref(&file))
    })?;
    Ok(file)
}

/// The content of a file attached to the meeting (at most `documents::MAX_READ_BYTES`).
pub fn read_attachment(
    archive: &Archive,
    actor: &Actor,
    meeting_id: i64,
    sha256: &str,
) -> Result<(AttachmentRef, Vec<u8>), MeetingError> {
    if !db::meetings::exists(archive.conn(), meeting_id)? {
        return Err(MeetingError::NotFound(meeting_id));
    }
    auth::require_meeting(archive, actor, Permission::MemberRead, meeting_id)?;
    let file = db::attachments::of_meetings(archive.conn(), &[meeting_id])?
        .into_iter()
        .map(|(_, file)| file)
        .find(|file| file.sha256 == sha256)
        .ok_or_else(|| MeetingError::AttachmentNotFound {
            meeting_id,
            sha256: sha256.to_string(),
        })?;
    let bytes = documents::read(archive, actor, sha256)?;
    Ok((file, bytes))
}

/// Meetings of a branch (or all), newest first, optionally within dates and of one kind.
pub fn list(
    archive: &Archive,
    actor: &Actor,
    branch_id: Option<i64>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    kind: Option<MeetingKind>,
) -> Result<Vec<MeetingSummary>, MeetingError> {
    match branch_id {
        Some(branch) => auth::require_unit(archive, actor, Permission::MemberRead, branch)?,
        None => auth::require(archive, actor, Permission::MemberRead)?,
    }
    let mut meetings = db::meetings::list(
        archive.conn(),
        branch_id,
        from,
        to,
        kind.map(MeetingKind::as_code),
    )?;
    meetings.retain(|m| actor.sees_unit(Some(m.branch_id)));
    Ok(meetings)
}

/// A resolution as it concerns one member: about them, or one they voted on.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MemberResolution {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: ResolutionKind,
    /// The member the resolution is about (none for `other`).
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    pub member_name: Option<String>,
    pub text: String,
    /// Full members entitled to vote on the day.
    pub entitled: usize,
    pub yes: usize,
    pub no: usize,
    pub abstain: usize,
    pub passed: bool,
    /// This member's own vote, if they cast one.
    pub own_vote: Option<VoteChoice>,
}

/// A meeting as it concerns one member: they have an attendance entry, or it decided a
/// resolution about them.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MemberMeeting {
    #[ts(type = "number")]
    pub member_id: i64,
    #[ts(type = "number")]
    pub meeting_id: i64,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub kind: MeetingKind,
    pub topic: String,
    /// None when the member is not on the attendance list (a resolution about an applicant).
    pub attendance: Option<AttendanceStatus>,
    pub reason: Option<String>,
    /// Resolutions of the meeting about this member or that they voted on, in order.
    pub resolutions: Vec<MemberResolution>,
    /// The names of the files attached to the meeting (sign-in sheets, photos, minutes).
    pub attachments: Vec<String>,
}

/// The meetings concerning a member, oldest first.
pub fn of_member(
    archive: &Archive,
    actor: &Actor,
    member_id: i64,
) -> Result<Vec<MemberMeeting>, MeetingError> {
    of_members(archive, actor, &[member_id])
}

/// The meetings concerning each of several members in two queries (for dossier batches), sorted
/// by member id, then date.
pub fn of_members(
    archive: &Archive,
    actor: &Actor,
    member_ids: &[i64],
) -> Result<Vec<MemberMeeting>, MeetingError> {
    auth::require_members(archive, actor, Permission::MemberRead, member_ids)?;
    let mut meetings = db::meetings::of_members(archive.conn(), member_ids)?;
    let mut ids: Vec<i64> = meetings.iter().map(|m| m.meeting_id).collect();
    ids.sort_unstable();
    ids.dedup();
    let mut files: std::collections::HashMap<i64, Vec<String>> = std::collections::HashMap::new();
    for (meeting_id, file) in db::attachments::of_meetings(archive.conn(), &ids)? {
        files.entry(meeting_id).or_default().push(file.file_name);
    }
    for meeting in &mut meetings {
        if let Some(names) = files.get(&meeting.meeting_id) {
            meeting.attachments.clone_from(names);
        }
    }
    Ok(meetings)
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    #[rstest]
    // More than half: exactly half is not enough.
    #[case(10, 5, false)]
    #[case(10, 6, true)]
    #[case(9, 4, false)]
    #[case(9, 5, true)]
    #[case(1, 1, true)]
    #[case(2, 1, false)]
    #[case(0, 0, false)]
    fn quorum_needs_more_than_half_of_the_entitled(
        #[case] entitled: usize,
        #[case] present: usize,
        #[case] quorate: bool,
    ) {
        assert_eq!(is_quorate(entitled, present), quorate);
    }

    #[rstest]
    // Yes votes against the entitled, not those present: 6 present of 10, 5 yes is not enough
    // even though it is most of the room.
    #[case(10, 5, false)]
    #[case(10, 6, true)]
    #[case(7, 3, false)]
    #[case(7, 4, true)]
    fn a_resolution_needs_yes_from_more_than_half_of_the_entitled(
        #[case] entitled: usize,
        #[case] yes: usize,
        #[case] passed: bool,
    ) {
        assert_eq!(passes(entitled, yes), passed);
    }
}
