//! Queries for roster import and export: member columns by name, import batches and their rows.
//!
//! Column names come from `roster::Field::db_column`, a fixed list; values cross as JSON scalars
//! (text, integer or null) so that the batch tables can keep them as JSON.

use chrono::NaiveDate;
use rusqlite::types::Value as SqlValue;
use rusqlite::{Connection, OptionalExtension, params};
use serde_json::Value;

fn to_sql(value: &Value) -> SqlValue {
    match value {
        Value::Null => SqlValue::Null,
        Value::Bool(b) => SqlValue::Integer(i64::from(*b)),
        Value::Number(n) => n
            .as_i64()
            .map(SqlValue::Integer)
            .unwrap_or_else(|| SqlValue::Real(n.as_f64().unwrap_or_default())),
        Value::String(s) => SqlValue::Text(s.clone()),
        other => SqlValue::Text(other.to_string()),
    }
}

fn from_sql(value: SqlValue) -> Value {
    match value {
        SqlValue::Null => Value::Null,
        SqlValue::Integer(i) => Value::from(i),
        SqlValue::Real(f) => Value::from(f),
        SqlValue::Text(s) => Value::String(s),
        SqlValue::Blob(b) => Value::String(hex::encode(b)),
    }
}

/// A member's id, ID number and student number.
pub(crate) type MemberKey = (i64, Option<String>, Option<String>);

/// A batch row: member id (NULL once removed), action, before and after JSON.
pub(crate) type BatchRow = (Option<i64>, String, Option<String>, String);

/// Every member's id, ID number and student number: what roster rows are matched by.
pub(crate) fn member_keys(conn: &Connection) -> rusqlite::Result<Vec<MemberKey>> {
    let mut stmt = conn.prepare("SELECT id, id_number, student_no FROM member")?;
    stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?
        .collect()
}

/// The values of `columns` of one member, in order.
pub(crate) fn member_values(
    conn: &Connection,
    member_id: i64,
    columns: &[&'static str],
) -> rusqlite::Result<Option<Vec<Value>>> {
    if columns.is_empty() {
        return Ok(Some(Vec::new()));
    }
    let sql = format!("SELECT {} FROM member WHERE id = ?1", columns.join(", "));
    conn.prepare_cached(&sql)?
        .query_row([member_id], |row| {
            (0..columns.len())
                .map(|i| row.get::<_, SqlValue>(i).map(from_sql))
                .collect()
        })
        .optional()
}

/// Every `member` column an import can fill, in one fixed order: one statement for every new
/// member, whichever cells the row has (absent ones NULL, the two flags 0 by default).
const MEMBER_COLUMNS: [&str; 20] = [
    "name",
    "sex",
    "ethnicity",
    "id_number",
    "birth_date",
    "education",
    "category",
    "branch_id",
    "job",
    "phone",
    "address",
    "membership_status",
    "lost_contact",
    "mobile",
    "student_no",
    "college",
    "class_name",
    "grade",
    "expected_graduation",
    "native_place",
];

/// Inserts a member from (column, value) pairs with the one cached statement of
/// `MEMBER_COLUMNS`; a column not named there is refused as an SQL error.
pub(crate) fn insert_member_row<'a>(
    conn: &Connection,
    values: impl Iterator<Item = (&'static str, &'a Value)>,
) -> rusqlite::Result<i64> {
    let mut args: [SqlValue; MEMBER_COLUMNS.len()] = std::array::from_fn(|_| SqlValue::Null);
    for (column, value) in values {
        let Some(i) = MEMBER_COLUMNS.iter().position(|c| *c == column) else {
            return Err(rusqlite::Error::InvalidColumnName(column.to_string()));
        };
        args[i] = to_sql(value);
    }
    static SQL: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let sql = SQL.get_or_init(|| {
        let marks: Vec<String> = MEMBER_COLUMNS
            .iter()
            .enumerate()
            .map(|(i, c)| match *c {
                "lost_contact" | "mobile" => format!("coalesce(?{}, 0)", i + 1),
                _ => format!("?{}", i + 1),
            })
            .collect();
        format!(
            "INSERT INTO member ({}) VALUES ({})",
            MEMBER_COLUMNS.join(", "),
            marks.join(", ")
        )
    });
    conn.prepare_cached(sql)?
        .execute(rusqlite::params_from_iter(args))?;
    Ok(conn.last_insert_rowid())
}

