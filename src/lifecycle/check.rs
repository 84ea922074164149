//! Checking a member's timeline against the rules in force: the dossier date-consistency check.
//!
//! Pure functions over plain values (`Subject`), so every rule can be tested without a database.
//! Each recorded step is checked against the rules in force on its own date; what is missing or
//! overdue is checked against the rules in force on the reference day.

use std::collections::HashMap;

use chrono::{Months, NaiveDate};
use serde::Serialize;
use ts_rs::TS;

use super::rules::{Check, Rule, RuleBook, RuleSet, Severity};
use crate::people::{EventPerson, step_info};
use crate::reports::Quarter;

/// A member as the checks see them.
#[derive(Debug, Clone, Default)]
pub(crate) struct Subject {
    pub member_id: i64,
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    /// When the member is expected to leave the school (graduation).
    pub leaves_on: Option<NaiveDate>,
    /// When the member left (transfer out, disqualification...), if they have.
    pub left_on: Option<NaiveDate>,
    /// Development steps in date order.
    pub steps: Vec<StepRecord>,
    /// Probation extensions (延长预备期) in date order.
    pub extensions: Vec<Extension>,
    /// The quarters the member handed in a thought report for, in order.
    pub reports: Vec<Quarter>,
}

/// A probation extension: when the branch meeting decided it, and by how many months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Extension {
    pub date: NaiveDate,
    pub months: u32,
}

#[derive(Debug, Clone)]
pub(crate) struct StepRecord {
    pub step: u8,
    pub date: NaiveDate,
    pub people: Vec<EventPerson>,
}

impl Subject {
    /// The date of the first recording of `step`.
    pub(crate) fn first(&self, step: u8) -> Option<NaiveDate> {
        self.steps.iter().find(|s| s.step == step).map(|s| s.date)
    }

    /// Until when what is due counts as overdue: today, or the day the member left or is
    /// expected to leave, whichever comes first.
    pub(crate) fn pending_until(&self, as_of: NaiveDate) -> NaiveDate {
        [Some(as_of), self.left_on, self.leaves_on]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(as_of)
    }

    /// How many months the probation has been extended by, in all.
    pub(crate) fn extension_months(&self) -> u32 {
        self.extension_months_before(NaiveDate::MAX)
    }

    /// How many months the probation had been extended by on `date`.
    fn extension_months_before(&self, date: NaiveDate) -> u32 {
        self.extensions
            .iter()
            .filter(|e| e.date <= date)
            .map(|e| e.months)
            .sum()
    }
}

/// One problem found in a member's file.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct Finding {
    #[ts(type = "number")]
    pub member_id: i64,
    pub name: String,
    /// The rule's id, e.g. `talk_within_one_month`.
    pub rule: String,
    pub rule_title: String,
    /// The rule set the rule comes from, e.g. `national-2014`.
    pub rule_set: String,
    /// The document and article, e.g. 《发展党员工作细则》第六条.
    pub source: String,
    pub severity: Severity,
    pub message: String,
    #[ts(type = "Array<string>")]
    pub dates: Vec<NaiveDate>,
}

fn step_name(step: u8) -> String {
    let name = step_info(step).map_or("", |s| s.zh);
    format!("第{step}步「{name}」")
}

fn add_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

fn sub_months(date: NaiveDate, months: u32) -> NaiveDate {
    date.checked_sub_months(Months::new(months))
        .unwrap_or(NaiveDate::MIN)
}

struct Context<'a> {
    subject: &'a Subject,
    full_member_since: &'a HashMap<i64, NaiveDate>,
    findings: Vec<Finding>,
}

