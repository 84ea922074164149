//! Queries on `attachment` and `event_attachment`.

use rusqlite::{Connection, params};

use crate::documents::AttachmentRef;

pub(crate) fn insert_blob(conn: &Connection, sha256: &str, size: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT OR IGNORE INTO attachment (sha256, size) VALUES (?1, ?2)")?
        .execute(params![sha256, size])?;
    Ok(())
}

pub(crate) fn link(
    conn: &Connection,
    event_id: i64,
    attachment: &AttachmentRef,
    added_by: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR REPLACE INTO event_attachment (event_id, sha256, file_name, material, added_by)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        event_id,
        attachment.sha256,
        attachment.file_name,
        attachment.material,
        added_by
    ])?;
    Ok(())
}

/// The member's attachments with the step of the current event each is linked to (a corrected
/// event's files are carried over to its correction, see `copy_links`).
pub(crate) fn of_member(
    conn: &Connection,
    member_id: i64,
) -> rusqlite::Result<Vec<(Option<u8>, AttachmentRef)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.step, a.sha256, a.file_name, a.material, b.size
           FROM event_attachment a
           JOIN member_event e ON e.id = a.event_id
           JOIN attachment b ON b.sha256 = a.sha256
          WHERE e.member_id = ?1 AND e.superseded_by IS NULL
          ORDER BY e.date, e.id, a.added_at",
    )?;
    stmt.query_map([member_id], |row| {
        Ok((
            row.get(0)?,
            AttachmentRef {
                sha256: row.get(1)?,
                file_name: row.get(2)?,
                material: row.get(3)?,
                size: row.get(4)?,
            },
        ))
    })?
    .collect()
}

/// The member's attachments with the id of the current event each is linked to, in timeline
/// order and then in the order they were added.
pub(crate) fn of_member_events(
    conn: &Connection,
    member_id: i64,
) -> rusqlite::Result<Vec<(i64, AttachmentRef)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.id, a.sha256, a.file_name, a.material, b.size
           FROM event_attachment a
           JOIN member_event e ON e.id = a.event_id
           JOIN attachment b ON b.sha256 = a.sha256
          WHERE e.member_id = ?1 AND e.superseded_by IS NULL
          ORDER BY e.date, e.id, a.added_at, a.rowid",
    )?;
    stmt.query_map([member_id], |row| {
        Ok((
            row.get(0)?,
            AttachmentRef {
                sha256: row.get(1)?,
                file_name: row.get(2)?,
                material: row.get(3)?,
                size: row.get(4)?,
            },
        ))
    })?
    .collect()
}

/// Links the files of event `from` to event `to` as well (a correction keeps the evidence).
pub(crate) fn copy_links(conn: &Connection, from: i64, to: i64) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT OR IGNORE INTO event_attachment (event_id, sha256, file_name, material, added_by,
                                                 added_at)
         SELECT ?2, sha256, file_name, material, added_by, added_at
           FROM event_attachment WHERE event_id = ?1",
    )?
    .execute(params![from, to])?;
    Ok(())
}

/// Links a stored file to a meeting (the same file twice keeps the first link's name).
pub(crate) fn link_meeting(
    conn: &Connection,
    meeting_id: i64,
    attachment: &AttachmentRef,
    added_by: &str,
) -> rusqlite::Result<bool> {
    let added = conn
        .prepare_cached(
            "INSERT OR IGNORE INTO meeting_attachment (meeting_id, sha256, file_name, added_by)
             VALUES (?1, ?2, ?3, ?4)",
        )?
        .execute(params![
            meeting_id,
            attachment.sha256,
            attachment.file_name,
            added_by
        ])?;
    Ok(added > 0)
}

/// The files of each of these meetings, in the order they were added.
pub(crate) fn of_meetings(
    conn: &Connection,
    meeting_ids: &[i64],
) -> rusqlite::Result<Vec<(i64, AttachmentRef)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT a.meeting_id, a.sha256, a.file_name, b.size
           FROM meeting_attachment a
           JOIN attachment b ON b.sha256 = a.sha256
          WHERE a.meeting_id IN (SELECT value FROM json_each(?1))
          ORDER BY a.meeting_id, a.added_at, a.rowid",
    )?;
    let ids = serde_json::to_string(meeting_ids).unwrap_or_else(|_| "[]".to_string());
    stmt.query_map([ids], |row| {
        Ok((
            row.get(0)?,
            AttachmentRef {
                sha256: row.get(1)?,
                file_name: row.get(2)?,
                material: None,
                size: row.get(3)?,
            },
        ))
    })?
    .collect()
}
