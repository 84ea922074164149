//! Queries on `user_account` and `user_scope`, and the unit subtrees scopes
//! resolve to.

use rusqlite::{Connection, OptionalExtension, Row, params};

use crate::auth::ScopeUnit;

/// An account as stored.
#[derive(Debug, Clone)]
pub(crate) struct AccountRow {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
    pub password_hash: String,
    pub failed_attempts: i64,
    pub locked_until: Option<String>,
    pub disabled: bool,
    pub created_at: String,
    pub changed_at: String,
}

const COLUMNS: &str = "id, username, display_name, role, password_hash, failed_attempts, \
                       locked_until, disabled, created_at, changed_at";

fn from_row(row: &Row<'_>) -> rusqlite::Result<AccountRow> {
    Ok(AccountRow {
        id: row.get(0)?,
        username: row.get(1)?,
        display_name: row.get(2)?,
        role: row.get(3)?,
        password_hash: row.get(4)?,
        failed_attempts: row.get(5)?,
        locked_until: row.get(6)?,
        disabled: row.get(7)?,
        created_at: row.get(8)?,
        changed_at: row.get(9)?,
    })
}

pub(crate) fn count(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row("SELECT count(*) FROM user_account", [], |row| row.get(0))
}

pub(crate) fn by_username(
    conn: &Connection,
    username: &str,
) -> rusqlite::Result<Option<AccountRow>> {
    conn.query_row(
        &format!("SELECT {COLUMNS} FROM user_account WHERE username = ?1"),
        [username],
        from_row,
    )
    .optional()
}

pub(crate) fn all(conn: &Connection) -> rusqlite::Result<Vec<AccountRow>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM user_account ORDER BY id"))?;
    stmt.query_map([], from_row)?.collect()
}

pub(crate) fn insert(
    conn: &Connection,
    username: &str,
    display_name: &str,
    role: &str,
    password_hash: &str,
) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO user_account (username, display_name, role, password_hash)
         VALUES (?1, ?2, ?3, ?4)",
        params![username, display_name, role, password_hash],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Records a failed attempt: the new count, and the lock if one was decided.
pub(crate) fn set_failures(
    conn: &Connection,
    id: i64,
    failed_attempts: i64,
    locked_until: Option<&str>,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE user_account SET failed_attempts = ?2, locked_until = ?3 WHERE id = ?1",
        params![id, failed_attempts, locked_until],
    )?;
    Ok(())
}

pub(crate) fn set_password(
    conn: &Connection,
    id: i64,
    password_hash: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE user_account SET password_hash = ?2, failed_attempts = 0, locked_until = NULL,
                changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          WHERE id = ?1",
        params![id, password_hash],
    )?;
    Ok(())
}

pub(crate) fn unlock(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE user_account SET failed_attempts = 0, locked_until = NULL,
                changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          WHERE id = ?1",
        [id],
    )?;
    Ok(())
}

pub(crate) fn set_disabled(conn: &Connection, id: i64, disabled: bool) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE user_account SET disabled = ?2,
                changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          WHERE id = ?1",
        params![id, disabled],
    )?;
    Ok(())
}

pub(crate) fn set_role(conn: &Connection, id: i64, role: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE user_account SET role = ?2,
                changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now')
          WHERE id = ?1",
        params![id, role],
    )?;
    Ok(())
}

/// Every unit above the party groups, parents before children.
pub(crate) fn scope_choices(conn: &Connection) -> rusqlite::Result<Vec<ScopeUnit>> {
    let mut stmt = conn.prepare(
        "WITH RECURSIVE tree(id, depth) AS (
             SELECT id, 0 FROM org_unit WHERE parent_id IS NULL
             UNION ALL
             SELECT o.id, t.depth + 1 FROM org_unit o JOIN tree t ON o.parent_id = t.id
         )
         SELECT u.id, u.parent_id, u.name, u.kind FROM org_unit u JOIN tree t ON t.id = u.id
          WHERE u.kind != 'group'
          ORDER BY t.depth, u.id",
    )?;
    stmt.query_map([], |row| {
        Ok(ScopeUnit {
            id: row.get(0)?,
            parent_id: row.get(1)?,
            name: row.get(2)?,
            kind: row.get(3)?,
        })
    })?
    .collect()
}

/// How many admins can log in (not disabled).
pub(crate) fn enabled_admins(conn: &Connection) -> rusqlite::Result<i64> {
    conn.query_row(
        "SELECT count(*) FROM user_account WHERE role = 'admin' AND disabled = 0",
        [],
        |row| row.get(0),
    )
}

/// The units named as the user's scope (not their descendants).
pub(crate) fn scope_units(conn: &Connection, user_id: i64) -> rusqlite::Result<Vec<i64>> {
    let mut stmt =
        conn.prepare("SELECT org_unit_id FROM user_scope WHERE user_id = ?1 ORDER BY org_unit_id")?;
    stmt.query_map([user_id], |row| row.get(0))?.collect()
}

