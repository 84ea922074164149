//! Rule sets: the intervals, counts and orders of the development process as versioned data.
//!
//! The national baseline ships embedded (`assets/rules/national-2014.toml`). A local rule set may
//! only tighten it: `RuleBook::add_local` refuses one that loosens a rule. The rules in force on a
//! day are the national set in force that day with the local set in force that day laid over it,
//! rule by rule.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::error::ErrorCode;
use crate::people::PersonRole;

const NATIONAL_2014: &str = include_str!("../../assets/rules/national-2014.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Recorded and shown; the step is still accepted.
    Warn,
    /// A step that breaks the rule is refused.
    Block,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum RuleSetKind {
    National,
    Local,
}

/// A named, dated set of rules.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RuleSet {
    pub id: String,
    pub title: String,
    pub kind: RuleSetKind,
    pub effective_from: NaiveDate,
    pub source: String,
    #[serde(rename = "rule")]
    pub rules: Vec<Rule>,
}

/// One rule: what it checks, where it comes from, and how serious breaking it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub source: String,
    pub severity: Severity,
    #[serde(flatten)]
    pub check: Check,
}

/// The kinds of check a rule can make. Steps are numbered as in domain.md (1–25).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "check", rename_all = "snake_case")]
pub enum Check {
    /// Each step (key) needs the listed steps recorded on or before its date.
    StepOrder { requires: BTreeMap<String, Vec<u8>> },
    /// The member is at least `years` old on the date of `step`.
    MinAge { step: u8, years: u32 },
    /// `to` happens at most `months` after `from`.
    MaxInterval { from: u8, to: u8, months: u32 },
    /// `to` happens at least `months` after `from`; if `extensible`, plus the months of any
    /// probation extension recorded.
    MinInterval {
        from: u8,
        to: u8,
        months: u32,
        #[serde(default)]
        extensible: bool,
    },
    /// A thought report (思想汇报) for every calendar quarter (`months` = 3, the only period
    /// supported) from the quarter after step `from` until step `until` (or the member leaves).
    ThoughtReports { from: u8, until: u8, months: u32 },
    /// A probation extension (延长预备期) lasts `min_months` to `max_months`, is decided at most
    /// `max_count` times, and only once step `after` is recorded and before step `before`.
    ProbationExtension {
        after: u8,
        before: u8,
        min_months: u32,
        max_months: u32,
        max_count: usize,
    },
    /// `step` names between `min` and `max` people in `role`, full members on that date if
    /// `full_members`.
    People {
        step: u8,
        role: PersonRole,
        min: usize,
        max: usize,
        full_members: bool,
    },
    /// From `from` until `until` (or the day the member leaves, or today), `step` recurs at most
    /// `months` apart.
    Periodic {
        step: u8,
        from: u8,
        until: u8,
        months: u32,
    },
    /// `step` is not held within `months` before the member is expected to leave (graduation).
    BeforeLeaving { step: u8, months: u32 },
}

#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("rule set {file}: {message}")]
    Parse { file: String, message: String },
    #[error(
        "rule set {set}: rule {rule} loosens the national rule ({reason}); a local rule may only tighten it"
    )]
    Loosens {
        set: String,
        rule: String,
        reason: String,
    },
    #[error("rule set {set}: rule {rule} checks something else than the national rule of that id")]
    DifferentCheck { set: String, rule: String },
    #[error("rule set {set}: rule {rule}: {reason}")]
    Invalid {
        set: String,
        rule: String,
        reason: String,
    },
    #[error(
        "rule set {set} is not a local set (kind = \"local\"); national sets ship with the program"
    )]
    NotLocal { set: String },
    #[error("a rule set with id {set} is already loaded; give a new version a new id")]
    AlreadyLoaded { set: String },
}

