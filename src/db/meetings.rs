//! Queries on `meeting`, `meeting_attendance`, `resolution` and `vote`, and the meetings' rows in
//! the search index.

use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, params};

use crate::meetings::{
    AttendanceStatus, Attendee, CastVote, MeetingDetail, MeetingKind, MeetingRequest,
    MeetingSummary, MemberMeeting, MemberResolution, ResolutionDetail, ResolutionKind,
    ResolutionRequest, ResolutionTally, VoteChoice,
};
use crate::search::tokens::index_text;

fn count(n: i64) -> usize {
    usize::try_from(n).unwrap_or(0)
}

fn bad(column: usize, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        rusqlite::types::Type::Text,
        format!("unexpected value {value:?}").into(),
    )
}

/// Inserts the meeting and its attendance and indexes its minutes, in the caller's transaction.
pub(crate) fn insert(
    conn: &Connection,
    meeting: &MeetingRequest,
    recorded_by: &str,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO meeting (branch_id, kind, date, place, host, recorder, topic, minutes,
                              recorded_by)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        meeting.branch_id,
        meeting.kind.as_code(),
        meeting.date,
        meeting.place,
        meeting.host,
        meeting.recorder,
        meeting.topic.trim(),
        meeting.minutes,
        recorded_by
    ])?;
    let id = conn.last_insert_rowid();
    let mut stmt = conn.prepare_cached(
        "INSERT INTO meeting_attendance (meeting_id, member_id, status, reason, signed_in_at)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for entry in &meeting.attendance {
        stmt.execute(params![
            id,
            entry.member_id,
            entry.status.as_code(),
            entry.reason,
            entry.signed_in_at
        ])?;
    }
    let resolutions: Vec<&str> = meeting
        .resolutions
        .iter()
        .map(|r| r.text.as_str())
        .collect();
    let body = format!("{}\n{}", meeting.minutes, resolutions.join("\n"));
    super::search::index(
        conn,
        "meeting",
        id,
        None,
        &index_text(&meeting.topic),
        &index_text(&body),
    )?;
    Ok(id)
}

pub(crate) fn insert_resolution(
    conn: &Connection,
    meeting_id: i64,
    position: i64,
    resolution: &ResolutionRequest,
    tally: &ResolutionTally,
    event_id: Option<i64>,
) -> rusqlite::Result<i64> {
    conn.prepare_cached(
        "INSERT INTO resolution (meeting_id, position, kind, member_id, months, text, entitled,
                                 passed, event_id)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
    )?
    .execute(params![
        meeting_id,
        position,
        resolution.kind.as_code(),
        resolution.member_id,
        resolution.months,
        resolution.text.trim(),
        i64::try_from(tally.entitled).unwrap_or(i64::MAX),
        tally.passed,
        event_id
    ])?;
    let id = conn.last_insert_rowid();
    let mut stmt = conn
        .prepare_cached("INSERT INTO vote (resolution_id, member_id, vote) VALUES (?1, ?2, ?3)")?;
    for vote in &resolution.votes {
        stmt.execute(params![id, vote.member_id, vote.vote.as_code()])?;
    }
    Ok(id)
}

pub(crate) fn exists(conn: &Connection, id: i64) -> rusqlite::Result<bool> {
    conn.prepare_cached("SELECT 1 FROM meeting WHERE id = ?1")?
        .exists([id])
}