/// The counts of a batch, once its rows are written.
pub(crate) fn set_batch_counts(
    conn: &Connection,
    batch_id: i64,
    rows: usize,
    created: usize,
    updated: usize,
    skipped: usize,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE import_batch SET rows = ?2, created = ?3, updated = ?4, skipped = ?5 WHERE id = ?1",
        params![
            batch_id,
            rows as i64,
            created as i64,
            updated as i64,
            skipped as i64
        ],
    )?;
    Ok(())
}

pub(crate) fn update_member(
    conn: &Connection,
    member_id: i64,
    values: &[(&'static str, Value)],
) -> rusqlite::Result<()> {
    if values.is_empty() {
        return Ok(());
    }
    let sets: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, (c, _))| format!("{c} = ?{}", i + 2))
        .collect();
    let sql = format!(
        "UPDATE member SET {}, updated_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
        sets.join(", ")
    );
    let mut args: Vec<SqlValue> = vec![SqlValue::Integer(member_id)];
    args.extend(values.iter().map(|(_, v)| to_sql(v)));
    conn.prepare_cached(&sql)?
        .execute(rusqlite::params_from_iter(args))?;
    Ok(())
}

pub(crate) fn delete_member(conn: &Connection, member_id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM member WHERE id = ?1", [member_id])?;
    Ok(())
}

/// The member's current development steps: (step, date).
pub(crate) fn current_steps(
    conn: &Connection,
    member_id: i64,
) -> rusqlite::Result<Vec<(u8, NaiveDate)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT step, date FROM member_event
          WHERE member_id = ?1 AND kind = 'step' AND superseded_by IS NULL ORDER BY date, id",
    )?;
    stmt.query_map([member_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect()
}

/// The months the member's probation was extended by (延长预备期), in all.
pub(crate) fn recorded_extension_months(
    conn: &Connection,
    member_id: i64,
) -> rusqlite::Result<u32> {
    conn.prepare_cached(
        "SELECT ifnull(sum(months), 0) FROM member_event
          WHERE member_id = ?1 AND kind = 'probation_extended' AND superseded_by IS NULL",
    )?
    .query_row([member_id], |row| row.get(0))
}

pub(crate) struct NewBatch<'a> {
    pub file_name: &'a str,
    pub file_sha256: &'a str,
    pub rows: usize,
    pub created: usize,
    pub updated: usize,
    pub skipped: usize,
    pub imported_by: &'a str,
}

pub(crate) fn insert_batch(conn: &Connection, batch: &NewBatch<'_>) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO import_batch (file_name, file_sha256, rows, created, updated, skipped, imported_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![
            batch.file_name,
            batch.file_sha256,
            batch.rows as i64,
            batch.created as i64,
            batch.updated as i64,
            batch.skipped as i64,
            batch.imported_by
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

#[allow(clippy::too_many_arguments)]
pub(crate) fn insert_batch_row(
    conn: &Connection,
    batch_id: i64,
    sheet: &str,
    row: u32,
    member_id: i64,
    action: &str,
    before_json: Option<&str>,
    after_json: &str,
) -> rusqlite::Result<()> {
    conn.prepare_cached(
        "INSERT INTO import_batch_row (batch_id, sheet, row, member_id, action, before_json, after_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?
    .execute(params![
        batch_id,
        sheet,
        row,
        member_id,
        action,
        before_json,
        after_json
    ])?;
    Ok(())
}

pub(crate) fn insert_batch_event(
    conn: &Connection,
    batch_id: i64,
    event_id: i64,
) -> rusqlite::Result<()> {
    conn.prepare_cached("INSERT INTO import_batch_event (batch_id, event_id) VALUES (?1, ?2)")?
        .execute(params![batch_id, event_id])?;
    Ok(())
}

/// An import batch as stored.
#[derive(Debug, Clone)]
pub(crate) struct BatchRecord {
    pub id: i64,
    pub file_name: String,
    pub rows: i64,
    pub created: i64,
    pub updated: i64,
    pub skipped: i64,
    pub imported_by: String,
    pub imported_at: String,
    pub undone_at: Option<String>,
}

fn batch_from(row: &rusqlite::Row<'_>) -> rusqlite::Result<BatchRecord> {
    Ok(BatchRecord {
        id: row.get("id")?,
        file_name: row.get("file_name")?,
        rows: row.get("rows")?,
        created: row.get("created")?,
        updated: row.get("updated")?,
        skipped: row.get("skipped")?,
        imported_by: row.get("imported_by")?,
        imported_at: row.get("imported_at")?,
        undone_at: row.get("undone_at")?,
    })
}

pub(crate) fn batch(conn: &Connection, id: i64) -> rusqlite::Result<Option<BatchRecord>> {
    conn.query_row("SELECT * FROM import_batch WHERE id = ?1", [id], batch_from)
        .optional()
}

pub(crate) fn batches(conn: &Connection) -> rusqlite::Result<Vec<BatchRecord>> {
    let mut stmt = conn.prepare("SELECT * FROM import_batch ORDER BY id DESC")?;
    stmt.query_map([], batch_from)?.collect()
}

/// A row of a batch: (member id, action, before, after).
pub(crate) fn batch_rows(conn: &Connection, batch_id: i64) -> rusqlite::Result<Vec<BatchRow>> {
    let mut stmt = conn.prepare(
        "SELECT member_id, action, before_json, after_json FROM import_batch_row
          WHERE batch_id = ?1 ORDER BY sheet, row",
    )?;
    stmt.query_map([batch_id], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?, row.get(3)?))
    })?
    .collect()
}