impl ErrorCode for RuleError {
    fn code(&self) -> &'static str {
        match self {
            RuleError::Parse { .. } => "rule_set_parse",
            RuleError::Loosens { .. } => "rule_loosens_baseline",
            RuleError::DifferentCheck { .. } => "rule_check_mismatch",
            RuleError::Invalid { .. } => "rule_invalid",
            RuleError::NotLocal { .. } => "rule_set_not_local",
            RuleError::AlreadyLoaded { .. } => "rule_set_exists",
        }
    }
}

impl RuleSet {
    /// Parses a rule set from TOML text; `file` names it in errors.
    pub fn from_toml(text: &str, file: &str) -> Result<RuleSet, RuleError> {
        let set: RuleSet = toml::from_str(text).map_err(|err| RuleError::Parse {
            file: file.to_string(),
            message: err.to_string(),
        })?;
        set.validate()?;
        Ok(set)
    }

    /// The embedded national baseline of 2014.
    pub fn national_2014() -> RuleSet {
        // The embedded file is parsed by a unit test, so this cannot fail in a released build.
        RuleSet::from_toml(NATIONAL_2014, "national-2014.toml")
            .unwrap_or_else(|err| panic!("the embedded national rule set is invalid: {err}"))
    }

    fn validate(&self) -> Result<(), RuleError> {
        let invalid = |rule: &Rule, reason: String| RuleError::Invalid {
            set: self.id.clone(),
            rule: rule.id.clone(),
            reason,
        };
        let step_ok = |step: u8| (1..=25).contains(&step);
        for rule in &self.rules {
            let steps: Vec<u8> = match &rule.check {
                Check::StepOrder { requires } => {
                    let mut steps = Vec::new();
                    for (key, before) in requires {
                        let step = key
                            .parse::<u8>()
                            .map_err(|_| invalid(rule, format!("{key:?} is not a step number")))?;
                        steps.push(step);
                        steps.extend(before);
                    }
                    steps
                }
                Check::MinAge { step, .. } | Check::People { step, .. } => vec![*step],
                Check::BeforeLeaving { step, .. } => vec![*step],
                Check::MaxInterval { from, to, .. } | Check::MinInterval { from, to, .. } => {
                    vec![*from, *to]
                }
                Check::Periodic {
                    step, from, until, ..
                } => vec![*step, *from, *until],
                Check::ProbationExtension { after, before, .. } => vec![*after, *before],
                Check::ThoughtReports { from, until, .. } => vec![*from, *until],
            };
            if let Some(bad) = steps.into_iter().find(|s| !step_ok(*s)) {
                return Err(invalid(
                    rule,
                    format!("step {bad} is not one of the 25 steps"),
                ));
            }
            if let Check::People { min, max, .. } = rule.check
                && min > max
            {
                return Err(invalid(rule, format!("min {min} is above max {max}")));
            }
            if let Check::ThoughtReports { months, .. } = rule.check
                && months != 3
            {
                return Err(invalid(
                    rule,
                    format!("reports every {months} months: only quarterly (3) is supported"),
                ));
            }
            if let Check::ProbationExtension {
                min_months,
                max_months,
                ..
            } = rule.check
                && (min_months == 0 || min_months > max_months)
            {
                return Err(invalid(
                    rule,
                    format!("{min_months} to {max_months} months is not a range of extensions"),
                ));
            }
        }
        Ok(())
    }
}

