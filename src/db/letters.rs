//! Queries on `letter`: the register of introduction letters and their receipts.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::pdf::letter::{LetterRecord, MemberKind};

/// A letter about to be registered (the serial is assigned by the insert).
pub(crate) struct NewLetter<'a> {
    pub prefix: &'a str,
    pub member_id: i64,
    pub member_kind: MemberKind,
    pub from_org: &'a str,
    pub to_org: &'a str,
    pub dues_paid_to: &'a str,
    pub valid_days: u32,
    pub issued_on: NaiveDate,
    pub issued_by: &'a str,
}

/// Registers a letter and returns its serial number.
pub(crate) fn insert(conn: &Connection, letter: &NewLetter<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO letter (prefix, member_id, member_kind, from_org, to_org, dues_paid_to,
                             valid_days, issued_on, issued_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            letter.prefix,
            letter.member_id,
            letter.member_kind.as_code(),
            letter.from_org,
            letter.to_org,
            letter.dues_paid_to,
            letter.valid_days,
            letter.issued_on,
            letter.issued_by,
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

const SELECT: &str = "SELECT l.serial, l.prefix, l.member_id, m.name, l.member_kind, l.from_org,
        l.to_org, l.dues_paid_to, l.valid_days, l.issued_on, l.receipt_on
    FROM letter l JOIN member m ON m.id = l.member_id";

fn record(row: &Row<'_>) -> rusqlite::Result<LetterRecord> {
    let kind: String = row.get(4)?;
    Ok(LetterRecord::new(
        row.get(0)?,
        row.get(1)?,
        row.get(2)?,
        row.get(3)?,
        MemberKind::from_code(&kind).unwrap_or(MemberKind::Full),
        row.get(5)?,
        row.get(6)?,
        row.get(7)?,
        row.get(8)?,
        row.get(9)?,
        row.get(10)?,
    ))
}

pub(crate) fn get(conn: &Connection, serial: i64) -> rusqlite::Result<Option<LetterRecord>> {
    conn.query_row(&format!("{SELECT} WHERE l.serial = ?1"), [serial], record)
        .optional()
}

/// Records the day a letter's receipt came back.
pub(crate) fn set_receipt(
    conn: &Connection,
    serial: i64,
    date: NaiveDate,
    by: &str,
) -> rusqlite::Result<usize> {
    conn.execute(
        "UPDATE letter SET receipt_on = ?2, receipt_by = ?3 WHERE serial = ?1",
        params![serial, date, by],
    )
}

/// Letters whose receipt is not back, oldest first.
pub(crate) fn open(conn: &Connection) -> rusqlite::Result<Vec<LetterRecord>> {
    let mut stmt = conn.prepare(&format!(
        "{SELECT} WHERE l.receipt_on IS NULL ORDER BY l.issued_on, l.serial"
    ))?;
    stmt.query_map([], record)?.collect()
}

/// The full (unmasked) ID number of a member, for the documents that print it.
pub(crate) fn id_number(conn: &Connection, member_id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT id_number FROM member WHERE id = ?1",
        [member_id],
        |row| row.get(0),
    )
    .optional()
    .map(Option::flatten)
}

/// The members of a class (班级), by student number.
pub(crate) fn class_members(conn: &Connection, class_name: &str) -> rusqlite::Result<Vec<i64>> {
    let mut stmt =
        conn.prepare("SELECT id FROM member WHERE class_name = ?1 ORDER BY student_no, id")?;
    stmt.query_map([class_name], |row| row.get(0))?.collect()
}
