//! Members (党员 and everyone in the development pipeline): their records, their timeline of
//! events, and the stage derived from it.
//!
//! A member's stage is never stored: it is computed from the development steps recorded for them
//! and from status events (transfer out, disqualification...). This module owns that derivation
//! (`Stage::from_progress`) and the queries that list and show members. Rules about the intervals
//! between steps belong to the lifecycle rule set, not here.

pub mod id_number;
pub mod steps;

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::actor::Actor;
use crate::archive::Archive;
use crate::db;
use crate::error::ErrorCode;
pub use id_number::{IdNumber, IdNumberError};
pub use steps::{STEPS, Step, step_info};

/// Probation lasts one year from 入党时间 (党章第七条), plus any extension recorded; 转为正式党员日期
/// is derived from it. Whether the conversion meeting waited that long is the rule
/// `probation_one_year`'s business (lifecycle), which reads its months from the rule set.
const PROBATION_MONTHS: u32 = 12;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_code(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }

    pub fn from_code(code: &str) -> Option<Sex> {
        match code {
            "male" => Some(Sex::Male),
            "female" => Some(Sex::Female),
            _ => None,
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Sex::Male => "男",
            Sex::Female => "女",
        }
    }
}

/// Where a member stands: one of the five pipeline stages, or a state of having left.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Applicant,
    Activist,
    DevelopmentTarget,
    ProbationaryMember,
    FullMember,
    TransferredOut,
    Disqualified,
    Withdrawn,
    Deceased,
}

impl Stage {
    pub const ALL: [Stage; 9] = [
        Stage::Applicant,
        Stage::Activist,
        Stage::DevelopmentTarget,
        Stage::ProbationaryMember,
        Stage::FullMember,
        Stage::TransferredOut,
        Stage::Disqualified,
        Stage::Withdrawn,
        Stage::Deceased,
    ];

    /// The code used in the CLI, JSON and TypeScript.
    pub fn as_code(self) -> &'static str {
        match self {
            Stage::Applicant => "applicant",
            Stage::Activist => "activist",
            Stage::DevelopmentTarget => "development_target",
            Stage::ProbationaryMember => "probationary_member",
            Stage::FullMember => "full_member",
            Stage::TransferredOut => "transferred_out",
            Stage::Disqualified => "disqualified",
            Stage::Withdrawn => "withdrawn",
            Stage::Deceased => "deceased",
        }
    }

    pub fn from_code(code: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|stage| stage.as_code() == code)
    }

    pub fn zh(self) -> &'static str {
        match self {
            Stage::Applicant => "申请人",
            Stage::Activist => "入党积极分子",
            Stage::DevelopmentTarget => "发展对象",
            Stage::ProbationaryMember => "预备党员",
            Stage::FullMember => "正式党员",
            Stage::TransferredOut => "已转出",
            Stage::Disqualified => "已除名",
            Stage::Withdrawn => "已退党",
            Stage::Deceased => "已故",
        }
    }

    /// The stage given the highest development step recorded and the latest status event.
    /// A status event of leaving (transfer out, disqualification, withdrawal, death) decides;
    /// otherwise the step does, and a member with no steps yet is an applicant.
    pub fn from_progress(max_step: Option<u8>, latest_status: Option<EventKind>) -> Stage {
        if let Some(leaving) = latest_status.and_then(EventKind::leaving_stage) {
            return leaving;
        }
        max_step
            .and_then(step_info)
            .map_or(Stage::Applicant, |step| step.stage_after)
    }

    /// How to select the members in this stage by their progress: the inverse of
    /// `from_progress`, used to filter lists in SQL without computing every member's stage.
    pub(crate) fn selector(self) -> StageSelector {
        if let Some(kind) = EventKind::ALL
            .into_iter()
            .find(|k| k.leaving_stage() == Some(self))
        {
            return StageSelector::Left(kind);
        }
        let steps: Vec<u8> = STEPS
            .iter()
            .filter(|s| s.stage_after == self)
            .map(|s| s.number)
            .collect();
        let min = if self == Stage::Applicant {
            0
        } else {
            steps.first().copied().unwrap_or(0)
        };
        StageSelector::InPipeline {
            min_step: min,
            max_step: steps.last().copied().unwrap_or(0),
        }
    }
}

/// The SQL-side form of a stage filter (see `Stage::selector`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum StageSelector {
    /// Not left, and the highest step (0 for none) is within the range.
    InPipeline { min_step: u8, max_step: u8 },
    /// The latest status event is this one.
    Left(EventKind),
}