/// Why `local` does not tighten (or equal) `national`, if it loosens it.
fn loosening(national: &Rule, local: &Rule) -> Result<Option<String>, ()> {
    if local.severity < national.severity {
        return Ok(Some("it lowers block to warn".to_string()));
    }
    let reason = match (&national.check, &local.check) {
        (Check::StepOrder { requires: n }, Check::StepOrder { requires: l }) => n
            .iter()
            .find(|(step, before)| {
                let local_before = l.get(*step).map(Vec::as_slice).unwrap_or(&[]);
                before.iter().any(|b| !local_before.contains(b))
            })
            .map(|(step, _)| format!("step {step} drops a prerequisite")),
        (Check::MinAge { step: s1, years: n }, Check::MinAge { step: s2, years: l })
            if s1 == s2 =>
        {
            (l < n).then(|| format!("{l} years is less than {n}"))
        }
        (
            Check::MaxInterval {
                from: f1,
                to: t1,
                months: n,
            },
            Check::MaxInterval {
                from: f2,
                to: t2,
                months: l,
            },
        ) if (f1, t1) == (f2, t2) => (l > n).then(|| format!("{l} months is more than {n}")),
        (
            Check::MinInterval {
                from: f1,
                to: t1,
                months: n,
                extensible: n_ext,
            },
            Check::MinInterval {
                from: f2,
                to: t2,
                months: l,
                extensible: l_ext,
            },
        ) if (f1, t1) == (f2, t2) => {
            if l < n {
                Some(format!("{l} months is less than {n}"))
            } else if *n_ext && !l_ext {
                Some("it no longer adds a probation extension".to_string())
            } else {
                None
            }
        }
        (
            Check::ThoughtReports {
                from: f1,
                until: u1,
                ..
            },
            Check::ThoughtReports {
                from: f2,
                until: u2,
                ..
            },
        ) => (f2 > f1 || u2 < u1)
            .then(|| format!("steps {f2}–{u2} require reports for a shorter time than {f1}–{u1}")),
        (
            Check::ProbationExtension {
                after: a1,
                before: b1,
                min_months: n_min,
                max_months: n_max,
                max_count: n_count,
            },
            Check::ProbationExtension {
                after: a2,
                before: b2,
                min_months: l_min,
                max_months: l_max,
                max_count: l_count,
            },
        ) => {
            if a2 < a1 || b2 > b1 {
                Some(format!(
                    "steps {a2}–{b2} allow a longer window than {a1}–{b1}"
                ))
            } else if l_min < n_min {
                Some(format!("{l_min} months is less than {n_min}"))
            } else if l_max > n_max {
                Some(format!("{l_max} months is more than {n_max}"))
            } else if l_count > n_count {
                Some(format!("{l_count} extensions is more than {n_count}"))
            } else {
                None
            }
        }
        (
            Check::People {
                step: s1,
                role: r1,
                min: n_min,
                max: n_max,
                full_members: n_full,
            },
            Check::People {
                step: s2,
                role: r2,
                min: l_min,
                max: l_max,
                full_members: l_full,
            },
        ) if (s1, r1) == (s2, r2) => {
            if l_min < n_min {
                Some(format!("at least {l_min} is fewer than {n_min}"))
            } else if l_max > n_max {
                Some(format!("at most {l_max} is more than {n_max}"))
            } else if *n_full && !l_full {
                Some("it no longer requires full members".to_string())
            } else {
                None
            }
        }
        (
            Check::Periodic {
                step: s1,
                from: f1,
                until: u1,
                months: n,
            },
            Check::Periodic {
                step: s2,
                from: f2,
                until: u2,
                months: l,
            },
        ) if (s1, f1, u1) == (s2, f2, u2) => {
            (l > n).then(|| format!("every {l} months is rarer than every {n}"))
        }
        (
            Check::BeforeLeaving {
                step: s1,
                months: n,
            },
            Check::BeforeLeaving {
                step: s2,
                months: l,
            },
        ) if s1 == s2 => (l < n).then(|| format!("{l} months is less than {n}")),
        _ => return Err(()),
    };
    Ok(reason)
}

/// The national rule sets and the university's local ones.
#[derive(Debug, Clone)]
pub struct RuleBook {
    national: Vec<RuleSet>,
    local: Vec<RuleSet>,
}

impl Default for RuleBook {
    fn default() -> RuleBook {
        RuleBook::new(vec![RuleSet::national_2014()])
    }
}

impl RuleBook {
    pub fn new(mut national: Vec<RuleSet>) -> RuleBook {
        national.sort_by_key(|set| set.effective_from);
        RuleBook {
            national,
            local: Vec::new(),
        }
    }

