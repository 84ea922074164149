//! The audit trail: an append-only, tamper-evident log of every change, every view of a member
//! file, and every document or export made, with who did it and when.
//!
//! Each entry is written by `record` inside the transaction of the change it records (so a
//! refused or failed write leaves no entry, and a committed one always has its entry). Entry
//! `seq` stores `hash = SHA-256(canonical(entry) ‖ prev_hash)` where `prev_hash` is entry
//! `seq - 1`'s hash; `audit_head` keeps the last seq and hash. `verify` walks the chain: an
//! edited entry no longer matches its hash, a deleted one leaves a gap or a broken link, and
//! deleted newest entries leave the head pointing past the end.
//!
//! The limit, honestly: the chain has no secret. Someone who can write the file *and* runs code to
//! recompute every hash after their edit (and the head) is not detected by `verify` alone; the
//! head recorded with each backup (`backup.audit_seq/audit_hash`) and copies of it kept elsewhere
//! are the anchors against that, and accounts plus encryption (later increments) keep such people
//! away from the file. SHA-256 from the `sha2` crate: already our hash for attachments, RustCrypto,
//! no C code.

use chrono::{NaiveDate, Utc};
use rusqlite::Connection;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use ts_rs::TS;

use crate::actor::Actor;
use crate::archive::Archive;
use crate::db;
use crate::db::audit::{AuditFilter, AuditRow};
use crate::error::ErrorCode;

/// The hash before the first entry.
pub const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What was done. The codes are stable: they are stored and filtered on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    MemberView,
    StepAdd,
    StepCorrect,
    ProbationExtend,
    StatusRecord,
    EvidenceAttach,
    ReportAdd,
    ReportReview,
    ReportImport,
    MeetingRecord,
    MeetingAttach,
    AppraisalSet,
    ImportCommit,
    ImportUndo,
    Export,
    Dossier,
    Letter,
    LetterReceipt,
    Notice,
    Backup,
    Restore,
    IdReveal,
    SettingChange,
    Login,
    LoginFailed,
    AccessDenied,
    UserCreate,
    UserPassword,
    UserReset,
    UserUnlock,
    UserScope,
    UserDisable,
    UserEnable,
    UserRole,
    Encrypt,
    PassphraseChange,
}

impl Action {
    pub const ALL: [Action; 36] = [
        Action::MemberView,
        Action::StepAdd,
        Action::StepCorrect,
        Action::ProbationExtend,
        Action::StatusRecord,
        Action::EvidenceAttach,
        Action::ReportAdd,
        Action::ReportReview,
        Action::ReportImport,
        Action::MeetingRecord,
        Action::MeetingAttach,
        Action::AppraisalSet,
        Action::ImportCommit,
        Action::ImportUndo,
        Action::Export,
        Action::Dossier,
        Action::Letter,
        Action::LetterReceipt,
        Action::Notice,
        Action::Backup,
        Action::Restore,
        Action::IdReveal,
        Action::SettingChange,
        Action::Login,
        Action::LoginFailed,
        Action::AccessDenied,
        Action::UserCreate,
        Action::UserPassword,
        Action::UserReset,
        Action::UserUnlock,
        Action::UserScope,
        Action::UserDisable,
        Action::UserEnable,
        Action::UserRole,
        Action::Encrypt,
        Action::PassphraseChange,
    ];

    pub fn as_code(self) -> &'static str {
        match self {
            Action::MemberView => "member_view",
            Action::StepAdd => "step_add",
            Action::StepCorrect => "step_correct",
            Action::ProbationExtend => "probation_extend",
            Action::StatusRecord => "status_record",
            Action::EvidenceAttach => "evidence_attach",
            Action::ReportAdd => "report_add",
            Action::ReportReview => "report_review",
            Action::ReportImport => "report_import",
            Action::MeetingRecord => "meeting_record",
            Action::MeetingAttach => "meeting_attach",
            Action::AppraisalSet => "appraisal_set",
            Action::ImportCommit => "import_commit",
            Action::ImportUndo => "import_undo",
            Action::Export => "export",
            Action::Dossier => "dossier",
            Action::Letter => "letter",
            Action::LetterReceipt => "letter_receipt",
            Action::Notice => "notice",
            Action::Backup => "backup",
            Action::Restore => "restore",
            Action::IdReveal => "id_reveal",
            Action::SettingChange => "setting_change",
            Action::Login => "login",
            Action::LoginFailed => "login_failed",
            Action::AccessDenied => "access_denied",
            Action::UserCreate => "user_create",
            Action::UserPassword => "user_password",
            Action::UserReset => "user_reset",
            Action::UserUnlock => "user_unlock",
            Action::UserScope => "user_scope",
            Action::UserDisable => "user_disable",
            Action::UserEnable => "user_enable",
            Action::UserRole => "user_role",
            Action::Encrypt => "encrypt",
            Action::PassphraseChange => "passphrase_change",
        }
    }

    pub fn from_code(code: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.as_code() == code)
    }
}