/// What a timeline event records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// One of the 25 development steps.
    Step,
    /// 延长预备期: the branch meeting extends the probation by some months instead of converting
    /// the member (the rules say how many and how often). Not a change of status.
    ProbationExtended,
    TransferredIn,
    TransferredOut,
    Disqualified,
    Withdrawn,
    Deceased,
}

impl EventKind {
    pub const ALL: [EventKind; 7] = [
        EventKind::Step,
        EventKind::ProbationExtended,
        EventKind::TransferredIn,
        EventKind::TransferredOut,
        EventKind::Disqualified,
        EventKind::Withdrawn,
        EventKind::Deceased,
    ];

    pub fn as_code(self) -> &'static str {
        match self {
            EventKind::Step => "step",
            EventKind::ProbationExtended => "probation_extended",
            EventKind::TransferredIn => "transferred_in",
            EventKind::TransferredOut => "transferred_out",
            EventKind::Disqualified => "disqualified",
            EventKind::Withdrawn => "withdrawn",
            EventKind::Deceased => "deceased",
        }
    }

    pub fn from_code(code: &str) -> Option<EventKind> {
        EventKind::ALL
            .into_iter()
            .find(|kind| kind.as_code() == code)
    }

    /// Whether this event means the member left (transfer out, disqualification, withdrawal,
    /// death).
    pub fn is_leaving(self) -> bool {
        self.leaving_stage().is_some()
    }

    /// The stage a member is in after this status event, if it means they have left.
    fn leaving_stage(self) -> Option<Stage> {
        match self {
            EventKind::TransferredOut => Some(Stage::TransferredOut),
            EventKind::Disqualified => Some(Stage::Disqualified),
            EventKind::Withdrawn => Some(Stage::Withdrawn),
            EventKind::Deceased => Some(Stage::Deceased),
            EventKind::Step | EventKind::ProbationExtended | EventKind::TransferredIn => None,
        }
    }

    fn titles(self) -> (&'static str, &'static str) {
        match self {
            EventKind::Step => ("发展步骤", "Development step"),
            EventKind::ProbationExtended => ("延长预备期", "Probation extended"),
            EventKind::TransferredIn => ("组织关系转入", "Transferred in"),
            EventKind::TransferredOut => ("组织关系转出", "Transferred out"),
            EventKind::Disqualified => ("除名或取消预备党员资格", "Disqualified"),
            EventKind::Withdrawn => ("退党", "Withdrew"),
            EventKind::Deceased => ("去世", "Deceased"),
        }
    }
}

/// The part a person played in an event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum PersonRole {
    /// 谈话人: who held the talk (steps 2 and 16).
    Talker,
    /// 培养联系人 (step 5).
    Contact,
    /// 入党介绍人 (step 9).
    Introducer,
    Approver,
    Other,
}

impl PersonRole {
    pub fn as_code(self) -> &'static str {
        match self {
            PersonRole::Talker => "talker",
            PersonRole::Contact => "contact",
            PersonRole::Introducer => "introducer",
            PersonRole::Approver => "approver",
            PersonRole::Other => "other",
        }
    }

    pub fn from_code(code: &str) -> Option<PersonRole> {
        [
            PersonRole::Talker,
            PersonRole::Contact,
            PersonRole::Introducer,
            PersonRole::Approver,
            PersonRole::Other,
        ]
        .into_iter()
        .find(|role| role.as_code() == code)
    }
}

/// A filtered, paged request for the member list.
#[derive(Debug, Clone, Default, Serialize, Deserialize, TS)]
pub struct MemberQuery {
    /// Part of a name, the start of a student number, or the last digits of an ID number.
    pub text: Option<String>,
    #[ts(type = "number | null")]
    pub branch_id: Option<i64>,
    pub stage: Option<Stage>,
    #[ts(type = "number")]
    pub offset: i64,
    #[ts(type = "number")]
    pub limit: i64,
}

impl MemberQuery {
    /// The largest page the list returns at once.
    pub const MAX_LIMIT: i64 = 500;
}

/// One row of the member list. The ID number is always masked here.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MemberSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub sex: Option<Sex>,
    pub student_no: Option<String>,
    #[ts(type = "number | null")]
    pub branch_id: Option<i64>,
    pub branch: Option<String>,
    pub college: Option<String>,
    pub class_name: Option<String>,
    pub stage: Stage,
    pub id_number_masked: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct MemberPage {
    /// How many members match the query in all (not just this page).
    #[ts(type = "number")]
    pub total: i64,
    pub rows: Vec<MemberSummary>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, TS)]
