//! What falls due in a member's development: the step a deadline rule waits for, the next
//! periodic review, the quarter's thought report, the conversion meeting once the probation has
//! ended, and the political birthday. Pure functions over a `Subject`, for the reminder list.

use chrono::{Datelike, Months, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use super::check::Subject;
use super::rules::{Check, Rule, RuleBook, RuleSet};
use crate::people::step_info;
use crate::reports::Quarter;

/// What a reminder is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum DueKind {
    /// A development step with a deadline (the talk, an approval…).
    Step,
    /// A periodic review (the activist's half-yearly review).
    Review,
    /// The quarter's thought report.
    ThoughtReport,
    /// The probation has ended: the conversion meeting is due.
    Conversion,
    /// The anniversary of 入党时间.
    PoliticalBirthday,
}

/// One thing due for a member, on `date`.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct DueItem {
    pub kind: DueKind,
    #[ts(type = "number")]
    pub member_id: i64,
    pub name: String,
    /// The step it concerns, if any.
    pub step: Option<u8>,
    /// The rule that sets the date, if one does.
    pub rule: Option<String>,
    pub source: Option<String>,
    #[ts(type = "string")]
    pub date: NaiveDate,
    pub message: String,
}

fn step_name(step: u8) -> String {
    format!("第{step}步「{}」", step_info(step).map_or("", |s| s.zh))
}

fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Everything due for `subject` on or before `until` (overdue items included), as of `as_of`.
/// Members who have left owe nothing.
pub(crate) fn due_items(
    subject: &Subject,
    book: &RuleBook,
    as_of: NaiveDate,
    from: NaiveDate,
    until: NaiveDate,
) -> Vec<DueItem> {
    if subject.left_on.is_some() {
        return Vec::new();
    }
    let mut items = Vec::new();
    let item = |kind, step, rule: Option<(&Rule, &RuleSet)>, date, message| DueItem {
        kind,
        member_id: subject.member_id,
        name: subject.name.clone(),
        step,
        rule: rule.map(|(r, _)| r.id.clone()),
        source: rule.map(|(r, _)| r.source.clone()),
        date,
        message,
    };
    for (rule, set) in book.rules_at(as_of) {
        match &rule.check {
            Check::MaxInterval {
                from: f,
                to,
                months,
            } if subject.first(*to).is_none() => {
                let Some(start) = subject.first(*f) else {
                    continue;
                };
                let due = add_months(start, *months);
                if due <= until {
                    items.push(item(
                        DueKind::Step,
                        Some(*to),
                        Some((rule, set)),
                        due,
                        format!(
                            "{}（{start}）后，应在{due}前完成{}",
                            step_name(*f),
                            step_name(*to)
                        ),
                    ));
                }
            }
            Check::Periodic {
                step,
                from: f,
                until: stop,
                months,
            } if subject.first(*stop).is_none() => {
                let Some(start) = subject.first(*f) else {
                    continue;
                };
                let last = subject
                    .steps
                    .iter()
                    .filter(|r| r.step == *step && r.date > start)
                    .map(|r| r.date)
                    .max()
                    .unwrap_or(start);
                let due = add_months(last, *months);
                if due <= until {
                    items.push(item(
                        DueKind::Review,
                        Some(*step),
                        Some((rule, set)),
                        due,
                        format!("上次{}为{last}，应在{due}前再次进行", step_name(*step)),
                    ));
                }
            }
            Check::MinInterval {
                from: f,
                to,
                months,
                extensible,
            } if *to == 23 && subject.first(*to).is_none() => {
                // The conversion meeting falls due when the probation ends.
                let Some(start) = subject.first(*f) else {
                    continue;
                };
                let extended = if *extensible {
                    subject.extension_months()
                } else {
                    0
                };
                let due = add_months(start, months + extended);
                if due <= until {
                    items.push(item(
                        DueKind::Conversion,
                        Some(*to),
                        Some((rule, set)),
                        due,
                        format!("预备期于{due}期满，应及时召开支部大会讨论转正"),
                    ));
                }
            }
            Check::ThoughtReports {
                from: f,
                until: stop,
                ..
            } => {
                let Some(started) = subject.first(*f) else {
                    continue;
                };
                if subject.first(*stop).is_some_and(|d| d <= as_of) {
                    continue;
                }
                // The report of every quarter that ends in the window, and one item for all
                // the quarters already missing before it.
                let mut quarter = Quarter::of(started).next();
                let mut overdue: Vec<Quarter> = Vec::new();
                while quarter.end() <= until {
                    if quarter.start() >= set.effective_from
                        && subject.reports.binary_search(&quarter).is_err()
                    {
                        if quarter.end() < from {
                            overdue.push(quarter);
                        } else {
                            items.push(item(
                                DueKind::ThoughtReport,
                                None,
                                Some((rule, set)),
                                quarter.end(),
                                format!("{quarter}的思想汇报应在{}前提交", quarter.end()),
                            ));
                        }
                    }
                    quarter = quarter.next();
                }
                if let (Some(first), Some(last)) = (overdue.first(), overdue.last()) {
                    items.push(item(
                        DueKind::ThoughtReport,
                        None,
                        Some((rule, set)),
                        first.end(),
                        format!("缺少{}个季度的思想汇报（{first}至{last}）", overdue.len()),
                    ));
                }
            }
            _ => {}
        }
    }
    // The political birthday: the anniversary of 入党时间 within the window.
    if let Some(joined) = subject.first(15) {
        for year in from.year()..=until.year() {
            let Some(day) = NaiveDate::from_ymd_opt(year, joined.month(), joined.day())
                .or_else(|| NaiveDate::from_ymd_opt(year, joined.month(), 28))
            else {
                continue;
            };
            if day >= from && day <= until && year > joined.year() {
                items.push(item(
                    DueKind::PoliticalBirthday,
                    Some(15),
                    None,
                    day,
                    format!("入党{}周年（{joined}入党）", year - joined.year()),
                ));
            }
        }
    }
    // Nothing falls due after the member is expected to leave the school (as `check` sees it),
    // except the political birthday.
    if let Some(leaves) = subject.leaves_on {
        items.retain(|i| i.kind == DueKind::PoliticalBirthday || i.date <= leaves);
    }
    // Two rules can set a deadline for the same step (three months, six in special cases):
    // remind of the earliest.
    items.sort_by_key(|i| i.date);
    let mut seen = Vec::new();
    items.retain(|i| {
        let key = (i.kind, i.step);
        if i.kind == DueKind::Step && seen.contains(&key) {
            return false;
        }
        seen.push(key);
        true
    });
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lifecycle::check::StepRecord;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn subject(steps: &[(u8, &str)], reports: &[&str]) -> Subject {
        Subject {
            member_id: 1,
            name: "欧阳喆".to_string(),
            steps: steps
                .iter()
                .map(|(step, d)| StepRecord {
                    step: *step,
                    date: date(d),
                    people: vec![],
                })
                .collect(),
            reports: reports.iter().map(|q| q.parse().unwrap()).collect(),
            ..Subject::default()
        }
    }

    fn kinds(items: &[DueItem]) -> Vec<(DueKind, String)> {
        let mut out: Vec<(DueKind, String)> =
            items.iter().map(|i| (i.kind, i.date.to_string())).collect();
        out.sort_by(|a, b| a.1.cmp(&b.1));
        out
    }

    #[test]
    fn the_talk_falls_due_a_month_after_the_application() {
        let s = subject(&[(1, "2026-11-10")], &[]);
        let book = RuleBook::default();
        // November: nothing due yet (the talk is due 2026-12-10).
        let november = due_items(
            &s,
            &book,
            date("2026-11-24"),
            date("2026-11-01"),
            date("2026-11-30"),
        );
        assert!(november.is_empty(), "{november:?}");
        let december = due_items(
            &s,
            &book,
            date("2026-11-24"),
            date("2026-12-01"),
            date("2026-12-31"),
        );
        assert_eq!(
            kinds(&december),
            [
                (DueKind::Step, "2026-12-10".to_string()),
                // The application's quarter is 2026Q4: the first report is for 2027Q1.
            ]
        );
    }

    #[test]
    fn probation_end_reports_and_the_political_birthday() {
        let s = subject(
            &[
                (1, "2024-03-01"),
                (2, "2024-03-10"),
                (3, "2024-06-01"),
                (7, "2025-06-10"),
                (15, "2025-12-15"),
                (17, "2026-01-20"),
            ],
            &[
                "2024Q2", "2024Q3", "2024Q4", "2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1",
                "2026Q2", "2026Q3",
            ],
        );
        let book = RuleBook::default();
        let december = due_items(
            &s,
            &book,
            date("2026-12-01"),
            date("2026-12-01"),
            date("2026-12-31"),
        );
        let found = kinds(&december);
        assert!(
            found.contains(&(DueKind::Conversion, "2026-12-15".to_string())),
            "{found:?}"
        );
        assert!(
            found.contains(&(DueKind::PoliticalBirthday, "2026-12-15".to_string())),
            "{found:?}"
        );
        assert!(
            found.contains(&(DueKind::ThoughtReport, "2026-12-31".to_string())),
            "{found:?}"
        );
        // Nothing for a member who left.
        let left = Subject {
            left_on: Some(date("2026-06-30")),
            ..s
        };
        assert!(
            due_items(
                &left,
                &book,
                date("2026-12-01"),
                date("2026-12-01"),
                date("2026-12-31")
            )
            .is_empty()
        );
    }
}
