//! Which backups to keep: a pure function of the backups and the policy.
//!
//! Kept for ever (deleted only by a person): `manual` backups (someone asked for that copy),
//! `before_migration` (the only way back to the older program) and `before_restore` (the way back
//! from a restore). Rotated: `scheduled` and `before_import` backups, grandfather-father-son: the
//! newest backup of each of the 7 most recent days that have one, of each of the 4 most recent
//! ISO weeks, and of each of the 12 most recent months (UTC), the union of the three. Only
//! verified backups with a file take part: a failed one has no file left to keep. Besides, every
//! rotated backup made in the 24 hours before the newest one is kept, so that a morning of three
//! imports can be undone to any point (the newest-of-the-day rule alone would keep only the
//! last).

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, Duration, Utc};

use super::BackupReason;

/// What rotation needs to know of one backup.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stamp {
    pub id: i64,
    pub made_at: DateTime<Utc>,
    pub reason: BackupReason,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Every backup this close to the newest one is kept.
    pub recent: Duration,
    pub daily: usize,
    pub weekly: usize,
    pub monthly: usize,
}

impl Default for Policy {
    fn default() -> Policy {
        Policy {
            recent: Duration::hours(24),
            daily: 7,
            weekly: 4,
            monthly: 12,
        }
    }
}

impl BackupReason {
    /// Whether rotation may delete a backup made for this reason.
    pub fn is_rotated(self) -> bool {
        matches!(self, BackupReason::Scheduled | BackupReason::BeforeImport)
    }
}

/// The period a backup falls in: (year, day / ISO week / month).
type Bucket = fn(&DateTime<Utc>) -> (i32, u32);

