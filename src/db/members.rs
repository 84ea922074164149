//! Queries on `member`, `member_event` and `event_person`.

use std::collections::HashMap;

use chrono::NaiveDate;
use rusqlite::types::ToSql;
use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::lifecycle::{Extension, StepRecord, Subject};
use crate::people::{
    EventKind, EventPerson, MemberDetail, MemberEvent, MemberPage, MemberSummary, PersonRole, Sex,
    Stage, StageSelector, event_titles, id_number,
};

/// The member list's filters, already normalised by `people::list`.
#[derive(Debug)]
pub(crate) struct ListFilter<'a> {
    pub text: Option<&'a str>,
    pub branch_id: Option<i64>,
    pub stage: Option<StageSelector>,
    /// The actor's visible units (`Actor::scope_filter`); None: every member.
    pub units: Option<&'a std::collections::BTreeSet<i64>>,
}

/// Events of members in the visible units given as parameter ?3 / ?1 (NULL: every member).
const IN_UNITS3: &str = "(?3 IS NULL OR member_id IN (SELECT id FROM member \
     WHERE branch_id IN (SELECT value FROM json_each(?3))))";
const IN_UNITS1: &str = "(?1 IS NULL OR member_id IN (SELECT id FROM member \
     WHERE branch_id IN (SELECT value FROM json_each(?1))))";

/// A visible-units set as the JSON array `json_each` reads.
pub(crate) fn units_json(units: &std::collections::BTreeSet<i64>) -> String {
    serde_json::to_string(units).unwrap_or_else(|_| "[]".to_string())
}

/// Each member with the two facts their stage is derived from: the highest development step and
/// the latest status event. Correlated subqueries use the `member_event_progress` index, so a page
/// costs a few index probes per row.
const MEMBER_PROGRESS: &str = "
    SELECT m.id, m.name, m.sex, m.student_no, m.branch_id, b.name AS branch, m.college,
           m.class_name, m.id_number, b.parent_id AS college_unit,
           (SELECT max(e.step) FROM member_event e
             WHERE e.member_id = m.id AND e.kind = 'step' AND e.superseded_by IS NULL) AS max_step,
           (SELECT e.kind FROM member_event e
             WHERE e.member_id = m.id AND e.kind NOT IN ('step', 'probation_extended')
               AND e.superseded_by IS NULL
             ORDER BY e.date DESC, e.id DESC LIMIT 1) AS status
      FROM member m
      LEFT JOIN org_unit b ON b.id = m.branch_id";

pub(crate) fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM member", [], |row| row.get(0))
}

/// The members of the visible units (`Actor::scope_filter`; None: every member).
pub(crate) fn count_in(
    conn: &Connection,
    units: Option<&std::collections::BTreeSet<i64>>,
) -> rusqlite::Result<i64> {
    match units {
        None => count(conn),
        Some(units) => conn.query_row(
            "SELECT count(*) FROM member WHERE branch_id IN (SELECT value FROM json_each(?1))",
            [units_json(units)],
            |row| row.get(0),
        ),
    }
}

