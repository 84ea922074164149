//! The development process as rules: versioned rule sets (`rules`) and the check of members'
//! timelines against them (`check`).
//!
//! This module owns what a correct dossier looks like. It does not record steps (that is
//! `people`) and does not print anything (the doors do).

mod check;
mod due;
pub mod materials;
mod plan;
pub mod rules;

use std::collections::HashMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub use check::Finding;
pub use due::{DueItem, DueKind};
pub use materials::{Material, MaterialStatus};
pub use plan::{Plan, PlanConflict, PlannedStep};
pub use rules::{Check, Rule, RuleBook, RuleError, RuleSet, RuleSetKind, Severity};

use crate::actor::{Actor, Permission};
use crate::archive::Archive;
use crate::audit::{self, Action, Target};
use crate::auth;
use crate::db::{self, members::Scope};
use crate::documents::{self, AttachmentRef, DocumentError};
use crate::error::ErrorCode;
use crate::people::{EventKind, EventPerson, STEPS, Stage, step_info};

/// Which members to check, and the day to check them on.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub member_id: Option<i64>,
    pub branch_id: Option<i64>,
    /// Today: steps that are due but missing are overdue relative to this day.
    pub as_of: NaiveDate,
}

/// A development step to record for a member.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct StepRequest {
    #[ts(type = "number")]
    pub member_id: i64,
    /// 1–25 as numbered in domain.md.
    pub step: u8,
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// The talker, contacts, introducers... named at this step.
    pub people: Vec<EventPerson>,
    pub note: Option<String>,
}

/// A file to attach to a step as evidence, and which archive material it is (by default the first
/// material of the step).
#[derive(Debug, Clone)]
pub struct Evidence {
    pub path: std::path::PathBuf,
    pub material: Option<String>,
}

/// What a correction of a recorded step says instead: the date, the people, and why.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct StepCorrection {
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub people: Vec<EventPerson>,
    /// The reason for the correction.
    pub note: Option<String>,
}

/// A recorded step and the (non-blocking) findings it brought.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StepOutcome {
    #[ts(type = "number")]
    pub event_id: i64,
    pub findings: Vec<Finding>,
}

/// A probation extension (延长预备期) the branch meeting decided instead of converting the member.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct ExtensionRequest {
    #[ts(type = "number")]
    pub member_id: i64,
    /// The day of the decision.
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// How many months the probation is extended by (the rules say how many are allowed).
    pub months: u8,
    pub note: Option<String>,
}

/// A file attached to one of the member's current timeline events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct EventFile {
    #[ts(type = "number")]
    pub event_id: i64,
    pub file: AttachmentRef,
}

/// One of the 25 steps, for pickers.
#[derive(Debug, Clone, Serialize, TS)]
pub struct StepInfo {
    pub number: u8,
    pub zh: String,
    pub en: String,
    /// The stage a member is in once the step is recorded.
    pub stage_after: Stage,
}

/// Steps that are recorded more than once in a normal file (the half-yearly activist review,
/// the probation reviews); any other step is recorded once.
const REPEATABLE_STEPS: [u8; 2] = [6, 21];

