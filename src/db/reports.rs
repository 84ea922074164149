//! Queries on `thought_report`, and its rows in the search index.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::reports::{Quarter, ReportSource, ReportSummary, ThoughtReport};
use crate::search::tokens::index_text;

/// A report to insert; validation is the caller's job.
#[derive(Debug, Clone)]
pub(crate) struct NewReport<'a> {
    pub member_id: i64,
    pub date: NaiveDate,
    pub period: Quarter,
    pub title: &'a str,
    pub body: &'a str,
    pub source: ReportSource,
    pub file_name: Option<&'a str>,
    pub file_sha256: Option<&'a str>,
}

/// Inserts the report and indexes it, in the caller's transaction.
pub(crate) fn insert(
    conn: &Connection,
    report: &NewReport<'_>,
    recorded_by: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO thought_report (member_id, date, period, title, body, source, file_name,
                                     file_sha256, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        report.member_id,
        report.date,
        report.period.to_string(),
        report.title,
        report.body,
        report.source.as_code(),
        report.file_name,
        report.file_sha256,
        recorded_by
    ])?;
    let id = conn.last_insert_rowid();
    super::search::index(
        conn,
        "thought_report",
        id,
        Some(report.member_id),
        &index_text(report.title),
        &index_text(report.body),
    )?;
    Ok(id)
}

pub(crate) fn set_review(
    conn: &Connection,
    id: i64,
    reviewer: &str,
    comment: &str,
    on: NaiveDate,
) -> rusqlite::Result<bool> {
    let changed = conn.execute(
        "UPDATE thought_report SET reviewer = ?2, review_comment = ?3, reviewed_on = ?4
          WHERE id = ?1",
        params![id, reviewer, comment, on],
    )?;
    Ok(changed == 1)
}

const SUMMARY_COLUMNS: &str = "r.id, r.member_id, m.name, r.date, r.period, r.title, r.source,
    r.file_name, r.reviewer, r.review_comment, r.reviewed_on, length(r.body)";

fn summary(row: &Row<'_>) -> rusqlite::Result<ReportSummary> {
    let period: String = row.get(4)?;
    let source: String = row.get(6)?;
    Ok(ReportSummary {
        id: row.get(0)?,
        member_id: row.get(1)?,
        member_name: row.get(2)?,
        date: row.get(3)?,
        period: period.parse().map_err(|_| bad_text(4, &period))?,
        title: row.get(5)?,
        source: ReportSource::from_code(&source).ok_or_else(|| bad_text(6, &source))?,
        file_name: row.get(7)?,
        reviewer: row.get(8)?,
        review_comment: row.get(9)?,
        reviewed_on: row.get(10)?,
        length: row.get(11)?,
    })
}

fn bad_text(column: usize, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("unexpected value {value:?}").into(),
    )
}

/// A member's reports, oldest first.
pub(crate) fn of_member(conn: &Connection, member_id: i64) -> rusqlite::Result<Vec<ReportSummary>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM thought_report r JOIN member m ON m.id = r.member_id
          WHERE r.member_id = ?1 ORDER BY r.date, r.id"
    ))?;
    stmt.query_map([member_id], summary)?.collect()
}

/// Reports without a review by members of a branch (or of every branch), newest first, at most
/// `limit`; with how many there are in all.
pub(crate) fn unreviewed(
    conn: &Connection,
    branch_id: Option<i64>,
    limit: usize,
) -> rusqlite::Result<(usize, Vec<ReportSummary>)> {
    // A plain `m.branch_id = ?` (not `?1 IS NULL OR …`) lets SQLite go from the branch's members
    // to their reports by index instead of scanning every report's row, text included.
    let filter = if branch_id.is_some() {
        "r.reviewer IS NULL AND m.branch_id = :branch"
    } else {
        "r.reviewer IS NULL"
    };
    let mut args: Vec<(&str, &dyn rusqlite::ToSql)> = Vec::new();
    if let Some(branch) = &branch_id {
        args.push((":branch", branch));
    }
    let total: i64 = conn.query_row(
        &format!(
            "SELECT count(*) FROM thought_report r JOIN member m ON m.id = r.member_id
              WHERE {filter}"
        ),
        args.as_slice(),
        |row| row.get(0),
    )?;
    let limit = i64::try_from(limit).unwrap_or(i64::MAX);
    args.push((":limit", &limit));
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS} FROM thought_report r JOIN member m ON m.id = r.member_id
          WHERE {filter} ORDER BY r.date DESC, r.id DESC LIMIT :limit"
    ))?;
    let rows = stmt
        .query_map(args.as_slice(), summary)?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok((usize::try_from(total).unwrap_or(0), rows))
}

pub(crate) fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<ThoughtReport>> {
    conn.query_row(
        &format!(
            "SELECT {SUMMARY_COLUMNS}, r.body FROM thought_report r
               JOIN member m ON m.id = r.member_id WHERE r.id = ?1"
        ),
        [id],
        |row| {
            Ok(ThoughtReport {
                summary: summary(row)?,
                body: row.get(12)?,
            })
        },
    )
    .optional()
}

/// The reports of several members with their text, in one query (the ids go in as one JSON
/// array): by member id, then date.
pub(crate) fn full_of_members(
    conn: &Connection,
    member_ids: &[i64],
) -> rusqlite::Result<Vec<ThoughtReport>> {
    let ids = serde_json::to_string(member_ids).unwrap_or_else(|_| "[]".to_string());
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {SUMMARY_COLUMNS}, r.body FROM thought_report r
           JOIN member m ON m.id = r.member_id
          WHERE r.member_id IN (SELECT value FROM json_each(?1))
          ORDER BY r.member_id, r.date, r.id"
    ))?;
    stmt.query_map([ids], |row| {
        Ok(ThoughtReport {
            summary: summary(row)?,
            body: row.get(12)?,
        })
    })?
    .collect()
}

/// Title and body of reports by id, for snippets.
/// Also a line saying whose report it is and for when: 「姓名 · 2026Q3 · 2026-09-20」.
pub(crate) fn texts(
    conn: &Connection,
    id: i64,
) -> rusqlite::Result<Option<(i64, String, String, String)>> {
    conn.prepare_cached(
        "SELECT r.member_id, r.title, r.body, m.name || ' · ' || r.period || ' · ' || r.date
           FROM thought_report r JOIN member m ON m.id = r.member_id WHERE r.id = ?1",
    )?
    .query_row([id], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    })
    .optional()
}

/// The quarters each member in `scope` has reported on, for the checks.
pub(crate) fn periods(
    conn: &Connection,
    scope: super::members::Scope,
) -> rusqlite::Result<Vec<(i64, Quarter)>> {
    let filter = scope.where_clause("member_id");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT DISTINCT member_id, period FROM thought_report {filter} ORDER BY member_id, period"
    ))?;
    let mut rows = stmt.query(scope.params())?;
    let mut out = Vec::new();
    while let Some(row) = rows.next()? {
        let period: String = row.get(1)?;
        out.push((
            row.get(0)?,
            period.parse().map_err(|_| bad_text(1, &period))?,
        ));
    }
    Ok(out)
}

/// Whether the member already has a report with this title for this quarter (an import run
/// twice).
pub(crate) fn exists(
    conn: &Connection,
    member_id: i64,
    period: Quarter,
    title: &str,
) -> rusqlite::Result<bool> {
    conn.prepare_cached(
        "SELECT 1 FROM thought_report WHERE member_id = ?1 AND period = ?2 AND title = ?3",
    )?
    .query_row(params![member_id, period.to_string(), title], |_| Ok(()))
    .optional()
    .map(|found| found.is_some())
}