pub(crate) fn list(
    conn: &Connection,
    filter: &ListFilter<'_>,
    page: Option<(i64, i64)>,
) -> rusqlite::Result<MemberPage> {
    let mut clauses: Vec<&str> = Vec::new();
    let mut args: Vec<(&str, Box<dyn ToSql>)> = Vec::new();
    if let Some(text) = filter.text {
        let escaped = escape_like(text);
        if text
            .chars()
            .all(|c| c.is_ascii_digit() || c == 'x' || c == 'X')
        {
            clauses.push(
                "(student_no LIKE :prefix ESCAPE '\\' OR id_number LIKE :suffix ESCAPE '\\')",
            );
            args.push((":prefix", Box::new(format!("{escaped}%"))));
            args.push((
                ":suffix",
                Box::new(format!("%{}", escaped.to_ascii_uppercase())),
            ));
        } else {
            clauses.push("(name LIKE :infix ESCAPE '\\' OR student_no LIKE :prefix ESCAPE '\\')");
            args.push((":infix", Box::new(format!("%{escaped}%"))));
            args.push((":prefix", Box::new(format!("{escaped}%"))));
        }
    }
    if let Some(branch_id) = filter.branch_id {
        clauses.push("branch_id = :branch_id");
        args.push((":branch_id", Box::new(branch_id)));
    }
    if let Some(units) = filter.units {
        clauses.push("branch_id IN (SELECT value FROM json_each(:units))");
        args.push((":units", Box::new(units_json(units))));
    }
    match filter.stage {
        Some(StageSelector::InPipeline { min_step, max_step }) => {
            clauses.push(
                "(status IS NULL OR status = 'transferred_in') \
                 AND ifnull(max_step, 0) BETWEEN :min_step AND :max_step",
            );
            args.push((":min_step", Box::new(min_step)));
            args.push((":max_step", Box::new(max_step)));
        }
        Some(StageSelector::Left(kind)) => {
            clauses.push("status = :status");
            args.push((":status", Box::new(kind.as_code())));
        }
        None => {}
    }
    let where_sql = if clauses.is_empty() {
        String::new()
    } else {
        format!("WHERE {}", clauses.join(" AND "))
    };

    let named: Vec<(&str, &dyn ToSql)> = args.iter().map(|(k, v)| (*k, v.as_ref())).collect();
    let total: i64 = conn.query_row(
        &format!("SELECT count(*) FROM ({MEMBER_PROGRESS}) {where_sql}"),
        named.as_slice(),
        |row| row.get(0),
    )?;

    // SQLite reads a negative LIMIT as "no limit".
    let (offset, limit) = page.unwrap_or((0, -1));
    let mut paged = named.clone();
    paged.push((":limit", &limit));
    paged.push((":offset", &offset));
    let sql = format!(
        "SELECT * FROM ({MEMBER_PROGRESS}) {where_sql}
          ORDER BY college_unit IS NULL, college_unit, branch_id, student_no IS NULL, student_no, id
          LIMIT :limit OFFSET :offset"
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt
        .query_map(paged.as_slice(), summary_from_row)?
        .collect::<Result<_, _>>()?;
    Ok(MemberPage { total, rows })
}

fn summary_from_row(row: &Row<'_>) -> rusqlite::Result<MemberSummary> {
    let id_number: Option<String> = row.get("id_number")?;
    let max_step: Option<u8> = row.get("max_step")?;
    let status: Option<String> = row.get("status")?;
    Ok(MemberSummary {
        id: row.get("id")?,
        name: row.get("name")?,
        sex: sex_from(row.get("sex")?),
        student_no: row.get("student_no")?,
        branch_id: row.get("branch_id")?,
        branch: row.get("branch")?,
        college: row.get("college")?,
        class_name: row.get("class_name")?,
        stage: Stage::from_progress(max_step, status.as_deref().and_then(EventKind::from_code)),
        id_number_masked: id_number.as_deref().map(id_number::mask),
    })
}

fn sex_from(code: Option<String>) -> Option<Sex> {
    code.as_deref().and_then(Sex::from_code)
}

/// The member's record; `stage`, the derived dates and `events` are filled in by `people::show`.
pub(crate) fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<MemberDetail>> {
    conn.query_row(
        "SELECT m.*, b.name AS branch FROM member m
           LEFT JOIN org_unit b ON b.id = m.branch_id
          WHERE m.id = ?1",
        [id],
        |row| {
            let id_number: Option<String> = row.get("id_number")?;
            Ok(MemberDetail {
                id: row.get("id")?,
                name: row.get("name")?,
                sex: sex_from(row.get("sex")?),
                ethnicity: row.get("ethnicity")?,
                id_number_masked: id_number.as_deref().map(id_number::mask),
                birth_date: row.get("birth_date")?,
                education: row.get("education")?,
                category: row.get("category")?,
                branch_id: row.get("branch_id")?,
                branch: row.get("branch")?,
                college: row.get("college")?,
                class_name: row.get("class_name")?,
                grade: row.get("grade")?,
                student_no: row.get("student_no")?,
                expected_graduation: row.get("expected_graduation")?,
                job: row.get("job")?,
                phone: row.get("phone")?,
                address: row.get("address")?,
                native_place: row.get("native_place")?,
                membership_status: row.get("membership_status")?,
                lost_contact: row.get("lost_contact")?,
                mobile: row.get("mobile")?,
                stage: Stage::Applicant,
                joined_date: None,
                full_member_date: None,
                events: Vec::new(),
            })
        },
    )
    .optional()
}

/// Whose timelines to read: everyone's, one member's, or the members of one branch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    All,
    Member(i64),
    Branch(i64),
}

