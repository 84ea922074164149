//! Publicity notices (公示): the development targets a branch proposes to admit (before step 12)
//! and the probationary members it proposes to convert (before step 23), with the period.

use std::path::Path;

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use super::fonts::FontSet;
use super::layout::{self, Column, Flow, Measure, Page, PageStyle, Table};
use super::numerals::{date_arabic, lower};
use super::{PdfError, PdfFile};
use crate::actor::Actor;
use crate::archive::Archive;
use crate::org;
use crate::people::{self, EventKind, MemberDetail, MemberQuery, Stage};

/// What a notice publicises.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum NoticeKind {
    /// Development targets to be admitted (发展对象公示, before step 12).
    Development,
    /// Probationary members to be converted (预备党员转正公示, before step 23).
    Conversion,
}

impl NoticeKind {
    pub fn from_code(code: &str) -> Option<NoticeKind> {
        match code {
            "development" => Some(NoticeKind::Development),
            "conversion" => Some(NoticeKind::Conversion),
            _ => None,
        }
    }

    /// The stage members are in, and the step the publicity must precede.
    fn selects(self) -> (Stage, u8) {
        match self {
            NoticeKind::Development => (Stage::DevelopmentTarget, 12),
            NoticeKind::Conversion => (Stage::ProbationaryMember, 23),
        }
    }
}

/// A notice to make.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
pub struct NoticeRequest {
    #[ts(type = "number")]
    pub branch_id: i64,
    pub kind: NoticeKind,
    /// First day of the publicity period.
    #[ts(type = "string")]
    pub from: NaiveDate,
    /// Its length in working days (a local rule; often 5).
    pub working_days: u32,
}

/// A notice written, with the members it lists.
#[derive(Debug, Clone, Serialize, TS)]
pub struct NoticeOutcome {
    pub pdf: PdfFile,
    pub names: Vec<String>,
    #[ts(type = "string")]
    pub until: NaiveDate,
}

/// The last day of a period of `days` working days (Monday to Friday) starting on `from` (or the
/// next working day). Public holidays are not known to the archive and are not skipped.
pub fn working_days_end(from: NaiveDate, days: u32) -> NaiveDate {
    let mut day = from;
    let mut counted = 0;
    loop {
        if !matches!(day.weekday(), Weekday::Sat | Weekday::Sun) {
            counted += 1;
            if counted >= days.max(1) {
                return day;
            }
        }
        day = day.succ_opt().unwrap_or(day);
    }
}

fn step_date(member: &MemberDetail, step: u8) -> Option<NaiveDate> {
    member
        .events
        .iter()
        .find(|e| e.kind == EventKind::Step && e.step == Some(step))
        .map(|e| e.date)
}

/// Writes the notice for a branch.
pub fn generate(
    archive: &Archive,
    actor: &Actor,
    fonts: &FontSet,
    request: &NoticeRequest,
    out: &Path,
) -> Result<NoticeOutcome, PdfError> {
    crate::auth::require_unit(
        archive,
        actor,
        crate::actor::Permission::Documents,
        request.branch_id,
    )?;
    let branch = org::list_branches(archive, actor)?
        .into_iter()
        .find(|b| b.id == request.branch_id)
        .ok_or(crate::org::OrgError::NotFound(request.branch_id))?;
    let (stage, before_step) = request.kind.selects();
    let query = MemberQuery {
        branch_id: Some(branch.id),
        stage: Some(stage),
        ..MemberQuery::default()
    };
    let mut members = Vec::new();
    for summary in people::list_all(archive, actor, &query)? {
        let member = people::detail(archive, actor, summary.id)?;
        if step_date(&member, before_step).is_none() {
            members.push(member);
        }
    }
    if members.is_empty() {
        return Err(PdfError::NothingToDo(format!(
            "{}/{}没有待公示的{}",
            branch.college,
            branch.name,
            stage.zh()
        )));
    }
    let until = working_days_end(request.from, request.working_days);
    let page_texts = layout_notice(
        fonts,
        request,
        &branch.college,
        &branch.name,
        &members,
        until,
    );
    let title = match request.kind {
        NoticeKind::Development => "发展对象公示",
        NoticeKind::Conversion => "预备党员转正公示",
    };
    let pdf = super::write_pdf(fonts, title, &page_texts, out)?;
    crate::audit::record_alone(
        archive,
        actor,
        crate::audit::Action::Notice,
        crate::audit::Target::branch(branch.id),
        serde_json::json!({ "file": pdf.file, "kind": title, "members": members.iter().map(|m| m.id).collect::<Vec<_>>() }),
    )?;
    Ok(NoticeOutcome {
        pdf,
        names: members.iter().map(|m| m.name.clone()).collect(),
        until,
    })
}