impl Context<'_> {
    fn report(&mut self, rule: &Rule, set: &RuleSet, message: String, dates: Vec<NaiveDate>) {
        self.push(rule, set, rule.severity, message, dates);
    }

    /// A step missing past its deadline is always a warning: `block` stops a step from being
    /// recorded, and refusing the next step because an earlier one is late would leave the file
    /// stuck.
    fn overdue(&mut self, rule: &Rule, set: &RuleSet, message: String, dates: Vec<NaiveDate>) {
        self.push(rule, set, Severity::Warn, message, dates);
    }

    fn push(
        &mut self,
        rule: &Rule,
        set: &RuleSet,
        severity: Severity,
        message: String,
        dates: Vec<NaiveDate>,
    ) {
        self.findings.push(Finding {
            member_id: self.subject.member_id,
            name: self.subject.name.clone(),
            rule: rule.id.clone(),
            rule_title: rule.title.clone(),
            rule_set: set.id.clone(),
            source: rule.source.clone(),
            severity,
            message,
            dates,
        });
    }
}

/// Checks one member. `full_member_since` gives the day each archive member became a full
/// member, for the rules about who may be a contact or introducer. `as_of` is today.
pub(crate) fn check_subject(
    subject: &Subject,
    book: &RuleBook,
    full_member_since: &HashMap<i64, NaiveDate>,
    as_of: NaiveDate,
) -> Vec<Finding> {
    let mut cx = Context {
        subject,
        full_member_since,
        findings: Vec::new(),
    };
    // Each recorded step against the rules in force on its date.
    let mut seen: Vec<u8> = Vec::new();
    for record in &subject.steps {
        let first_time = !seen.contains(&record.step);
        seen.push(record.step);
        for (rule, set) in book.rules_at(record.date) {
            check_recorded(&mut cx, rule, set, record, first_time);
        }
    }
    // Each probation extension against the rules in force on its date.
    for (index, extension) in subject.extensions.iter().enumerate() {
        for (rule, set) in book.rules_at(extension.date) {
            check_extension(&mut cx, rule, set, index, *extension);
        }
    }
    // What is missing or overdue, against the rules in force today.
    let end = subject.pending_until(as_of);
    for (rule, set) in book.rules_at(as_of) {
        check_pending(&mut cx, rule, set, end);
    }
    cx.findings
}

