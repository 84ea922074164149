use dangan::ApiError;
use dangan::org::{self, BranchOption};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn org_branches(state: State<'_, AppState>) -> Result<Vec<BranchOption>, ApiError> {
    state.run(org::list_branches).await
}