#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error("no member with id {0}")]
    MemberNotFound(i64),
    #[error("step {0} is not one of the 25 development steps")]
    NoSuchStep(u8),
    #[error("a step cannot be recorded for a day after today ({date} is after {today})")]
    FutureDate { date: NaiveDate, today: NaiveDate },
    #[error(
        "step {step} is already recorded for this member (on {date}); to change it, correct the \
         recorded step (`dangan step correct`)"
    )]
    AlreadyRecorded { step: u8, date: NaiveDate },
    #[error("the step was not recorded: {}", blocking_messages(findings))]
    Blocked { findings: Vec<Finding> },
    #[error(
        "{0:?} is not a change of status (one of transferred_in, transferred_out, disqualified, \
         withdrawn, deceased; a probation extension is recorded with its months)"
    )]
    NotAStatus(String),
    #[error("a probation extension of {0} months: give a number of months above 0")]
    NoMonths(u8),
    #[error("the member already left on {0} (a transfer in brings them back)")]
    AlreadyLeft(NaiveDate),
    #[error("a change of status cannot come before the member's last recorded step ({0})")]
    BeforeLastStep(NaiveDate),
    #[error("no current event with id {0} (it does not exist, or was already corrected)")]
    EventNotFound(i64),
    #[error("event {0} is not a development step; only steps can be corrected")]
    NotAStep(i64),
    #[error("{0:?} is not an archive material; `dangan materials MEMBER` lists them")]
    NoSuchMaterial(String),
    #[error("the material {material:?} is filed with step {material_step}, not with step {step}")]
    MaterialOfAnotherStep {
        material: String,
        material_step: u8,
        step: u8,
    },
    #[error(transparent)]
    Rules(#[from] RuleError),
    #[error(transparent)]
    Document(#[from] DocumentError),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

fn blocking_messages(findings: &[Finding]) -> String {
    findings
        .iter()
        .filter(|f| f.severity == Severity::Block)
        .map(|f| format!("{}（{}，{}）", f.message, f.rule_title, f.source))
        .collect::<Vec<_>>()
        .join("；")
}

impl ErrorCode for LifecycleError {
    fn code(&self) -> &'static str {
        match self {
            LifecycleError::Forbidden(_) => "forbidden",
            LifecycleError::MemberNotFound(_) => "member_not_found",
            LifecycleError::NoSuchStep(_) => "invalid_argument",
            LifecycleError::FutureDate { .. } => "invalid_argument",
            LifecycleError::AlreadyRecorded { .. } => "step_already_recorded",
            LifecycleError::Blocked { .. } => "step_blocked",
            LifecycleError::NoSuchMaterial(_) => "invalid_argument",
            LifecycleError::MaterialOfAnotherStep { .. } => "invalid_argument",
            LifecycleError::EventNotFound(_) => "event_not_found",
            LifecycleError::NotAStatus(_) => "invalid_argument",
            LifecycleError::NoMonths(_) => "invalid_argument",
            LifecycleError::AlreadyLeft(_) => "member_already_left",
            LifecycleError::BeforeLastStep(_) => "invalid_argument",
            LifecycleError::NotAStep(_) => "invalid_argument",
            LifecycleError::Rules(err) => err.code(),
            LifecycleError::Document(err) => err.code(),
            LifecycleError::Db(_) => "database",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            LifecycleError::Forbidden(f) => f.details(),
            LifecycleError::Blocked { findings } => serde_json::json!({ "findings": findings }),
            _ => serde_json::Value::Null,
        }
    }
}

/// The rule sets the archive checks against: the national baseline and the local sets loaded
/// into this archive.
pub fn rule_book(archive: &Archive, _actor: &Actor) -> Result<RuleBook, LifecycleError> {
    let mut book = RuleBook::default();
    for stored in db::rules::all(archive.conn())? {
        book.add_local(RuleSet::from_toml(&stored.toml, &stored.file_name)?)?;
    }
    Ok(book)
}

/// Loads a local rule set (TOML text; `file_name` names it in errors) after checking that it only
/// tightens the national rules. Its rules then apply to steps dated from its `effective_from`.
pub fn load_rule_set(
    archive: &Archive,
    actor: &Actor,
    text: &str,
    file_name: &str,
) -> Result<RuleSet, LifecycleError> {
    auth::require(archive, actor, Permission::Admin)?;
    let set = RuleSet::from_toml(text, file_name)?;
    if set.kind != RuleSetKind::Local {
        return Err(RuleError::NotLocal { set: set.id }.into());
    }
    if db::rules::exists(archive.conn(), &set.id)? {
        return Err(RuleError::AlreadyLoaded { set: set.id }.into());
    }
    let mut book = rule_book(archive, actor)?;
    book.add_local(set.clone())?;
    db::rules::insert(archive.conn(), &set, text, file_name, actor.name())?;
    Ok(set)
}

/// Runs every rule over the members the request selects and returns the findings, member by
/// member, in timeline order.
pub fn check(
    archive: &Archive,
    actor: &Actor,
    request: &CheckRequest,
) -> Result<Vec<Finding>, LifecycleError> {
    let book = rule_book(archive, actor)?;
    if let Some(id) = request.member_id {
        require_member(archive, actor, Permission::MemberRead, id)?;
        // One member (the member page asks on every visit): load their timeline and only the
        // timelines of the people named in it.
        let subject = load_subject(archive, id)?;
        let full_member_since = full_member_dates_of_people(archive, &[&subject])?;
        return Ok(check::check_subject(
            &subject,
            &book,
            &full_member_since,
            request.as_of,
        ));
    }
    let (subjects, full_member_since) = match request.branch_id {
        // A branch: its timelines, and those of the people named in them (introducers and
        // contacts may belong to another branch).
        Some(branch) => {
            let subjects = visible_subjects(archive, actor, Some(branch))?;
            let named: Vec<&Subject> = subjects.iter().collect();
            let mut since = full_member_dates_of_people(archive, &named)?;
            since.extend(full_member_dates(&subjects));
            (subjects, since)
        }
        // Everyone: every timeline once, which also tells when each member became a full member.
        None => {
            auth::require(archive, actor, Permission::MemberRead)?;
            let mut subjects = db::members::subjects(archive.conn(), Scope::All)?;
            let since = full_member_dates(&subjects);
            retain_visible(archive, actor, &mut subjects)?;
            (subjects, since)
        }
    };
    Ok(subjects
        .iter()
        .flat_map(|s| check::check_subject(s, &book, &full_member_since, request.as_of))
        .collect())
}

/// The members (of a branch, or all) who were full members on `date` and had not left by then:
/// those entitled to vote at a meeting that day. (id, name), by id.
pub fn full_members_on(
    archive: &Archive,
    actor: &Actor,
    branch_id: Option<i64>,
    date: NaiveDate,
) -> Result<Vec<(i64, String)>, LifecycleError> {
    let subjects = visible_subjects(archive, actor, branch_id)?;
    let since = full_member_dates(&subjects);
    Ok(subjects
        .into_iter()
        .filter(|s| since.get(&s.member_id).is_some_and(|d| *d <= date))
        .filter(|s| s.left_on.is_none_or(|left| left > date))
        .map(|s| (s.member_id, s.name))
        .collect())
}

/// The party members (of a branch, or all) on `date` — a step making them a probationary or full
/// member (the party committee's approval, step 17) recorded by then, and not left — each with
/// whether they were a full member that day (the same test as `full_members_on`), by id.
pub fn party_members_on(
    archive: &Archive,
    actor: &Actor,
    branch_id: Option<i64>,
    date: NaiveDate,
) -> Result<Vec<(i64, String, bool)>, LifecycleError> {
    let subjects = visible_subjects(archive, actor, branch_id)?;
    let since = full_member_dates(&subjects);
    Ok(subjects
        .into_iter()
        .filter(|s| {
            s.steps.iter().any(|r| {
                r.date <= date
                    && step_info(r.step).is_some_and(|i| {
                        matches!(i.stage_after, Stage::ProbationaryMember | Stage::FullMember)
                    })
            })
        })
        .filter(|s| s.left_on.is_none_or(|left| left > date))
        .map(|s| {
            let full = since.get(&s.member_id).is_some_and(|d| *d <= date);
            (s.member_id, s.name, full)
        })
        .collect())
}

/// Everything due for each member (of a branch, or all) up to `until` — deadlines of steps,
/// periodic reviews, the conversion meeting once probation ends, thought reports, political
/// birthdays — with the overdue ones, as of `as_of`; members who left owe nothing.
pub fn due(
    archive: &Archive,
    actor: &Actor,
    branch_id: Option<i64>,
    from: NaiveDate,
    until: NaiveDate,
    as_of: NaiveDate,
) -> Result<Vec<DueItem>, LifecycleError> {
    let book = rule_book(archive, actor)?;
    let subjects = visible_subjects(archive, actor, branch_id)?;
    let mut items: Vec<DueItem> = subjects
        .iter()
        .flat_map(|s| due::due_items(s, &book, as_of, from, until))
        .collect();
    items.sort_by(|a, b| a.date.cmp(&b.date).then(a.member_id.cmp(&b.member_id)));
    Ok(items)
}

/// Each member's branch, by member id.
pub fn member_branches(
    archive: &Archive,
    _actor: &Actor,
) -> Result<HashMap<i64, Option<i64>>, LifecycleError> {
    Ok(db::members::branch_ids(archive.conn())?)
}

/// A member's thought reports that are due and missing.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MissingReports {
    #[ts(type = "number")]
    pub member_id: i64,
    pub name: String,
    /// The quarters with no report, oldest first.
    #[ts(type = "Array<string>")]
    pub missing: Vec<crate::reports::Quarter>,
}