pub struct EventPerson {
    pub role: PersonRole,
    pub name: String,
    /// Set when the person is a member of this archive.
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
}

/// One entry of a member's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct MemberEvent {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: EventKind,
    /// 1–25 as numbered in domain.md, for `kind == step`.
    pub step: Option<u8>,
    /// How many months the probation is extended by, for `kind == probation_extended`.
    pub months: Option<u8>,
    /// The stage a member is in once this step is recorded.
    pub stage_of_step: Option<Stage>,
    pub title_zh: String,
    pub title_en: String,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub people: Vec<EventPerson>,
    pub note: Option<String>,
}

/// A member's whole record as the detail page and `dangan member show` present it.
#[derive(Debug, Clone, Serialize, TS)]
pub struct MemberDetail {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub sex: Option<Sex>,
    pub ethnicity: Option<String>,
    pub id_number_masked: Option<String>,
    #[ts(type = "string | null")]
    pub birth_date: Option<NaiveDate>,
    pub education: Option<String>,
    pub category: Option<String>,
    #[ts(type = "number | null")]
    pub branch_id: Option<i64>,
    pub branch: Option<String>,
    pub college: Option<String>,
    pub class_name: Option<String>,
    pub grade: Option<String>,
    pub student_no: Option<String>,
    #[ts(type = "string | null")]
    pub expected_graduation: Option<NaiveDate>,
    pub job: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub native_place: Option<String>,
    pub membership_status: Option<String>,
    pub lost_contact: bool,
    pub mobile: bool,
    pub stage: Stage,
    /// 入党时间: the date of the branch general meeting at step 15.
    #[ts(type = "string | null")]
    pub joined_date: Option<NaiveDate>,
    /// 转为正式党员日期: the end of the probation year, once the conversion is approved.
    #[ts(type = "string | null")]
    pub full_member_date: Option<NaiveDate>,
    /// In date order.
    pub events: Vec<MemberEvent>,
}

#[derive(Debug, thiserror::Error)]
pub enum MemberError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error("no member with id {0}")]
    NotFound(i64),
    #[error("member {0} has no ID number recorded")]
    NoIdNumber(i64),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for MemberError {
    fn code(&self) -> &'static str {
        match self {
            MemberError::Forbidden(_) => "forbidden",
            MemberError::NotFound(_) => "member_not_found",
            MemberError::NoIdNumber(_) => "id_number_missing",
            MemberError::Db(_) => "database",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            MemberError::Forbidden(f) => f.details(),
            MemberError::NotFound(id) | MemberError::NoIdNumber(id) => {
                serde_json::json!({ "id": id, "field": "id_number" })
            }
            MemberError::Db(_) => serde_json::Value::Null,
        }
    }
}

/// Lists members matching `query`, one page at a time, ordered by college, branch and student
/// number.
pub fn list(
    archive: &Archive,
    actor: &Actor,
    query: &MemberQuery,
) -> Result<MemberPage, MemberError> {
    let page = (
        query.offset.max(0),
        query.limit.clamp(1, MemberQuery::MAX_LIMIT),
    );
    list_members(archive, actor, query, Some(page))
}

/// Every member matching `query`'s filters (its offset and limit are ignored), in list order:
/// for batch jobs and scripts rather than screens.
pub fn list_all(
    archive: &Archive,
    actor: &Actor,
    query: &MemberQuery,
) -> Result<Vec<MemberSummary>, MemberError> {
    Ok(list_members(archive, actor, query, None)?.rows)
}

fn list_members(
    archive: &Archive,
    actor: &Actor,
    query: &MemberQuery,
    page: Option<(i64, i64)>,
) -> Result<MemberPage, MemberError> {
    match query.branch_id {
        // A branch named outside the scope is refused, not shown empty.
        Some(branch) => {
            crate::auth::require_unit(archive, actor, crate::actor::Permission::MemberRead, branch)?
        }
        None => crate::auth::require(archive, actor, crate::actor::Permission::MemberRead)?,
    }
    let filter = db::members::ListFilter {
        text: query
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty()),
        branch_id: query.branch_id,
        stage: query.stage.map(Stage::selector),
        units: actor.scope_filter(),
    };
    Ok(db::members::list(archive.conn(), &filter, page)?)
}

