use dangan::ApiError;
use dangan::search::{self, SearchResults};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn search_query(
    state: State<'_, AppState>,
    query: String,
    limit: usize,
) -> Result<SearchResults, ApiError> {
    state
        .run(move |archive, actor| search::search(archive, actor, &query, limit))
        .await
}