/// The quarters each member (one member, a branch, or everyone) owes a thought report for, by
/// the rule in force today; members who owe none are left out.
pub fn missing_reports(
    archive: &Archive,
    actor: &Actor,
    request: &CheckRequest,
) -> Result<Vec<MissingReports>, LifecycleError> {
    let book = rule_book(archive, actor)?;
    let subjects = match request.member_id {
        Some(id) => {
            require_member(archive, actor, Permission::MemberRead, id)?;
            vec![load_subject(archive, id)?]
        }
        None => visible_subjects(archive, actor, request.branch_id)?,
    };
    let rules = book.rules_at(request.as_of);
    Ok(subjects
        .iter()
        .filter_map(|s| {
            let end = s.pending_until(request.as_of);
            let mut missing: Vec<_> = rules
                .iter()
                .flat_map(|(rule, set)| check::missing_reports(s, rule, set, end))
                .collect();
            missing.sort();
            missing.dedup();
            (!missing.is_empty()).then(|| MissingReports {
                member_id: s.member_id,
                name: s.name.clone(),
                missing,
            })
        })
        .collect())
}

/// The member's remaining steps: the earliest day each can happen, deadlines, and the steps that
/// cannot happen before they leave the school.
pub fn plan(
    archive: &Archive,
    actor: &Actor,
    member_id: i64,
    as_of: NaiveDate,
) -> Result<Plan, LifecycleError> {
    require_member(archive, actor, Permission::MemberRead, member_id)?;
    let book = rule_book(archive, actor)?;
    Ok(plan::plan(&load_subject(archive, member_id)?, &book, as_of))
}

/// The plans of every member (of a branch, if given) that has a step that cannot happen before
/// they leave: the list a counselor needs a year ahead.
pub fn plan_conflicts(
    archive: &Archive,
    actor: &Actor,
    branch_id: Option<i64>,
    as_of: NaiveDate,
) -> Result<Vec<Plan>, LifecycleError> {
    let book = rule_book(archive, actor)?;
    Ok(visible_subjects(archive, actor, branch_id)?
        .iter()
        .map(|s| plan::plan(s, &book, as_of))
        .filter(|plan| !plan.conflicts.is_empty())
        .collect())
}

