//! Queries on `audit_log` and `audit_head`. The chain's rules (what is hashed, how it is
//! verified) live in `crate::audit`; this file only moves rows.

use rusqlite::{Connection, OptionalExtension, params};

/// One stored audit entry, exactly as on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target_kind: String,
    pub target_id: Option<i64>,
    pub member_id: Option<i64>,
    pub detail: String,
    pub prev_hash: String,
    pub hash: String,
}

/// Filters of `list`; `None` means any.
#[derive(Debug, Clone, Default)]
pub(crate) struct AuditFilter<'a> {
    pub actor: Option<&'a str>,
    pub action: Option<&'a str>,
    pub member_id: Option<i64>,
    /// Inclusive lower bound on `at` (an RFC 3339 prefix such as `2026-12-01`).
    pub from: Option<&'a str>,
    /// Exclusive upper bound on `at`.
    pub before: Option<&'a str>,
    pub limit: i64,
}

/// Takes the next sequence number: the first statement of an append is this write, so the
/// transaction holds the write lock before it reads the previous hash (no other writer can
/// append in between). Returns the new seq and the hash of the entry before it.
pub(crate) fn advance_head(conn: &Connection) -> rusqlite::Result<(i64, String)> {
    conn.prepare_cached("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")?
        .query_row([], |row| Ok((row.get(0)?, row.get(1)?)))
}

pub(crate) fn insert(conn: &Connection, row: &AuditRow) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, actor, action, target_kind, target_id, member_id,
                                detail, prev_hash, hash)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        row.seq,
        row.at,
        row.actor,
        row.action,
        row.target_kind,
        row.target_id,
        row.member_id,
        row.detail,
        row.prev_hash,
        row.hash
    ])?;
    conn.prepare_cached("UPDATE audit_head SET hash = ?1 WHERE id = 1 AND seq = ?2")?
        .execute(params![row.hash, row.seq])?;
    Ok(())
}

/// The last seq and hash as `audit_head` records them (None if the row is missing).
pub(crate) fn head(conn: &Connection) -> rusqlite::Result<Option<(i64, String)>> {
    conn.query_row("SELECT seq, hash FROM audit_head WHERE id = 1", [], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })
    .optional()
}

fn row_of(row: &rusqlite::Row<'_>) -> rusqlite::Result<AuditRow> {
    Ok(AuditRow {
        seq: row.get(0)?,
        at: row.get(1)?,
        actor: row.get(2)?,
        action: row.get(3)?,
        target_kind: row.get(4)?,
        target_id: row.get(5)?,
        member_id: row.get(6)?,
        detail: row.get(7)?,
        prev_hash: row.get(8)?,
        hash: row.get(9)?,
    })
}

const COLUMNS: &str =
    "seq, at, actor, action, target_kind, target_id, member_id, detail, prev_hash, hash";

/// Calls `f` on every entry in seq order, streaming (the log can be long); `f` returns false to
/// stop.
pub(crate) fn for_each(
    conn: &Connection,
    mut f: impl FnMut(AuditRow) -> bool,
) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM audit_log ORDER BY seq"))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        if !f(row_of(row)?) {
            break;
        }
    }
    Ok(())
}

/// Entries matching `filter`, newest first.
pub(crate) fn list(conn: &Connection, filter: &AuditFilter<'_>) -> rusqlite::Result<Vec<AuditRow>> {
    let mut stmt = conn.prepare(&format!(
        "SELECT {COLUMNS} FROM audit_log
          WHERE (?1 IS NULL OR actor = ?1)
            AND (?2 IS NULL OR action = ?2)
            AND (?3 IS NULL OR member_id = ?3)
            AND (?4 IS NULL OR at >= ?4)
            AND (?5 IS NULL OR at < ?5)
          ORDER BY seq DESC
          LIMIT ?6"
    ))?;
    stmt.query_map(
        params![
            filter.actor,
            filter.action,
            filter.member_id,
            filter.from,
            filter.before,
            filter.limit
        ],
        row_of,
    )?
    .collect()
}