impl Scope {
    /// `WHERE`-able condition on `column` (a member id) for this scope, `None` for everyone.
    /// Written out rather than as `?1 IS NULL OR …`, so that SQLite uses the indexes (the member
    /// id, or the member's branch); the statement then binds `param()`.
    fn condition(self, column: &str) -> Option<String> {
        match self {
            Scope::All => None,
            Scope::Member(_) => Some(format!("{column} = ?1")),
            Scope::Branch(_) => Some(format!(
                "{column} IN (SELECT id FROM member WHERE branch_id = ?1)"
            )),
        }
    }

    fn param(self) -> Option<i64> {
        match self {
            Scope::All => None,
            Scope::Member(id) | Scope::Branch(id) => Some(id),
        }
    }

    /// `WHERE …` (or nothing) for `column`.
    pub(crate) fn where_clause(self, column: &str) -> String {
        self.condition(column)
            .map_or_else(String::new, |c| format!("WHERE {c}"))
    }

    /// `AND …` (or nothing) for `column`.
    fn and_clause(self, column: &str) -> String {
        self.condition(column)
            .map_or_else(String::new, |c| format!("AND {c}"))
    }

    /// The statement's parameters: none or one.
    pub(crate) fn params(self) -> impl rusqlite::Params {
        rusqlite::params_from_iter(self.param())
    }
}

/// The people named at each event of the members in `scope`, in the order they were named.
fn people_by_event(
    conn: &Connection,
    scope: Scope,
) -> rusqlite::Result<HashMap<i64, Vec<EventPerson>>> {
    let filter = scope.where_clause("e.member_id");
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT p.event_id, p.role, p.name, p.member_id FROM event_person p
           JOIN member_event e ON e.id = p.event_id
          {filter}
          ORDER BY p.event_id, p.position"
    ))?;
    let mut rows = stmt.query(scope.params())?;
    let mut people: HashMap<i64, Vec<EventPerson>> = HashMap::new();
    while let Some(row) = rows.next()? {
        let role: String = row.get(1)?;
        people.entry(row.get(0)?).or_default().push(EventPerson {
            role: PersonRole::from_code(&role).unwrap_or(PersonRole::Other),
            name: row.get(2)?,
            member_id: row.get(3)?,
        });
    }
    Ok(people)
}

/// The member's events in date order (ties in the order they were recorded), with the people.
pub(crate) fn events(conn: &Connection, member_id: i64) -> rusqlite::Result<Vec<MemberEvent>> {
    let mut people = people_by_event(conn, Scope::Member(member_id))?;

    let mut stmt = conn.prepare_cached(
        "SELECT id, kind, step, date, note, months FROM member_event
          WHERE member_id = ?1 AND superseded_by IS NULL ORDER BY date, id",
    )?;
    let events = stmt
        .query_map([member_id], |row| {
            let id: i64 = row.get(0)?;
            let kind_code: String = row.get(1)?;
            let kind = EventKind::from_code(&kind_code).ok_or_else(|| {
                rusqlite::Error::FromSqlConversionFailure(
                    1,
                    rusqlite::types::Type::Text,
                    format!("unknown event kind {kind_code:?}").into(),
                )
            })?;
            let step: Option<u8> = row.get(2)?;
            let (title_zh, title_en, stage_of_step) = event_titles(kind, step);
            Ok(MemberEvent {
                id,
                kind,
                step,
                months: row.get(5)?,
                stage_of_step,
                title_zh,
                title_en,
                date: row.get(3)?,
                people: people.remove(&id).unwrap_or_default(),
                note: row.get(4)?,
            })
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(events)
}

/// A member record to insert. Validation (ID checksum, dates) is the caller's job.
#[derive(Debug, Clone, Default)]
pub(crate) struct NewMember {
    pub name: String,
    pub sex: Option<Sex>,
    pub ethnicity: Option<String>,
    pub id_number: Option<String>,
    pub birth_date: Option<NaiveDate>,
    pub education: Option<String>,
    pub category: Option<String>,
    pub branch_id: Option<i64>,
    pub job: Option<String>,
    pub phone: Option<String>,
    pub address: Option<String>,
    pub membership_status: Option<String>,
    pub student_no: Option<String>,
    pub college: Option<String>,
    pub class_name: Option<String>,
    pub grade: Option<String>,
    pub expected_graduation: Option<NaiveDate>,
    pub native_place: Option<String>,
}

pub(crate) fn insert_member(conn: &Connection, member: &NewMember) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO member (name, sex, ethnicity, id_number, birth_date, education, category,
                             branch_id, job, phone, address, membership_status, student_no,
                             college, class_name, grade, expected_graduation, native_place)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
    )?;
    stmt.execute(params![
        member.name,
        member.sex.map(Sex::as_code),
        member.ethnicity,
        member.id_number,
        member.birth_date,
        member.education,
        member.category,
        member.branch_id,
        member.job,
        member.phone,
        member.address,
        member.membership_status,
        member.student_no,
        member.college,
        member.class_name,
        member.grade,
        member.expected_graduation,
        member.native_place,
    ])?;
    Ok(conn.last_insert_rowid())
}