    /// Adds a local rule set after checking that each of its rules tightens (or repeats) the
    /// national rule of the same id in force when the local set takes effect.
    pub fn add_local(&mut self, set: RuleSet) -> Result<(), RuleError> {
        let national = self.national_at(set.effective_from);
        for rule in &set.rules {
            let Some(base) = national.and_then(|n| n.rules.iter().find(|r| r.id == rule.id)) else {
                continue;
            };
            match loosening(base, rule) {
                Ok(None) => {}
                Ok(Some(reason)) => {
                    return Err(RuleError::Loosens {
                        set: set.id.clone(),
                        rule: rule.id.clone(),
                        reason,
                    });
                }
                Err(()) => {
                    return Err(RuleError::DifferentCheck {
                        set: set.id.clone(),
                        rule: rule.id.clone(),
                    });
                }
            }
        }
        self.local.push(set);
        self.local.sort_by_key(|set| set.effective_from);
        Ok(())
    }

    pub fn sets(&self) -> impl Iterator<Item = &RuleSet> {
        self.national.iter().chain(&self.local)
    }

    /// The national set in force on `date`; before the first one, the first one (no older
    /// baseline is loaded).
    fn national_at(&self, date: NaiveDate) -> Option<&RuleSet> {
        self.national
            .iter()
            .rev()
            .find(|set| set.effective_from <= date)
            .or(self.national.first())
    }