/// What an entry is about: a kind, its id, and the member concerned (for `--member`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub kind: &'static str,
    pub id: Option<i64>,
    pub member_id: Option<i64>,
}

impl Target {
    pub fn member(id: i64) -> Target {
        Target {
            kind: "member",
            id: Some(id),
            member_id: Some(id),
        }
    }
    pub fn event(event_id: i64, member_id: i64) -> Target {
        Target {
            kind: "event",
            id: Some(event_id),
            member_id: Some(member_id),
        }
    }
    pub fn report(report_id: i64, member_id: i64) -> Target {
        Target {
            kind: "thought_report",
            id: Some(report_id),
            member_id: Some(member_id),
        }
    }
    pub fn meeting(id: i64) -> Target {
        Target {
            kind: "meeting",
            id: Some(id),
            member_id: None,
        }
    }
    pub fn import_batch(id: i64) -> Target {
        Target {
            kind: "import_batch",
            id: Some(id),
            member_id: None,
        }
    }
    pub fn letter(serial: i64, member_id: i64) -> Target {
        Target {
            kind: "letter",
            id: Some(serial),
            member_id: Some(member_id),
        }
    }
    pub fn branch(id: i64) -> Target {
        Target {
            kind: "branch",
            id: Some(id),
            member_id: None,
        }
    }
    pub fn backup(id: i64) -> Target {
        Target {
            kind: "backup",
            id: Some(id),
            member_id: None,
        }
    }
    /// The archive's settings (the backup policy).
    pub fn setting() -> Target {
        Target {
            kind: "setting",
            id: None,
            member_id: None,
        }
    }
    pub fn user(id: Option<i64>) -> Target {
        Target {
            kind: "user",
            id,
            member_id: None,
        }
    }
    /// The archive as a whole (exports of many members, restores).
    pub fn archive() -> Target {
        Target {
            kind: "archive",
            id: None,
            member_id: None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// Refused by the role or scope (recorded in the audit trail).
    #[error(transparent)]
    Forbidden(#[from] crate::actor::Forbidden),
    #[error("unknown audit action {0:?}")]
    UnknownAction(String),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for AuditError {
    fn code(&self) -> &'static str {
        match self {
            AuditError::Forbidden(_) => "forbidden",
            AuditError::UnknownAction(_) => "invalid_argument",
            AuditError::Db(_) => "database",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            AuditError::Forbidden(f) => f.details(),
            AuditError::UnknownAction(code) => serde_json::json!({
                "field": "action",
                "value": code,
                "allowed": Action::ALL.iter().map(|a| a.as_code()).collect::<Vec<_>>(),
            }),
            AuditError::Db(_) => serde_json::Value::Null,
        }
    }
}

/// The text hashed for an entry: a JSON array of its fields in a fixed order, the detail as the
/// exact stored text, then the previous hash. A JSON array of scalars has one serialisation, and
/// quoting keeps field boundaries unambiguous.
fn canonical(row: &AuditRow) -> String {
    serde_json::json!([
        row.seq,
        row.at,
        row.actor,
        row.action,
        row.target_kind,
        row.target_id,
        row.member_id,
        row.detail,
        row.prev_hash
    ])
    .to_string()
}

fn hash_of(row: &AuditRow) -> String {
    hex::encode(Sha256::digest(canonical(row).as_bytes()))
}

/// Appends an entry on `conn`, which must be inside the transaction of the change it records
/// (every caller passes its `with_tx` transaction). Returns the entry's seq.
pub(crate) fn record(
    conn: &Connection,
    actor: &Actor,
    action: Action,
    target: Target,
    detail: serde_json::Value,
) -> rusqlite::Result<i64> {
    record_as(conn, actor.name(), action, target, detail)
}

/// `record` for the few writes made before an actor exists (the backup before a migration).
pub(crate) fn record_as(
    conn: &Connection,
    actor: &str,
    action: Action,
    target: Target,
    detail: serde_json::Value,
) -> rusqlite::Result<i64> {
    let (seq, prev_hash) = db::audit::advance_head(conn)?;
    let row = entry(seq, prev_hash, now(), actor, action, target, detail);
    db::audit::insert(conn, &row)?;
    db::audit::set_head_hash(conn, row.seq, &row.hash)?;
    Ok(seq)
}

/// An entry's time as the log writes it.
fn now() -> String {
    Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string()
}

/// The entry that follows `prev_hash` as number `seq`, hashed.
fn entry(
    seq: i64,
    prev_hash: String,
    at: String,
    actor: &str,
    action: Action,
    target: Target,
    detail: serde_json::Value,
) -> AuditRow {
    let mut row = AuditRow {
        seq,
        at,
        actor: actor.to_string(),
        action: action.as_code().to_string(),
        target_kind: target.kind.to_string(),
        target_id: target.id,
        member_id: target.member_id,
        detail: detail.to_string(),
        prev_hash,
        hash: String::new(),
    };
    row.hash = hash_of(&row);
    row
}

/// Appends many entries in one transaction with the head read once and written once, for an
/// import's entry per row (the head's two updates per entry were a tenth of an import's time).
/// Until `finish`, nothing else may append on the same connection: the head in the database is
/// behind. An appender dropped without `finish` leaves the head behind the log, so it must only
/// be dropped in a transaction that is rolled back. Its entries all bear the time it started:
/// they are one change, committed at one moment.
pub(crate) struct Appender {
    seq: i64,
    hash: String,
    at: String,
}

impl Appender {
    /// Starts after the entry the head names (fails like `record` when the head is missing).
    pub(crate) fn start(conn: &Connection) -> rusqlite::Result<Appender> {
        let (seq, hash) = db::audit::head(conn)?.ok_or(rusqlite::Error::QueryReturnedNoRows)?;
        Ok(Appender {
            seq,
            hash,
            at: now(),
        })
    }

    /// `record`, with the head kept here.
    pub(crate) fn append(
        &mut self,
        conn: &Connection,
        actor: &Actor,
        action: Action,
        target: Target,
        detail: serde_json::Value,
    ) -> rusqlite::Result<i64> {
        let prev_hash = std::mem::take(&mut self.hash);
        let row = entry(
            self.seq + 1,
            prev_hash,
            self.at.clone(),
            actor.name(),
            action,
            target,
            detail,
        );
        db::audit::insert(conn, &row)?;
        self.seq = row.seq;
        self.hash = row.hash;
        Ok(self.seq)
    }

    /// Writes the head: the last entry appended.
    pub(crate) fn finish(self, conn: &Connection) -> rusqlite::Result<()> {
        db::audit::set_head(conn, self.seq, &self.hash)
    }
}

/// Records something that writes nothing else (a view, a document written outside the
/// database) in a transaction of its own.
pub(crate) fn record_alone(
    archive: &Archive,
    actor: &Actor,
    action: Action,
    target: Target,
    detail: serde_json::Value,
) -> rusqlite::Result<i64> {
    // IMMEDIATE, as in `db::with_tx`: wait for another process's writer instead of failing.
    let tx = rusqlite::Transaction::new_unchecked(
        archive.conn(),
        rusqlite::TransactionBehavior::Immediate,
    )?;
    let seq = record(&tx, actor, action, target, detail)?;
    tx.commit()?;
    Ok(seq)
}

/// The last entry as the head records it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditHead {
    #[ts(type = "number")]
    pub seq: i64,
    pub hash: String,
}

pub(crate) fn head_of(conn: &Connection) -> rusqlite::Result<Option<AuditHead>> {
    Ok(db::audit::head(conn)?.map(|(seq, hash)| AuditHead { seq, hash }))
}

/// The outcome of `verify`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct AuditVerification {
    /// Entries read.
    #[ts(type = "number")]
    pub entries: i64,
    pub ok: bool,
    /// The first entry that is wrong or missing.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(type = "number | null", optional)]
    pub first_bad_seq: Option<i64>,
    /// A stable code: `edited`, `missing`, `broken_link`, `truncated`, `head_missing`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem_code: Option<String>,
    /// What is wrong, for a person.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub problem: Option<String>,
    pub head: Option<AuditHead>,
}

/// Walks the whole chain and compares it with the head. Stops at the first problem.
pub fn verify(archive: &Archive, actor: &Actor) -> Result<AuditVerification, AuditError> {
    crate::auth::require(archive, actor, crate::actor::Permission::AuditRead)?;
    // One read snapshot for the head and the walk: an entry appended meanwhile by another
    // process must not look like a missing tail.
    let snapshot = archive.conn().unchecked_transaction()?;
    Ok(verify_conn(&snapshot)?)
}

pub(crate) fn verify_conn(conn: &Connection) -> rusqlite::Result<AuditVerification> {
    let head = head_of(conn)?;
    let mut entries = 0i64;
    let mut expected_seq = 1i64;
    let mut prev_hash = GENESIS_HASH.to_string();
    let mut bad: Option<(i64, &'static str, String)> = None;
    db::audit::for_each(conn, |row| {
        entries += 1;
        if row.seq != expected_seq {
            bad = Some((
                expected_seq,
                "missing",
                format!(
                    "审计记录第 {expected_seq} 条不见了（下一条是第 {} 条）：有记录被删除",
                    row.seq
                ),
            ));
            return false;
        }
        if row.prev_hash != prev_hash {
            bad = Some((
                row.seq,
                "broken_link",
                format!(
                    "审计记录第 {} 条与前一条对不上（prev_hash 不符）：前一条被改动或删除",
                    row.seq
                ),
            ));
            return false;
        }
        if hash_of(&row) != row.hash {
            bad = Some((
                row.seq,
                "edited",
                format!(
                    "审计记录第 {} 条的内容与其哈希不符：该条被改动（{} {} {}）",
                    row.seq, row.at, row.actor, row.action
                ),
            ));
            return false;
        }
        prev_hash = row.hash;
        expected_seq += 1;
        true
    })?;
    if bad.is_none() {
        let last_seq = expected_seq - 1;
        bad = match &head {
            None => Some((
                last_seq + 1,
                "head_missing",
                "审计链头（audit_head）不见了".to_string(),
            )),
            Some(h) if h.seq != last_seq || h.hash != prev_hash => Some((
                last_seq + 1,
                "truncated",
                format!(
                    "审计链头记录到第 {} 条，但日志只到第 {last_seq} 条：最新的记录被删除或改动",
                    h.seq
                ),
            )),
            Some(_) => None,
        };
    }
    let (first_bad_seq, problem_code, problem) = match bad {
        Some((seq, code, message)) => (Some(seq), Some(code.to_string()), Some(message)),
        None => (None, None, None),
    };
    Ok(AuditVerification {
        entries,
        ok: first_bad_seq.is_none(),
        first_bad_seq,
        problem_code,
        problem,
        head,
    })
}

/// What `list` selects. Dates are UTC days, both ends inclusive.
#[derive(Debug, Clone, Default, Deserialize, TS)]
#[serde(default)]
pub struct AuditQuery {
    pub actor: Option<String>,
    pub action: Option<String>,
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    #[ts(type = "string | null")]
    pub from: Option<NaiveDate>,
    #[ts(type = "string | null")]
    pub to: Option<NaiveDate>,
    /// What the entry is about: `member`, `event`, `backup`, `meeting`, `archive`, …
    pub target_kind: Option<String>,
    /// With `target_kind`: that one target.
    #[ts(type = "number | null")]
    pub target_id: Option<i64>,
    /// At most this many entries (default 100, at most 1000).
    #[ts(type = "number | null")]
    pub limit: Option<usize>,
    /// Entries to skip (for pages).
    #[ts(type = "number | null")]
    pub offset: Option<usize>,
}

impl AuditQuery {
    /// The largest page `list` returns at once.
    pub const MAX_LIMIT: usize = 1000;
}

/// One entry as `audit list` shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AuditEntry {
    #[ts(type = "number")]
    pub seq: i64,
    /// UTC, RFC 3339 with milliseconds.
    pub at: String,
    pub actor: String,
    pub action: String,
    pub target_kind: String,
    #[ts(type = "number | null")]
    pub target_id: Option<i64>,
    #[ts(type = "number | null")]
    pub member_id: Option<i64>,
    /// The member's name, when the entry concerns a member still in the archive.
    pub member_name: Option<String>,
    #[ts(type = "unknown")]
    pub detail: serde_json::Value,
    pub hash: String,
}

/// One page of entries and how many match in all: the audit browser's table.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct AuditPage {
    #[ts(type = "number")]
    pub total: i64,
    pub rows: Vec<AuditEntry>,
    /// Everyone who has an entry (for the user filter).
    pub actors: Vec<String>,
}

