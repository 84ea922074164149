//! 三会一课 compliance: how many meetings of each kind a branch held in each month, quarter or
//! year, against the frequencies in `assets/rules/meetings.toml`.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::{MeetingError, MeetingKind};
use crate::actor::Actor;
use crate::archive::Archive;
use crate::db;

const FREQUENCIES: &str = include_str!("../../assets/rules/meetings.toml");

/// How often a kind of meeting is held: at least `min` in every period of `months` calendar
/// months (1, 3 or 12).
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct Frequency {
    pub kind: MeetingKind,
    pub months: u32,
    pub min: usize,
    pub source: String,
}

#[derive(Debug, Deserialize)]
struct FrequencyFile {
    frequency: Vec<Frequency>,
}

/// The frequencies the compliance count uses.
pub fn frequencies() -> Result<Vec<Frequency>, MeetingError> {
    let file: FrequencyFile = toml::from_str(FREQUENCIES)
        .map_err(|err| MeetingError::Invalid(format!("meetings.toml: {err}")))?;
    if let Some(bad) = file
        .frequency
        .iter()
        .find(|f| ![1, 3, 12].contains(&f.months))
    {
        return Err(MeetingError::Invalid(format!(
            "meetings.toml: {} every {} months: the period must be 1, 3 or 12 months",
            bad.kind.as_code(),
            bad.months
        )));
    }
    Ok(file.frequency)
}

/// One period of one kind of meeting.
#[derive(Debug, Clone, Serialize, TS)]
pub struct CompliancePeriod {
    pub kind: MeetingKind,
    /// `2026-03`, `2026Q1` or `2026`.
    pub period: String,
    /// The period's length in months (1, 3 or 12), from the frequency.
    pub months: u32,
    #[ts(type = "string")]
    pub from: NaiveDate,
    #[ts(type = "string")]
    pub to: NaiveDate,
    pub held: usize,
    pub required: usize,
    /// Held at least `required` times.
    pub met: bool,
    /// The period has not ended by the reference day (it may still be met).
    pub open: bool,
}

/// A branch's compliance over a year.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Compliance {
    #[ts(type = "number")]
    pub branch_id: i64,
    pub year: i32,
    pub periods: Vec<CompliancePeriod>,
    /// Periods that ended without enough meetings.
    pub missed: usize,
}

/// Every period of `year` up to `as_of`, for every kind of meeting with a frequency.
pub fn compliance(
    archive: &Archive,
    actor: &Actor,
    branch_id: i64,
    year: i32,
    as_of: NaiveDate,
) -> Result<Compliance, MeetingError> {
    crate::auth::require_unit(
        archive,
        actor,
        crate::actor::Permission::MemberRead,
        branch_id,
    )?;
    if !db::org::is_branch(archive.conn(), branch_id)? {
        return Err(MeetingError::BranchNotFound(branch_id));
    }
    let start = NaiveDate::from_ymd_opt(year, 1, 1)
        .ok_or_else(|| MeetingError::Invalid(format!("year: {year} is out of range")))?;
    let end = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(start);
    let held = db::meetings::dates_by_kind(archive.conn(), branch_id, start, end)?;
    let periods = count_periods(&held, &frequencies()?, year, as_of);
    let missed = periods.iter().filter(|p| !p.met && !p.open).count();
    Ok(Compliance {
        branch_id,
        year,
        periods,
        missed,
    })
}

/// The periods of `year` that have begun by `as_of`, for each frequency, with the meetings of
/// that kind `held` (kind code, date) inside each.
fn count_periods(
    held: &[(String, NaiveDate)],
    frequencies: &[Frequency],
    year: i32,
    as_of: NaiveDate,
) -> Vec<CompliancePeriod> {
    let (Some(start), Some(end)) = (
        NaiveDate::from_ymd_opt(year, 1, 1),
        NaiveDate::from_ymd_opt(year, 12, 31),
    ) else {
        return Vec::new();
    };
    let mut periods = Vec::new();
    for frequency in frequencies {
        let mut from = start;
        while from <= end && from <= as_of {
            let to = from
                .checked_add_months(Months::new(frequency.months))
                .and_then(|d| d.pred_opt())
                .unwrap_or(end);
            let count = held
                .iter()
                .filter(|(kind, date)| {
                    kind == frequency.kind.as_code() && *date >= from && *date <= to
                })
                .count();
            periods.push(CompliancePeriod {
                kind: frequency.kind,
                period: label(from, frequency.months),
                months: frequency.months,
                from,
                to,
                held: count,
                required: frequency.min,
                met: count >= frequency.min,
                open: to >= as_of,
            });
            from = to.succ_opt().unwrap_or(NaiveDate::MAX);
        }
    }
    periods
}

fn label(from: NaiveDate, months: u32) -> String {
    match months {
        1 => format!("{}-{:02}", from.year(), from.month()),
        3 => format!("{}Q{}", from.year(), from.month0() / 3 + 1),
        _ => from.year().to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_frequencies_parse_and_cover_every_kind() {
        let frequencies = frequencies().unwrap();
        for kind in MeetingKind::ALL {
            assert!(frequencies.iter().any(|f| f.kind == kind), "{kind:?}");
        }
    }

    #[test]
    fn meetings_count_in_the_period_their_date_falls_in() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let frequencies = frequencies().unwrap();
        let held: Vec<(String, NaiveDate)> = [
            // The last day of March is the first quarter; the first of April the second.
            ("general_meeting", "2026-03-31"),
            ("general_meeting", "2026-04-01"),
            // The 31st of January is January's committee meeting, the 1st of February
            // February's; none in March.
            ("committee", "2026-01-31"),
            ("committee", "2026-02-01"),
            // Last year's meeting does not count this year.
            ("life_meeting", "2025-12-31"),
        ]
        .iter()
        .map(|(k, d)| (k.to_string(), day(d)))
        .collect();
        let periods = count_periods(&held, &frequencies, 2026, day("2026-04-15"));
        let find = |kind: MeetingKind, label: &str| {
            periods
                .iter()
                .find(|p| p.kind == kind && p.period == label)
                .unwrap_or_else(|| panic!("{kind:?} {label}"))
        };
        let q1 = find(MeetingKind::GeneralMeeting, "2026Q1");
        assert_eq!((q1.held, q1.met, q1.open), (1, true, false));
        assert_eq!((q1.from, q1.to), (day("2026-01-01"), day("2026-03-31")));
        let q2 = find(MeetingKind::GeneralMeeting, "2026Q2");
        assert_eq!((q2.held, q2.open), (1, true));
        assert_eq!(find(MeetingKind::Committee, "2026-01").held, 1);
        assert_eq!(find(MeetingKind::Committee, "2026-02").held, 1);
        let march = find(MeetingKind::Committee, "2026-03");
        assert_eq!((march.held, march.met, march.open), (0, false, false));
        // April has begun, May has not.
        assert!(find(MeetingKind::Committee, "2026-04").open);
        assert!(!periods.iter().any(|p| p.period == "2026-05"));
        let year = find(MeetingKind::LifeMeeting, "2026");
        assert_eq!((year.held, year.open), (0, true));
    }

    #[test]
    fn periods_are_labelled_by_month_quarter_and_year() {
        let day = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(label(day("2026-03-01"), 1), "2026-03");
        assert_eq!(label(day("2026-10-01"), 3), "2026Q4");
        assert_eq!(label(day("2026-01-01"), 12), "2026");
    }
}
