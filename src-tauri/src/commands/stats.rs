use dangan::ApiError;
use dangan::stats::{self, Stats};
use tauri::State;

use crate::state::AppState;

/// The dashboard's figures as of today: members per stage (archive, college, branch),
/// development per year and per month, each branch's meeting compliance this year.
#[tauri::command]
pub async fn stats_overview(state: State<'_, AppState>) -> Result<Stats, ApiError> {
    let today = chrono::Local::now().date_naive();
    state
        .run(move |archive, actor| stats::stats(archive, actor, today))
        .await
}