fn filter_of<'a>(
    query: &'a AuditQuery,
    from: &'a Option<String>,
    before: &'a Option<String>,
) -> Result<AuditFilter<'a>, AuditError> {
    if let Some(action) = &query.action
        && Action::from_code(action).is_none()
    {
        return Err(AuditError::UnknownAction(action.clone()));
    }
    let limit = query.limit.unwrap_or(100).clamp(1, AuditQuery::MAX_LIMIT);
    Ok(AuditFilter {
        actor: query.actor.as_deref().filter(|a| !a.is_empty()),
        action: query.action.as_deref(),
        member_id: query.member_id,
        from: from.as_deref(),
        before: before.as_deref(),
        target_kind: query.target_kind.as_deref().filter(|k| !k.is_empty()),
        target_id: query.target_id,
        limit: i64::try_from(limit).unwrap_or(i64::MAX),
        offset: i64::try_from(query.offset.unwrap_or(0)).unwrap_or(i64::MAX),
    })
}

fn bounds(query: &AuditQuery) -> (Option<String>, Option<String>) {
    let from = query.from.map(|d| d.format("%Y-%m-%d").to_string());
    let before = query
        .to
        .and_then(|d| d.succ_opt())
        .map(|d| d.format("%Y-%m-%d").to_string());
    (from, before)
}