/// The day each person named in these timelines became a full member, if they have.
fn full_member_dates_of_people(
    archive: &Archive,
    subjects: &[&Subject],
) -> Result<HashMap<i64, NaiveDate>, LifecycleError> {
    let mut ids: Vec<i64> = subjects
        .iter()
        .flat_map(|s| {
            s.steps
                .iter()
                .flat_map(|r| r.people.iter().filter_map(|p| p.member_id))
        })
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut people = Vec::new();
    for id in ids {
        people.extend(db::members::subjects(archive.conn(), Scope::Member(id))?);
    }
    Ok(full_member_dates(&people))
}

/// The day each of these members became a full member, if they have.
fn full_member_dates(subjects: &[Subject]) -> HashMap<i64, NaiveDate> {
    subjects
        .iter()
        .filter_map(|s| {
            let joined = s.steps.iter().find(|r| r.step == 15).map(|r| r.date);
            let max_step = s.steps.iter().map(|r| r.step).max();
            Some((
                s.member_id,
                crate::people::full_member_date(joined, max_step, s.extension_months())?,
            ))
        })
        .collect()
}

/// The 25 steps in order.
pub fn steps() -> Vec<StepInfo> {
    STEPS
        .iter()
        .map(|s| StepInfo {
            number: s.number,
            zh: s.zh.to_string(),
            en: s.en.to_string(),
            stage_after: s.stage_after,
        })
        .collect()
}

/// What recording `request` would add to the member's findings, without recording it. `as_of` is
/// today.
pub fn preview_step(
    archive: &Archive,
    actor: &Actor,
    request: &StepRequest,
    as_of: NaiveDate,
) -> Result<Vec<Finding>, LifecycleError> {
    require_member(archive, actor, Permission::MemberWrite, request.member_id)?;
    let book = rule_book(archive, actor)?;
    let subject = load_subject(archive, request.member_id)?;
    validate(&subject, request, as_of)?;
    new_findings(archive, &book, subject, request, as_of)
}

/// Records a development step unless it breaks a blocking rule; returns the warnings it brought.
pub fn add_step(
    archive: &mut Archive,
    actor: &Actor,
    request: &StepRequest,
    as_of: NaiveDate,
) -> Result<StepOutcome, LifecycleError> {
    add_step_with_evidence(archive, actor, request, &[], as_of)
}

/// Like `add_step`, with files attached to the step as evidence. The files are stored first
/// (content-addressed, so a failure leaves at most an unreferenced copy); the event, its people
/// and its attachments are then written in one transaction.
pub fn add_step_with_evidence(
    archive: &mut Archive,
    actor: &Actor,
    request: &StepRequest,
    evidence: &[Evidence],
    as_of: NaiveDate,
) -> Result<StepOutcome, LifecycleError> {
    let findings = preview_step(archive, actor, request, as_of)?;
    if findings.iter().any(|f| f.severity == Severity::Block) {
        return Err(LifecycleError::Blocked { findings });
    }
    let mut attachments = Vec::new();
    for item in evidence {
        let material = match &item.material {
            Some(id) if !materials::exists(id) => {
                return Err(LifecycleError::NoSuchMaterial(id.clone()));
            }
            Some(id) => Some(id.clone()),
            None => materials::default_for_step(request.step),
        };
        attachments.push(documents::store(archive, &item.path, material)?);
    }
    let event = new_event(request);
    let event_id = db::with_tx(archive.conn_mut(), |tx| {
        let event_id = db::members::insert_event(tx, &event, actor.name())?;
        for attachment in &attachments {
            db::attachments::insert_blob(tx, &attachment.sha256, attachment.size)?;
            db::attachments::link(tx, event_id, attachment, actor.name())?;
        }
        audit::record(
            tx,
            actor,
            Action::StepAdd,
            Target::event(event_id, request.member_id),
            serde_json::json!({ "after": request, "files": attachments }),
        )?;
        Ok::<_, rusqlite::Error>(event_id)
    })?;
    Ok(StepOutcome { event_id, findings })
}

/// The archive materials in dossier order, with the member's files for each and which required
/// ones are missing.
pub fn materials(
    archive: &Archive,
    actor: &Actor,
    member_id: i64,
) -> Result<Vec<MaterialStatus>, LifecycleError> {
    require_member(archive, actor, Permission::MemberRead, member_id)?;
    let subject = load_subject(archive, member_id)?;
    let steps: Vec<u8> = subject.steps.iter().map(|r| r.step).collect();
    let attachments = db::attachments::of_member(archive.conn(), member_id)?;
    Ok(materials::status(&steps, &attachments))
}