fn check_recorded(
    cx: &mut Context<'_>,
    rule: &Rule,
    set: &RuleSet,
    record: &StepRecord,
    first_time: bool,
) {
    let subject = cx.subject;
    let (step, date) = (record.step, record.date);
    match &rule.check {
        Check::StepOrder { requires } if first_time => {
            let Some(before) = requires.get(&step.to_string()) else {
                return;
            };
            for &needed in before {
                match subject.first(needed) {
                    Some(done) if done <= date => {}
                    Some(done) => cx.report(
                        rule,
                        set,
                        format!(
                            "{}（{date}）早于它的前一步{}（{done}）",
                            step_name(step),
                            step_name(needed)
                        ),
                        vec![date, done],
                    ),
                    None => cx.report(
                        rule,
                        set,
                        format!("{}（{date}）之前没有{}", step_name(step), step_name(needed)),
                        vec![date],
                    ),
                }
            }
        }
        Check::MinAge { step: s, years } if *s == step && first_time => {
            let Some(birth) = subject.birth_date else {
                return;
            };
            let adult = add_months(birth, years * 12);
            if date < adult {
                cx.report(
                    rule,
                    set,
                    format!(
                        "{}（{date}）时未满{years}周岁（出生于{birth}）",
                        step_name(step)
                    ),
                    vec![date, birth],
                );
            }
        }
        Check::MaxInterval { from, to, months } if *to == step && first_time => {
            let Some(start) = subject.first(*from) else {
                return;
            };
            let deadline = add_months(start, *months);
            if date > deadline {
                let days = (date - start).num_days();
                cx.report(
                    rule,
                    set,
                    format!(
                        "{}（{start}）后{days}天才{}（{date}），应在{months}个月内（{deadline}前）",
                        step_name(*from),
                        step_name(step)
                    ),
                    vec![start, date],
                );
            }
        }
        Check::MinInterval {
            from,
            to,
            months,
            extensible,
        } if *to == step && first_time => {
            let Some(start) = subject.first(*from) else {
                return;
            };
            let extended = if *extensible {
                subject.extension_months_before(date)
            } else {
                0
            };
            let earliest = add_months(start, months + extended);
            if date < earliest {
                let days = (date - start).num_days();
                let extension = if extended > 0 {
                    format!("（含延长预备期{extended}个月）")
                } else {
                    String::new()
                };
                cx.report(
                    rule,
                    set,
                    format!(
                        "{}（{date}）距{}（{start}）仅{days}天，至少应满{}个月{extension}（{earliest}起）",
                        step_name(step),
                        step_name(*from),
                        months + extended
                    ),
                    vec![start, date],
                );
            }
        }
        Check::People {
            step: s,
            role,
            min,
            max,
            full_members,
        } if *s == step && first_time => {
            let named: Vec<&EventPerson> =
                record.people.iter().filter(|p| p.role == *role).collect();
            if named.len() < *min || named.len() > *max {
                let wanted = if min == max {
                    format!("{min}名")
                } else {
                    format!("{min}至{max}名")
                };
                cx.report(
                    rule,
                    set,
                    format!(
                        "{}（{date}）记录了{}名{}，应为{wanted}",
                        step_name(step),
                        named.len(),
                        role_zh(*role)
                    ),
                    vec![date],
                );
            }
            if *full_members {
                for person in named {
                    let Some(id) = person.member_id else { continue };
                    match cx.full_member_since.get(&id) {
                        Some(since) if *since <= date => {}
                        since => {
                            let when = since.map_or("尚未转正".to_string(), |d| {
                                format!("{d}才转为正式党员")
                            });
                            cx.report(
                                rule,
                                set,
                                format!(
                                    "{}{}在{}（{date}）时不是正式党员（{when}）",
                                    role_zh(*role),
                                    person.name,
                                    step_name(step)
                                ),
                                vec![date],
                            );
                        }
                    }
                }
            }
        }
        Check::BeforeLeaving { step: s, months } if *s == step && first_time => {
            let Some(leaves) = subject.leaves_on else {
                return;
            };
            let limit = sub_months(leaves, *months);
            if date > limit {
                cx.report(
                    rule,
                    set,
                    format!(
                        "{}（{date}）在预计离校（{leaves}）前{months}个月内",
                        step_name(step)
                    ),
                    vec![date, leaves],
                );
            }
        }
        Check::Periodic {
            step: s,
            from,
            until,
            months,
        } if *s == step => {
            // The gap that ends at this recording.
            let Some(start) = subject.first(*from) else {
                return;
            };
            let stop = subject.first(*until).unwrap_or(NaiveDate::MAX);
            if date <= start || date > stop {
                return;
            }
            let previous = subject
                .steps
                .iter()
                .filter(|r| r.step == *s && r.date < date && r.date > start)
                .map(|r| r.date)
                .max()
                .unwrap_or(start);
            if date > add_months(previous, *months) {
                cx.report(
                    rule,
                    set,
                    format!(
                        "{}（{date}）距上次（{previous}）超过{months}个月",
                        step_name(step)
                    ),
                    vec![previous, date],
                );
            }
        }
        _ => {}
    }
}

/// The `index`-th (from 0) probation extension against the rule on extensions.
fn check_extension(
    cx: &mut Context<'_>,
    rule: &Rule,
    set: &RuleSet,
    index: usize,
    extension: Extension,
) {
    let Check::ProbationExtension {
        after,
        before,
        min_months,
        max_months,
        max_count,
    } = &rule.check
    else {
        return;
    };
    let subject = cx.subject;
    let Extension { date, months } = extension;
    if months < *min_months || months > *max_months {
        cx.report(
            rule,
            set,
            format!("延长预备期（{date}）{months}个月，应为{min_months}至{max_months}个月"),
            vec![date],
        );
    }
    if index >= *max_count {
        cx.report(
            rule,
            set,
            format!(
                "第{}次延长预备期（{date}），最多只能延长{max_count}次",
                index + 1
            ),
            vec![date],
        );
    }
    match subject.first(*after) {
        Some(done) if done <= date => {}
        Some(done) => cx.report(
            rule,
            set,
            format!("延长预备期（{date}）早于{}（{done}）", step_name(*after)),
            vec![date, done],
        ),
        None => cx.report(
            rule,
            set,
            format!("延长预备期（{date}）之前没有{}", step_name(*after)),
            vec![date],
        ),
    }
    if let Some(done) = subject.first(*before)
        && done <= date
    {
        cx.report(
            rule,
            set,
            format!(
                "延长预备期（{date}）不能在{}（{done}）之后",
                step_name(*before)
            ),
            vec![done, date],
        );
    }
}