/// A member's record and timeline: a view of the member's file, recorded in the audit trail
/// (`member_view`). Code that reads a file to make something else (a dossier, a letter) uses
/// `detail` and records what it made.
pub fn show(archive: &Archive, actor: &Actor, id: i64) -> Result<MemberDetail, MemberError> {
    let detail = detail(archive, actor, id)?;
    crate::audit::record_alone(
        archive,
        actor,
        crate::audit::Action::MemberView,
        crate::audit::Target::member(id),
        serde_json::json!({}),
    )?;
    Ok(detail)
}

/// The member's full ID number, which lists and the member page show masked. Each reveal is
/// recorded in the audit trail (`id_reveal`, naming the member; the entry itself holds only the
/// masked form), in the same transaction as the read.
pub fn reveal_id_number(
    archive: &Archive,
    actor: &Actor,
    member_id: i64,
) -> Result<String, MemberError> {
    crate::auth::require_member(
        archive,
        actor,
        crate::actor::Permission::MemberRead,
        member_id,
    )?;
    let tx = archive.conn().unchecked_transaction()?;
    let number = db::members::id_number(&tx, member_id)?
        .ok_or(MemberError::NotFound(member_id))?
        .filter(|n| !n.trim().is_empty())
        .ok_or(MemberError::NoIdNumber(member_id))?;
    crate::audit::record(
        &tx,
        actor,
        crate::audit::Action::IdReveal,
        crate::audit::Target::member(member_id),
        serde_json::json!({ "id_number_masked": id_number::mask(&number) }),
    )?;
    tx.commit()?;
    Ok(number)
}

/// `show` without the audit entry, for the core's own reads.
pub(crate) fn detail(
    archive: &Archive,
    actor: &Actor,
    id: i64,
) -> Result<MemberDetail, MemberError> {
    crate::auth::require_member(archive, actor, crate::actor::Permission::MemberRead, id)?;
    let mut detail = db::members::get(archive.conn(), id)?.ok_or(MemberError::NotFound(id))?;
    detail.events = db::members::events(archive.conn(), id)?;
    let progress = Progress::of(&detail.events);
    detail.stage = progress.stage();
    detail.joined_date = progress.joined_date;
    detail.full_member_date = progress.full_member_date();
    Ok(detail)
}

/// What the timeline says about a member, computed once from their events.
#[derive(Debug, Default)]
struct Progress {
    max_step: Option<u8>,
    latest_status: Option<EventKind>,
    joined_date: Option<NaiveDate>,
    /// Months the probation was extended by (延长预备期).
    extension_months: u32,
}

impl Progress {
    /// `events` must be in date order.
    fn of(events: &[MemberEvent]) -> Progress {
        let mut progress = Progress::default();
        for event in events {
            match (event.kind, event.step) {
                (EventKind::Step, Some(step)) => {
                    progress.max_step = progress.max_step.max(Some(step));
                    if step == 15 {
                        progress.joined_date = Some(event.date);
                    }
                }
                (EventKind::Step, None) => {}
                (EventKind::ProbationExtended, _) => {
                    progress.extension_months += u32::from(event.months.unwrap_or(0));
                }
                (kind, _) => progress.latest_status = Some(kind),
            }
        }
        progress
    }

    fn stage(&self) -> Stage {
        Stage::from_progress(self.max_step, self.latest_status)
    }

    /// Party standing counts from the end of the probation (a year, plus any extension), once
    /// the conversion is approved (step 24), even when the conversion meeting was held later.
    fn full_member_date(&self) -> Option<NaiveDate> {
        full_member_date(self.joined_date, self.max_step, self.extension_months)
    }
}

/// 转为正式党员日期: the end of the probation that began on 入党时间 (`joined`) — a year, plus the
/// months it was extended by — once the conversion has been approved (step 24).
pub(crate) fn full_member_date(
    joined: Option<NaiveDate>,
    max_step: Option<u8>,
    extension_months: u32,
) -> Option<NaiveDate> {
    if max_step? < 24 {
        return None;
    }
    probation_end(joined?, extension_months)
}

/// The day the probation that began on 入党时间 `joined` ends: a year, plus the months it was
/// extended by, counted in one go (an 18-month probation from a leap day ends on 08-29).
pub(crate) fn probation_end(joined: NaiveDate, extension_months: u32) -> Option<NaiveDate> {
    joined.checked_add_months(Months::new(PROBATION_MONTHS + extension_months))
}

