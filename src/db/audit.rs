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
    pub target_kind: Option<&'a str>,
    pub target_id: Option<i64>,
    pub limit: i64,
    pub offset: i64,
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
    Ok(())
}

/// The hash of the entry `advance_head` numbered `seq`.
pub(crate) fn set_head_hash(conn: &Connection, seq: i64, hash: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE audit_head SET hash = ?1 WHERE id = 1 AND seq = ?2")?
        .execute(params![hash, seq])?;
    Ok(())
}

/// The head after entries appended without it (`audit::Appender`).
pub(crate) fn set_head(conn: &Connection, seq: i64, hash: &str) -> rusqlite::Result<()> {
    conn.prepare_cached("UPDATE audit_head SET seq = ?1, hash = ?2 WHERE id = 1")?
        .execute(params![seq, hash])?;
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

const WHERE: &str = "WHERE (?1 IS NULL OR a.actor = ?1)
            AND (?2 IS NULL OR a.action = ?2)
            AND (?3 IS NULL OR a.member_id = ?3)
            AND (?4 IS NULL OR a.at >= ?4)
            AND (?5 IS NULL OR a.at < ?5)
            AND (?6 IS NULL OR a.target_kind = ?6)
            AND (?7 IS NULL OR a.target_id = ?7)";

/// Entries matching `filter`, newest first, each with the name of the member concerned (if the
/// member still exists).
pub(crate) fn list(
    conn: &Connection,
    filter: &AuditFilter<'_>,
) -> rusqlite::Result<Vec<(AuditRow, Option<String>)>> {
    let columns: Vec<String> = COLUMNS.split(", ").map(|c| format!("a.{c}")).collect();
    let mut stmt = conn.prepare(&format!(
        "SELECT {}, m.name FROM audit_log a LEFT JOIN member m ON m.id = a.member_id
          {WHERE}
          ORDER BY a.seq DESC
          LIMIT ?8 OFFSET ?9",
        columns.join(", ")
    ))?;
    stmt.query_map(
        params![
            filter.actor,
            filter.action,
            filter.member_id,
            filter.from,
            filter.before,
            filter.target_kind,
            filter.target_id,
            filter.limit,
            filter.offset
        ],
        |row| Ok((row_of(row)?, row.get(10)?)),
    )?
    .collect()
}

/// How many entries match `filter` (its limit and offset aside).
pub(crate) fn count(conn: &Connection, filter: &AuditFilter<'_>) -> rusqlite::Result<i64> {
    conn.query_row(
        &format!("SELECT count(*) FROM audit_log a {WHERE}"),
        params![
            filter.actor,
            filter.action,
            filter.member_id,
            filter.from,
            filter.before,
            filter.target_kind,
            filter.target_id
        ],
        |row| row.get(0),
    )
}

/// Everyone who has an entry, in name order.
pub(crate) fn actors(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT DISTINCT actor FROM audit_log ORDER BY actor")?;
    stmt.query_map([], |row| row.get(0))?.collect()
}