fn check_pending(cx: &mut Context<'_>, rule: &Rule, set: &RuleSet, end: NaiveDate) {
    let subject = cx.subject;
    match &rule.check {
        // A step that is due but not recorded yet (the talk after an application, an approval
        // after the meeting) is overdue once its deadline has passed.
        Check::MaxInterval { from, to, months } if subject.first(*to).is_none() => {
            let Some(start) = subject.first(*from) else {
                return;
            };
            let deadline = add_months(start, *months);
            if end > deadline {
                cx.overdue(
                    rule,
                    set,
                    format!(
                        "{}（{start}）后应在{deadline}前完成{}，至今未记录",
                        step_name(*from),
                        step_name(*to)
                    ),
                    vec![start, deadline],
                );
            }
        }
        Check::ThoughtReports { .. } => {
            let missing = missing_reports(subject, rule, set, end);
            if let (Some(first), Some(last)) = (missing.first(), missing.last()) {
                let list: Vec<String> = missing.iter().map(Quarter::to_string).collect();
                cx.overdue(
                    rule,
                    set,
                    format!("缺少{}个季度的思想汇报：{}", missing.len(), list.join("、")),
                    vec![first.start(), last.end()],
                );
            }
        }
        // The gap after the last recording, up to the next stage or today.
        Check::Periodic {
            step,
            from,
            until,
            months,
        } => {
            let Some(start) = subject.first(*from) else {
                return;
            };
            let stop = subject.first(*until).map_or(end, |d| d.min(end));
            let last = subject
                .steps
                .iter()
                .filter(|r| r.step == *step && r.date > start && r.date <= stop)
                .map(|r| r.date)
                .max()
                .unwrap_or(start);
            let due = add_months(last, *months);
            if stop > due {
                cx.overdue(
                    rule,
                    set,
                    format!(
                        "上次{}（{last}）后应在{due}前再次进行，至{stop}未记录",
                        step_name(*step)
                    ),
                    vec![last, due],
                );
            }
        }
        _ => {}
    }
}

/// The quarters that ended before `end` for which the thought-report rule wants a report and
/// the member has none: from the quarter after step `from` was recorded, while `until` was not
/// (yet), and not before the rule set took effect.
pub(crate) fn missing_reports(
    subject: &Subject,
    rule: &Rule,
    set: &RuleSet,
    end: NaiveDate,
) -> Vec<Quarter> {
    let Check::ThoughtReports { from, until, .. } = &rule.check else {
        return Vec::new();
    };
    let Some(started) = subject.first(*from) else {
        return Vec::new();
    };
    let stop = subject.first(*until).map_or(end, |d| d.min(end));
    let mut quarter = Quarter::of(started).next();
    let mut missing = Vec::new();
    while quarter.end() < stop {
        if quarter.start() >= set.effective_from && subject.reports.binary_search(&quarter).is_err()
        {
            missing.push(quarter);
        }
        quarter = quarter.next();
    }
    missing
}

fn role_zh(role: crate::people::PersonRole) -> &'static str {
    use crate::people::PersonRole;
    match role {
        PersonRole::Talker => "谈话人",
        PersonRole::Contact => "培养联系人",
        PersonRole::Introducer => "入党介绍人",
        PersonRole::Approver => "审批人",
        PersonRole::Other => "相关人员",
    }
}

#[cfg(test)]
mod tests {
    use rstest::rstest;

    use super::*;
    use crate::people::PersonRole;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn subject(steps: &[(u8, &str)]) -> Subject {
        Subject {
            member_id: 1,
            name: "欧阳喆".to_string(),
            birth_date: Some(date("2004-02-29")),
            steps: steps
                .iter()
                .map(|(step, d)| StepRecord {
                    step: *step,
                    date: date(d),
                    people: Vec::new(),
                })
                .collect(),
            // A report for every quarter, so that only the rule under test speaks.
            reports: every_quarter(),
            ..Subject::default()
        }
    }