/// An event to insert; `people` are (role, name, member id if known).
#[derive(Debug, Clone)]
pub(crate) struct NewEvent {
    pub member_id: i64,
    pub kind: EventKind,
    pub step: Option<u8>,
    /// For a probation extension.
    pub months: Option<u8>,
    pub date: NaiveDate,
    pub note: Option<String>,
    pub people: Vec<(PersonRole, String, Option<i64>)>,
}

pub(crate) fn insert_event(
    conn: &Connection,
    event: &NewEvent,
    recorded_by: &str,
) -> rusqlite::Result<i64> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO member_event (member_id, kind, step, months, date, note, recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
    )?;
    stmt.execute(params![
        event.member_id,
        event.kind.as_code(),
        event.step,
        event.months,
        event.date,
        event.note,
        recorded_by
    ])?;
    let event_id = conn.last_insert_rowid();
    let mut person_stmt = conn.prepare_cached(
        "INSERT INTO event_person (event_id, position, role, name, member_id)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (position, (role, name, member_id)) in (0i64..).zip(&event.people) {
        person_stmt.execute(params![event_id, position, role.as_code(), name, member_id])?;
    }
    Ok(event_id)
}

/// Escapes `%`, `_` and the escape character itself for a `LIKE … ESCAPE '\'` pattern.
pub(crate) fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The members in `scope` with their development steps (date order), the people named at each,
/// and their thought reports' quarters: sequential scans, joined in memory.
pub(crate) fn subjects(conn: &Connection, scope: Scope) -> rusqlite::Result<Vec<Subject>> {
    let mut people = people_by_event(conn, scope)?;
    let member_filter = scope.where_clause("id");
    let event_filter = scope.and_clause("member_id");

    let mut members: Vec<Subject> = Vec::new();
    let mut index: HashMap<i64, usize> = HashMap::new();
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT id, name, birth_date, expected_graduation FROM member
          {member_filter} ORDER BY id"
    ))?;
    let rows = stmt.query_map(scope.params(), |row| {
        Ok(Subject {
            member_id: row.get(0)?,
            name: row.get(1)?,
            birth_date: row.get(2)?,
            leaves_on: row.get(3)?,
            left_on: None,
            steps: Vec::new(),
            extensions: Vec::new(),
            reports: Vec::new(),
        })
    })?;
    for row in rows {
        let row = row?;
        index.insert(row.member_id, members.len());
        members.push(row);
    }

    let mut stmt = conn.prepare_cached(&format!(
        "SELECT member_id, id, kind, step, date, months FROM member_event
          WHERE superseded_by IS NULL {event_filter} ORDER BY member_id, date, id"
    ))?;
    let mut rows = stmt.query(scope.params())?;
    while let Some(row) = rows.next()? {
        let Some(&at) = index.get(&row.get::<_, i64>(0)?) else {
            continue;
        };
        let subject = &mut members[at];
        let event_id: i64 = row.get(1)?;
        let kind: String = row.get(2)?;
        let date: NaiveDate = row.get(4)?;
        match (EventKind::from_code(&kind), row.get::<_, Option<u8>>(3)?) {
            (Some(EventKind::Step), Some(step)) => subject.steps.push(StepRecord {
                step,
                date,
                people: people.remove(&event_id).unwrap_or_default(),
            }),
            (Some(EventKind::ProbationExtended), _) => subject.extensions.push(Extension {
                date,
                months: row.get::<_, Option<u32>>(5)?.unwrap_or(0),
            }),
            (Some(EventKind::TransferredIn), _) => subject.left_on = None,
            (Some(_), _) => subject.left_on = subject.left_on.or(Some(date)),
            (None, _) => {}
        }
    }
    // In member and quarter order, so each member's list is sorted.
    for (member_id, quarter) in super::reports::periods(conn, scope)? {
        if let Some(&at) = index.get(&member_id) {
            members[at].reports.push(quarter);
        }
    }
    Ok(members)
}

