//! Queries on `rule_set`.

use rusqlite::{Connection, params};

/// A stored local rule set: its TOML text and the file it came from.
pub(crate) struct StoredRuleSet {
    pub toml: String,
    pub file_name: String,
}

pub(crate) fn all(conn: &Connection) -> rusqlite::Result<Vec<StoredRuleSet>> {
    let mut stmt =
        conn.prepare("SELECT toml, file_name FROM rule_set ORDER BY effective_from, id")?;
    stmt.query_map([], |row| {
        Ok(StoredRuleSet {
            toml: row.get(0)?,
            file_name: row.get(1)?,
        })
    })?
    .collect()
}

pub(crate) fn exists(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.query_row("SELECT count(*) FROM rule_set WHERE id = ?1", [id], |row| {
        row.get::<_, i64>(0)
    })
    .map(|n| n > 0)
}

pub(crate) fn insert(
    conn: &Connection,
    set: &crate::lifecycle::RuleSet,
    toml: &str,
    file_name: &str,
    loaded_by: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO rule_set (id, effective_from, title, toml, file_name, loaded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            set.id,
            set.effective_from,
            set.title,
            toml,
            file_name,
            loaded_by
        ],
    )?;
    Ok(())
}