    fn every_quarter() -> Vec<Quarter> {
        let mut quarter = Quarter::new(2010, 1).unwrap();
        let mut all = Vec::new();
        while quarter.year() < 2035 {
            all.push(quarter);
            quarter = quarter.next();
        }
        all
    }

    #[rstest]
    // Applied 2025-08-20: reports are due from 2025Q4 (the quarter after), for every quarter
    // that ended before today or before conversion is approved (step 24).
    #[case(&[], "2026-01-01", &["2025Q4"])]
    #[case(&[], "2025-12-31", &[])]
    #[case(&["2025Q4", "2026Q1"], "2026-06-30", &[])]
    #[case(&["2025Q4", "2026Q1"], "2026-07-01", &["2026Q2"])]
    #[case(&["2026Q1"], "2026-11-24", &["2025Q4", "2026Q2", "2026Q3"])]
    fn thought_reports_every_quarter(
        #[case] handed_in: &[&str],
        #[case] as_of: &str,
        #[case] missing: &[&str],
    ) {
        let s = Subject {
            reports: handed_in.iter().map(|q| q.parse().unwrap()).collect(),
            ..subject(&[(1, "2025-08-20"), (2, "2025-09-01")])
        };
        let findings: Vec<Finding> =
            check_subject(&s, &RuleBook::default(), &HashMap::new(), date(as_of))
                .into_iter()
                .filter(|f| f.rule == "thought_reports_quarterly")
                .collect();
        match missing {
            [] => assert!(findings.is_empty(), "{findings:?}"),
            quarters => {
                assert_eq!(findings.len(), 1);
                assert_eq!(findings[0].severity, Severity::Warn);
                assert!(
                    findings[0].message.ends_with(&quarters.join("、")),
                    "{}",
                    findings[0].message
                );
            }
        }
        // Converted (step 24) on 2026-03-10: nothing is due after that.
        let converted = Subject {
            steps: vec![
                StepRecord {
                    step: 1,
                    date: date("2025-08-20"),
                    people: vec![],
                },
                StepRecord {
                    step: 24,
                    date: date("2026-03-10"),
                    people: vec![],
                },
            ],
            reports: vec!["2025Q4".parse().unwrap()],
            ..s
        };
        let book = RuleBook::default();
        let rule = book
            .rules_at(date("2026-11-24"))
            .into_iter()
            .find(|(r, _)| r.id == "thought_reports_quarterly")
            .unwrap();
        assert!(missing_reports(&converted, rule.0, rule.1, date("2026-11-24")).is_empty());
    }

    fn rules_found(subject: &Subject, as_of: &str) -> Vec<String> {
        let book = RuleBook::default();
        let mut rules: Vec<String> = check_subject(subject, &book, &HashMap::new(), date(as_of))
            .into_iter()
            .map(|f| f.rule)
            .collect();
        rules.sort();
        rules.dedup();
        rules
    }

    #[rstest]
    // The talk: within one calendar month of the application, to the day.
    #[case(&[(1, "2024-01-31"), (2, "2024-02-29")], "2024-03-10", &[])]
    #[case(&[(1, "2024-01-31"), (2, "2024-03-01")], "2024-03-10", &["talk_within_one_month"])]
    #[case(&[(1, "2024-03-01"), (2, "2024-04-01")], "2024-05-01", &[])]
    #[case(&[(1, "2024-03-01"), (2, "2024-04-02")], "2024-05-01", &["talk_within_one_month"])]
    // No talk recorded: overdue only once the month has passed.
    #[case(&[(1, "2024-03-01")], "2024-04-01", &[])]
    #[case(&[(1, "2024-03-01")], "2024-04-02", &["talk_within_one_month"])]
    // Under 18 on the day of the application (born 2004-02-29: 18 on 2022-02-28).
    #[case(&[(1, "2022-02-27"), (2, "2022-03-01")], "2022-03-10", &["applicant_min_age"])]
    #[case(&[(1, "2022-02-28"), (2, "2022-03-01")], "2022-03-10", &[])]
    fn application_and_talk(
        #[case] steps: &[(u8, &str)],
        #[case] as_of: &str,
        #[case] expected: &[&str],
    ) {
        assert_eq!(rules_found(&subject(steps), as_of), expected);
    }

