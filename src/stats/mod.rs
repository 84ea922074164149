//! Statistics for the dashboard: members per stage (whole archive, per college, per branch),
//! development per year (applications, activists, development targets, admissions,
//! conversions), and each branch's meeting compliance this year.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use crate::actor::Actor;
use crate::archive::Archive;
use crate::db;
use crate::error::ErrorCode;
use crate::meetings::{self, MeetingError};
use crate::people::{self, MemberError, MemberQuery};

/// Members per stage code.
pub type StageCounts = BTreeMap<String, usize>;

#[derive(Debug, Clone, Serialize, TS)]
pub struct UnitStats {
    #[ts(type = "number | null")]
    pub id: Option<i64>,
    pub name: String,
    /// The college, for a branch.
    pub college: Option<String>,
    #[ts(type = "Record<string, number>")]
    pub stages: StageCounts,
    pub total: usize,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct YearStats {
    pub year: i32,
    /// 递交入党申请书 (step 1).
    pub applications: usize,
    /// 确定为入党积极分子 (step 3).
    pub activists: usize,
    /// 确定为发展对象 (step 7).
    pub development_targets: usize,
    /// 接收为预备党员 (step 15).
    pub admitted: usize,
    /// 转为正式党员 (step 24).
    pub converted: usize,
}

/// Development in one month: the same steps as [`YearStats`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct MonthStats {
    /// `YYYY-MM`.
    pub month: String,
    pub applications: usize,
    pub activists: usize,
    pub development_targets: usize,
    pub admitted: usize,
    pub converted: usize,
}

/// How many months the monthly trend covers (ending with the month of `as_of`).
pub const TREND_MONTHS: u32 = 24;