/// The ids of the backups to delete, in the order given.
pub fn to_delete(backups: &[Stamp], policy: &Policy) -> Vec<i64> {
    let mut rotated: Vec<&Stamp> = backups.iter().filter(|b| b.reason.is_rotated()).collect();
    // Newest first; the id breaks ties so the answer never depends on the input order.
    rotated.sort_by(|a, b| b.made_at.cmp(&a.made_at).then(b.id.cmp(&a.id)));
    let mut keep = BTreeSet::new();
    if let Some(newest) = rotated.first() {
        let since = newest.made_at - policy.recent;
        keep.extend(rotated.iter().filter(|b| b.made_at >= since).map(|b| b.id));
    }
    let buckets: [(usize, Bucket); 3] = [
        (policy.daily, |t| (t.year(), t.ordinal())),
        (policy.weekly, |t| {
            let w = t.iso_week();
            (w.year(), w.week())
        }),
        (policy.monthly, |t| (t.year(), t.month())),
    ];
    for (count, bucket) in buckets {
        let mut seen = Vec::new();
        for b in &rotated {
            if seen.len() >= count {
                break;
            }
            let key = bucket(&b.made_at);
            if !seen.contains(&key) {
                seen.push(key);
                keep.insert(b.id);
            }
        }
    }
    backups
        .iter()
        .filter(|b| b.reason.is_rotated() && !keep.contains(&b.id))
        .map(|b| b.id)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use rstest::rstest;

    fn at(y: i32, m: u32, d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, m, d, h, 0, 0).unwrap()
    }

    fn stamps(list: &[(DateTime<Utc>, BackupReason)]) -> Vec<Stamp> {
        list.iter()
            .enumerate()
            .map(|(i, (made_at, reason))| Stamp {
                id: i as i64 + 1,
                made_at: *made_at,
                reason: *reason,
            })
            .collect()
    }

    /// One scheduled backup a day for `days` days ending 2026-12-31 (ids 1 = oldest).
    fn daily(days: i64) -> Vec<Stamp> {
        let end = at(2026, 12, 31, 2);
        stamps(
            &(0..days)
                .rev()
                .map(|back| (end - Duration::days(back), BackupReason::Scheduled))
                .collect::<Vec<_>>(),
        )
    }

    use BackupReason::*;

    #[rstest]
    // Fewer than 7 days: everything is kept.
    #[case::five_days(daily(5), vec![])]
    // 8 days, 2026-12-24 (Thu) .. 12-31 (Thu): the oldest day is still the newest of its ISO
    // week 52 (12-21..12-27) only with 12-25..27 — so it goes; it is not its month's newest.
    #[case::eight_days(daily(8), vec![1])]
    #[case::two_a_day(
        stamps(&[(at(2026, 12, 29, 1), Scheduled), (at(2026, 12, 29, 9), BeforeImport),
                 (at(2026, 12, 31, 10), BeforeImport)]),
        vec![1]
    )]
    // Within 24 hours of the newest, all are kept (three imports in a morning).
    #[case::a_busy_morning(
        stamps(&[(at(2026, 12, 31, 8), BeforeImport), (at(2026, 12, 31, 9), BeforeImport),
                 (at(2026, 12, 31, 10), BeforeImport)]),
        vec![]
    )]
    #[case::pinned_are_kept(
        stamps(&[(at(2026, 12, 30, 1), Manual), (at(2026, 12, 30, 2), BeforeMigration),
                 (at(2026, 12, 30, 3), BeforeRestore), (at(2026, 12, 30, 4), Scheduled)]),
        vec![]
    )]
    fn rotation_table(#[case] backups: Vec<Stamp>, #[case] deleted: Vec<i64>) {
        assert_eq!(to_delete(&backups, &Policy::default()), deleted);
    }

    #[test]
    fn a_year_of_daily_backups_keeps_7_days_4_weeks_12_months() {
        // 2026-01-01 .. 2026-12-31, one each day at 02:00.
        let backups = daily(365);
        let deleted: BTreeSet<i64> = to_delete(&backups, &Policy::default())
            .into_iter()
            .collect();
        let kept: Vec<_> = backups
            .iter()
            .filter(|b| !deleted.contains(&b.id))
            .map(|b| b.made_at.format("%m-%d").to_string())
            .collect();
        assert_eq!(
            kept,
            [
                "01-31", "02-28", "03-31", "04-30", "05-31", "06-30", "07-31", "08-31", "09-30",
                "10-31", "11-30", // months (12-31 is December's)
                "12-13", "12-20", // Sundays ending weeks 50 and 51 (week 52's is 12-27)
                "12-25", "12-26", "12-27", "12-28", "12-29", "12-30", "12-31",
            ]
        );
    }

    fn reason() -> impl Strategy<Value = BackupReason> {
        prop_oneof![
            Just(Manual),
            Just(Scheduled),
            Just(BeforeMigration),
            Just(BeforeImport),
            Just(BeforeRestore)
        ]
    }

    fn backups() -> impl Strategy<Value = Vec<Stamp>> {
        prop::collection::vec((0i64..(800 * 24), reason()), 0..120).prop_map(|list| {
            let start = at(2025, 1, 1, 0);
            list.into_iter()
                .enumerate()
                .map(|(i, (hours, reason))| Stamp {
                    id: i as i64 + 1,
                    made_at: start + Duration::hours(hours),
                    reason,
                })
                .collect()
        })
    }

    proptest! {
        #[test]
        fn rotation_properties(backups in backups(), daily in 0usize..10, weekly in 0usize..6, monthly in 0usize..14, recent_hours in 0i64..72) {
            let policy = Policy { recent: Duration::hours(recent_hours), daily, weekly, monthly };
            let deleted: BTreeSet<i64> = to_delete(&backups, &policy).into_iter().collect();
            // Pinned backups are never deleted.
            for b in &backups {
                if !b.reason.is_rotated() {
                    prop_assert!(!deleted.contains(&b.id));
                }
            }
            let kept: Vec<Stamp> = backups.iter().copied().filter(|b| !deleted.contains(&b.id)).collect();
            let rotated_kept = kept.iter().filter(|b| b.reason.is_rotated()).count();
            let newest_at = backups.iter().filter(|b| b.reason.is_rotated()).map(|b| b.made_at).max();
            let recent = backups.iter()
                .filter(|b| b.reason.is_rotated() && newest_at.is_some_and(|n| b.made_at >= n - policy.recent))
                .count();
            prop_assert!(rotated_kept <= daily + weekly + monthly + recent);
            // Everything recent is kept.
            for b in &backups {
                if b.reason.is_rotated() && newest_at.is_some_and(|n| b.made_at >= n - policy.recent) {
                    prop_assert!(!deleted.contains(&b.id));
                }
            }
            // The newest rotated backup always survives.
            if let Some(newest) = backups.iter().filter(|b| b.reason.is_rotated())
                    .max_by(|a, b| a.made_at.cmp(&b.made_at).then(a.id.cmp(&b.id)))
            {
                prop_assert!(!deleted.contains(&newest.id));
            }
            // Rotating what was kept deletes nothing more.
            prop_assert_eq!(to_delete(&kept, &policy), Vec::<i64>::new());
            // Each of the `daily` most recent days keeps its newest backup.
            let mut days: Vec<_> = backups.iter().filter(|b| b.reason.is_rotated())
                .map(|b| b.made_at.date_naive()).collect();
            days.sort_unstable();
            days.dedup();
            for day in days.iter().rev().take(daily) {
                prop_assert!(kept.iter().any(|b| b.reason.is_rotated() && b.made_at.date_naive() == *day));
            }
        }
    }
}
