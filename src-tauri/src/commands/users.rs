//! 用户管理: the settings page's account table (admin only; the core refuses anyone else).

use dangan::ApiError;
use dangan::Role;
use dangan::auth::{self, AuthError, NewUser, ScopeUnit, UserSummary};
use tauri::State;

use crate::state::AppState;

fn role(code: &str) -> Result<Role, AuthError> {
    Role::from_code(code).ok_or_else(|| AuthError::UnknownRole(code.to_string()))
}

/// Every account with role, scope, lock and whether it is disabled.
#[tauri::command]
pub async fn users_list(state: State<'_, AppState>) -> Result<Vec<UserSummary>, ApiError> {
    state.run(auth::list_users).await
}

/// The units a scope may name (the scope picker's tree).
#[tauri::command]
pub async fn users_scope_choices(state: State<'_, AppState>) -> Result<Vec<ScopeUnit>, ApiError> {
    state.run(auth::scope_choices).await
}

/// Creates an account; `role` is a role code (admin, counselor, ...).
#[tauri::command]
pub async fn users_create(
    state: State<'_, AppState>,
    username: String,
    display_name: Option<String>,
    role: String,
    password: String,
    scope_unit_ids: Vec<i64>,
) -> Result<UserSummary, ApiError> {
    state
        .run_mut(move |archive, actor| {
            let user = NewUser {
                username,
                display_name: display_name.filter(|name| !name.trim().is_empty()),
                role: self::role(&role)?,
                password,
                scope_unit_ids,
            };
            auth::create_user(archive, actor, &user)
        })
        .await
}

/// Sets another user's password (also clears a lock).
#[tauri::command]
pub async fn users_reset_password(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> Result<(), ApiError> {
    state
        .run_mut(move |archive, actor| auth::reset_password(archive, actor, &username, &password))
        .await
}

#[tauri::command]
pub async fn users_unlock(state: State<'_, AppState>, username: String) -> Result<(), ApiError> {
    state
        .run_mut(move |archive, actor| auth::unlock(archive, actor, &username))
        .await
}

#[tauri::command]
pub async fn users_set_scopes(
    state: State<'_, AppState>,
    username: String,
    unit_ids: Vec<i64>,
) -> Result<UserSummary, ApiError> {
    state
        .run_mut(move |archive, actor| auth::set_scopes(archive, actor, &username, &unit_ids))
        .await
}

#[tauri::command]
pub async fn users_set_disabled(
    state: State<'_, AppState>,
    username: String,
    disabled: bool,
) -> Result<UserSummary, ApiError> {
    state
        .run_mut(move |archive, actor| auth::set_disabled(archive, actor, &username, disabled))
        .await
}

#[tauri::command]
pub async fn users_set_role(
    state: State<'_, AppState>,
    username: String,
    role: String,
) -> Result<UserSummary, ApiError> {
    state
        .run_mut(move |archive, actor| {
            let role = self::role(&role)?;
            auth::set_role(archive, actor, &username, role)
        })
        .await
}
