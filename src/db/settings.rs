//! Queries on `setting`: archive-wide key/value settings. What the keys mean lives with their
//! owners (the backup policy in `crate::backup::policy`).

use std::collections::BTreeMap;

use rusqlite::{Connection, OptionalExtension, params};

/// Every stored setting, by key.
pub(crate) fn all(conn: &Connection) -> rusqlite::Result<BTreeMap<String, String>> {
    let mut stmt = conn.prepare_cached("SELECT key, value FROM setting")?;
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect()
}

/// The value stored under `key`, if any.
pub(crate) fn get(conn: &Connection, key: &str) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached("SELECT value FROM setting WHERE key = ?1")?
        .query_row([key], |row| row.get(0))
        .optional()
}

/// Stores `value` under `key`, replacing what was there.
pub(crate) fn set(
    conn: &Connection,
    key: &str,
    value: &str,
    by: &str,
    at: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO setting (key, value, updated_by, updated_at) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value,
                updated_by = excluded.updated_by, updated_at = excluded.updated_at",
    )?
    .execute(params![key, value, by, at])?;
    Ok(())
}
