//! 民主评议党员 (democratic appraisal): each year a branch grades its members 优秀 / 合格 /
//! 基本合格 / 不合格, usually at its appraisal meeting, and a clerk enters the grades afterwards
//! as one batch. The batch is written in one transaction or not at all; a member has at most one
//! grade a year.
//!
//! Who is graded: the full members of the branch on the appraisal day (the meeting's date, or the
//! year's last day when no meeting is named, or today if that is earlier) who had not left —
//! `lifecycle::full_members_on`, the same members who vote at a general meeting. Probationary
//! members take part in the appraisal but are not graded: their standing is decided by the
//! conversion (step 23), and the grades' "about a third" share is a share of full members.
//!
//! The share of 优秀 is a rule in `assets/rules/appraisals.toml` (data, with its source): at most
//! ceil(graded × numerator / denominator). More is a warning, never a refusal.
//!
//! This is its own module rather than part of `meetings`: a grade belongs to a member and a year,
//! outlives the meeting (which is optional), and has its own rule and batch entry.

use std::collections::HashSet;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::actor::Actor;
use crate::archive::Archive;
use crate::audit::{self, Action, Target};
use crate::db;
use crate::error::ErrorCode;
use crate::lifecycle::{self, LifecycleError, Severity};
use crate::meetings::MeetingKind;

const RULES: &str = include_str!("../../assets/rules/appraisals.toml");

/// A yearly grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// 优秀
    #[serde(alias = "优秀")]
    Excellent,
    /// 合格
    #[serde(alias = "合格")]
    Qualified,
    /// 基本合格
    #[serde(alias = "基本合格")]
    BasicallyQualified,
    /// 不合格
    #[serde(alias = "不合格")]
    Unqualified,
}

impl Grade {
    pub const ALL: [Grade; 4] = [
        Grade::Excellent,
        Grade::Qualified,
        Grade::BasicallyQualified,
        Grade::Unqualified,
    ];

    pub fn as_code(self) -> &'static str {
        match self {
            Grade::Excellent => "excellent",
            Grade::Qualified => "qualified",
            Grade::BasicallyQualified => "basically_qualified",
            Grade::Unqualified => "unqualified",
        }
    }

    pub fn zh(self) -> &'static str {
        match self {
            Grade::Excellent => "优秀",
            Grade::Qualified => "合格",
            Grade::BasicallyQualified => "基本合格",
            Grade::Unqualified => "不合格",
        }
    }

    pub fn from_code(code: &str) -> Option<Grade> {
        Grade::ALL.into_iter().find(|g| g.as_code() == code)
    }

    /// A code or the Chinese name.
    pub fn parse(text: &str) -> Option<Grade> {
        let text = text.trim();
        Grade::ALL
            .into_iter()
            .find(|g| g.as_code() == text || g.zh() == text)
    }
}

/// One member's grade in a batch.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AppraisalEntry {
    #[ts(type = "number")]
    pub member_id: i64,
    pub grade: Grade,
    #[serde(default)]
    pub note: Option<String>,
}

/// The grades a branch gave in a year, as a clerk enters them after the meeting.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct AppraisalBatch {
    #[ts(type = "number")]
    pub branch_id: i64,
    pub year: i32,
    /// The 民主评议 meeting they were given at, if recorded.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub meeting_id: Option<i64>,
    pub grades: Vec<AppraisalEntry>,
}

/// A recorded grade.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Appraisal {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub member_id: i64,
    pub name: String,
    /// The branch that gave it.
    #[ts(type = "number")]
    pub branch_id: i64,
    pub branch: String,
    pub year: i32,
    pub grade: Grade,
    #[ts(type = "number | null")]
    pub meeting_id: Option<i64>,
    pub note: Option<String>,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// A branch-year whose grades break the share rule.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AppraisalWarning {
    /// The rule's id, `appraisal_excellent_share`.
    pub rule: String,
    pub rule_title: String,
    pub source: String,
    pub severity: Severity,
    #[ts(type = "number")]
    pub branch_id: i64,
    pub year: i32,
    pub excellent: usize,
    pub graded: usize,
    /// The most 优秀 the rule allows for `graded` members.
    pub allowed: usize,
    pub message: String,
}

/// A branch's grades for a year, with the warnings they bring.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppraisalList {
    #[ts(type = "number")]
    pub branch_id: i64,
    pub year: i32,
    pub grades: Vec<Appraisal>,
    pub warnings: Vec<AppraisalWarning>,
}

