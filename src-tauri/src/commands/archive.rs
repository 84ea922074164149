use dangan::{ApiError, ArchiveInfo};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn archive_info(state: State<'_, AppState>) -> Result<ArchiveInfo, ApiError> {
    state.run(|archive, actor| archive.info(actor)).await
}
