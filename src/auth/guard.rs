//! The access checks, one function per kind of thing checked. Every public core operation calls
//! one of these before it reads or writes: `require` for what the role may do, `require_member`
//! / `require_unit` / `require_meeting` / `require_report` / `require_event` for a single thing,
//! which must also be inside the actor's scope; lists filter with `Actor::scope_filter` /
//! `Actor::sees_unit`.
//!
//! A refusal is written to the audit trail (`access_denied`) before the error is returned. Call
//! these before opening the write's transaction: the entry is committed on its own then (inside
//! a transaction it would be rolled back with it).

use rusqlite::Connection;

use crate::actor::{Actor, Forbidden, Permission};
use crate::archive::Archive;
use crate::audit::{self, Action, Target};
use crate::db;

/// The role may do `permission` (scope is checked by the callers that name a thing).
pub fn require(archive: &Archive, actor: &Actor, permission: Permission) -> Result<(), Forbidden> {
    if actor.may(permission) {
        return Ok(());
    }
    Err(deny(
        archive.conn(),
        actor,
        permission,
        permission.zh().to_string(),
        Target::archive(),
        None,
    ))
}

/// `permission` on member `member_id`, who must be in scope. A member that does not exist
/// passes, so the caller reports it as not found.
pub fn require_member(
    archive: &Archive,
    actor: &Actor,
    permission: Permission,
    member_id: i64,
) -> Result<(), Forbidden> {
    require(archive, actor, permission)?;
    if actor.sees_all() {
        return Ok(());
    }
    match db::auth::member_branch(archive.conn(), member_id) {
        Ok(Some(branch)) if !actor.sees_unit(branch) => Err(deny(
            archive.conn(),
            actor,
            permission,
            format!("{}（党员 {member_id} 不在您的范围内）", permission.zh()),
            Target::member(member_id),
            branch,
        )),
        _ => Ok(()),
    }
}

/// `permission` on every member of `member_ids` (refused at the first outside the scope).
pub fn require_members(
    archive: &Archive,
    actor: &Actor,
    permission: Permission,
    member_ids: &[i64],
) -> Result<(), Forbidden> {
    require(archive, actor, permission)?;
    for id in member_ids {
        require_member(archive, actor, permission, *id)?;
    }
    Ok(())
}

/// `permission` on unit `unit_id` (a branch, a college), which must be in scope.
pub fn require_unit(
    archive: &Archive,
    actor: &Actor,
    permission: Permission,
    unit_id: i64,
) -> Result<(), Forbidden> {
    require(archive, actor, permission)?;
    if actor.sees_unit(Some(unit_id)) {
        return Ok(());
    }
    Err(deny(
        archive.conn(),
        actor,
        permission,
        format!("{}（组织 {unit_id} 不在您的范围内）", permission.zh()),
        Target::branch(unit_id),
        Some(unit_id),
    ))
}

/// `permission` on meeting `meeting_id`, whose branch must be in scope (missing: passes).
pub fn require_meeting(
    archive: &Archive,
    actor: &Actor,
    permission: Permission,
    meeting_id: i64,
) -> Result<(), Forbidden> {
    require(archive, actor, permission)?;
    match db::auth::meeting_branch(archive.conn(), meeting_id) {
        Ok(Some(branch)) if !actor.sees_unit(Some(branch)) => Err(deny(
            archive.conn(),
            actor,
            permission,
            format!("{}（会议 {meeting_id} 不在您的范围内）", permission.zh()),
            Target::meeting(meeting_id),
            Some(branch),
        )),
        _ => Ok(()),
    }
}

/// `permission` on thought report `report_id`, whose member must be in scope.
pub fn require_report(
    archive: &Archive,
    actor: &Actor,
    permission: Permission,
    report_id: i64,
) -> Result<(), Forbidden> {
    require(archive, actor, permission)?;
    match db::auth::report_member(archive.conn(), report_id) {
        Ok(Some(member)) => require_member(archive, actor, permission, member),
        _ => Ok(()),
    }
}

/// `permission` on the stored file `sha256` (evidence, a thought report's file, a meeting's
/// attachment): something it belongs to must be in scope — one of the members whose file it is,
/// or a meeting of a branch in scope. A file nothing refers to (or whose owners cannot be read)
/// is refused to anyone without the whole archive in scope.
pub fn require_blob(
    archive: &Archive,
    actor: &Actor,
    permission: Permission,
    sha256: &str,
) -> Result<(), Forbidden> {
    require(archive, actor, permission)?;
    if actor.sees_all() {
        return Ok(());
    }
    let owners = db::auth::blob_owner_units(archive.conn(), sha256).unwrap_or_default();
    if owners.iter().any(|unit| actor.sees_unit(*unit)) {
        return Ok(());
    }
    Err(deny(
        archive.conn(),
        actor,
        permission,
        format!(
            "{}（文件 {} 不属于您范围内的党员或会议）",
            permission.zh(),
            sha256.get(..12).unwrap_or(sha256)
        ),
        Target::archive(),
        owners.into_iter().flatten().next(),
    ))
}

/// `permission` on timeline event `event_id`, whose member must be in scope.
pub fn require_event(
    archive: &Archive,
    actor: &Actor,
    permission: Permission,
    event_id: i64,
) -> Result<(), Forbidden> {
    require(archive, actor, permission)?;
    match db::auth::event_member(archive.conn(), event_id) {
        Ok(Some(member)) => require_member(archive, actor, permission, member),
        _ => Ok(()),
    }
}

/// Records the refusal and makes the error. If the audit entry cannot be written the refusal
/// still stands (the error is returned either way).
fn deny(
    conn: &Connection,
    actor: &Actor,
    permission: Permission,
    what: String,
    target: Target,
    unit_id: Option<i64>,
) -> Forbidden {
    let forbidden = Forbidden::new(actor, permission, what, target.member_id, unit_id);
    let detail = serde_json::json!({
        "permission": permission.as_code(),
        "role": actor.role().as_code(),
        "unit_id": unit_id,
        "what": forbidden.what,
    });
    let written = if conn.is_autocommit() {
        conn.unchecked_transaction().and_then(|tx| {
            audit::record(&tx, actor, Action::AccessDenied, target, detail)?;
            tx.commit()
        })
    } else {
        audit::record(conn, actor, Action::AccessDenied, target, detail).map(|_| ())
    };
    if let Err(err) = written {
        eprintln!("dangan: could not record a refusal in the audit trail: {err}");
    }
    forbidden
}
