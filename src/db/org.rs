//! Queries on `org_unit`.

use rusqlite::{Connection, OptionalExtension, params};

use crate::org::BranchOption;

pub(crate) fn insert(
    conn: &Connection,
    kind: &str,
    name: &str,
    parent_id: Option<i64>,
) -> rusqlite::Result<i64> {
    conn.prepare_cached("INSERT INTO org_unit (kind, name, parent_id) VALUES (?1, ?2, ?3)")?
        .execute(params![kind, name, parent_id])?;
    Ok(conn.last_insert_rowid())
}

pub(crate) fn kind_of(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row("SELECT kind FROM org_unit WHERE id = ?1", [id], |row| {
        row.get(0)
    })
    .optional()
}

pub(crate) fn branches(conn: &Connection) -> rusqlite::Result<Vec<BranchOption>> {
    let mut stmt = conn.prepare(
        "SELECT b.id, b.name, c.name FROM org_unit b
           JOIN org_unit c ON c.id = b.parent_id
          WHERE b.kind = 'branch'
          ORDER BY c.id, b.id",
    )?;
    stmt.query_map([], |row| {
        Ok(BranchOption {
            id: row.get(0)?,
            name: row.get(1)?,
            college: row.get(2)?,
        })
    })?
    .collect()
}

pub(crate) fn is_branch(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    Ok(kind_of(conn, id)?.as_deref() == Some("branch"))
}
