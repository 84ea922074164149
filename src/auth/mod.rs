//! Accounts: logging in, passwords, lockout, roles and scopes.
//!
//! Passwords are hashed with argon2id (the `argon2` crate's defaults: m = 19 MiB, t = 2, p = 1)
//! and stored as PHC strings. Five failed logins in a row lock an account for 15 minutes; an
//! admin may unlock it earlier. Every login (success or failure), every account change and every
//! refusal (`guard`) is written to the audit trail.
//!
//! An `Actor` is made only here (`login`, `bootstrap_admin`) and by `Actor::system()`.

pub mod guard;

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use chrono::{DateTime, Duration, Utc};
use serde::Serialize;
use ts_rs::TS;

use crate::actor::{Actor, Forbidden, Permission, Role, Visibility};
use crate::archive::Archive;
use crate::audit::{self, Action, Target};
use crate::db::{self, auth::AccountRow, with_tx};
use crate::error::ErrorCode;

pub use guard::{
    require, require_blob, require_event, require_meeting, require_member, require_members,
    require_report, require_unit,
};

/// Failed logins in a row that lock an account.
pub const MAX_FAILED_ATTEMPTS: i64 = 5;
/// How long a lock lasts.
pub const LOCK_MINUTES: i64 = 15;
/// The shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 8;

/// The environment variables the CLI reads the user and password from.
pub const USER_ENV: &str = "DANGAN_USER";
pub const PASSWORD_ENV: &str = "DANGAN_PASSWORD";

#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("用户名或密码不正确")]
    BadCredentials { username: String },
    #[error(
        "账号 {username} 因连续 {MAX_FAILED_ATTEMPTS} 次密码错误已被锁定，{until} 之后可再试（或请管理员解锁）"
    )]
    Locked { username: String, until: String },
    #[error("账号 {0} 已停用")]
    Disabled(String),
    #[error(
        "需要登录：请用 --user（或 DANGAN_USER）指定用户，密码由 DANGAN_PASSWORD 提供或在提示时输入"
    )]
    LoginRequired,
    #[error("该档案库已有账号；首个管理员只能在没有账号时创建")]
    AlreadyInitialised,
    #[error("用户名 {0} 已存在")]
    UserExists(String),
    #[error("没有用户 {0}")]
    UserNotFound(String),
    #[error("用户名不能为空")]
    EmptyUsername,
    #[error("密码至少需要 {MIN_PASSWORD_CHARS} 个字符")]
    WeakPassword,
    #[error("未知角色 {0:?}（可选：admin、counselor、secretary、clerk、viewer）")]
    UnknownRole(String),
    #[error("没有编号为 {0} 的组织")]
    UnitNotFound(i64),
    #[error("没有名为 {0} 的组织（可写编号、单位名或 学院/支部）")]
    UnitUnknown(String),
    #[error("有多个名为 {0} 的组织：请写成 学院/支部 或编号")]
    UnitAmbiguous(String),
    #[error("{role} 需要至少一个范围（--scope 单位）")]
    ScopeRequired { role: &'static str },
    #[error("不能停用自己的账号 {0}")]
    SelfDisable(String),
    #[error("不能修改自己的角色（{0}）：请让另一位管理员修改")]
    SelfRole(String),
    #[error("{0} 是最后一个启用的管理员：至少要保留一个启用的管理员账号")]
    LastAdmin(String),
    #[error(transparent)]
    Forbidden(#[from] Forbidden),
    #[error("密码哈希失败：{0}")]
    Hash(String),
    #[error("database error: {0}")]
    Db(#[from] rusqlite::Error),
}

impl ErrorCode for AuthError {
    fn code(&self) -> &'static str {
        match self {
            AuthError::BadCredentials { .. } => "bad_credentials",
            AuthError::Locked { .. } => "account_locked",
            AuthError::Disabled(_) => "account_disabled",
            AuthError::LoginRequired => "login_required",
            AuthError::AlreadyInitialised => "already_initialised",
            AuthError::UserExists(_) => "user_exists",
            AuthError::UserNotFound(_) => "user_not_found",
            AuthError::EmptyUsername
            | AuthError::WeakPassword
            | AuthError::UnknownRole(_)
            | AuthError::ScopeRequired { .. } => "invalid_argument",
            AuthError::UnitNotFound(_) | AuthError::UnitUnknown(_) => "unit_not_found",
            AuthError::UnitAmbiguous(_) => "invalid_argument",
            AuthError::SelfDisable(_) => "cannot_disable_self",
            AuthError::SelfRole(_) => "cannot_change_own_role",
            AuthError::LastAdmin(_) => "last_admin",
            AuthError::Forbidden(_) => "forbidden",
            AuthError::Hash(_) => "internal",
            AuthError::Db(_) => "database",
        }
    }

    fn details(&self) -> serde_json::Value {
        match self {
            AuthError::Locked { username, until } => {
                serde_json::json!({ "username": username, "locked_until": until })
            }
            AuthError::BadCredentials { username } => serde_json::json!({ "username": username }),
            AuthError::UserExists(u)
            | AuthError::UserNotFound(u)
            | AuthError::Disabled(u)
            | AuthError::SelfDisable(u)
            | AuthError::SelfRole(u)
            | AuthError::LastAdmin(u) => serde_json::json!({ "username": u }),
            AuthError::WeakPassword => {
                serde_json::json!({ "field": "password", "min_chars": MIN_PASSWORD_CHARS })
            }
            AuthError::UnknownRole(r) => serde_json::json!({ "field": "role", "value": r }),
            AuthError::UnitNotFound(id) => serde_json::json!({ "field": "scope", "unit_id": id }),
            AuthError::Forbidden(f) => f.details(),
            _ => serde_json::Value::Null,
        }
    }
}

/// An account as `user list` shows it (never the hash).
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct UserSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    /// The units named as scope, as `college/branch` labels.
    pub scope: Vec<String>,
    #[ts(type = "number[]")]
    pub scope_unit_ids: Vec<i64>,
    pub locked_until: Option<String>,
    #[ts(type = "number")]
    pub failed_attempts: i64,
    pub disabled: bool,
    pub created_at: String,
    pub changed_at: String,
}