    fn activist(step7: &str) -> Vec<(u8, String)> {
        vec![
            (1, "2022-09-20".into()),
            (2, "2022-10-01".into()),
            (3, "2023-02-28".into()),
            (6, "2023-08-20".into()),
            (6, "2024-02-10".into()),
            (7, step7.into()),
        ]
    }

    #[rstest]
    // Exactly one year as activist is enough; one day less is not.
    #[case("2024-02-28", &[])]
    #[case("2024-02-27", &["activist_at_least_one_year"])]
    fn activist_for_a_year(#[case] step7: &str, #[case] expected: &[&str]) {
        let steps = activist(step7);
        let steps: Vec<(u8, &str)> = steps.iter().map(|(s, d)| (*s, d.as_str())).collect();
        assert_eq!(rules_found(&subject(&steps), "2024-03-01"), expected);
    }

    #[rstest]
    // Reviews at most six months apart while an activist; the gap up to today counts too.
    #[case(&[(1, "2023-01-05"), (2, "2023-01-20"), (3, "2023-03-31"), (6, "2023-09-30")], "2024-03-30", &[])]
    #[case(&[(1, "2023-01-05"), (2, "2023-01-20"), (3, "2023-03-31"), (6, "2023-09-30")], "2024-04-01", &["activist_review_every_six_months"])]
    #[case(&[(1, "2023-01-05"), (2, "2023-01-20"), (3, "2023-03-31"), (6, "2023-10-01")], "2023-12-01", &["activist_review_every_six_months"])]
    fn activist_reviews(
        #[case] steps: &[(u8, &str)],
        #[case] as_of: &str,
        #[case] expected: &[&str],
    ) {
        assert_eq!(rules_found(&subject(steps), as_of), expected);
    }

    #[test]
    fn a_step_before_its_prerequisite_is_blocked() {
        let found = check_subject(
            &subject(&[(1, "2024-03-01"), (2, "2024-03-10"), (3, "2024-03-05")]),
            &RuleBook::default(),
            &HashMap::new(),
            date("2024-03-20"),
        );
        let order = found.iter().find(|f| f.rule == "step_order").unwrap();
        assert_eq!(order.severity, Severity::Block);
        assert!(
            order
                .message
                .contains("第3步「推荐和确定入党积极分子」（2024-03-05）早于它的前一步第2步"),
            "{}",
            order.message
        );
        assert_eq!(order.source, "《发展党员工作细则》第二章至第五章");
    }

    #[rstest]
    // Approval within three months warns after that, and blocks after six.
    #[case("2025-06-15", &[])]
    #[case("2025-06-16", &["admission_approved_within_three_months"])]
    #[case("2025-09-16", &["admission_approved_within_six_months", "admission_approved_within_three_months"])]
    fn admission_approval(#[case] approved: &str, #[case] expected: &[&str]) {
        let mut s = subject(&[]);
        s.steps = [1, 2, 3, 6, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17]
            .iter()
            .zip([
                "2022-09-20",
                "2022-10-01",
                "2023-01-10",
                "2023-07-01",
                "2023-12-20",
                "2024-01-20",
                "2024-01-25",
                "2024-02-01",
                "2024-02-20",
                "2024-03-01",
                "2024-03-20",
                "2024-03-25",
                "2024-03-28",
                "2025-03-15",
                approved,
            ])
            .map(|(step, d)| StepRecord {
                step: *step,
                date: date(d),
                people: Vec::new(),
            })
            .collect();
        s.steps.sort_by_key(|r| r.date);
        let mut found = rules_found(&s, "2025-09-20");
        found.retain(|r| r != "two_introducers");
        let mut expected: Vec<String> = expected.iter().map(|s| s.to_string()).collect();
        expected.sort();
        assert_eq!(found, expected);
    }

