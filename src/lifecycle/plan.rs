//! Graduation-aware planning: the earliest day each remaining step can happen under the rules in
//! force, the latest day some must happen by, and the steps that cannot happen before the member
//! leaves the school.

use chrono::{Months, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use super::check::Subject;
use super::rules::{Check, RuleBook};
use crate::people::step_info;

/// Steps that recur rather than happen once; the plan leaves them out.
const RECURRING: [u8; 1] = [6];
/// 支部大会讨论转正: a student who cannot reach it before leaving is converted elsewhere.
const CONVERSION_MEETING: u8 = 23;

/// The plan of a member's remaining steps.
#[derive(Debug, Clone, Serialize, TS)]
pub struct Plan {
    #[ts(type = "number")]
    pub member_id: i64,
    pub name: String,
    #[ts(type = "string")]
    pub as_of: NaiveDate,
    /// When the member is expected to leave the school.
    #[ts(type = "string | null")]
    pub leaves_on: Option<NaiveDate>,
    pub steps: Vec<PlannedStep>,
    /// Steps that cannot happen before the member leaves.
    pub conflicts: Vec<PlanConflict>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PlannedStep {
    pub step: u8,
    pub title_zh: String,
    pub title_en: String,
    /// The earliest day the step can happen (never before `as_of`).
    #[ts(type = "string")]
    pub earliest: NaiveDate,
    /// The rule that sets `earliest`, when one does (rather than the previous step or today).
    pub earliest_rule: Option<String>,
    /// The latest day the step should happen by, when a rule sets one.
    #[ts(type = "string | null")]
    pub latest: Option<NaiveDate>,
    pub latest_rule: Option<String>,
}

#[derive(Debug, Clone, Serialize, TS)]
pub struct PlanConflict {
    pub step: u8,
    pub rule: String,
    pub source: String,
    pub message: String,
}

fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Plans `subject`'s remaining steps under the rules in force on `as_of`.
pub(crate) fn plan(subject: &Subject, book: &RuleBook, as_of: NaiveDate) -> Plan {
    let rules = book.rules_at(as_of);
    let mut dates: [Option<NaiveDate>; 26] = [None; 26];
    for record in &subject.steps {
        let slot = &mut dates[usize::from(record.step)];
        *slot = Some(slot.map_or(record.date, |d| d.min(record.date)));
    }
    let mut planned = Vec::new();
    let mut conflicts = Vec::new();
    let left = subject.left_on.is_some();
    // Once the expected leaving day has passed, there is nothing left to warn about in advance.
    let still_at_school = subject.leaves_on.is_none_or(|leaves| leaves >= as_of);
    for step in 1..=25u8 {
        if left || dates[usize::from(step)].is_some() || RECURRING.contains(&step) {
            continue;
        }
        let mut earliest = as_of;
        let mut earliest_rule = None;
        let mut latest: Option<(NaiveDate, String)> = None;
        let mut later = |date: NaiveDate, rule: Option<&str>, earliest: &mut NaiveDate| {
            if date > *earliest {
                *earliest = date;
                earliest_rule = rule.map(str::to_string);
            }
        };
        for (rule, _) in &rules {
            match &rule.check {
                Check::StepOrder { requires } => {
                    for before in requires.get(&step.to_string()).into_iter().flatten() {
                        if let Some(date) = dates[usize::from(*before)] {
                            later(date, None, &mut earliest);
                        }
                    }
                }
                Check::MinInterval {
                    from,
                    to,
                    months,
                    extensible,
                } if *to == step => {
                    if let Some(start) = dates[usize::from(*from)] {
                        let extended = if *extensible {
                            subject.extension_months()
                        } else {
                            0
                        };
                        later(
                            add_months(start, months + extended),
                            Some(&rule.id),
                            &mut earliest,
                        );
                    }
                }
                Check::MinAge { step: s, years } if *s == step => {
                    if let Some(birth) = subject.birth_date {
                        later(add_months(birth, years * 12), Some(&rule.id), &mut earliest);
                    }
                }
                _ => {}
            }
        }
        for (rule, _) in &rules {
            let limit = match &rule.check {
                Check::MaxInterval { from, to, months } if *to == step => {
                    dates[usize::from(*from)].map(|start| add_months(start, *months))
                }
                Check::BeforeLeaving { step: s, months } if *s == step => subject
                    .leaves_on
                    .and_then(|leaves| leaves.checked_sub_months(Months::new(*months))),
                _ => None,
            };
            let Some(limit) = limit else { continue };
            if latest.as_ref().is_none_or(|(d, _)| limit < *d) {
                latest = Some((limit, rule.id.clone()));
            }
            if still_at_school
                && matches!(rule.check, Check::BeforeLeaving { .. })
                && earliest > limit
            {
                conflicts.push(PlanConflict {
                    step,
                    rule: rule.id.clone(),
                    source: rule.source.clone(),
                    message: format!(
                        "第{step}步最早{earliest}，晚于离校前的最后期限{limit}（预计{}离校）：在校期间无法完成",
                        subject.leaves_on.map_or(String::new(), |d| d.to_string())
                    ),
                });
            }
        }
        if let Some(leaves) = subject.leaves_on
            && still_at_school
            && earliest > leaves
            && step == CONVERSION_MEETING
        {
            conflicts.push(PlanConflict {
                step,
                rule: earliest_rule.clone().unwrap_or_else(|| "step_order".to_string()),
                source: rules
                    .iter()
                    .find(|(r, _)| Some(&r.id) == earliest_rule.as_ref())
                    .map_or(String::new(), |(r, _)| r.source.clone()),
                message: format!(
                    "第{step}步最早{earliest}，晚于预计离校{leaves}：预备期内离校，转正需在接收单位完成"
                ),
            });
        }
        dates[usize::from(step)] = Some(earliest);
        let info = step_info(step);
        planned.push(PlannedStep {
            step,
            title_zh: info.map_or(String::new(), |s| s.zh.to_string()),
            title_en: info.map_or(String::new(), |s| s.en.to_string()),
            earliest,
            earliest_rule,
            latest: latest.as_ref().map(|(d, _)| *d),
            latest_rule: latest.map(|(_, r)| r),
        });
    }
    Plan {
        member_id: subject.member_id,
        name: subject.name.clone(),
        as_of,
        leaves_on: subject.leaves_on,
        steps: planned,
        conflicts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::check::StepRecord;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn subject(steps: &[(u8, &str)], leaves_on: &str) -> Subject {
        Subject {
            member_id: 7,
            name: "司马淼".to_string(),
            birth_date: Some(date("2004-05-01")),
            leaves_on: Some(date(leaves_on)),
            steps: steps
                .iter()
                .map(|(step, d)| StepRecord {
                    step: *step,
                    date: date(d),
                    people: vec![],
                })
                .collect(),
            ..Subject::default()
        }
    }

    #[test]
    fn an_activist_becomes_a_development_target_a_year_on_at_the_earliest() {
        let s = subject(
            &[(1, "2025-03-01"), (2, "2025-03-15"), (3, "2025-09-10")],
            "2028-06-30",
        );
        let plan = plan(&s, &RuleBook::default(), date("2026-01-05"));
        let target = plan.steps.iter().find(|p| p.step == 7).unwrap();
        assert_eq!(target.earliest, date("2026-09-10"));
        assert_eq!(
            target.earliest_rule.as_deref(),
            Some("activist_at_least_one_year")
        );
        // The next steps can follow at once; the conversion a year after the admission.
        let admitted = plan.steps.iter().find(|p| p.step == 15).unwrap();
        assert_eq!(admitted.latest, Some(date("2028-03-30")));
        let conversion = plan.steps.iter().find(|p| p.step == 23).unwrap();
        assert_eq!(conversion.earliest, add_months(admitted.earliest, 12));
        assert!(plan.conflicts.is_empty(), "{:?}", plan.conflicts);
    }

    #[test]
    fn a_student_who_leaves_too_soon_is_flagged_a_year_ahead() {
        // An activist since 2025-09: a development target in 2026-09 at the earliest, so the
        // general meeting cannot come three months before leaving in 2026-06.
        let s = subject(
            &[(1, "2025-03-01"), (2, "2025-03-15"), (3, "2025-09-10")],
            "2026-06-30",
        );
        let plan = plan(&s, &RuleBook::default(), date("2025-10-01"));
        let rules: Vec<(u8, &str)> = plan
            .conflicts
            .iter()
            .map(|c| (c.step, c.rule.as_str()))
            .collect();
        assert!(
            rules.contains(&(15, "no_admission_before_leaving")),
            "{rules:?}"
        );
        assert!(plan.conflicts[0].message.contains("在校期间无法完成"));
    }

    #[test]
    fn a_full_member_has_nothing_left_to_plan() {
        let steps: Vec<(u8, &str)> = (1..=25).map(|s| (s, "2024-01-01")).collect();
        let plan = plan(
            &subject(&steps, "2026-06-30"),
            &RuleBook::default(),
            date("2025-01-01"),
        );
        assert!(plan.steps.is_empty());
    }
}