fn date(d: Option<NaiveDate>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// The notice's pages.
pub fn layout_notice(
    m: &dyn Measure,
    request: &NoticeRequest,
    college: &str,
    branch: &str,
    members: &[MemberDetail],
    until: NaiveDate,
) -> Vec<Page> {
    let style = PageStyle::default();
    let mut flow = Flow::new(m, style.clone());
    let unit = format!("{college}{branch}");
    let (title, lead, columns): (String, String, Vec<Column>) = match request.kind {
        NoticeKind::Development => (
            format!("关于{unit}拟发展党员的公示"),
            format!(
                "根据《中国共产党发展党员工作细则》，经{branch}支部委员会研究，拟将以下{}名同志列为预备党员接收对象，现予以公示。",
                lower(members.len() as u64)
            ),
            vec![
                Column::new("序号", 0.5),
                Column::new("姓名", 0.9),
                Column::new("性别", 0.5),
                Column::new("出生日期", 1.1),
                Column::new("民族", 0.6),
                Column::new("班级", 1.4),
                Column::new("申请入党时间", 1.1),
                Column::new("确定为入党积极分子时间", 1.2),
                Column::new("确定为发展对象时间", 1.1),
            ],
        ),
        NoticeKind::Conversion => (
            format!("关于{unit}预备党员拟转正的公示"),
            format!(
                "根据《中国共产党发展党员工作细则》，以下{}名预备党员预备期将满，本人已提出转正申请，经{branch}支部委员会研究，拟提交支部大会讨论其转为正式党员，现予以公示。",
                lower(members.len() as u64)
            ),
            vec![
                Column::new("序号", 0.5),
                Column::new("姓名", 0.9),
                Column::new("性别", 0.5),
                Column::new("出生日期", 1.1),
                Column::new("民族", 0.6),
                Column::new("班级", 1.4),
                Column::new("入党时间", 1.1),
                Column::new("预备期满时间", 1.1),
            ],
        ),
    };
    let rows = members
        .iter()
        .enumerate()
        .map(|(i, member)| {
            let mut row = vec![
                (i + 1).to_string(),
                member.name.clone(),
                member.sex.map(|s| s.zh().to_string()).unwrap_or_default(),
                date(member.birth_date),
                member.ethnicity.clone().unwrap_or_default(),
                member.class_name.clone().unwrap_or_default(),
            ];
            match request.kind {
                NoticeKind::Development => {
                    row.push(date(step_date(member, 1)));
                    row.push(date(step_date(member, 3)));
                    row.push(date(step_date(member, 7)));
                }
                NoticeKind::Conversion => {
                    row.push(date(member.joined_date));
                    row.push(date(
                        member
                            .joined_date
                            .and_then(|d| d.checked_add_months(chrono::Months::new(12))),
                    ));
                }
            }
            row
        })
        .collect();
    flow.title(&title, style.heading_size + 3.0);
    flow.paragraph(&lead);
    flow.paragraph(&format!(
        "公示期为{}至{}（{}个工作日）。公示期间，党员和群众可通过来信、来电、来访等方式，向{}或{}党委反映公示对象的有关情况和问题。反映情况应实事求是，以个人名义反映的应签署本人真实姓名。",
        date_arabic(request.from),
        date_arabic(until),
        lower(u64::from(request.working_days)),
        branch,
        college.strip_suffix("党委").unwrap_or(college),
    ));
    flow.table(&Table {
        columns,
        header: true,
        strong: Vec::new(),
        rows,
    });
    flow.plain("联系人：　　　　　　　联系电话：");
    flow.space(style.body_size * 2.0);
    flow.right_lines(&[format!("中共{unit}"), date_arabic(request.from)]);
    let (mut pages, _) = flow.finish();
    let header = format!("{unit}　公示");
    layout::number_pages(m, &style, &mut pages, &header, 0);
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_working_days_skip_the_weekend() {
        // 2026-11-26 is a Thursday.
        let from = NaiveDate::from_ymd_opt(2026, 11, 26).unwrap();
        assert_eq!(
            working_days_end(from, 5),
            NaiveDate::from_ymd_opt(2026, 12, 2).unwrap()
        );
        // Starting on a Saturday counts from Monday.
        let saturday = NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
        assert_eq!(
            working_days_end(saturday, 1),
            NaiveDate::from_ymd_opt(2026, 11, 30).unwrap()
        );
    }
}