    #[rstest]
    // Probation is a year from the general meeting; a leap day rolls to the 28th.
    #[case("2024-02-29", "2025-02-28", &[])]
    #[case("2024-02-29", "2025-02-27", &["probation_one_year"])]
    fn probation(#[case] admitted: &str, #[case] conversion: &str, #[case] expected: &[&str]) {
        let s = Subject {
            steps: vec![
                StepRecord {
                    step: 15,
                    date: date(admitted),
                    people: vec![],
                },
                StepRecord {
                    step: 23,
                    date: date(conversion),
                    people: vec![],
                },
            ],
            ..subject(&[])
        };
        let found: Vec<String> = check_subject(
            &s,
            &RuleBook::default(),
            &HashMap::new(),
            date("2025-03-01"),
        )
        .into_iter()
        .filter(|f| f.rule == "probation_one_year")
        .map(|f| f.rule)
        .collect();
        assert_eq!(found, expected);
    }

    #[rstest]
    // Admitted 2024-02-29, approved 2024-04-01; the year ends 2025-02-28.
    // Extended by six months on the day the year ends: the conversion meeting waits until
    // 2025-08-29 (18 months after a leap day).
    #[case(&[("2025-02-28", 6)], "2025-08-29", &[])]
    #[case(&[("2025-02-28", 6)], "2025-08-28", &["probation_one_year"])]
    // A year's extension: two years in all.
    #[case(&[("2025-02-28", 12)], "2026-02-28", &[])]
    #[case(&[("2025-02-28", 12)], "2026-02-27", &["probation_one_year"])]
    // Less than half a year, or more than a year, is not allowed.
    #[case(&[("2025-02-28", 5)], "2025-08-01", &["probation_extension"])]
    #[case(&[("2025-02-28", 13)], "2026-04-01", &["probation_extension"])]
    // Only once.
    #[case(&[("2025-02-28", 6), ("2025-08-20", 6)], "2026-02-28", &["probation_extension"])]
    // Only during the probation: not before the admission is approved (step 17), not after the
    // conversion meeting (step 23).
    #[case(&[("2024-03-15", 6)], "2025-08-29", &["probation_extension"])]
    #[case(&[("2025-09-01", 6)], "2025-08-29", &["probation_extension"])]
    fn probation_extension(
        #[case] extensions: &[(&str, u32)],
        #[case] conversion: &str,
        #[case] expected: &[&str],
    ) {
        let s = Subject {
            extensions: extensions
                .iter()
                .map(|(d, months)| Extension {
                    date: date(d),
                    months: *months,
                })
                .collect(),
            ..subject(&[(15, "2024-02-29"), (17, "2024-04-01"), (23, conversion)])
        };
        let mut found: Vec<String> = check_subject(
            &s,
            &RuleBook::default(),
            &HashMap::new(),
            date("2026-11-24"),
        )
        .into_iter()
        .filter(|f| f.rule.starts_with("probation"))
        .inspect(|f| assert_eq!(f.severity, Severity::Block, "{}", f.message))
        .map(|f| f.rule)
        .collect();
        found.sort();
        found.dedup();
        assert_eq!(found, expected);
    }

    #[test]
    fn introducers_must_be_two_full_members_on_the_day() {
        let person = |name: &str, id: i64| EventPerson {
            role: PersonRole::Introducer,
            name: name.to_string(),
            member_id: Some(id),
        };
        let s = Subject {
            steps: vec![StepRecord {
                step: 9,
                date: date("2024-05-01"),
                people: vec![person("张三", 10), person("李四", 11)],
            }],
            ..subject(&[])
        };
        let since = HashMap::from([(10, date("2010-07-01")), (11, date("2024-05-02"))]);
        let found: Vec<Finding> =
            check_subject(&s, &RuleBook::default(), &since, date("2024-06-01"))
                .into_iter()
                .filter(|f| f.rule == "two_introducers")
                .collect();
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(found[0].message.contains("李四"), "{}", found[0].message);

        let alone = Subject {
            steps: vec![StepRecord {
                people: vec![person("张三", 10)],
                ..s.steps[0].clone()
            }],
            ..s
        };
        let found = check_subject(&alone, &RuleBook::default(), &since, date("2024-06-01"));
        assert!(
            found.iter().any(|f| f.rule == "two_introducers"
                && f.message.contains("记录了1名入党介绍人，应为2名"))
        );
    }