#[derive(Debug, Clone, Serialize, TS)]
pub struct BranchMeetings {
    #[ts(type = "number")]
    pub branch_id: i64,
    pub branch: String,
    pub college: String,
    /// Periods this year that ended without enough meetings.
    pub missed: usize,
    /// Periods this year that ended with enough.
    pub met: usize,
    /// Meetings the periods ended this year required (三会一课 owed).
    pub required: usize,
    /// Meetings held in those periods, each period counted up to what it required.
    pub held: usize,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct Stats {
    #[ts(type = "string")]
    pub as_of: NaiveDate,
    pub members: usize,
    #[ts(type = "Record<string, number>")]
    pub stages: StageCounts,
    pub colleges: Vec<UnitStats>,
    pub branches: Vec<UnitStats>,
    pub development: Vec<YearStats>,
    /// The last [`TREND_MONTHS`] months, oldest first, every month present (zeros included).
    pub trend: Vec<MonthStats>,
    pub meetings: Vec<BranchMeetings>,
}

#[derive(Debug, thiserror::Error)]
pub enum StatsError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error(transparent)]
    Members(#[from] MemberError),
    #[error(transparent)]
    Meetings(#[from] MeetingError),
    #[error(transparent)]
    Org(#[from] crate::org::OrgError),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for StatsError {
    fn code(&self) -> &'static str {
        match self {
            StatsError::Forbidden(_) => "forbidden",
            StatsError::Members(err) => err.code(),
            StatsError::Meetings(err) => err.code(),
            StatsError::Org(err) => err.code(),
            StatsError::Db(_) => "database",
        }
    }
}

/// The dashboard's figures as of `as_of`.
pub fn stats(archive: &Archive, actor: &Actor, as_of: NaiveDate) -> Result<Stats, StatsError> {
    let members = people::list_all(archive, actor, &MemberQuery::default())?;
    let mut stages = StageCounts::new();
    let mut colleges: BTreeMap<String, UnitStats> = BTreeMap::new();
    let mut branches: BTreeMap<i64, UnitStats> = BTreeMap::new();
    for member in &members {
        let stage = member.stage.as_code().to_string();
        *stages.entry(stage.clone()).or_default() += 1;
        let college = member
            .college
            .clone()
            .unwrap_or_else(|| "（未填学院）".to_string());
        let unit = colleges
            .entry(college.clone())
            .or_insert_with(|| UnitStats {
                id: None,
                name: college.clone(),
                college: None,
                stages: StageCounts::new(),
                total: 0,
            });
        *unit.stages.entry(stage.clone()).or_default() += 1;
        unit.total += 1;
        if let Some(branch_id) = member.branch_id {
            let unit = branches.entry(branch_id).or_insert_with(|| UnitStats {
                id: Some(branch_id),
                name: member.branch.clone().unwrap_or_default(),
                college: member.college.clone(),
                stages: StageCounts::new(),
                total: 0,
            });
            *unit.stages.entry(stage).or_default() += 1;
            unit.total += 1;
        }
    }

    let mut development: BTreeMap<i32, YearStats> = BTreeMap::new();
    for (year, step, count) in db::members::steps_per_year(archive.conn(), actor.scope_filter())? {
        let entry = development.entry(year).or_insert(YearStats {
            year,
            applications: 0,
            activists: 0,
            development_targets: 0,
            admitted: 0,
            converted: 0,
        });
        let count = usize::try_from(count).unwrap_or(0);
        match step {
            1 => entry.applications = count,
            3 => entry.activists = count,
            7 => entry.development_targets = count,
            15 => entry.admitted = count,
            24 => entry.converted = count,
            _ => {}
        }
    }

    let (first, _) = trend_window(as_of, TREND_MONTHS);
    let trend = month_series(
        as_of,
        TREND_MONTHS,
        &db::members::steps_per_month(archive.conn(), first, as_of, actor.scope_filter())?,
    );

    let mut meetings_out = Vec::new();
    for branch in crate::org::list_branches(archive, actor)? {
        let compliance = meetings::compliance(archive, actor, branch.id, as_of.year(), as_of)?;
        let ended: Vec<_> = compliance.periods.iter().filter(|p| !p.open).collect();
        meetings_out.push(BranchMeetings {
            branch_id: branch.id,
            branch: branch.name,
            college: branch.college,
            missed: ended.iter().filter(|p| !p.met).count(),
            met: ended.iter().filter(|p| p.met).count(),
            required: ended.iter().map(|p| p.required).sum(),
            held: ended.iter().map(|p| p.held.min(p.required)).sum(),
        });
    }

    Ok(Stats {
        as_of,
        members: members.len(),
        stages,
        colleges: colleges.into_values().collect(),
        branches: branches.into_values().collect(),
        development: development.into_values().collect(),
        trend,
        meetings: meetings_out,
    })
}

/// The first day of the window of `months` months ending with the month of `as_of`, and `as_of`.
fn trend_window(as_of: NaiveDate, months: u32) -> (NaiveDate, NaiveDate) {
    let month_start = as_of.with_day(1).unwrap_or(as_of);
    let first = month_start
        .checked_sub_months(chrono::Months::new(months.saturating_sub(1)))
        .unwrap_or(month_start);
    (first, as_of)
}

/// One entry per month of the window (oldest first), filled from (`YYYY-MM`, step, count) rows;
/// rows outside the window and other steps are ignored.
fn month_series(as_of: NaiveDate, months: u32, rows: &[(String, u8, i64)]) -> Vec<MonthStats> {
    let (first, _) = trend_window(as_of, months);
    let mut series: Vec<MonthStats> = (0..months)
        .filter_map(|i| first.checked_add_months(chrono::Months::new(i)))
        .map(|d| MonthStats {
            month: d.format("%Y-%m").to_string(),
            applications: 0,
            activists: 0,
            development_targets: 0,
            admitted: 0,
            converted: 0,
        })
        .collect();
    for (month, step, count) in rows {
        let Some(entry) = series.iter_mut().find(|m| &m.month == month) else {
            continue;
        };
        let count = usize::try_from(*count).unwrap_or(0);
        match step {
            1 => entry.applications = count,
            3 => entry.activists = count,
            7 => entry.development_targets = count,
            15 => entry.admitted = count,
            24 => entry.converted = count,
            _ => {}
        }
    }
    series
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_trend_window_ends_with_the_month_of_as_of() {
        let (first, last) = trend_window(day("2026-03-15"), 24);
        assert_eq!((first, last), (day("2024-04-01"), day("2026-03-15")));
        let (first, _) = trend_window(day("2026-12-31"), 12);
        assert_eq!(first, day("2026-01-01"));
    }

    #[test]
    fn every_month_is_present_and_rows_land_in_their_month() {
        let rows = vec![
            ("2025-12".to_string(), 1, 4),
            ("2026-02".to_string(), 15, 2),
            ("2026-02".to_string(), 24, 1),
            ("2026-02".to_string(), 9, 7),
            ("2024-01".to_string(), 3, 5),
        ];
        let series = month_series(day("2026-02-10"), 3, &rows);
        let months: Vec<_> = series.iter().map(|m| m.month.as_str()).collect();
        assert_eq!(months, ["2025-12", "2026-01", "2026-02"]);
        assert_eq!(series[0].applications, 4);
        assert_eq!(
            series[1],
            MonthStats {
                month: "2026-01".into(),
                applications: 0,
                activists: 0,
                development_targets: 0,
                admitted: 0,
                converted: 0,
            }
        );
        assert_eq!((series[2].admitted, series[2].converted), (2, 1));
        assert_eq!(series.iter().map(|m| m.activists).sum::<usize>(), 0);
    }
}
