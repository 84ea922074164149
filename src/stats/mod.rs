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
    pub meetings: Vec<BranchMeetings>,
}

#[derive(Debug, thiserror::Error)]
pub enum StatsError {
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
    for (year, step, count) in db::members::steps_per_year(archive.conn())? {
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
        });
    }

    Ok(Stats {
        as_of,
        members: members.len(),
        stages,
        colleges: colleges.into_values().collect(),
        branches: branches.into_values().collect(),
        development: development.into_values().collect(),
        meetings: meetings_out,
    })
}
