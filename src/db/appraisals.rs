//! Queries on `appraisal`: the yearly 民主评议 grades.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use crate::appraisals::{Appraisal, Grade};

/// A grade to write.
pub(crate) struct NewAppraisal<'a> {
    pub member_id: i64,
    pub branch_id: i64,
    pub year: i32,
    pub grade: Grade,
    pub meeting_id: Option<i64>,
    pub note: Option<&'a str>,
}

pub(crate) fn insert(
    conn: &Connection,
    appraisal: &NewAppraisal<'_>,
    recorded_by: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO appraisal (member_id, branch_id, year, grade, meeting_id, note, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        appraisal.member_id,
        appraisal.branch_id,
        appraisal.year,
        appraisal.grade.as_code(),
        appraisal.meeting_id,
        appraisal.note,
        recorded_by
    ])?;
    Ok(conn.last_insert_rowid())
}

const SELECT: &str = "SELECT a.id, a.member_id, p.name, a.branch_id, b.name, a.year, a.grade,
        a.meeting_id, a.note, a.recorded_by, a.recorded_at
   FROM appraisal a JOIN member p ON p.id = a.member_id JOIN org_unit b ON b.id = a.branch_id";

fn row_to_appraisal(row: &rusqlite::Row<'_>) -> rusqlite::Result<Appraisal> {
    let grade: String = row.get(6)?;
    Ok(Appraisal {
        id: row.get(0)?,
        member_id: row.get(1)?,
        name: row.get(2)?,
        branch_id: row.get(3)?,
        branch: row.get(4)?,
        year: row.get(5)?,
        grade: Grade::from_code(&grade).ok_or_else(|| {
            rusqlite::Error::FromSqlConversionFailure(
                6,
                rusqlite::types::Type::Text,
                format!("unexpected grade {grade:?}").into(),
            )
        })?,
        meeting_id: row.get(7)?,
        note: row.get(8)?,
        recorded_by: row.get(9)?,
        recorded_at: row.get(10)?,
    })
}

/// The grades a branch gave in a year, by member id.
pub(crate) fn of_branch_year(
    conn: &Connection,
    branch_id: i64,
    year: i32,
) -> rusqlite::Result<Vec<Appraisal>> {
    conn.prepare_cached(&format!(
        "{SELECT} WHERE a.branch_id = ?1 AND a.year = ?2 ORDER BY a.member_id"
    ))?
    .query_map(params![branch_id, year], row_to_appraisal)?
    .collect()
}

/// The grades of several members (the ids go in as one JSON array), by member, then year.
pub(crate) fn of_members(
    conn: &Connection,
    member_ids: &[i64],
) -> rusqlite::Result<Vec<Appraisal>> {
    let ids = serde_json::to_string(member_ids).unwrap_or_else(|_| "[]".to_string());
    conn.prepare_cached(&format!(
        "{SELECT} WHERE a.member_id IN (SELECT value FROM json_each(?1))
          ORDER BY a.member_id, a.year"
    ))?
    .query_map([ids], row_to_appraisal)?
    .collect()
}

/// Whether the member already has a grade for the year.
pub(crate) fn exists(conn: &Connection, member_id: i64, year: i32) -> rusqlite::Result<bool> {
    Ok(conn
        .prepare_cached("SELECT 1 FROM appraisal WHERE member_id = ?1 AND year = ?2")?
        .query_row(params![member_id, year], |_| Ok(()))
        .optional()?
        .is_some())
}

/// A meeting's branch, kind code and date.
pub(crate) fn meeting_facts(
    conn: &Connection,
    meeting_id: i64,
) -> rusqlite::Result<Option<(i64, String, NaiveDate)>> {
    conn.prepare_cached("SELECT branch_id, kind, date FROM meeting WHERE id = ?1")?
        .query_row([meeting_id], |row| {
            Ok((row.get(0)?, row.get(1)?, row.get(2)?))
        })
        .optional()
}