/// The logged-in user as the app's header shows it.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct SessionInfo {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub role_zh: String,
    /// Scope labels; empty for roles that read everything.
    pub scope: Vec<String>,
    pub sees_all: bool,
    /// What the role may do (`ROLE_PERMISSIONS`): the app hides what it may not.
    pub permissions: Vec<Permission>,
}

/// A unit an admin may give as a scope (the scope picker's tree): every unit above the party
/// groups, with its parent.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
pub struct ScopeUnit {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number | null")]
    pub parent_id: Option<i64>,
    pub name: String,
    /// `university_committee`, `college_committee` or `branch`.
    pub kind: String,
}

/// What `create_user` needs.
#[derive(Debug, Clone)]
pub struct NewUser {
    pub username: String,
    pub display_name: Option<String>,
    pub role: Role,
    pub password: String,
    pub scope_unit_ids: Vec<i64>,
}

/// A demo account: printed by `dangan demo`, listed in the README and on the login page of a
/// demo archive. The passwords are public on purpose.
#[derive(Debug, Clone, Copy, Serialize, TS)]
pub struct DemoAccount {
    pub username: &'static str,
    pub password: &'static str,
    pub role: Role,
    pub display_name: &'static str,
    /// What the scope is (for the README and the login hint).
    pub scope: &'static str,
}

/// The demo accounts, one per role. Scopes name the demo's units.
pub const DEMO_ACCOUNTS: [DemoAccount; 5] = [
    DemoAccount {
        username: "admin",
        password: "demo-admin",
        role: Role::Admin,
        display_name: "系统管理员",
        scope: "全校",
    },
    DemoAccount {
        username: "counselor",
        password: "demo-counselor",
        role: Role::Counselor,
        display_name: "计算机学院辅导员",
        scope: "计算机科学与技术学院党委",
    },
    DemoAccount {
        username: "secretary",
        password: "demo-secretary",
        role: Role::Secretary,
        display_name: "计算机学院本科生第一党支部书记",
        scope: "计算机科学与技术学院党委/本科生第一党支部",
    },
    DemoAccount {
        username: "clerk",
        password: "demo-clerk",
        role: Role::Clerk,
        display_name: "档案员",
        scope: "全校",
    },
    DemoAccount {
        username: "viewer",
        password: "demo-viewer",
        role: Role::Viewer,
        display_name: "机械工程学院查阅人",
        scope: "机械工程学院党委",
    },
];

