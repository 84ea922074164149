//! Logging in and out. Every other command runs through `AppState::run`, which refuses without a
//! session (`not_logged_in`).

use dangan::ApiError;
use dangan::auth::{self, DemoAccount, SessionInfo};
use tauri::State;

use crate::state::AppState;

/// Logs in; the session lasts until `session_logout` or the window closes.
#[tauri::command]
pub async fn session_login(
    state: State<'_, AppState>,
    username: String,
    password: String,
) -> Result<SessionInfo, ApiError> {
    let (actor, info) = state
        .run_unauthenticated(move |archive| {
            let actor = auth::login(archive, &username, &password)?;
            let info = auth::session_info(archive, &actor)?;
            Ok::<_, auth::AuthError>((actor, info))
        })
        .await?;
    state.set_session(Some(actor));
    Ok(info)
}

#[tauri::command]
pub async fn session_logout(state: State<'_, AppState>) -> Result<(), ApiError> {
    state.set_session(None);
    Ok(())
}

/// The logged-in user, or null.
#[tauri::command]
pub async fn session_current(state: State<'_, AppState>) -> Result<Option<SessionInfo>, ApiError> {
    if state.actor().is_err() {
        return Ok(None);
    }
    state.run(auth::session_info).await.map(Some)
}

/// Changes the logged-in user's password (the old one is checked).
#[tauri::command]
pub async fn session_change_password(
    state: State<'_, AppState>,
    old_password: String,
    new_password: String,
) -> Result<(), ApiError> {
    state
        .run_mut(move |archive, actor| {
            auth::change_password(archive, actor, &old_password, &new_password)
        })
        .await
}

/// The demo accounts to show on the login page: empty unless the archive is a demo.
#[tauri::command]
pub async fn session_demo_accounts(
    state: State<'_, AppState>,
) -> Result<Vec<DemoAccount>, ApiError> {
    state
        .run_unauthenticated(|archive| auth::demo_accounts(archive))
        .await
}