pub(crate) fn set_scope_units(
    conn: &Connection,
    user_id: i64,
    units: &[i64],
) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM user_scope WHERE user_id = ?1", [user_id])?;
    let mut stmt =
        conn.prepare("INSERT OR IGNORE INTO user_scope (user_id, org_unit_id) VALUES (?1, ?2)")?;
    for unit in units {
        stmt.execute([user_id, *unit])?;
    }
    conn.execute(
        "UPDATE user_account SET changed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1",
        [user_id],
    )?;
    Ok(())
}

/// The units `roots` and every unit below them.
pub(crate) fn subtree(conn: &Connection, roots: &[i64]) -> rusqlite::Result<Vec<i64>> {
    let roots_json = serde_json::to_string(roots).unwrap_or_else(|_| "[]".to_string());
    let mut stmt = conn.prepare(
        "WITH RECURSIVE below(id) AS (
             SELECT id FROM org_unit WHERE id IN (SELECT value FROM json_each(?1))
             UNION
             SELECT o.id FROM org_unit o JOIN below b ON o.parent_id = b.id
         )
         SELECT id FROM below ORDER BY id",
    )?;
    stmt.query_map([roots_json], |row| row.get(0))?.collect()
}

/// The name of a unit with its parent's (`college/branch`), for showing scopes.
pub(crate) fn unit_label(conn: &Connection, id: i64) -> rusqlite::Result<Option<String>> {
    conn.query_row(
        "SELECT CASE WHEN p.id IS NULL OR p.parent_id IS NULL THEN u.name
                     ELSE p.name || '/' || u.name END
           FROM org_unit u LEFT JOIN org_unit p ON p.id = u.parent_id
          WHERE u.id = ?1",
        [id],
        |row| row.get(0),
    )
    .optional()
}

/// The branch a member belongs to: `None` if there is no such member, `Some(None)` for a member
/// without a branch.
pub(crate) fn member_branch(
    conn: &Connection,
    member_id: i64,
) -> rusqlite::Result<Option<Option<i64>>> {
    conn.query_row(
        "SELECT branch_id FROM member WHERE id = ?1",
        [member_id],
        |row| row.get(0),
    )
    .optional()
}

/// Who a stored file belongs to: the branches (None: a member without one) of the members whose
/// evidence or thought report it is, and of the meetings it documents.
pub(crate) fn blob_owner_units(
    conn: &Connection,
    sha256: &str,
) -> rusqlite::Result<Vec<Option<i64>>> {
    let mut stmt = conn.prepare(
        "SELECT m.branch_id FROM event_attachment ea
           JOIN member_event e ON e.id = ea.event_id
           JOIN member m ON m.id = e.member_id
          WHERE ea.sha256 = ?1
         UNION ALL
         SELECT m.branch_id FROM thought_report r
           JOIN member m ON m.id = r.member_id
          WHERE r.file_sha256 = ?1
         UNION ALL
         SELECT mt.branch_id FROM meeting_attachment ma
           JOIN meeting mt ON mt.id = ma.meeting_id
          WHERE ma.sha256 = ?1",
    )?;
    stmt.query_map([sha256], |row| row.get(0))?.collect()
}

pub(crate) fn meeting_branch(conn: &Connection, meeting_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT branch_id FROM meeting WHERE id = ?1",
        [meeting_id],
        |row| row.get(0),
    )
    .optional()
}

pub(crate) fn report_member(conn: &Connection, report_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT member_id FROM thought_report WHERE id = ?1",
        [report_id],
        |row| row.get(0),
    )
    .optional()
}

pub(crate) fn event_member(conn: &Connection, event_id: i64) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT member_id FROM member_event WHERE id = ?1",
        [event_id],
        |row| row.get(0),
    )
    .optional()
}

/// The unit called `name` directly below `parent` (below the root when `parent` is None).
pub(crate) fn child_unit(
    conn: &Connection,
    parent: Option<i64>,
    name: &str,
) -> rusqlite::Result<Option<i64>> {
    conn.query_row(
        "SELECT id FROM org_unit
          WHERE name = ?2
            AND parent_id = ifnull(?1, (SELECT id FROM org_unit WHERE parent_id IS NULL ORDER BY id LIMIT 1))
          ORDER BY id LIMIT 1",
        params![parent, name],
        |row| row.get(0),
    )
    .optional()
}

/// Every unit called `name`, anywhere in the tree.
pub(crate) fn units_named(conn: &Connection, name: &str) -> rusqlite::Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM org_unit WHERE name = ?1 ORDER BY id")?;
    stmt.query_map([name], |row| row.get(0))?.collect()
}
