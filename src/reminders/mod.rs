//! The reminder list: what falls due in a month or is already overdue, for members (steps with
//! deadlines, reviews, thought reports, conversion meetings, political birthdays), for branches
//! (meetings they owe) and for the letter register (receipts not back). Each names the member or
//! branch, the rule and the date. Gathered from `lifecycle`, `meetings` and `pdf::letter`; this
//! module decides nothing itself.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::actor::Actor;
use crate::archive::Archive;
use crate::error::ErrorCode;
use crate::lifecycle::{self, DueKind, LifecycleError};
use crate::meetings::{self, MeetingError};
use crate::org::{self, OrgError};
use crate::pdf::{self, PdfError};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ReminderKind {
    Step,
    Review,
    ThoughtReport,
    Conversion,
    PoliticalBirthday,
    /// A meeting a branch owes for a month, quarter or year.
    Meeting,
    /// An introduction letter whose receipt (回执) is not back.
    LetterReceipt,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Reminder {
    pub kind: ReminderKind,
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    pub name: Option<String>,
    #[ts(type = "number | null")]
    pub branch_id: Option<i64>,
    pub branch: Option<String>,
    pub rule: Option<String>,
    pub source: Option<String>,
    #[ts(type = "string")]
    pub date: NaiveDate,
    /// The date is before today.
    pub overdue: bool,
    pub message: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ReminderError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error("{0:?} is not a month (write it like 2026-12)")]
    BadMonth(String),
    #[error(transparent)]
    Lifecycle(#[from] LifecycleError),
    #[error(transparent)]
    Meetings(#[from] MeetingError),
    #[error(transparent)]
    Org(#[from] OrgError),
    #[error(transparent)]
    Pdf(#[from] PdfError),
}

impl ErrorCode for ReminderError {
    fn code(&self) -> &'static str {
        match self {
            ReminderError::Forbidden(_) => "forbidden",
            ReminderError::BadMonth(_) => "invalid_argument",
            ReminderError::Lifecycle(err) => err.code(),
            ReminderError::Meetings(err) => err.code(),
            ReminderError::Org(err) => err.code(),
            ReminderError::Pdf(err) => err.code(),
        }
    }
}

/// The first and last day of a month written `YYYY-MM`.
pub fn month_bounds(month: &str) -> Result<(NaiveDate, NaiveDate), ReminderError> {
    let bad = || ReminderError::BadMonth(month.to_string());
    let (year, number) = month.trim().split_once('-').ok_or_else(bad)?;
    let first = NaiveDate::from_ymd_opt(
        year.parse().map_err(|_| bad())?,
        number.parse().map_err(|_| bad())?,
        1,
    )
    .ok_or_else(bad)?;
    let last = first
        .checked_add_months(chrono::Months::new(1))
        .and_then(|d| d.pred_opt())
        .ok_or_else(bad)?;
    Ok((first, last))
}

/// Everything due from `from` to `until` and everything overdue before it, as of `as_of`, for
/// one branch or the whole archive; sorted by date.
pub fn reminders(
    archive: &Archive,
    actor: &Actor,
    branch_id: Option<i64>,
    from: NaiveDate,
    until: NaiveDate,
    as_of: NaiveDate,
) -> Result<Vec<Reminder>, ReminderError> {
    let branches = org::list_branches(archive, actor)?;
    let branch_of_member = lifecycle::member_branches(archive, actor)?;
    let branch_name = |id: Option<i64>| {
        id.and_then(|id| branches.iter().find(|b| b.id == id))
            .map(|b| format!("{}/{}", b.college, b.name))
    };
    let mut out = Vec::new();
    for item in lifecycle::due(archive, actor, branch_id, from, until, as_of)? {
        let branch = branch_of_member.get(&item.member_id).copied().flatten();
        out.push(Reminder {
            kind: match item.kind {
                DueKind::Step => ReminderKind::Step,
                DueKind::Review => ReminderKind::Review,
                DueKind::ThoughtReport => ReminderKind::ThoughtReport,
                DueKind::Conversion => ReminderKind::Conversion,
                DueKind::PoliticalBirthday => ReminderKind::PoliticalBirthday,
            },
            member_id: Some(item.member_id),
            name: Some(item.name),
            branch_id: branch,
            branch: branch_name(branch),
            rule: item.rule,
            source: item.source,
            date: item.date,
            overdue: item.date < as_of && item.kind != DueKind::PoliticalBirthday,
            message: item.message,
        });
    }
    // Meetings each branch owes for the periods ending in the window.
    let frequencies = meetings::frequencies()?;
    for branch in branches
        .iter()
        .filter(|b| branch_id.is_none_or(|id| b.id == id))
    {
        for year in from.year()..=until.year() {
            let compliance = meetings::compliance(archive, actor, branch.id, year, until)?;
            for period in compliance
                .periods
                .iter()
                .filter(|p| !p.met && p.to >= from && p.to <= until)
            {
                let source = frequencies
                    .iter()
                    .find(|f| f.kind == period.kind)
                    .map(|f| f.source.clone());
                out.push(Reminder {
                    kind: ReminderKind::Meeting,
                    member_id: None,
                    name: None,
                    branch_id: Some(branch.id),
                    branch: branch_name(Some(branch.id)),
                    rule: Some(format!("meeting_{}", period.kind.as_code())),
                    source,
                    date: period.to,
                    overdue: period.to < as_of,
                    message: format!(
                        "{}{}已召开{}次，应至少{}次（{}截止）",
                        period.period,
                        period.kind.zh(),
                        period.held,
                        period.required,
                        period.to
                    ),
                });
            }
        }
    }
    // Receipts of introduction letters not back by the end of the window.
    for letter in pdf::letter::overdue_receipts(archive, actor, until)? {
        let branch = branch_of_member.get(&letter.member_id).copied().flatten();
        if branch_id.is_some() && branch != branch_id {
            continue;
        }
        out.push(Reminder {
            kind: ReminderKind::LetterReceipt,
            member_id: Some(letter.member_id),
            name: Some(letter.name.clone()),
            branch_id: branch,
            branch: branch_name(branch),
            rule: None,
            source: None,
            date: letter.receipt_due,
            overdue: letter.receipt_due < as_of,
            message: format!(
                "{}字第{}号介绍信（转往{}）的回执应在{}前寄回",
                letter.prefix, letter.serial, letter.to_org, letter.receipt_due
            ),
        });
    }
    out.sort_by(|a, b| a.date.cmp(&b.date).then(a.member_id.cmp(&b.member_id)));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_bounded_to_their_last_day() {
        let (first, last) = month_bounds("2028-02").unwrap();
        assert_eq!(
            (first.to_string(), last.to_string()),
            ("2028-02-01".into(), "2028-02-29".into())
        );
        assert!(month_bounds("2026-13").is_err());
        assert!(month_bounds("202612").is_err());
    }
}
