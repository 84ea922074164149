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

/// The member's attachments with the step of the event each is linked to.
pub(crate) fn of_member(
    conn: &Connection,
    member_id: i64,
) -> rusqlite::Result<Vec<(Option<u8>, AttachmentRef)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT e.step, a.sha256, a.file_name, a.material, b.size
           FROM event_attachment a
           JOIN member_event e ON e.id = a.event_id
           JOIN attachment b ON b.sha256 = a.sha256
          WHERE e.member_id = ?1
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