/// Attaches a file (its bytes, as the UI read them) to a recorded step as evidence, filed as
/// `material` (by default the first material of the step), which must be one of the step's.
/// The file is stored first; the link is written in one transaction.
pub fn attach_evidence(
    archive: &mut Archive,
    actor: &Actor,
    event_id: i64,
    file_name: &str,
    bytes: &[u8],
    material: Option<String>,
) -> Result<AttachmentRef, LifecycleError> {
    auth::require_event(archive, actor, Permission::MemberWrite, event_id)?;
    let (member_id, step, _date) = db::members::current_event(archive.conn(), event_id)?
        .ok_or(LifecycleError::EventNotFound(event_id))?;
    let step = step.ok_or(LifecycleError::NotAStep(event_id))?;
    let material = match material {
        None => materials::default_for_step(step),
        Some(id) => {
            let found = materials::catalogue()
                .into_iter()
                .find(|m| m.id == id)
                .ok_or_else(|| LifecycleError::NoSuchMaterial(id.clone()))?;
            if found.step != step {
                return Err(LifecycleError::MaterialOfAnotherStep {
                    material: id,
                    material_step: found.step,
                    step,
                });
            }
            Some(id)
        }
    };
    let attachment = documents::store_bytes(archive, file_name, bytes, material)?;
    db::with_tx(archive.conn_mut(), |tx| {
        db::attachments::insert_blob(tx, &attachment.sha256, attachment.size)?;
        db::attachments::link(tx, event_id, &attachment, actor.name())?;
        audit::record(
            tx,
            actor,
            Action::EvidenceAttach,
            Target::event(event_id, member_id),
            serde_json::json!({ "after": attachment }),
        )
    })?;
    Ok(attachment)
}

/// The files attached to the member's current events, in timeline order.
pub fn event_files(
    archive: &Archive,
    actor: &Actor,
    member_id: i64,
) -> Result<Vec<EventFile>, LifecycleError> {
    require_member(archive, actor, Permission::MemberRead, member_id)?;
    if db::members::get(archive.conn(), member_id)?.is_none() {
        return Err(LifecycleError::MemberNotFound(member_id));
    }
    Ok(
        db::attachments::of_member_events(archive.conn(), member_id)?
            .into_iter()
            .map(|(event_id, file)| EventFile { event_id, file })
            .collect(),
    )
}

/// The timelines to load for an optional branch filter: the branch's members, or everyone.
/// The timelines `actor` may read: a branch's (which must be in their scope) or every visible
/// member's.
fn visible_subjects(
    archive: &Archive,
    actor: &Actor,
    branch_id: Option<i64>,
) -> Result<Vec<Subject>, LifecycleError> {
    match branch_id {
        Some(branch) => {
            auth::require_unit(archive, actor, Permission::MemberRead, branch)?;
            Ok(db::members::subjects(
                archive.conn(),
                Scope::Branch(branch),
            )?)
        }
        None => {
            auth::require(archive, actor, Permission::MemberRead)?;
            let mut subjects = db::members::subjects(archive.conn(), Scope::All)?;
            retain_visible(archive, actor, &mut subjects)?;
            Ok(subjects)
        }
    }
}

/// Drops the timelines outside `actor`'s scope.
fn retain_visible(
    archive: &Archive,
    actor: &Actor,
    subjects: &mut Vec<Subject>,
) -> Result<(), LifecycleError> {
    if !actor.sees_all() {
        let branches = db::members::branch_ids(archive.conn())?;
        subjects.retain(|s| actor.sees_unit(branches.get(&s.member_id).copied().flatten()));
    }
    Ok(())
}

/// Refuses unless `actor` may do `permission` on member `member_id`.
fn require_member(
    archive: &Archive,
    actor: &Actor,
    permission: Permission,
    member_id: i64,
) -> Result<(), LifecycleError> {
    Ok(auth::require_member(archive, actor, permission, member_id)?)
}

fn load_subject(archive: &Archive, member_id: i64) -> Result<Subject, LifecycleError> {
    db::members::subjects(archive.conn(), Scope::Member(member_id))?
        .pop()
        .ok_or(LifecycleError::MemberNotFound(member_id))
}

fn validate(
    subject: &Subject,
    request: &StepRequest,
    as_of: NaiveDate,
) -> Result<(), LifecycleError> {
    step_info(request.step).ok_or(LifecycleError::NoSuchStep(request.step))?;
    if request.date > as_of {
        return Err(LifecycleError::FutureDate {
            date: request.date,
            today: as_of,
        });
    }
    if !REPEATABLE_STEPS.contains(&request.step)
        && let Some(done) = subject.steps.iter().find(|r| r.step == request.step)
    {
        return Err(LifecycleError::AlreadyRecorded {
            step: request.step,
            date: done.date,
        });
    }
    Ok(())
}

/// The findings the member's file has with the step that it did not have without it.
fn new_findings(
    archive: &Archive,
    book: &RuleBook,
    subject: Subject,
    request: &StepRequest,
    as_of: NaiveDate,
) -> Result<Vec<Finding>, LifecycleError> {
    let mut after = subject.clone();
    insert_record(&mut after, request);
    findings_added(archive, book, &subject, &after, as_of)
}

fn insert_record(subject: &mut Subject, request: &StepRequest) {
    let position = subject.steps.partition_point(|r| r.date <= request.date);
    subject.steps.insert(
        position,
        StepRecord {
            step: request.step,
            date: request.date,
            people: request.people.clone(),
        },
    );
}