/// Entries matching `query`, newest first (at most `limit`, default 100, after `offset`).
pub fn list(
    archive: &Archive,
    actor: &Actor,
    query: &AuditQuery,
) -> Result<Vec<AuditEntry>, AuditError> {
    crate::auth::require(archive, actor, crate::actor::Permission::AuditRead)?;
    let (from, before) = bounds(query);
    let filter = filter_of(query, &from, &before)?;
    Ok(db::audit::list(archive.conn(), &filter)?
        .into_iter()
        .map(|(row, member_name)| AuditEntry {
            detail: serde_json::from_str(&row.detail)
                .unwrap_or(serde_json::Value::String(row.detail)),
            seq: row.seq,
            at: row.at,
            actor: row.actor,
            action: row.action,
            target_kind: row.target_kind,
            target_id: row.target_id,
            member_id: row.member_id,
            member_name,
            hash: row.hash,
        })
        .collect())
}

/// `list` with the number of matching entries and the actors: one page of the audit browser.
pub fn page(archive: &Archive, actor: &Actor, query: &AuditQuery) -> Result<AuditPage, AuditError> {
    let rows = list(archive, actor, query)?;
    let (from, before) = bounds(query);
    let filter = filter_of(query, &from, &before)?;
    Ok(AuditPage {
        total: db::audit::count(archive.conn(), &filter)?,
        rows,
        actors: db::audit::actors(archive.conn())?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use rstest::rstest;

    fn row(seq: i64, detail: &str) -> AuditRow {
        AuditRow {
            seq,
            at: "2026-12-02T06:00:00.000Z".into(),
            actor: "admin".into(),
            action: "step_add".into(),
            target_kind: "event".into(),
            target_id: Some(7),
            member_id: Some(3),
            detail: detail.into(),
            prev_hash: GENESIS_HASH.into(),
            hash: String::new(),
        }
    }

    #[test]
    fn action_codes_round_trip_and_are_unique() {
        let mut codes: Vec<_> = Action::ALL.iter().map(|a| a.as_code()).collect();
        for a in Action::ALL {
            assert_eq!(Action::from_code(a.as_code()), Some(a));
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Action::ALL.len());
    }

    #[rstest]
    #[case::detail(|r: &mut AuditRow| r.detail = "{\"x\":2}".into())]
    #[case::at(|r: &mut AuditRow| r.at = "2026-12-02T06:00:00.001Z".into())]
    #[case::actor(|r: &mut AuditRow| r.actor = "clerk".into())]
    #[case::action(|r: &mut AuditRow| r.action = "step_correct".into())]
    #[case::target(|r: &mut AuditRow| r.target_id = Some(8))]
    #[case::member(|r: &mut AuditRow| r.member_id = None)]
    #[case::prev(|r: &mut AuditRow| r.prev_hash = "1".repeat(64))]
    #[case::seq(|r: &mut AuditRow| r.seq = 2)]
    fn every_field_is_covered_by_the_hash(#[case] edit: fn(&mut AuditRow)) {
        let original = row(1, "{\"x\":1}");
        let mut edited = original.clone();
        edit(&mut edited);
        assert_ne!(hash_of(&original), hash_of(&edited));
    }

    #[test]
    fn field_boundaries_are_unambiguous() {
        let mut a = row(1, "{}");
        let mut b = row(1, "{}");
        a.actor = "ad".into();
        a.action = "minstep_add".into();
        b.actor = "admin".into();
        b.action = "step_add".into();
        assert_ne!(hash_of(&a), hash_of(&b));
    }
}