    #[rstest]
    // One or two contacts who are full members; none, or three, is a warning.
    #[case(&[], &["contacts_are_full_members"])]
    #[case(&["甲"], &[])]
    #[case(&["甲", "乙"], &[])]
    #[case(&["甲", "乙", "丙"], &["contacts_are_full_members"])]
    fn contacts(#[case] names: &[&str], #[case] expected: &[&str]) {
        let people = names
            .iter()
            .map(|n| EventPerson {
                role: PersonRole::Contact,
                name: n.to_string(),
                member_id: None,
            })
            .collect();
        let s = Subject {
            steps: vec![StepRecord {
                step: 5,
                date: date("2024-05-01"),
                people,
            }],
            ..subject(&[])
        };
        let found: Vec<String> = check_subject(
            &s,
            &RuleBook::default(),
            &HashMap::new(),
            date("2024-05-02"),
        )
        .into_iter()
        .filter(|f| f.rule.starts_with("contacts"))
        .map(|f| f.rule)
        .collect();
        assert_eq!(found, expected);
    }

    #[rstest]
    // Conversion approved within three months of the meeting (a month end rolls back: 11-30 +
    // 3 months = 02-28), blocked after six; a missing approval past its deadline is only a warning.
    #[case(Some("2026-02-28"), "2026-03-01", &[])]
    #[case(Some("2026-03-01"), "2026-03-02", &["conversion_approved_within_three_months"])]
    #[case(Some("2026-06-01"), "2026-06-02", &["conversion_approved_within_six_months", "conversion_approved_within_three_months"])]
    #[case(None, "2026-03-01", &["conversion_approved_within_three_months"])]
    fn conversion_approval(
        #[case] approved: Option<&str>,
        #[case] as_of: &str,
        #[case] expected: &[&str],
    ) {
        let mut steps = vec![StepRecord {
            step: 23,
            date: date("2025-11-30"),
            people: vec![],
        }];
        if let Some(day) = approved {
            steps.push(StepRecord {
                step: 24,
                date: date(day),
                people: vec![],
            });
        }
        let s = Subject {
            steps,
            ..subject(&[])
        };
        let findings = check_subject(&s, &RuleBook::default(), &HashMap::new(), date(as_of));
        let mut found: Vec<&Finding> = findings
            .iter()
            .filter(|f| f.rule.starts_with("conversion_approved"))
            .collect();
        found.sort_by(|a, b| a.rule.cmp(&b.rule));
        assert_eq!(
            found.iter().map(|f| f.rule.as_str()).collect::<Vec<_>>(),
            expected
        );
        if approved.is_none() {
            assert!(
                found
                    .iter()
                    .all(|f| f.severity == Severity::Warn && f.message.contains("至今未记录"))
            );
        }
    }

    #[rstest]
    // Graduation on 2026-06-30: the general meeting may be held up to 2026-03-30.
    #[case("2026-03-30", &[])]
    #[case("2026-03-31", &["no_admission_before_leaving"])]
    fn admission_before_leaving(#[case] meeting: &str, #[case] expected: &[&str]) {
        let s = Subject {
            leaves_on: Some(date("2026-06-30")),
            steps: vec![StepRecord {
                step: 15,
                date: date(meeting),
                people: vec![],
            }],
            ..subject(&[])
        };
        let found: Vec<String> = check_subject(
            &s,
            &RuleBook::default(),
            &HashMap::new(),
            date("2026-04-01"),
        )
        .into_iter()
        .filter(|f| f.rule == "no_admission_before_leaving")
        .map(|f| f.rule)
        .collect();
        assert_eq!(found, expected);
    }
}