const DEMO_SETTING: &str = "demo_accounts";

fn now_text(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// The argon2id PHC string of `password`.
pub fn hash_password(password: &str) -> Result<String, AuthError> {
    let salt = SaltString::generate(&mut argon2::password_hash::rand_core::OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|err| AuthError::Hash(err.to_string()))
}

/// Whether `password` matches the PHC string `hash` (false for a malformed hash).
pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

fn check_password(password: &str) -> Result<(), AuthError> {
    if password.chars().count() < MIN_PASSWORD_CHARS {
        return Err(AuthError::WeakPassword);
    }
    Ok(())
}

/// Whether the archive has any account (if not, `bootstrap_admin` creates the first).
pub fn has_accounts(archive: &Archive) -> Result<bool, AuthError> {
    Ok(db::auth::count(archive.conn())? > 0)
}

/// Whether the archive is a demo whose demo accounts the login page may show.
pub fn is_demo(archive: &Archive) -> Result<bool, AuthError> {
    Ok(db::settings::get(archive.conn(), DEMO_SETTING)?.as_deref() == Some("1"))
}

/// The demo accounts if the archive is a demo, else none.
pub fn demo_accounts(archive: &Archive) -> Result<Vec<DemoAccount>, AuthError> {
    Ok(if is_demo(archive)? {
        DEMO_ACCOUNTS.to_vec()
    } else {
        Vec::new()
    })
}

/// Logs in now. See `login_at`.
pub fn login(archive: &Archive, username: &str, password: &str) -> Result<Actor, AuthError> {
    login_at(archive, username, password, Utc::now())
}

/// Checks `username`'s password at time `now` (a parameter so tests need no clock): a locked or
/// disabled account is refused without checking; a wrong password counts a failure and locks the
/// account at the fifth; a right one clears the count. Every outcome is audited.
pub fn login_at(
    archive: &Archive,
    username: &str,
    password: &str,
    now: DateTime<Utc>,
) -> Result<Actor, AuthError> {
    let conn = archive.conn();
    let username = username.trim();
    let Some(account) = db::auth::by_username(conn, username)? else {
        // Hash anyway, so that the time taken does not tell whether the user exists.
        let _ = verify_password(password, DUMMY_HASH);
        record_login(archive, username, None, false, "unknown_user", None)?;
        return Err(AuthError::BadCredentials {
            username: username.to_string(),
        });
    };
    if account.disabled {
        record_login(archive, username, Some(account.id), false, "disabled", None)?;
        return Err(AuthError::Disabled(account.username));
    }
    if let Some(until) = locked_until(&account, now) {
        record_login(archive, username, Some(account.id), false, "locked", None)?;
        return Err(AuthError::Locked {
            username: account.username,
            until,
        });
    }
    if !verify_password(password, &account.password_hash) {
        let failures = account.failed_attempts + 1;
        let lock = (failures >= MAX_FAILED_ATTEMPTS)
            .then(|| now_text(now + Duration::minutes(LOCK_MINUTES)));
        let tx = conn.unchecked_transaction()?;
        db::auth::set_failures(
            &tx,
            account.id,
            if lock.is_some() { 0 } else { failures },
            lock.as_deref(),
        )?;
        audit::record_as(
            &tx,
            username,
            Action::LoginFailed,
            Target::user(Some(account.id)),
            serde_json::json!({ "reason": "bad_password", "failures": failures, "locked_until": lock }),
        )?;
        tx.commit()?;
        return Err(match lock {
            Some(until) => AuthError::Locked {
                username: account.username,
                until,
            },
            None => AuthError::BadCredentials {
                username: account.username,
            },
        });
    }
    let tx = conn.unchecked_transaction()?;
    if account.failed_attempts > 0 || account.locked_until.is_some() {
        db::auth::set_failures(&tx, account.id, 0, None)?;
    }
    audit::record_as(
        &tx,
        &account.username,
        Action::Login,
        Target::user(Some(account.id)),
        serde_json::json!({}),
    )?;
    tx.commit()?;
    actor_of(archive, &account)
}

/// A valid argon2id hash of a random password, verified against when the user does not exist.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$0H0mdvO1ZEwzPMfYC3+yvBdxAqHKQG0c6U8p0x1YOL8";

fn locked_until(account: &AccountRow, now: DateTime<Utc>) -> Option<String> {
    let until = account.locked_until.as_deref()?;
    let parsed = DateTime::parse_from_rfc3339(until).ok()?;
    (parsed.with_timezone(&Utc) > now).then(|| until.to_string())
}

fn record_login(
    archive: &Archive,
    username: &str,
    user_id: Option<i64>,
    ok: bool,
    reason: &str,
    detail: Option<serde_json::Value>,
) -> Result<(), AuthError> {
    let tx = archive.conn().unchecked_transaction()?;
    audit::record_as(
        &tx,
        username,
        if ok {
            Action::Login
        } else {
            Action::LoginFailed
        },
        Target::user(user_id),
        detail.unwrap_or_else(|| serde_json::json!({ "reason": reason })),
    )?;
    tx.commit()?;
    Ok(())
}

/// The session's actor as its account stands now. A desktop session lasts, and meanwhile an admin
/// may disable the account or change its role or scope: the app calls this before each command,
/// so such a change applies at the user's next click, not at their next login. A disabled or
/// deleted account is `account_disabled`; an actor with no account (`Actor::system`) is kept.
pub fn refresh(archive: &Archive, actor: &Actor) -> Result<Actor, AuthError> {
    let Some(user_id) = actor.user_id() else {
        return Ok(actor.clone());
    };
    let account = db::auth::by_username(archive.conn(), actor.name())?
        .filter(|account| account.id == user_id && !account.disabled)
        .ok_or_else(|| AuthError::Disabled(actor.name().to_string()))?;
    actor_of(archive, &account)
}

fn actor_of(archive: &Archive, account: &AccountRow) -> Result<Actor, AuthError> {
    let role =
        Role::from_code(&account.role).ok_or(AuthError::UnknownRole(account.role.clone()))?;
    let visible = if role.sees_everything() {
        Visibility::All
    } else {
        let roots = db::auth::scope_units(archive.conn(), account.id)?;
        Visibility::Units(
            db::auth::subtree(archive.conn(), &roots)?
                .into_iter()
                .collect(),
        )
    };
    Ok(Actor::new(
        Some(account.id),
        account.username.clone(),
        account.display_name.clone(),
        role,
        visible,
    ))
}

/// Creates the first account, an admin, in an archive that has none, and returns it logged in.
pub fn bootstrap_admin(
    archive: &mut Archive,
    username: &str,
    password: &str,
) -> Result<Actor, AuthError> {
    let username = username.trim();
    if username.is_empty() {
        return Err(AuthError::EmptyUsername);
    }
    check_password(password)?;
    let hash = hash_password(password)?;
    let id = with_tx(archive.conn_mut(), |tx| {
        if db::auth::count(tx)? > 0 {
            return Err(AuthError::AlreadyInitialised);
        }
        let id = db::auth::insert(tx, username, "管理员", Role::Admin.as_code(), &hash)?;
        audit::record_as(
            tx,
            username,
            Action::UserCreate,
            Target::user(Some(id)),
            serde_json::json!({ "username": username, "role": "admin", "first_admin": true }),
        )?;
        Ok(id)
    })?;
    let account = db::auth::all(archive.conn())?
        .into_iter()
        .find(|a| a.id == id)
        .ok_or_else(|| AuthError::UserNotFound(username.to_string()))?;
    actor_of(archive, &account)
}

fn account(archive: &Archive, username: &str) -> Result<AccountRow, AuthError> {
    db::auth::by_username(archive.conn(), username.trim())?
        .ok_or_else(|| AuthError::UserNotFound(username.trim().to_string()))
}

fn check_units(archive: &Archive, role: Role, units: &[i64]) -> Result<(), AuthError> {
    for unit in units {
        if db::org::kind_of(archive.conn(), *unit)?.is_none() {
            return Err(AuthError::UnitNotFound(*unit));
        }
    }
    if units.is_empty() && !role.sees_everything() {
        return Err(AuthError::ScopeRequired {
            role: role.as_code(),
        });
    }
    Ok(())
}

/// Creates an account (admin only).
pub fn create_user(
    archive: &mut Archive,
    actor: &Actor,
    user: &NewUser,
) -> Result<UserSummary, AuthError> {
    require(archive, actor, Permission::Admin)?;
    let username = user.username.trim();
    if username.is_empty() {
        return Err(AuthError::EmptyUsername);
    }
    check_password(&user.password)?;
    check_units(archive, user.role, &user.scope_unit_ids)?;
    if db::auth::by_username(archive.conn(), username)?.is_some() {
        return Err(AuthError::UserExists(username.to_string()));
    }
    let hash = hash_password(&user.password)?;
    let display = user
        .display_name
        .clone()
        .unwrap_or_else(|| username.to_string());
    with_tx(archive.conn_mut(), |tx| {
        let id = db::auth::insert(tx, username, &display, user.role.as_code(), &hash)?;
        db::auth::set_scope_units(tx, id, &user.scope_unit_ids)?;
        audit::record(
            tx,
            actor,
            Action::UserCreate,
            Target::user(Some(id)),
            serde_json::json!({
                "username": username,
                "role": user.role.as_code(),
                "scope": user.scope_unit_ids,
            }),
        )?;
        Ok::<_, AuthError>(())
    })?;
    summary(archive, &account(archive, username)?)
}

fn summary(archive: &Archive, account: &AccountRow) -> Result<UserSummary, AuthError> {
    let units = db::auth::scope_units(archive.conn(), account.id)?;
    let mut labels = Vec::new();
    for unit in &units {
        labels.push(db::auth::unit_label(archive.conn(), *unit)?.unwrap_or_default());
    }
    Ok(UserSummary {
        id: account.id,
        username: account.username.clone(),
        display_name: account.display_name.clone(),
        role: Role::from_code(&account.role).unwrap_or(Role::Viewer),
        scope: labels,
        scope_unit_ids: units,
        locked_until: account.locked_until.clone(),
        failed_attempts: account.failed_attempts,
        disabled: account.disabled,
        created_at: account.created_at.clone(),
        changed_at: account.changed_at.clone(),
    })
}

/// Every account (admin only).
pub fn list_users(archive: &Archive, actor: &Actor) -> Result<Vec<UserSummary>, AuthError> {
    require(archive, actor, Permission::Admin)?;
    db::auth::all(archive.conn())?
        .iter()
        .map(|a| summary(archive, a))
        .collect()
}

/// The logged-in user's name, role and scope, for the app's header.
pub fn session_info(archive: &Archive, actor: &Actor) -> Result<SessionInfo, AuthError> {
    let mut scope = Vec::new();
    if !actor.sees_all()
        && let Some(id) = actor.user_id()
    {
        for unit in db::auth::scope_units(archive.conn(), id)? {
            scope.push(db::auth::unit_label(archive.conn(), unit)?.unwrap_or_default());
        }
    }
    Ok(SessionInfo {
        username: actor.name().to_string(),
        display_name: actor.display_name().to_string(),
        role: actor.role(),
        role_zh: actor.role().zh().to_string(),
        scope,
        sees_all: actor.sees_all(),
        permissions: actor.role().permissions().to_vec(),
    })
}

/// Replaces a user's scope (admin only).
pub fn set_scopes(
    archive: &mut Archive,
    actor: &Actor,
    username: &str,
    units: &[i64],
) -> Result<UserSummary, AuthError> {
    require(archive, actor, Permission::Admin)?;
    let target = account(archive, username)?;
    let role = Role::from_code(&target.role).unwrap_or(Role::Viewer);
    check_units(archive, role, units)?;
    let before = db::auth::scope_units(archive.conn(), target.id)?;
    with_tx(archive.conn_mut(), |tx| {
        db::auth::set_scope_units(tx, target.id, units)?;
        audit::record(
            tx,
            actor,
            Action::UserScope,
            Target::user(Some(target.id)),
            serde_json::json!({ "username": target.username, "before": before, "after": units }),
        )?;
        Ok::<_, AuthError>(())
    })?;
    summary(archive, &account(archive, username)?)
}

/// Changes the actor's own password; the old one must be given.
pub fn change_password(
    archive: &mut Archive,
    actor: &Actor,
    old: &str,
    new: &str,
) -> Result<(), AuthError> {
    let target = account(archive, actor.name())?;
    if !verify_password(old, &target.password_hash) {
        record_login(
            archive,
            actor.name(),
            Some(target.id),
            false,
            "bad_old_password",
            Some(serde_json::json!({ "reason": "bad_old_password", "during": "change_password" })),
        )?;
        return Err(AuthError::BadCredentials {
            username: target.username,
        });
    }
    check_password(new)?;
    let hash = hash_password(new)?;
    with_tx(archive.conn_mut(), |tx| {
        db::auth::set_password(tx, target.id, &hash)?;
        audit::record(
            tx,
            actor,
            Action::UserPassword,
            Target::user(Some(target.id)),
            serde_json::json!({ "username": target.username }),
        )?;
        Ok(())
    })
}

/// Sets another user's password (admin only); also clears a lock.
pub fn reset_password(
    archive: &mut Archive,
    actor: &Actor,
    username: &str,
    new: &str,
) -> Result<(), AuthError> {
    require(archive, actor, Permission::Admin)?;
    let target = account(archive, username)?;
    check_password(new)?;
    let hash = hash_password(new)?;
    with_tx(archive.conn_mut(), |tx| {
        db::auth::set_password(tx, target.id, &hash)?;
        audit::record(
            tx,
            actor,
            Action::UserReset,
            Target::user(Some(target.id)),
            serde_json::json!({ "username": target.username }),
        )?;
        Ok(())
    })
}

/// Lifts a lock before it expires (admin only).
pub fn unlock(archive: &mut Archive, actor: &Actor, username: &str) -> Result<(), AuthError> {
    require(archive, actor, Permission::Admin)?;
    let target = account(archive, username)?;
    with_tx(archive.conn_mut(), |tx| {
        db::auth::unlock(tx, target.id)?;
        audit::record(
            tx,
            actor,
            Action::UserUnlock,
            Target::user(Some(target.id)),
            serde_json::json!({ "username": target.username, "was_locked_until": target.locked_until }),
        )?;
        Ok(())
    })
}

/// The units a scope may name, parents before children (admin only).
pub fn scope_choices(archive: &Archive, actor: &Actor) -> Result<Vec<ScopeUnit>, AuthError> {
    require(archive, actor, Permission::Admin)?;
    Ok(db::auth::scope_choices(archive.conn())?)
}

/// Whether `target` is the only enabled admin, so that disabling or demoting it would leave
/// nobody to manage accounts and backups.
fn is_last_enabled_admin(archive: &Archive, target: &AccountRow) -> Result<bool, AuthError> {
    Ok(target.role == Role::Admin.as_code()
        && !target.disabled
        && db::auth::enabled_admins(archive.conn())? <= 1)
}

/// Disables or re-enables an account (admin only): a disabled account cannot log in (its
/// password, scope and history are kept). Refuses to disable the actor's own account and the
/// last enabled admin. Setting the state it already has changes nothing and records nothing.
pub fn set_disabled(
    archive: &mut Archive,
    actor: &Actor,
    username: &str,
    disabled: bool,
) -> Result<UserSummary, AuthError> {
    require(archive, actor, Permission::Admin)?;
    let target = account(archive, username)?;
    if target.disabled == disabled {
        return summary(archive, &target);
    }
    if disabled {
        if actor.user_id() == Some(target.id) {
            return Err(AuthError::SelfDisable(target.username));
        }
        if is_last_enabled_admin(archive, &target)? {
            return Err(AuthError::LastAdmin(target.username));
        }
    }
    with_tx(archive.conn_mut(), |tx| {
        db::auth::set_disabled(tx, target.id, disabled)?;
        audit::record(
            tx,
            actor,
            if disabled {
                Action::UserDisable
            } else {
                Action::UserEnable
            },
            Target::user(Some(target.id)),
            serde_json::json!({
                "username": target.username,
                "before": { "disabled": target.disabled },
                "after": { "disabled": disabled },
            }),
        )?;
        Ok::<_, AuthError>(())
    })?;
    summary(archive, &account(archive, username)?)
}

/// Changes another user's role (admin only). The scope is kept; a role that reads only its scope
/// needs one. Refuses to change the actor's own role and to demote the last enabled admin.
pub fn set_role(
    archive: &mut Archive,
    actor: &Actor,
    username: &str,
    role: Role,
) -> Result<UserSummary, AuthError> {
    require(archive, actor, Permission::Admin)?;
    let target = account(archive, username)?;
    if target.role == role.as_code() {
        return summary(archive, &target);
    }
    if actor.user_id() == Some(target.id) {
        return Err(AuthError::SelfRole(target.username));
    }
    if role != Role::Admin && is_last_enabled_admin(archive, &target)? {
        return Err(AuthError::LastAdmin(target.username));
    }
    let scope = db::auth::scope_units(archive.conn(), target.id)?;
    check_units(archive, role, &scope)?;
    with_tx(archive.conn_mut(), |tx| {
        db::auth::set_role(tx, target.id, role.as_code())?;
        audit::record(
            tx,
            actor,
            Action::UserRole,
            Target::user(Some(target.id)),
            serde_json::json!({
                "username": target.username,
                "before": { "role": target.role },
                "after": { "role": role.as_code() },
            }),
        )?;
        Ok::<_, AuthError>(())
    })?;
    summary(archive, &account(archive, username)?)
}

/// Creates the demo accounts that do not exist yet (their scopes found by the demo's unit
/// names) and marks the archive as a demo. Admin only; `demo::generate`'s caller runs it.
pub fn create_demo_accounts(
    archive: &mut Archive,
    actor: &Actor,
) -> Result<Vec<DemoAccount>, AuthError> {
    require(archive, actor, Permission::Admin)?;
    let mut created = Vec::new();
    for demo in DEMO_ACCOUNTS {
        if db::auth::by_username(archive.conn(), demo.username)?.is_some() {
            continue;
        }
        let units = if demo.role.sees_everything() {
            Vec::new()
        } else {
            match find_unit(archive, demo.scope) {
                Ok(id) => vec![id],
                Err(AuthError::UnitUnknown(_)) => continue,
                Err(err) => return Err(err),
            }
        };
        create_user(
            archive,
            actor,
            &NewUser {
                username: demo.username.to_string(),
                display_name: Some(demo.display_name.to_string()),
                role: demo.role,
                password: demo.password.to_string(),
                scope_unit_ids: units,
            },
        )?;
        created.push(demo);
    }
    db::settings::set(
        archive.conn(),
        DEMO_SETTING,
        "1",
        actor.name(),
        &chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
    )?;
    Ok(created)
}

/// The unit `text` names: its id, `college/branch` (names from the top), or a name found once
/// in the whole tree.
pub fn find_unit(archive: &Archive, text: &str) -> Result<i64, AuthError> {
    let text = text.trim();
    let conn = archive.conn();
    if let Ok(id) = text.parse::<i64>() {
        return match db::org::kind_of(conn, id)? {
            Some(_) => Ok(id),
            None => Err(AuthError::UnitNotFound(id)),
        };
    }
    if text.contains('/') {
        let mut parent = None;
        for name in text.split('/') {
            parent = Some(
                db::auth::child_unit(conn, parent, name.trim())?
                    .ok_or_else(|| AuthError::UnitUnknown(text.to_string()))?,
            );
        }
        return parent.ok_or_else(|| AuthError::UnitUnknown(text.to_string()));
    }
    match db::auth::units_named(conn, text)?.as_slice() {
        [id] => Ok(*id),
        [] => Err(AuthError::UnitUnknown(text.to_string())),
        _ => Err(AuthError::UnitAmbiguous(text.to_string())),
    }
}

/// Refuses with `Forbidden` unless the actor is an admin: for the CLI's `demo` on an archive
/// that already has accounts.
pub fn require_admin(archive: &Archive, actor: &Actor) -> Result<(), AuthError> {
    Ok(require(archive, actor, Permission::Admin)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_password_only() {
        let hash = hash_password("correct horse").unwrap();
        assert!(hash.starts_with("$argon2id$"), "{hash}");
        assert!(verify_password("correct horse", &hash));
        assert!(!verify_password("correct hors", &hash));
        assert!(!verify_password("correct horse", "not a hash"));
        // Salted: the same password hashes differently each time.
        assert_ne!(hash, hash_password("correct horse").unwrap());
    }

    #[test]
    fn the_dummy_hash_parses() {
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(matches!(
            check_password("1234567"),
            Err(AuthError::WeakPassword)
        ));
        assert!(check_password("12345678").is_ok());
        for demo in DEMO_ACCOUNTS {
            assert!(check_password(demo.password).is_ok(), "{}", demo.username);
        }
    }
}