pub(crate) fn batch_event_ids(conn: &Connection, batch_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn
        .prepare("SELECT event_id FROM import_batch_event WHERE batch_id = ?1 ORDER BY event_id")?;
    stmt.query_map([batch_id], |row| row.get(0))?.collect()
}

/// Events of the member that the batch did not record (corrections of its events included).
pub(crate) fn events_outside_batch(
    conn: &Connection,
    member_id: i64,
    batch_id: i64,
) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM member_event e
          WHERE e.member_id = ?1
            AND NOT EXISTS (SELECT 1 FROM import_batch_event b
                             WHERE b.batch_id = ?2 AND b.event_id = e.id)",
        params![member_id, batch_id],
        |row| row.get(0),
    )
}

/// How often the member is named at other members' events (as introducer, contact...).
pub(crate) fn named_at_events(conn: &Connection, member_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM event_person p JOIN member_event e ON e.id = p.event_id
          WHERE p.member_id = ?1 AND e.member_id <> ?1",
        [member_id],
        |row| row.get(0),
    )
}

/// Records about the member outside the timeline: thought reports, meeting attendance, votes,
/// resolutions concerning them, introduction letters. A created member with any of these cannot
/// be removed by an undo.
pub(crate) fn records_elsewhere(conn: &Connection, member_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM thought_report WHERE member_id = ?1)
              + (SELECT count(*) FROM meeting_attendance WHERE member_id = ?1)
              + (SELECT count(*) FROM vote WHERE member_id = ?1)
              + (SELECT count(*) FROM resolution WHERE member_id = ?1)
              + (SELECT count(*) FROM letter WHERE member_id = ?1)",
        [member_id],
        |row| row.get(0),
    )
}

/// The batch's events that were corrected since or carry attachments.
pub(crate) fn batch_events_changed(conn: &Connection, batch_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM import_batch_event b JOIN member_event e ON e.id = b.event_id
          WHERE b.batch_id = ?1
            AND (e.superseded_by IS NOT NULL
                 OR EXISTS (SELECT 1 FROM event_attachment a WHERE a.event_id = e.id))",
        [batch_id],
        |row| row.get(0),
    )
}

/// Later batches, not undone, that touched the member.
pub(crate) fn later_batches_for_member(
    conn: &Connection,
    member_id: i64,
    batch_id: i64,
) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT DISTINCT b.id FROM import_batch b JOIN import_batch_row r ON r.batch_id = b.id
          WHERE r.member_id = ?1 AND b.id > ?2 AND b.undone_at IS NULL ORDER BY b.id",
    )?;
    stmt.query_map(params![member_id, batch_id], |row| row.get(0))?
        .collect()
}

pub(crate) fn delete_event(conn: &Connection, event_id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM member_event WHERE id = ?1")?
        .execute([event_id])?;
    Ok(())
}

pub(crate) fn mark_undone(conn: &Connection, batch_id: i64, by: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE import_batch SET undone_by = ?2, undone_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          WHERE id = ?1",
        params![batch_id, by],
    )?;
    Ok(())
}