/// The findings of `after` that `before` does not have.
fn findings_added(
    archive: &Archive,
    book: &RuleBook,
    before: &Subject,
    after: &Subject,
    as_of: NaiveDate,
) -> Result<Vec<Finding>, LifecycleError> {
    let full_member_since = full_member_dates_of_people(archive, &[before, after])?;
    let old = check::check_subject(before, book, &full_member_since, as_of);
    let new = check::check_subject(after, book, &full_member_since, as_of);
    Ok(new
        .into_iter()
        .filter(|f| {
            !old.iter()
                .any(|b| b.rule == f.rule && b.message == f.message)
        })
        .collect())
}

/// Corrects a recorded step: records the corrected step as a new event and marks the old one as
/// superseded by it (history is kept, nothing is edited in place), unless the corrected file would
/// break a blocking rule it did not break before.
pub fn correct_step(
    archive: &mut Archive,
    actor: &Actor,
    event_id: i64,
    correction: &StepCorrection,
    as_of: NaiveDate,
) -> Result<StepOutcome, LifecycleError> {
    auth::require_event(archive, actor, Permission::MemberWrite, event_id)?;
    let (member_id, step, old_date) = db::members::current_event(archive.conn(), event_id)?
        .ok_or(LifecycleError::EventNotFound(event_id))?;
    let step = step.ok_or(LifecycleError::NotAStep(event_id))?;
    let book = rule_book(archive, actor)?;
    let before = load_subject(archive, member_id)?;
    let mut after = before.clone();
    if let Some(at) = after
        .steps
        .iter()
        .position(|r| r.step == step && r.date == old_date)
    {
        after.steps.remove(at);
    }
    let request = StepRequest {
        member_id,
        step,
        date: correction.date,
        people: correction.people.clone(),
        note: correction.note.clone(),
    };
    validate(&after, &request, as_of)?;
    insert_record(&mut after, &request);
    let findings = findings_added(archive, &book, &before, &after, as_of)?;
    if findings.iter().any(|f| f.severity == Severity::Block) {
        return Err(LifecycleError::Blocked { findings });
    }
    let event = new_event(&request);
    let new_id = db::with_tx(archive.conn_mut(), |tx| {
        let new_id = db::members::insert_event(tx, &event, actor.name())?;
        db::members::supersede(tx, event_id, new_id)?;
        db::attachments::copy_links(tx, event_id, new_id)?;
        audit::record(
            tx,
            actor,
            Action::StepCorrect,
            Target::event(new_id, member_id),
            serde_json::json!({ "before": { "event_id": event_id, "step": step, "date": old_date }, "after": correction }),
        )?;
        Ok::<_, rusqlite::Error>(new_id)
    })?;
    Ok(StepOutcome {
        event_id: new_id,
        findings,
    })
}

/// What recording the probation extension would add to the member's findings, without
/// recording it.
pub fn preview_extension(
    archive: &Archive,
    actor: &Actor,
    request: &ExtensionRequest,
    as_of: NaiveDate,
) -> Result<Vec<Finding>, LifecycleError> {
    require_member(archive, actor, Permission::MemberWrite, request.member_id)?;
    let book = rule_book(archive, actor)?;
    let before = load_subject(archive, request.member_id)?;
    if request.months == 0 {
        return Err(LifecycleError::NoMonths(request.months));
    }
    if request.date > as_of {
        return Err(LifecycleError::FutureDate {
            date: request.date,
            today: as_of,
        });
    }
    if let Some(left) = before.left_on {
        return Err(LifecycleError::AlreadyLeft(left));
    }
    let mut after = before.clone();
    let position = after.extensions.partition_point(|e| e.date <= request.date);
    after.extensions.insert(
        position,
        Extension {
            date: request.date,
            months: u32::from(request.months),
        },
    );
    findings_added(archive, &book, &before, &after, as_of)
}

/// Records a probation extension (延长预备期) unless it breaks a blocking rule (too short or too
/// long, a second one, outside the probation); returns the warnings it brought. The probation,
/// and with it the earliest conversion meeting and 转为正式党员日期, move back by its months.
pub fn extend_probation(
    archive: &mut Archive,
    actor: &Actor,
    request: &ExtensionRequest,
    as_of: NaiveDate,
) -> Result<StepOutcome, LifecycleError> {
    let findings = preview_extension(archive, actor, request, as_of)?;
    if findings.iter().any(|f| f.severity == Severity::Block) {
        return Err(LifecycleError::Blocked { findings });
    }
    let event = db::members::NewEvent {
        member_id: request.member_id,
        kind: EventKind::ProbationExtended,
        step: None,
        months: Some(request.months),
        date: request.date,
        note: request.note.clone().filter(|n| !n.trim().is_empty()),
        people: Vec::new(),
    };
    let event_id = db::with_tx(archive.conn_mut(), |tx| {
        let id = db::members::insert_event(tx, &event, actor.name())?;
        audit::record(
            tx,
            actor,
            Action::ProbationExtend,
            Target::event(id, request.member_id),
            serde_json::json!({ "after": request }),
        )?;
        Ok::<_, rusqlite::Error>(id)
    })?;
    Ok(StepOutcome { event_id, findings })
}