/// The member, step and date of a current (not superseded) event.
pub(crate) fn current_event(
    conn: &Connection,
    event_id: i64,
) -> rusqlite::Result<Option<(i64, Option<u8>, NaiveDate)>> {
    conn.query_row(
        "SELECT member_id, step, date FROM member_event WHERE id = ?1 AND superseded_by IS NULL",
        [event_id],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
    .optional()
}

/// Marks `old` as superseded by `new`: the only change ever made to a recorded event.
pub(crate) fn supersede(conn: &Connection, old: i64, new: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE member_event SET superseded_by = ?2 WHERE id = ?1",
        params![old, new],
    )?;
    Ok(())
}

/// The stored ID number of member `id`: `None` if there is no such member, `Some(None)` if the
/// member has none recorded.
pub(crate) fn id_number(conn: &Connection, id: i64) -> rusqlite::Result<Option<Option<String>>> {
    conn.prepare_cached("SELECT id_number FROM member WHERE id = ?1")?
        .query_row([id], |row| row.get(0))
        .optional()
}

pub(crate) fn exists(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM member WHERE id = ?1")?
        .query_row([id], |_| Ok(()))
        .optional()
        .map(|found| found.is_some())
}

/// The id and name of the member with this student number.
pub(crate) fn by_student_no(
    conn: &Connection,
    student_no: &str,
) -> rusqlite::Result<Option<(i64, String)>> {
    conn.prepare_cached("SELECT id, name FROM member WHERE student_no = ?1")?
        .query_row([student_no], |row| Ok((row.get(0)?, row.get(1)?)))
        .optional()
}

/// Every member's name by id (for messages and lists).
pub(crate) fn names(conn: &Connection) -> rusqlite::Result<HashMap<i64, String>> {
    let mut stmt = conn.prepare_cached("SELECT id, name FROM member")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

/// Every member's branch, by member id.
pub(crate) fn branch_ids(conn: &Connection) -> rusqlite::Result<HashMap<i64, Option<i64>>> {
    let mut stmt = conn.prepare_cached("SELECT id, branch_id FROM member")?;
    let rows = stmt.query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?;
    rows.collect()
}

/// How many current events of the steps the statistics count (1, 3, 7, 15, 24) fall in each
/// year: (year, step, count).
/// Steps 1/3/7/15/24 recorded per month from `from` to `until` (inclusive): (`YYYY-MM`, step,
/// count), by month then step.
pub(crate) fn steps_per_month(
    conn: &Connection,
    from: NaiveDate,
    until: NaiveDate,
    units: Option<&std::collections::BTreeSet<i64>>,
) -> rusqlite::Result<Vec<(String, u8, i64)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT substr(date, 1, 7), step, count(*) FROM member_event
          WHERE kind = 'step' AND step IN (1, 3, 7, 15, 24) AND superseded_by IS NULL
            AND date >= ?1 AND date <= ?2 AND {IN_UNITS3}
          GROUP BY 1, 2 ORDER BY 1, 2"
    ))?;
    let units = units.map(units_json);
    let rows = stmt.query_map(params![from.to_string(), until.to_string(), units], |row| {
        Ok((row.get(0)?, row.get(1)?, row.get(2)?))
    })?;
    rows.collect()
}

pub(crate) fn steps_per_year(
    conn: &Connection,
    units: Option<&std::collections::BTreeSet<i64>>,
) -> rusqlite::Result<Vec<(i32, u8, i64)>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT CAST(substr(date, 1, 4) AS INTEGER), step, count(*) FROM member_event
          WHERE kind = 'step' AND step IN (1, 3, 7, 15, 24) AND superseded_by IS NULL
            AND {IN_UNITS1}
          GROUP BY 1, 2 ORDER BY 1, 2"
    ))?;
    let units = units.map(units_json);
    let rows = stmt.query_map([units], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))?;
    rows.collect()
}
