//! The audit browser: a filtered page of the trail, and the chain's check.

use dangan::ApiError;
use dangan::audit::{self, AuditPage, AuditQuery, AuditVerification};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn audit_list(
    state: State<'_, AppState>,
    query: AuditQuery,
) -> Result<AuditPage, ApiError> {
    state
        .run(move |archive, actor| audit::page(archive, actor, &query))
        .await
}

#[tauri::command]
pub async fn audit_verify(state: State<'_, AppState>) -> Result<AuditVerification, ApiError> {
    state.run(audit::verify).await
}
