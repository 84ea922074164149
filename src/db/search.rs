//! The full-text index (`search_doc` + the contentless FTS5 table `search_fts`) and the member
//! lookups of the search box.

use rusqlite::{Connection, params};

/// Adds a document's tokens to the index, in the caller's transaction.
pub(crate) fn index(
    conn: &Connection,
    kind: &str,
    ref_id: i64,
    member_id: Option<i64>,
    title_tokens: &str,
    body_tokens: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO search_doc (kind, ref_id, member_id) VALUES (?1, ?2, ?3)")?
        .execute(params![kind, ref_id, member_id])?;
    let id = conn.last_insert_rowid();
    conn.prepare_cached("INSERT INTO search_fts (rowid, title, body) VALUES (?1, ?2, ?3)")?
        .execute(params![id, title_tokens, body_tokens])?;
    Ok(())
}

/// Empties the index and indexes every thought report and meeting again, in the caller's
/// transaction; returns how many documents were indexed. Rows are read and written one at a
/// time, so memory stays flat however many there are.
pub(crate) fn rebuild(conn: &Connection) -> rusqlite::Result<usize> {
    use crate::search::tokens::index_text;
    conn.execute(
        "INSERT INTO search_fts (search_fts) VALUES ('delete-all')",
        [],
    )?;
    conn.execute("DELETE FROM search_doc", [])?;
    let mut count = 0;
    let mut stmt =
        conn.prepare("SELECT id, member_id, title, body FROM thought_report ORDER BY id")?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (title, body): (String, String) = (row.get(2)?, row.get(3)?);
        index(
            conn,
            "thought_report",
            row.get(0)?,
            Some(row.get(1)?),
            &index_text(&title),
            &index_text(&body),
        )?;
        count += 1;
    }
    let mut stmt = conn.prepare(&format!(
        "SELECT m.id, m.topic, {} FROM meeting m ORDER BY m.id",
        super::meetings::SEARCH_TEXT
    ))?;
    let mut rows = stmt.query([])?;
    while let Some(row) = rows.next()? {
        let (topic, body): (String, String) = (row.get(1)?, row.get(2)?);
        index(
            conn,
            "meeting",
            row.get(0)?,
            None,
            &index_text(&topic),
            &index_text(&body),
        )?;
        count += 1;
    }
    optimize(conn)?;
    Ok(count)
}

/// Merges the index's segments into one: after a bulk load (the demo, a large import) the
/// index is smaller and faster to query.
pub(crate) fn optimize(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO search_fts (search_fts) VALUES ('optimize')",
        [],
    )?;
    Ok(())
}

/// A document the index found: what it is, and its rank (lower is better).
#[derive(Debug, Clone)]
pub(crate) struct DocHit {
    pub kind: String,
    pub ref_id: i64,
    pub member_id: Option<i64>,
}

/// Documents matching the FTS5 expression, best first (bm25, a title match weighing more).
pub(crate) fn documents(
    conn: &Connection,
    expression: &str,
    limit: Option<usize>,
) -> rusqlite::Result<Vec<DocHit>> {
    let limit = limit.map_or(-1, |l| i64::try_from(l).unwrap_or(i64::MAX));
    let mut stmt = conn.prepare_cached(
        "SELECT d.kind, d.ref_id, d.member_id
           FROM search_fts f JOIN search_doc d ON d.id = f.rowid
          WHERE search_fts MATCH ?1
          ORDER BY bm25(search_fts, 5.0, 1.0), d.id DESC
          LIMIT ?2",
    )?;
    stmt.query_map(params![expression, limit], |row| {
        Ok(DocHit {
            kind: row.get(0)?,
            ref_id: row.get(1)?,
            member_id: row.get(2)?,
        })
    })?
    .collect()
}

/// Documents matching the FTS5 expression, newest first (by index rowid), without ranking:
/// FTS5 walks its doclists in rowid order and stops at `limit`, so this costs little however many
/// documents match — unlike `documents`, which scores every match with bm25 before sorting.
pub(crate) fn documents_newest(
    conn: &Connection,
    expression: &str,
    limit: usize,
) -> rusqlite::Result<Vec<DocHit>> {
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    let mut stmt = conn.prepare_cached(
        "SELECT d.kind, d.ref_id, d.member_id
           FROM search_fts f JOIN search_doc d ON d.id = f.rowid
          WHERE search_fts MATCH ?1
          ORDER BY f.rowid DESC
          LIMIT ?2",
    )?;
    stmt.query_map(params![expression, limit], |row| {
        Ok(DocHit {
            kind: row.get(0)?,
            ref_id: row.get(1)?,
            member_id: row.get(2)?,
        })
    })?
    .collect()
}

/// How many documents match the FTS5 expression.
pub(crate) fn count(conn: &Connection, expression: &str) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?1")?
        .query_row([expression], |row| row.get(0))
}

/// A member the search box found, with what matched.
#[derive(Debug, Clone)]
pub(crate) struct MemberHit {
    pub id: i64,
    pub name: String,
    pub student_no: Option<String>,
    pub id_number: Option<String>,
    pub branch: Option<String>,
}

/// Members whose name contains `text`, whose student number starts with it, or whose ID number
/// is it or ends with it (a clerk types the last digits), exact matches first.
pub(crate) fn members(conn: &Connection, text: &str) -> rusqlite::Result<Vec<MemberHit>> {
    let escaped = super::members::escape_like(text);
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.name, m.student_no, m.id_number, b.name
           FROM member m LEFT JOIN org_unit b ON b.id = m.branch_id
          WHERE m.name LIKE '%' || ?1 || '%' ESCAPE '\\'
             OR m.student_no LIKE ?1 || '%' ESCAPE '\\'
             OR m.id_number LIKE '%' || upper(?1) ESCAPE '\\'
          ORDER BY (m.name = ?2) DESC, (m.student_no = ?2) DESC, length(m.name), m.id",
    )?;
    stmt.query_map(params![escaped, text], |row| {
        Ok(MemberHit {
            id: row.get(0)?,
            name: row.get(1)?,
            student_no: row.get(2)?,
            id_number: row.get(3)?,
            branch: row.get(4)?,
        })
    })?
    .collect()
}

/// Ids of reports whose title or body contains `text` (LIKE, case-insensitive for ASCII): the
/// slow reference the index is measured against, and the fallback for what the index cannot
/// decide.
pub(crate) fn reports_containing(conn: &Connection, text: &str) -> rusqlite::Result<Vec<i64>> {
    let escaped = super::members::escape_like(text);
    let mut stmt = conn.prepare_cached(
        "SELECT id FROM thought_report
          WHERE title LIKE '%' || ?1 || '%' ESCAPE '\\' OR body LIKE '%' || ?1 || '%' ESCAPE '\\'
          ORDER BY id",
    )?;
    stmt.query_map([escaped], |row| row.get(0))?.collect()
}