/// Records a change of status: leaving (transfer out, disqualification, withdrawal, death) or
/// a transfer in (an arrival, or a return after leaving). Returns the event's id.
pub fn record_status(
    archive: &mut Archive,
    actor: &Actor,
    member_id: i64,
    kind: EventKind,
    date: NaiveDate,
    note: Option<String>,
    as_of: NaiveDate,
) -> Result<i64, LifecycleError> {
    require_member(archive, actor, Permission::MemberWrite, member_id)?;
    if matches!(kind, EventKind::Step | EventKind::ProbationExtended) {
        return Err(LifecycleError::NotAStatus(kind.as_code().to_string()));
    }
    if date > as_of {
        return Err(LifecycleError::FutureDate { date, today: as_of });
    }
    let subject = load_subject(archive, member_id)?;
    if let Some(last) = subject.steps.last().map(|r| r.date)
        && date < last
    {
        return Err(LifecycleError::BeforeLastStep(last));
    }
    if let Some(left) = subject.left_on
        && kind != EventKind::TransferredIn
    {
        return Err(LifecycleError::AlreadyLeft(left));
    }
    let event = db::members::NewEvent {
        member_id,
        kind,
        step: None,
        months: None,
        date,
        note: note.filter(|n| !n.trim().is_empty()),
        people: Vec::new(),
    };
    Ok(db::with_tx(archive.conn_mut(), |tx| {
        let id = db::members::insert_event(tx, &event, actor.name())?;
        audit::record(
            tx,
            actor,
            Action::StatusRecord,
            Target::event(id, member_id),
            serde_json::json!({ "after": { "kind": kind.as_code(), "date": date, "note": event.note } }),
        )?;
        Ok::<_, rusqlite::Error>(id)
    })?)
}

fn new_event(request: &StepRequest) -> db::members::NewEvent {
    db::members::NewEvent {
        member_id: request.member_id,
        kind: EventKind::Step,
        step: Some(request.step),
        months: None,
        date: request.date,
        note: request.note.clone().filter(|n| !n.trim().is_empty()),
        people: request
            .people
            .iter()
            .filter(|p| !p.name.trim().is_empty())
            .map(|p| (p.role, p.name.trim().to_string(), p.member_id))
            .collect(),
    }
}

