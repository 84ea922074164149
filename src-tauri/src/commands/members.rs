use dangan::ApiError;
use dangan::people::{self, MemberDetail, MemberPage, MemberQuery};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn member_list(
    state: State<'_, AppState>,
    query: MemberQuery,
) -> Result<MemberPage, ApiError> {
    state
        .run(move |archive, actor| people::list(archive, actor, &query))
        .await
}

#[tauri::command]
pub async fn member_show(state: State<'_, AppState>, id: i64) -> Result<MemberDetail, ApiError> {
    state
        .run(move |archive, actor| people::show(archive, actor, id))
        .await
}

/// The member's full ID number (recorded in the audit trail as `id_reveal`).
#[tauri::command]
pub async fn members_reveal_id(state: State<'_, AppState>, id: i64) -> Result<String, ApiError> {
    state
        .run(move |archive, actor| people::reveal_id_number(archive, actor, id))
        .await
}