/// What a batch did (or, for a dry run, would do).
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppraisalOutcome {
    pub dry_run: bool,
    /// Grades written (0 for a dry run).
    pub written: usize,
    /// The branch-year's grades after the batch (for a dry run: those already recorded).
    pub grades: Vec<Appraisal>,
    /// The share check over the grades already recorded plus the batch's.
    pub warnings: Vec<AppraisalWarning>,
}

/// One bad row of a batch.
#[derive(Debug, Clone, Serialize, TS)]
pub struct AppraisalProblem {
    /// 1-based position in the batch; 0 for the batch as a whole.
    pub row: usize,
    pub field: String,
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum AppraisalError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error("no branch with id {0}")]
    BranchNotFound(i64),
    #[error("no member with id {0}")]
    MemberNotFound(i64),
    #[error("nothing was recorded: {}", problems_text(.0))]
    Invalid(Vec<AppraisalProblem>),
    #[error("appraisals.toml: {0}")]
    Rules(String),
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

fn problems_text(problems: &[AppraisalProblem]) -> String {
    problems
        .iter()
        .map(|p| match p.row {
            0 => format!("{}: {}", p.field, p.message),
            row => format!("row {row}, {}: {}", p.field, p.message),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl ErrorCode for AppraisalError {
    fn code(&self) -> &'static str {
        match self {
            AppraisalError::Forbidden(_) => "forbidden",
            AppraisalError::BranchNotFound(_) => "branch_not_found",
            AppraisalError::MemberNotFound(_) => "member_not_found",
            AppraisalError::Invalid(_) => "invalid_argument",
            AppraisalError::Rules(_) => "invalid_rules",
            AppraisalError::Lifecycle(err) => err.code(),
            AppraisalError::Db(_) => "database",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            AppraisalError::Forbidden(f) => f.details(),
            AppraisalError::Invalid(problems) => serde_json::json!({ "problems": problems }),
            AppraisalError::Lifecycle(err) => err.details(),
            _ => serde_json::Value::Null,
        }
    }
}

/// The share rule, as data.
#[derive(Debug, Clone, Deserialize)]
pub struct ExcellentShare {
    pub id: String,
    pub title: String,
    pub numerator: usize,
    pub denominator: usize,
    pub severity: Severity,
    pub source: String,
}

#[derive(Debug, Deserialize)]
struct RuleFile {
    excellent_share: ExcellentShare,
}

impl ExcellentShare {
    /// The rule in `assets/rules/appraisals.toml`.
    pub fn load() -> Result<ExcellentShare, AppraisalError> {
        let file: RuleFile =
            toml::from_str(RULES).map_err(|err| AppraisalError::Rules(err.to_string()))?;
        let rule = file.excellent_share;
        if rule.denominator == 0 || rule.numerator > rule.denominator {
            return Err(AppraisalError::Rules(format!(
                "excellent_share: {}/{} is not a share",
                rule.numerator, rule.denominator
            )));
        }
        Ok(rule)
    }

    /// The most 优秀 grades among `graded`: the share rounded up to a whole person.
    pub fn allowed(&self, graded: usize) -> usize {
        (graded * self.numerator).div_ceil(self.denominator)
    }

    /// The warning for a branch-year, if it gave more 优秀 than allowed.
    pub fn check(
        &self,
        branch_id: i64,
        year: i32,
        grades: impl IntoIterator<Item = Grade>,
    ) -> Option<AppraisalWarning> {
        let (mut graded, mut excellent) = (0, 0);
        for grade in grades {
            graded += 1;
            if grade == Grade::Excellent {
                excellent += 1;
            }
        }
        let allowed = self.allowed(graded);
        (excellent > allowed).then(|| AppraisalWarning {
            rule: self.id.clone(),
            rule_title: self.title.clone(),
            source: self.source.clone(),
            severity: self.severity,
            branch_id,
            year,
            excellent,
            graded,
            allowed,
            message: format!(
                "{year}年度{graded}名参评党员中评为优秀的有{excellent}名，超过约三分之一（至多{allowed}名）"
            ),
        })
    }
}

/// A branch's grades for a year, with the share warning if it applies.
pub fn list(
    archive: &Archive,
    actor: &Actor,
    branch_id: i64,
    year: i32,
) -> Result<AppraisalList, AppraisalError> {
    crate::auth::require_unit(
        archive,
        actor,
        crate::actor::Permission::MemberRead,
        branch_id,
    )?;
    if !db::org::is_branch(archive.conn(), branch_id)? {
        return Err(AppraisalError::BranchNotFound(branch_id));
    }
    let grades = db::appraisals::of_branch_year(archive.conn(), branch_id, year)?;
    let warnings = ExcellentShare::load()?
        .check(branch_id, year, grades.iter().map(|g| g.grade))
        .into_iter()
        .collect();
    Ok(AppraisalList {
        branch_id,
        year,
        grades,
        warnings,
    })
}

/// A member's grades, oldest year first.
pub fn of_member(
    archive: &Archive,
    actor: &Actor,
    member_id: i64,
) -> Result<Vec<Appraisal>, AppraisalError> {
    if !db::members::names(archive.conn())?.contains_key(&member_id) {
        return Err(AppraisalError::MemberNotFound(member_id));
    }
    crate::auth::require_member(
        archive,
        actor,
        crate::actor::Permission::MemberRead,
        member_id,
    )?;
    of_members(archive, actor, &[member_id])
}

/// The grades of several members in one query (for dossier batches), by member, then year.
pub fn of_members(
    archive: &Archive,
    actor: &Actor,
    member_ids: &[i64],
) -> Result<Vec<Appraisal>, AppraisalError> {
    crate::auth::require_members(
        archive,
        actor,
        crate::actor::Permission::MemberRead,
        member_ids,
    )?;
    Ok(db::appraisals::of_members(archive.conn(), member_ids)?)
}

/// Records a branch's grades for a year: every row is checked first (a member of the branch who
/// was a full member on the appraisal day, not listed twice, not yet graded that year; the
/// meeting, if named, is that branch's 民主评议 meeting of that year), then all are written in one
/// transaction. Any bad row and nothing is written. With `dry_run`, only checks and reports.
pub fn set(
    archive: &mut Archive,
    actor: &Actor,
    batch: &AppraisalBatch,
    as_of: NaiveDate,
    dry_run: bool,
) -> Result<AppraisalOutcome, AppraisalError> {
    crate::auth::require_unit(
        archive,
        actor,
        crate::actor::Permission::AppraisalWrite,
        batch.branch_id,
    )?;
    let conn = archive.conn();
    if !db::org::is_branch(conn, batch.branch_id)? {
        return Err(AppraisalError::BranchNotFound(batch.branch_id));
    }
    let mut problems = Vec::new();
    let whole = |field: &str, message: String| AppraisalProblem {
        row: 0,
        field: field.to_string(),
        member_id: None,
        message,
    };
    if batch.year > as_of.year() || batch.year < 1921 {
        problems.push(whole(
            "year",
            format!("{} is not a year to appraise", batch.year),
        ));
    }
    if batch.grades.is_empty() {
        problems.push(whole("grades", "no grades given".to_string()));
    }
    let year_end = NaiveDate::from_ymd_opt(batch.year, 12, 31).unwrap_or(as_of);
    let mut day = year_end.min(as_of);
    if let Some(meeting_id) = batch.meeting_id {
        match db::appraisals::meeting_facts(conn, meeting_id)? {
            None => problems.push(whole(
                "meeting_id",
                format!("no meeting with id {meeting_id}"),
            )),
            Some((branch_id, kind, date)) => {
                if branch_id != batch.branch_id {
                    problems.push(whole(
                        "meeting_id",
                        format!("meeting {meeting_id} was held by another branch"),
                    ));
                }
                if kind != MeetingKind::Appraisal.as_code() {
                    problems.push(whole(
                        "meeting_id",
                        format!("meeting {meeting_id} is not a 民主评议党员 meeting"),
                    ));
                }
                if date.year() != batch.year {
                    problems.push(whole(
                        "meeting_id",
                        format!(
                            "meeting {meeting_id} was held in {}, not {}",
                            date.year(),
                            batch.year
                        ),
                    ));
                }
                day = date;
            }
        }
    }
    let names = db::members::names(conn)?;
    let graded: HashSet<i64> =
        lifecycle::full_members_on(archive, actor, Some(batch.branch_id), day)?
            .into_iter()
            .map(|(id, _)| id)
            .collect();
    let mut seen = HashSet::new();
    for (index, entry) in batch.grades.iter().enumerate() {
        let problem = |field: &str, message: String| AppraisalProblem {
            row: index + 1,
            field: field.to_string(),
            member_id: Some(entry.member_id),
            message,
        };
        let Some(name) = names.get(&entry.member_id) else {
            problems.push(problem(
                "member_id",
                format!("no member with id {}", entry.member_id),
            ));
            continue;
        };
        if !seen.insert(entry.member_id) {
            problems.push(problem("member_id", format!("{name} is listed twice")));
            continue;
        }
        if !graded.contains(&entry.member_id) {
            problems.push(problem(
                "member_id",
                format!(
                    "{name} was not a full member of the branch on {day} (only full members are \
                     graded; probationary members take part without a grade)"
                ),
            ));
        }
        if db::appraisals::exists(conn, entry.member_id, batch.year)? {
            problems.push(problem(
                "member_id",
                format!("{name} already has a grade for {}", batch.year),
            ));
        }
    }
    if !problems.is_empty() {
        return Err(AppraisalError::Invalid(problems));
    }

    let rule = ExcellentShare::load()?;
    let existing = db::appraisals::of_branch_year(conn, batch.branch_id, batch.year)?;
    let warnings: Vec<AppraisalWarning> = rule
        .check(
            batch.branch_id,
            batch.year,
            existing
                .iter()
                .map(|a| a.grade)
                .chain(batch.grades.iter().map(|e| e.grade)),
        )
        .into_iter()
        .collect();
    if dry_run {
        return Ok(AppraisalOutcome {
            dry_run,
            written: 0,
            grades: existing,
            warnings,
        });
    }
    let recorded_by = actor.name().to_string();
    let written = db::with_tx(archive.conn_mut(), |tx| {
        for entry in &batch.grades {
            db::appraisals::insert(
                tx,
                &db::appraisals::NewAppraisal {
                    member_id: entry.member_id,
                    branch_id: batch.branch_id,
                    year: batch.year,
                    grade: entry.grade,
                    meeting_id: batch.meeting_id,
                    note: entry
                        .note
                        .as_deref()
                        .map(str::trim)
                        .filter(|n| !n.is_empty()),
                },
                &recorded_by,
            )?;
        }
        audit::record(
            tx,
            actor,
            Action::AppraisalSet,
            Target::branch(batch.branch_id),
            serde_json::json!({ "after": batch }),
        )?;
        Ok::<_, rusqlite::Error>(batch.grades.len())
    })?;
    let grades = db::appraisals::of_branch_year(archive.conn(), batch.branch_id, batch.year)?;
    Ok(AppraisalOutcome {
        dry_run,
        written,
        grades,
        warnings,
    })
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;

    fn grades(excellent: usize, graded: usize) -> Vec<Grade> {
        (0..graded)
            .map(|i| {
                if i < excellent {
                    Grade::Excellent
                } else {
                    Grade::Qualified
                }
            })
            .collect()
    }

    #[rstest]
    // At most a third, rounded up to a whole person.
    #[case(9, 3, false)]
    #[case(9, 4, true)]
    #[case(10, 4, false)]
    #[case(10, 5, true)]
    #[case(12, 4, false)]
    #[case(12, 5, true)]
    #[case(2, 1, false)]
    #[case(3, 1, false)]
    #[case(3, 2, true)]
    #[case(1, 1, false)]
    #[case(0, 0, false)]
    fn excellent_may_be_about_a_third(
        #[case] graded: usize,
        #[case] excellent: usize,
        #[case] warns: bool,
    ) {
        let rule = ExcellentShare::load().unwrap();
        let warning = rule.check(7, 2025, grades(excellent, graded));
        assert_eq!(warning.is_some(), warns, "{excellent} of {graded}");
        if let Some(w) = warning {
            assert_eq!((w.excellent, w.graded), (excellent, graded));
            assert_eq!(w.severity, Severity::Warn);
            assert!(w.allowed < excellent);
            assert!(w.source.contains("民主评议"));
        }
    }

    #[test]
    fn grades_read_codes_and_chinese() {
        for grade in Grade::ALL {
            assert_eq!(Grade::parse(grade.as_code()), Some(grade));
            assert_eq!(Grade::parse(grade.zh()), Some(grade));
            let json = format!("\"{}\"", grade.zh());
            assert_eq!(serde_json::from_str::<Grade>(&json).unwrap(), grade);
        }
        assert_eq!(Grade::parse("良好"), None);
    }
}