pub(crate) use check::{Extension, StepRecord, Subject};

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;
    use crate::db::members::{NewMember, insert_member};
    use crate::people::PersonRole;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn archive_with_one_member() -> (tempfile::TempDir, Archive, i64) {
        let dir = tempfile::tempdir().unwrap();
        let archive = Archive::open(dir.path().join("a")).unwrap();
        let member = NewMember {
            name: "上官堃".to_string(),
            birth_date: Some(date("2001-03-01")),
            expected_graduation: Some(date("2027-06-30")),
            ..NewMember::default()
        };
        let id = insert_member(archive.conn(), &member).unwrap();
        (dir, archive, id)
    }

    fn request(member_id: i64, step: u8, on: NaiveDate, people: usize) -> StepRequest {
        let role = match step {
            5 => PersonRole::Contact,
            9 => PersonRole::Introducer,
            _ => PersonRole::Talker,
        };
        let names = ["甲", "乙", "丙"];
        StepRequest {
            member_id,
            step,
            date: on,
            people: names[..people]
                .iter()
                .map(|n| EventPerson {
                    role,
                    name: n.to_string(),
                    member_id: None,
                })
                .collect(),
            note: None,
        }
    }

    #[test]
    fn a_blocked_step_is_not_written_and_a_warned_one_is() {
        let (_dir, mut archive, id) = archive_with_one_member();
        let actor = Actor::local_admin();
        let today = date("2026-11-24");
        add_step(
            &mut archive,
            &actor,
            &request(id, 1, date("2024-03-01"), 0),
            today,
        )
        .unwrap();
        // Activist before the talk: the order rule blocks it.
        let err = add_step(
            &mut archive,
            &actor,
            &request(id, 3, date("2024-05-01"), 0),
            today,
        )
        .unwrap_err();
        assert_eq!(err.code(), "step_blocked");
        let LifecycleError::Blocked { findings } = &err else {
            panic!("{err:?}")
        };
        assert!(findings.iter().any(|f| f.rule == "step_order"));
        // A late talk is recorded, with its warning.
        let outcome = add_step(
            &mut archive,
            &actor,
            &request(id, 2, date("2024-04-10"), 1),
            today,
        )
        .unwrap();
        assert_eq!(outcome.findings.len(), 1);
        assert_eq!(outcome.findings[0].rule, "talk_within_one_month");
        let steps: Vec<u8> = load_subject(&archive, id)
            .unwrap()
            .steps
            .iter()
            .map(|s| s.step)
            .collect();
        assert_eq!(steps, [1, 2]);
        // The preview of a step in the future or recorded twice says why.
        let err = preview_step(
            &archive,
            &actor,
            &request(id, 3, date("2026-12-01"), 0),
            today,
        )
        .unwrap_err();
        assert_eq!(err.code(), "invalid_argument");
        let err = preview_step(
            &archive,
            &actor,
            &request(id, 2, date("2024-04-11"), 0),
            today,
        )
        .unwrap_err();
        assert_eq!(err.code(), "step_already_recorded");
    }

    #[test]
    fn evidence_is_attached_to_a_current_step_and_follows_its_correction() {
        let (_dir, mut archive, id) = archive_with_one_member();
        let actor = Actor::local_admin();
        let today = date("2026-11-24");
        let applied = add_step(
            &mut archive,
            &actor,
            &request(id, 1, date("2024-03-01"), 0),
            today,
        )
        .unwrap()
        .event_id;
        let talk = add_step(
            &mut archive,
            &actor,
            &request(id, 2, date("2024-03-20"), 1),
            today,
        )
        .unwrap()
        .event_id;
        // No material named: the first of the step.
        let letter =
            attach_evidence(&mut archive, &actor, applied, "申请书.png", b"png", None).unwrap();
        assert_eq!(letter.material.as_deref(), Some("application_letter"));
        let record = attach_evidence(
            &mut archive,
            &actor,
            talk,
            "谈话记录.pdf",
            b"pdf",
            Some("talk_record".to_string()),
        )
        .unwrap();

        let files = event_files(&archive, &actor, id).unwrap();
        assert_eq!(
            files,
            [
                EventFile {
                    event_id: applied,
                    file: letter.clone()
                },
                EventFile {
                    event_id: talk,
                    file: record.clone()
                },
            ]
        );

        // A corrected talk keeps its evidence, listed once.
        let correction = StepCorrection {
            date: date("2024-03-22"),
            people: request(id, 2, date("2024-03-22"), 1).people,
            note: Some("日期笔误".to_string()),
        };
        let corrected = correct_step(&mut archive, &actor, talk, &correction, today)
            .unwrap()
            .event_id;
        let files = event_files(&archive, &actor, id).unwrap();
        assert_eq!(files.len(), 2, "{files:?}");
        assert_eq!(files[1].event_id, corrected);
        assert_eq!(files[1].file, record);
        let talk_record = materials(&archive, &actor, id)
            .unwrap()
            .into_iter()
            .find(|m| m.material.id == "talk_record")
            .unwrap();
        assert_eq!(talk_record.files, [record]);

        // The superseded event, a status event, and materials that are not the step's are refused.
        let cases: [(i64, Option<&str>, &str); 3] = [
            (talk, None, "event_not_found"),
            (corrected, Some("application_letter"), "invalid_argument"),
            (corrected, Some("没有这种材料"), "invalid_argument"),
        ];
        for (event, material, code) in cases {
            let err = attach_evidence(
                &mut archive,
                &actor,
                event,
                "x.png",
                b"x",
                material.map(str::to_string),
            )
            .unwrap_err();
            assert_eq!(err.code(), code, "{err}");
        }
        let left = record_status(
            &mut archive,
            &actor,
            id,
            EventKind::TransferredOut,
            date("2024-04-01"),
            None,
            today,
        )
        .unwrap();
        let err = attach_evidence(&mut archive, &actor, left, "x.png", b"x", None).unwrap_err();
        assert!(matches!(err, LifecycleError::NotAStep(_)), "{err}");
        assert_eq!(
            event_files(&archive, &actor, id + 1).unwrap_err().code(),
            "member_not_found"
        );
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

        /// Whatever steps are offered, in whatever order and with whatever dates and people,
        /// the file the core accepted satisfies every blocking rule.
        #[test]
        fn accepted_steps_never_break_a_blocking_rule(
            moves in prop::collection::vec((-2i8..=2, 0u64..=250, 0usize..=3), 1..90)
        ) {
            let (_dir, mut archive, id) = archive_with_one_member();
            let actor = Actor::local_admin();
            let today = date("2026-11-24");
            // A walk around the furthest step accepted so far: mostly forward, sometimes back or
            // skipping ahead, with gaps from none to over a year.
            let mut furthest: i8 = 0;
            let mut on = date("2019-06-01");
            for (delta, gap, people) in moves {
                let step = (furthest + delta).clamp(1, 25);
                on = (on + chrono::Days::new(gap)).min(today);
                let offered = request(id, step.unsigned_abs(), on, people);
                if add_step(&mut archive, &actor, &offered, today).is_ok() {
                    furthest = furthest.max(step);
                }
            }
            let subject = load_subject(&archive, id).unwrap();
            let findings =
                check::check_subject(&subject, &RuleBook::default(), &HashMap::new(), today);
            let blocking: Vec<&Finding> =
                findings.iter().filter(|f| f.severity == Severity::Block).collect();
            prop_assert!(blocking.is_empty(), "{:?}\n{:?}", blocking, subject.steps);
        }
    }
}