pub(crate) fn get(conn: &Connection, id: i64) -> rusqlite::Result<Option<MeetingDetail>> {
    let meeting = conn
        .query_row(
            "SELECT m.id, m.branch_id, b.name, m.kind, m.date, m.place, m.host, m.recorder,
                    m.topic, m.minutes
               FROM meeting m JOIN org_unit b ON b.id = m.branch_id WHERE m.id = ?1",
            [id],
            |row| {
                let kind: String = row.get(3)?;
                Ok(MeetingDetail {
                    id: row.get(0)?,
                    branch_id: row.get(1)?,
                    branch: row.get(2)?,
                    kind: MeetingKind::from_code(&kind).ok_or_else(|| bad(3, &kind))?,
                    date: row.get(4)?,
                    place: row.get(5)?,
                    host: row.get(6)?,
                    recorder: row.get(7)?,
                    topic: row.get(8)?,
                    minutes: row.get(9)?,
                    attendance: Vec::new(),
                    resolutions: Vec::new(),
                    attachments: Vec::new(),
                })
            },
        )
        .optional()?;
    let Some(mut meeting) = meeting else {
        return Ok(None);
    };
    let mut stmt = conn.prepare_cached(
        "SELECT a.member_id, p.name, a.status, a.reason, a.signed_in_at
           FROM meeting_attendance a JOIN member p ON p.id = a.member_id
          WHERE a.meeting_id = ?1 ORDER BY a.status, p.id",
    )?;
    meeting.attendance = stmt
        .query_map([id], |row| {
            let status: String = row.get(2)?;
            Ok(Attendee {
                member_id: row.get(0)?,
                name: row.get(1)?,
                status: AttendanceStatus::from_code(&status).ok_or_else(|| bad(2, &status))?,
                reason: row.get(3)?,
                signed_in_at: row.get(4)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT r.id, r.kind, r.member_id, p.name, r.months, r.text, r.entitled, r.passed,
                r.event_id
           FROM resolution r LEFT JOIN member p ON p.id = r.member_id
          WHERE r.meeting_id = ?1 ORDER BY r.position",
    )?;
    meeting.resolutions = stmt
        .query_map([id], |row| {
            let kind: String = row.get(1)?;
            Ok(ResolutionDetail {
                id: row.get(0)?,
                kind: ResolutionKind::from_code(&kind).ok_or_else(|| bad(1, &kind))?,
                member_id: row.get(2)?,
                member_name: row.get(3)?,
                months: row.get(4)?,
                text: row.get(5)?,
                entitled: count(row.get(6)?),
                // Counted from the votes by `meetings::show`.
                yes: 0,
                no: 0,
                abstain: 0,
                needed: 0,
                passed: row.get(7)?,
                event_id: row.get(8)?,
                votes: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(
        "SELECT v.member_id, p.name, v.vote FROM vote v JOIN member p ON p.id = v.member_id
          WHERE v.resolution_id = ?1 ORDER BY p.id",
    )?;
    for resolution in &mut meeting.resolutions {
        resolution.votes = stmt
            .query_map([resolution.id], |row| {
                let vote: String = row.get(2)?;
                Ok(CastVote {
                    member_id: row.get(0)?,
                    name: row.get(1)?,
                    vote: VoteChoice::from_code(&vote).ok_or_else(|| bad(2, &vote))?,
                })
            })?
            .collect::<Result<_, _>>()?;
    }
    Ok(Some(meeting))
}

pub(crate) fn list(
    conn: &Connection,
    branch_id: Option<i64>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    kind: Option<&str>,
) -> rusqlite::Result<Vec<MeetingSummary>> {
    let mut stmt = conn.prepare_cached(
        "SELECT m.id, m.branch_id, b.name, m.kind, m.date, m.topic,
                (SELECT count(*) FROM meeting_attendance a
                  WHERE a.meeting_id = m.id AND a.status = 'present'),
                (SELECT count(*) FROM resolution r WHERE r.meeting_id = m.id)
           FROM meeting m JOIN org_unit b ON b.id = m.branch_id
          WHERE (?1 IS NULL OR m.branch_id = ?1)
            AND (?2 IS NULL OR m.date >= ?2) AND (?3 IS NULL OR m.date <= ?3)
            AND (?4 IS NULL OR m.kind = ?4)
          ORDER BY m.date DESC, m.id DESC",
    )?;
    stmt.query_map(params![branch_id, from, to, kind], |row| {
        let kind: String = row.get(3)?;
        Ok(MeetingSummary {
            id: row.get(0)?,
            branch_id: row.get(1)?,
            branch: row.get(2)?,
            kind: MeetingKind::from_code(&kind).ok_or_else(|| bad(3, &kind))?,
            date: row.get(4)?,
            topic: row.get(5)?,
            present: count(row.get(6)?),
            resolutions: count(row.get(7)?),
        })
    })?
    .collect()
}

/// The student numbers of a branch's members, by id.
pub(crate) fn student_nos(
    conn: &Connection,
    branch_id: i64,
) -> rusqlite::Result<std::collections::HashMap<i64, Option<String>>> {
    let mut stmt = conn.prepare_cached("SELECT id, student_no FROM member WHERE branch_id = ?1")?;
    stmt.query_map([branch_id], |row| Ok((row.get(0)?, row.get(1)?)))?
        .collect()
}

/// The dates of a branch's meetings of each kind between two days, for compliance.
pub(crate) fn dates_by_kind(
    conn: &Connection,
    branch_id: i64,
    from: NaiveDate,
    to: NaiveDate,
) -> rusqlite::Result<Vec<(String, NaiveDate)>> {
    let mut stmt = conn.prepare_cached(
        "SELECT kind, date FROM meeting WHERE branch_id = ?1 AND date BETWEEN ?2 AND ?3
          ORDER BY date",
    )?;
    stmt.query_map(params![branch_id, from, to], |row| {
        Ok((row.get(0)?, row.get(1)?))
    })?
    .collect()
}

/// A meeting's searchable text, as SQL over `meeting m`: its minutes and its resolutions' texts,
/// one per line. The index and the snippets read the same text.
pub(crate) const SEARCH_TEXT: &str = "m.minutes || char(10) ||
    ifnull((SELECT group_concat(r.text, char(10)) FROM resolution r
             WHERE r.meeting_id = m.id), '')";

/// Title and text of a meeting (minutes and resolutions, as indexed), for search.
/// Also a line saying which branch held it and when: 「本科生第一党支部 · 2026-11-24」.
pub(crate) fn texts(
    conn: &Connection,
    id: i64,
) -> rusqlite::Result<Option<(String, String, String)>> {
    conn.prepare_cached(&format!(
        "SELECT m.topic, {SEARCH_TEXT}, b.name || ' · ' || m.date
           FROM meeting m JOIN org_unit b ON b.id = m.branch_id WHERE m.id = ?1"
    ))?
    .query_row([id], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
    .optional()
}

/// For each of `member_ids`: the meetings they have an attendance row at or that decided a
/// resolution about them (with their attendance), and in those meetings the resolutions about
/// them or that they voted on (with the tally and their own vote). Two queries for any number of
/// members (the ids go in as one JSON array); sorted by member, then date.
pub(crate) fn of_members(
    conn: &Connection,
    member_ids: &[i64],
) -> rusqlite::Result<Vec<MemberMeeting>> {
    let ids = serde_json::to_string(member_ids).unwrap_or_else(|_| "[]".to_string());
    const CONCERN: &str = "WITH who(member_id) AS (SELECT DISTINCT value FROM json_each(?1)),
        concern(member_id, meeting_id) AS (
            SELECT a.member_id, a.meeting_id FROM meeting_attendance a
              JOIN who w ON w.member_id = a.member_id
            UNION
            SELECT r.member_id, r.meeting_id FROM resolution r
              JOIN who w ON w.member_id = r.member_id)";
    let mut stmt = conn.prepare_cached(&format!(
        "{CONCERN}
         SELECT c.member_id, m.id, m.date, m.kind, m.topic, a.status, a.reason
           FROM concern c JOIN meeting m ON m.id = c.meeting_id
           LEFT JOIN meeting_attendance a
                  ON a.meeting_id = c.meeting_id AND a.member_id = c.member_id
          ORDER BY c.member_id, m.date, m.id"
    ))?;
    let mut meetings: Vec<MemberMeeting> = stmt
        .query_map([&ids], |row| {
            let kind: String = row.get(3)?;
            let status: Option<String> = row.get(5)?;
            Ok(MemberMeeting {
                member_id: row.get(0)?,
                meeting_id: row.get(1)?,
                date: row.get(2)?,
                kind: MeetingKind::from_code(&kind).ok_or_else(|| bad(3, &kind))?,
                topic: row.get(4)?,
                attendance: match status {
                    Some(s) => Some(AttendanceStatus::from_code(&s).ok_or_else(|| bad(5, &s))?),
                    None => None,
                },
                reason: row.get(6)?,
                resolutions: Vec::new(),
                attachments: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    let mut stmt = conn.prepare_cached(&format!(
        "{CONCERN}
         SELECT c.member_id, r.meeting_id, r.id, r.kind, r.member_id, p.name, r.text,
                r.entitled, r.passed,
                (SELECT count(*) FROM vote v WHERE v.resolution_id = r.id AND v.vote = 'yes'),
                (SELECT count(*) FROM vote v WHERE v.resolution_id = r.id AND v.vote = 'no'),
                (SELECT count(*) FROM vote v WHERE v.resolution_id = r.id AND v.vote = 'abstain'),
                own.vote
           FROM concern c JOIN resolution r ON r.meeting_id = c.meeting_id
           LEFT JOIN vote own ON own.resolution_id = r.id AND own.member_id = c.member_id
           LEFT JOIN member p ON p.id = r.member_id
          WHERE r.member_id = c.member_id OR own.vote IS NOT NULL
          ORDER BY c.member_id, r.meeting_id, r.position"
    ))?;
    let mut rows = stmt.query([&ids])?;
    // Both lists are sorted by member; find each resolution's meeting by (member, meeting).
    let index: std::collections::HashMap<(i64, i64), usize> = meetings
        .iter()
        .enumerate()
        .map(|(i, m)| ((m.member_id, m.meeting_id), i))
        .collect();
    while let Some(row) = rows.next()? {
        let kind: String = row.get(3)?;
        let own: Option<String> = row.get(12)?;
        let key: (i64, i64) = (row.get(0)?, row.get(1)?);
        let resolution = MemberResolution {
            id: row.get(2)?,
            kind: ResolutionKind::from_code(&kind).ok_or_else(|| bad(3, &kind))?,
            member_id: row.get(4)?,
            member_name: row.get(5)?,
            text: row.get(6)?,
            entitled: count(row.get(7)?),
            passed: row.get(8)?,
            yes: count(row.get(9)?),
            no: count(row.get(10)?),
            abstain: count(row.get(11)?),
            own_vote: match own {
                Some(v) => Some(VoteChoice::from_code(&v).ok_or_else(|| bad(12, &v))?),
                None => None,
            },
        };
        if let Some(&i) = index.get(&key) {
            meetings[i].resolutions.push(resolution);
        }
    }
    Ok(meetings)
}