/// A member as the roster export writes it.
#[derive(Debug, Clone)]
pub(crate) struct ExportRow {
    pub id: i64,
    /// Member column → value, for every column `Field::db_column` names.
    pub values: Vec<Value>,
    pub branch: Option<String>,
    pub college_unit: Option<String>,
    pub joined_date: Option<NaiveDate>,
    pub max_step: Option<u8>,
    /// Months the probation was extended by (延长预备期).
    pub extension_months: u32,
}

/// Every member's `columns`, branch and college committee names, 入党时间 (the current step 15)
/// and highest current step.
pub(crate) fn export_rows(
    conn: &Connection,
    columns: &[&'static str],
) -> rusqlite::Result<Vec<ExportRow>> {
    let selected: Vec<String> = columns.iter().map(|c| format!("m.{c}")).collect();
    let sql = format!(
        "SELECT m.id, b.name, c.name,
                (SELECT max(date) FROM member_event e
                  WHERE e.member_id = m.id AND e.kind = 'step' AND e.step = 15
                    AND e.superseded_by IS NULL),
                (SELECT max(step) FROM member_event e
                  WHERE e.member_id = m.id AND e.kind = 'step' AND e.superseded_by IS NULL),
                (SELECT ifnull(sum(months), 0) FROM member_event e
                  WHERE e.member_id = m.id AND e.kind = 'probation_extended'
                    AND e.superseded_by IS NULL),
                {}
           FROM member m
           LEFT JOIN org_unit b ON b.id = m.branch_id
           LEFT JOIN org_unit c ON c.id = b.parent_id
          ORDER BY m.id",
        selected.join(", ")
    );
    let mut stmt = conn.prepare(&sql)?;
    stmt.query_map([], |row| {
        Ok(ExportRow {
            id: row.get(0)?,
            branch: row.get(1)?,
            college_unit: row.get(2)?,
            joined_date: row.get(3)?,
            max_step: row.get(4)?,
            extension_months: row.get(5)?,
            values: (0..columns.len())
                .map(|i| row.get::<_, SqlValue>(i + 6).map(from_sql))
                .collect::<Result<_, _>>()?,
        })
    })?
    .collect()
}

/// The name of the root of the organisation tree (the university committee), if any.
pub(crate) fn root_unit_name(conn: &Connection) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT name FROM org_unit WHERE parent_id IS NULL ORDER BY id LIMIT 1",
        [],
        |row| row.get(0),
    )
    .optional()
}

/// The unit of `kind` called `name` under `parent` (any parent for the root).
pub(crate) fn find_unit(
    conn: &Connection,
    kind: &str,
    name: &str,
    parent_id: Option<i64>,
) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT id FROM org_unit WHERE kind = ?1 AND name = ?2 AND ifnull(parent_id, 0) = ifnull(?3, 0)
          ORDER BY id LIMIT 1",
        params![kind, name, parent_id],
        |row| row.get(0),
    )
    .optional()
}

pub(crate) fn root_unit(conn: &Connection) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT id FROM org_unit WHERE parent_id IS NULL ORDER BY id LIMIT 1",
        [],
        |row| row.get(0),
    )
    .optional()
}

pub(crate) fn insert_batch_unit(
    conn: &Connection,
    batch_id: i64,
    unit_id: i64,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO import_batch_unit (batch_id, unit_id) VALUES (?1, ?2)",
        params![batch_id, unit_id],
    )?;
    Ok(())
}

/// The units the batch created, newest first (branches before their colleges).
pub(crate) fn batch_units(conn: &Connection, batch_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare(
        "SELECT unit_id FROM import_batch_unit WHERE batch_id = ?1 ORDER BY unit_id DESC",
    )?;
    stmt.query_map([batch_id], |row| row.get(0))?.collect()
}

/// Members and child units that still use the unit.
pub(crate) fn unit_users(conn: &Connection, unit_id: i64) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT (SELECT count(*) FROM member WHERE branch_id = ?1)
              + (SELECT count(*) FROM org_unit WHERE parent_id = ?1)",
        [unit_id],
        |row| row.get(0),
    )
}

pub(crate) fn delete_unit(conn: &Connection, unit_id: i64) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM org_unit WHERE id = ?1", [unit_id])?;
    Ok(())
}