    /// The rules in force on `date`, each with the set it comes from.
    pub fn rules_at(&self, date: NaiveDate) -> Vec<(&Rule, &RuleSet)> {
        let mut rules: Vec<(&Rule, &RuleSet)> = match self.national_at(date) {
            Some(set) => set.rules.iter().map(|rule| (rule, set)).collect(),
            None => Vec::new(),
        };
        if let Some(local) = self
            .local
            .iter()
            .rev()
            .find(|set| set.effective_from <= date)
        {
            for rule in &local.rules {
                match rules.iter_mut().find(|(r, _)| r.id == rule.id) {
                    Some(slot) => *slot = (rule, local),
                    None => rules.push((rule, local)),
                }
            }
        }
        rules
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn local(effective: &str, rules: &str) -> String {
        format!(
            "id = \"local-test\"\ntitle = \"某大学细则\"\nkind = \"local\"\neffective_from = \"{effective}\"\nsource = \"校发〔2024〕1号\"\n{rules}"
        )
    }

    #[test]
    fn the_embedded_baseline_parses_and_names_every_rule() {
        let set = RuleSet::national_2014();
        assert_eq!(set.kind, RuleSetKind::National);
        assert!(set.rules.len() >= 12);
        for rule in &set.rules {
            assert!(
                !rule.source.is_empty() && !rule.title.is_empty(),
                "{}",
                rule.id
            );
        }
    }

    #[test]
    fn a_local_set_that_tightens_is_accepted_and_takes_over_from_its_date() {
        let mut book = RuleBook::default();
        let text = local(
            "2024-09-01",
            "[[rule]]\nid = \"talk_within_one_month\"\ntitle = \"十五日内谈话\"\nsource = \"校规第三条\"\nseverity = \"block\"\ncheck = \"max_interval\"\nfrom = 1\nto = 2\nmonths = 0\n",
        );
        book.add_local(RuleSet::from_toml(&text, "local.toml").unwrap())
            .unwrap();
        let talk = |d: &str| {
            book.rules_at(date(d))
                .into_iter()
                .find(|(r, _)| r.id == "talk_within_one_month")
                .map(|(r, set)| (r.severity, set.id.clone()))
                .unwrap()
        };
        assert_eq!(
            talk("2024-08-31"),
            (Severity::Warn, "national-2014".to_string())
        );
        assert_eq!(
            talk("2024-09-01"),
            (Severity::Block, "local-test".to_string())
        );
    }

    #[test]
    fn a_local_set_that_loosens_is_refused_with_the_reason() {
        let mut book = RuleBook::default();
        let text = local(
            "2024-09-01",
            "[[rule]]\nid = \"activist_at_least_one_year\"\ntitle = \"半年\"\nsource = \"校规\"\nseverity = \"block\"\ncheck = \"min_interval\"\nfrom = 3\nto = 7\nmonths = 6\n",
        );
        let err = book
            .add_local(RuleSet::from_toml(&text, "local.toml").unwrap())
            .unwrap_err();
        assert_eq!(err.code(), "rule_loosens_baseline");
        assert!(
            err.to_string().contains("6 months is less than 12"),
            "{err}"
        );

        let lowered = local(
            "2024-09-01",
            "[[rule]]\nid = \"two_introducers\"\ntitle = \"介绍人\"\nsource = \"校规\"\nseverity = \"warn\"\ncheck = \"people\"\nstep = 9\nrole = \"introducer\"\nmin = 2\nmax = 2\nfull_members = true\n",
        );
        let err = book
            .add_local(RuleSet::from_toml(&lowered, "l.toml").unwrap())
            .unwrap_err();
        assert!(err.to_string().contains("lowers block to warn"), "{err}");
    }

    #[rstest::rstest]
    #[case(
        "after = 17\nbefore = 23\nmin_months = 6\nmax_months = 9\nmax_count = 1",
        None
    )]
    #[case(
        "after = 17\nbefore = 23\nmin_months = 3\nmax_months = 12\nmax_count = 1",
        Some("3 months is less than 6")
    )]
    #[case(
        "after = 17\nbefore = 23\nmin_months = 6\nmax_months = 18\nmax_count = 1",
        Some("18 months is more than 12")
    )]
    #[case(
        "after = 17\nbefore = 23\nmin_months = 6\nmax_months = 12\nmax_count = 2",
        Some("2 extensions is more than 1")
    )]
    #[case(
        "after = 15\nbefore = 23\nmin_months = 6\nmax_months = 12\nmax_count = 1",
        Some("longer window")
    )]
    fn a_local_extension_rule_may_only_tighten(#[case] body: &str, #[case] refused: Option<&str>) {
        let mut book = RuleBook::default();
        let text = local(
            "2024-09-01",
            &format!(
                "[[rule]]\nid = \"probation_extension\"\ntitle = \"延长预备期\"\nsource = \"校规\"\nseverity = \"block\"\ncheck = \"probation_extension\"\n{body}\n"
            ),
        );
        let result = book.add_local(RuleSet::from_toml(&text, "local.toml").unwrap());
        match refused {
            None => result.unwrap(),
            Some(reason) => {
                let err = result.unwrap_err();
                assert_eq!(err.code(), "rule_loosens_baseline");
                assert!(err.to_string().contains(reason), "{err}");
            }
        }
    }

    #[test]
    fn a_local_probation_rule_must_still_count_extensions() {
        let mut book = RuleBook::default();
        let text = local(
            "2024-09-01",
            "[[rule]]\nid = \"probation_one_year\"\ntitle = \"预备期\"\nsource = \"校规\"\nseverity = \"block\"\ncheck = \"min_interval\"\nfrom = 15\nto = 23\nmonths = 12\n",
        );
        let err = book
            .add_local(RuleSet::from_toml(&text, "local.toml").unwrap())
            .unwrap_err();
        assert!(err.to_string().contains("probation extension"), "{err}");
    }

    #[test]
    fn a_rule_set_with_a_bad_step_is_refused() {
        let text = local(
            "2024-09-01",
            "[[rule]]\nid = \"x\"\ntitle = \"x\"\nsource = \"x\"\nseverity = \"warn\"\ncheck = \"min_age\"\nstep = 26\nyears = 18\n",
        );
        let err = RuleSet::from_toml(&text, "bad.toml").unwrap_err();
        assert!(err.to_string().contains("step 26"), "{err}");
        let err = RuleSet::from_toml("id = 3", "broken.toml").unwrap_err();
        assert_eq!(err.code(), "rule_set_parse");
        assert!(err.to_string().starts_with("rule set broken.toml"), "{err}");
    }

    #[test]
    fn dates_before_the_first_baseline_use_it() {
        let book = RuleBook::default();
        assert!(!book.rules_at(date("1998-07-01")).is_empty());
    }
}
