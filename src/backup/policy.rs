//! The automatic-backup policy, stored in the archive's `setting` table so that every program
//! opening the archive (the app, the CLI on another machine) follows the same one: whether the
//! scheduled backup runs, how often, and how many rotated copies rotation keeps per day, ISO week
//! and month. A key that was never set takes the default (`BackupPolicy::default`).

use std::collections::BTreeMap;

use chrono::{Duration, Utc};
use rusqlite::Connection;
use serde::Serialize;
use ts_rs::TS;

use super::{BackupError, rotation};
use crate::actor::Actor;
use crate::archive::Archive;
use crate::audit::{self, Action, Target};
use crate::db;

/// The policy as stored (or defaulted).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
pub struct BackupPolicy {
    /// `backup.enabled`: whether the app makes scheduled backups.
    pub enabled: bool,
    /// `backup.interval_hours`: a scheduled backup is due when the newest verified one is older.
    pub interval_hours: u32,
    /// `backup.daily`, `backup.weekly`, `backup.monthly`: how many days, ISO weeks and months
    /// keep their newest rotated (scheduled or before-import) backup.
    pub daily: u32,
    pub weekly: u32,
    pub monthly: u32,
}

impl Default for BackupPolicy {
    fn default() -> BackupPolicy {
        let rotation = rotation::Policy::default();
        BackupPolicy {
            enabled: true,
            interval_hours: 24,
            daily: count(rotation.daily),
            weekly: count(rotation.weekly),
            monthly: count(rotation.monthly),
        }
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The keys, in the order `dangan backup policy` prints them.
pub const KEYS: [&str; 5] = [
    "backup.enabled",
    "backup.interval_hours",
    "backup.daily",
    "backup.weekly",
    "backup.monthly",
];

/// The accepted range of each number.
fn range(key: &str) -> Option<(u32, u32)> {
    match key {
        "backup.interval_hours" => Some((1, 24 * 30)),
        "backup.daily" => Some((0, 366)),
        "backup.weekly" => Some((0, 260)),
        "backup.monthly" => Some((0, 240)),
        _ => None,
    }
}

impl BackupPolicy {
    /// The value of `key` as text.
    pub fn get(&self, key: &str) -> Option<String> {
        Some(match key {
            "backup.enabled" => self.enabled.to_string(),
            "backup.interval_hours" => self.interval_hours.to_string(),
            "backup.daily" => self.daily.to_string(),
            "backup.weekly" => self.weekly.to_string(),
            "backup.monthly" => self.monthly.to_string(),
            _ => return None,
        })
    }

    /// Sets `key` from text, refusing unknown keys and values out of range.
    fn apply(&mut self, key: &str, value: &str) -> Result<(), BackupError> {
        let bad = |reason: String| BackupError::BadSetting {
            key: key.to_string(),
            value: value.to_string(),
            reason,
        };
        let value = value.trim();
        if key == "backup.enabled" {
            self.enabled = match value {
                "true" | "1" | "on" | "yes" => true,
                "false" | "0" | "off" | "no" => false,
                _ => return Err(bad("应为 true 或 false".to_string())),
            };
            return Ok(());
        }
        let (min, max) =
            range(key).ok_or_else(|| bad(format!("可用的设置：{}", KEYS.join("、"))))?;
        let n: u32 = value
            .parse()
            .map_err(|_| bad(format!("应为 {min} 到 {max} 之间的整数")))?;
        if !(min..=max).contains(&n) {
            return Err(bad(format!("应为 {min} 到 {max} 之间的整数")));
        }
        match key {
            "backup.interval_hours" => self.interval_hours = n,
            "backup.daily" => self.daily = n,
            "backup.weekly" => self.weekly = n,
            _ => self.monthly = n,
        }
        Ok(())
    }

    /// How long after the newest verified backup a scheduled one is due.
    pub fn interval(&self) -> Duration {
        Duration::hours(i64::from(self.interval_hours))
    }

    /// The rotation rule these counts make.
    pub fn rotation(&self) -> rotation::Policy {
        let n = |v: u32| usize::try_from(v).unwrap_or(usize::MAX);
        rotation::Policy {
            daily: n(self.daily),
            weekly: n(self.weekly),
            monthly: n(self.monthly),
            ..rotation::Policy::default()
        }
    }
}

/// The policy stored in the archive; a stored value this program cannot read (written by a
/// newer one, say) counts as unset.
pub(crate) fn load(conn: &Connection) -> rusqlite::Result<BackupPolicy> {
    let stored = db::settings::all(conn)?;
    let mut policy = BackupPolicy::default();
    for key in KEYS {
        if let Some(value) = stored.get(key) {
            let mut next = policy;
            if next.apply(key, value).is_ok() {
                policy = next;
            }
        }
    }
    Ok(policy)
}

/// The archive's automatic-backup policy.
pub fn get(archive: &Archive, actor: &Actor) -> Result<BackupPolicy, BackupError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Backup)?;
    Ok(load(archive.conn())?)
}

/// Changes some keys of the policy (all or none: one bad key or value and nothing is stored),
/// recorded in the audit trail with the values before and after. Returns the new policy.
pub fn set(
    archive: &mut Archive,
    actor: &Actor,
    changes: &[(String, String)],
) -> Result<BackupPolicy, BackupError> {
    crate::auth::require(archive, actor, crate::actor::Permission::Admin)?;
    let before = load(archive.conn())?;
    let mut after = before;
    for (key, value) in changes {
        after.apply(key, value)?;
    }
    let changed: BTreeMap<&str, serde_json::Value> = KEYS
        .iter()
        .filter(|key| before.get(key) != after.get(key))
        .map(|key| {
            (
                *key,
                serde_json::json!({ "before": before.get(key), "after": after.get(key) }),
            )
        })
        .collect();
    if changed.is_empty() {
        return Ok(after);
    }
    let at = super::now_text(Utc::now());
    db::with_tx(archive.conn_mut(), |tx| {
        for key in changed.keys() {
            let value = after.get(key).unwrap_or_default();
            db::settings::set(tx, key, &value, actor.name(), &at)?;
        }
        audit::record(
            tx,
            actor,
            Action::SettingChange,
            Target::setting(),
            serde_json::json!({ "changes": changed }),
        )?;
        Ok::<_, BackupError>(())
    })?;
    Ok(after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    #[rstest]
    #[case("backup.enabled", "false", true)]
    #[case("backup.enabled", "maybe", false)]
    #[case("backup.interval_hours", "1", true)]
    #[case("backup.interval_hours", "0", false)]
    #[case("backup.interval_hours", "721", false)]
    #[case("backup.daily", "0", true)]
    #[case("backup.weekly", "-1", false)]
    #[case("backup.monthly", "12", true)]
    #[case("backup.yearly", "1", false)]
    fn values_are_checked(#[case] key: &str, #[case] value: &str, #[case] ok: bool) {
        let mut policy = BackupPolicy::default();
        assert_eq!(policy.apply(key, value).is_ok(), ok, "{key}={value}");
    }

    #[test]
    fn every_key_round_trips_through_text() {
        let mut policy = BackupPolicy::default();
        for key in KEYS {
            let text = policy.get(key).unwrap();
            policy.apply(key, &text).unwrap();
        }
        assert_eq!(policy, BackupPolicy::default());
        assert_eq!(policy.rotation(), rotation::Policy::default());
    }
}