/// Builds a timeline entry's titles from its kind and step.
pub(crate) fn event_titles(kind: EventKind, step: Option<u8>) -> (String, String, Option<Stage>) {
    match step.and_then(step_info) {
        Some(info) if kind == EventKind::Step => (
            info.zh.to_string(),
            info.en.to_string(),
            Some(info.stage_after),
        ),
        _ => {
            let (zh, en) = kind.titles();
            (zh.to_string(), en.to_string(), None)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stage_follows_the_highest_step() {
        assert_eq!(Stage::from_progress(None, None), Stage::Applicant);
        assert_eq!(Stage::from_progress(Some(2), None), Stage::Applicant);
        assert_eq!(Stage::from_progress(Some(3), None), Stage::Activist);
        assert_eq!(
            Stage::from_progress(Some(7), None),
            Stage::DevelopmentTarget
        );
        assert_eq!(
            Stage::from_progress(Some(15), None),
            Stage::DevelopmentTarget
        );
        assert_eq!(
            Stage::from_progress(Some(17), None),
            Stage::ProbationaryMember
        );
        assert_eq!(
            Stage::from_progress(Some(23), None),
            Stage::ProbationaryMember
        );
        assert_eq!(Stage::from_progress(Some(24), None), Stage::FullMember);
    }

    #[test]
    fn leaving_overrides_the_steps_and_transfer_in_does_not() {
        let out = Some(EventKind::TransferredOut);
        assert_eq!(Stage::from_progress(Some(25), out), Stage::TransferredOut);
        let back = Some(EventKind::TransferredIn);
        assert_eq!(Stage::from_progress(Some(25), back), Stage::FullMember);
    }

    #[test]
    fn the_selector_is_the_inverse_of_the_derivation() {
        let statuses = [None, Some(EventKind::TransferredIn)].into_iter().chain(
            EventKind::ALL
                .into_iter()
                .filter(|k| *k != EventKind::Step)
                .map(Some),
        );
        for status in statuses {
            for max_step in std::iter::once(None).chain((1..=25).map(Some)) {
                let stage = Stage::from_progress(max_step, status);
                let selected = match stage.selector() {
                    StageSelector::Left(kind) => status == Some(kind),
                    StageSelector::InPipeline {
                        min_step,
                        max_step: hi,
                    } => {
                        status.and_then(EventKind::leaving_stage).is_none()
                            && (min_step..=hi).contains(&max_step.unwrap_or(0))
                    }
                };
                assert!(
                    selected,
                    "{stage:?} does not select step {max_step:?} / {status:?}"
                );
            }
        }
    }

    #[test]
    fn codes_round_trip() {
        for stage in Stage::ALL {
            assert_eq!(Stage::from_code(stage.as_code()), Some(stage));
            let json = serde_json::to_string(&stage).unwrap();
            assert_eq!(json, format!("\"{}\"", stage.as_code()));
        }
        for kind in EventKind::ALL {
            assert_eq!(EventKind::from_code(kind.as_code()), Some(kind));
        }
    }

    #[test]
    fn full_member_date_is_the_end_of_probation_after_approval() {
        let date = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let event = |step: u8, on: &str| MemberEvent {
            id: 0,
            kind: EventKind::Step,
            step: Some(step),
            months: None,
            stage_of_step: None,
            title_zh: String::new(),
            title_en: String::new(),
            date: date(on),
            people: vec![],
            note: None,
        };
        let mut events = vec![event(15, "2024-02-29"), event(17, "2024-04-01")];
        assert_eq!(Progress::of(&events).full_member_date(), None);
        events.push(event(23, "2025-03-10"));
        events.push(event(24, "2025-04-20"));
        let progress = Progress::of(&events);
        assert_eq!(progress.joined_date, Some(date("2024-02-29")));
        assert_eq!(progress.full_member_date(), Some(date("2025-02-28")));
        assert_eq!(progress.stage(), Stage::FullMember);

        // Extended by six months at the end of the year: standing counts from the new end, and
        // the extension is not a change of status.
        events.insert(
            2,
            MemberEvent {
                kind: EventKind::ProbationExtended,
                step: None,
                months: Some(6),
                ..event(0, "2025-03-01")
            },
        );
        let progress = Progress::of(&events);
        assert_eq!(progress.full_member_date(), Some(date("2025-08-29")));
        assert_eq!(progress.stage(), Stage::FullMember);
    }
}
