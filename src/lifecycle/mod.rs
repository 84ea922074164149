//! The development process as rules: versioned rule sets (`rules`) and the check of members'
//! timelines against them (`check`).
//!
//! This module owns what a correct dossier looks like. It does not record steps (that is
//! `people`) and does not print anything (the doors do).

mod check;
pub mod rules;

use std::collections::HashMap;

use chrono::NaiveDate;

pub use check::Finding;
pub use rules::{Check, Rule, RuleBook, RuleError, RuleSet, RuleSetKind, Severity};

use crate::actor::Actor;
use crate::archive::Archive;
use crate::db;
use crate::error::ErrorCode;

/// Which members to check, and the day to check them on.
#[derive(Debug, Clone)]
pub struct CheckRequest {
    pub member_id: Option<i64>,
    pub branch_id: Option<i64>,
    /// Today: steps that are due but missing are overdue relative to this day.
    pub as_of: NaiveDate,
}

#[derive(Debug, thiserror::Error)]
pub enum LifecycleError {
    #[error("no member with id {0}")]
    MemberNotFound(i64),
    #[error(transparent)]
    Rules(#[from] RuleError),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for LifecycleError {
    fn code(&self) -> &'static str {
        match self {
            LifecycleError::MemberNotFound(_) => "member_not_found",
            LifecycleError::Rules(err) => err.code(),
            LifecycleError::Db(_) => "database",
        }
    }
}

/// The rule sets the archive checks against: the national baseline (local sets are not stored
/// in the archive yet).
pub fn rule_book(_archive: &Archive, _actor: &Actor) -> Result<RuleBook, LifecycleError> {
    Ok(RuleBook::default())
}

/// Runs every rule over the members the request selects and returns the findings, member by
/// member, in timeline order.
pub fn check(
    archive: &Archive,
    actor: &Actor,
    request: &CheckRequest,
) -> Result<Vec<Finding>, LifecycleError> {
    let book = rule_book(archive, actor)?;
    // Introducers and contacts may be any member of the archive, so every timeline is loaded
    // to know when each member became a full member.
    let subjects = db::members::subjects(archive.conn())?;
    let full_member_since: HashMap<i64, NaiveDate> = subjects
        .iter()
        .filter_map(|s| {
            let joined = s
                .subject
                .steps
                .iter()
                .find(|r| r.step == 15)
                .map(|r| r.date);
            let max_step = s.subject.steps.iter().map(|r| r.step).max();
            Some((
                s.subject.member_id,
                crate::people::full_member_date(joined, max_step)?,
            ))
        })
        .collect();
    if let Some(id) = request.member_id
        && !subjects.iter().any(|s| s.subject.member_id == id)
    {
        return Err(LifecycleError::MemberNotFound(id));
    }
    let findings = subjects
        .iter()
        .filter(|s| request.member_id.is_none_or(|id| s.subject.member_id == id))
        .filter(|s| request.branch_id.is_none_or(|id| s.branch_id == Some(id)))
        .flat_map(|s| check::check_subject(&s.subject, &book, &full_member_since, request.as_of))
        .collect();
    Ok(findings)
}

pub(crate) use check::{StepRecord, Subject};
