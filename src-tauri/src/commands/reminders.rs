use dangan::ApiError;
use dangan::reminders::{self, Reminder};
use tauri::State;

use crate::state::AppState;

/// What falls due in `month` (`YYYY-MM`, by default this month) and everything overdue before
/// it, for one branch or the whole archive, as of today; sorted by date.
#[tauri::command]
pub async fn reminders_list(
    state: State<'_, AppState>,
    month: Option<String>,
    branch: Option<i64>,
) -> Result<Vec<Reminder>, ApiError> {
    let today = chrono::Local::now().date_naive();
    let month = month.unwrap_or_else(|| today.format("%Y-%m").to_string());
    state
        .run(move |archive, actor| {
            let (from, until) = reminders::month_bounds(&month)?;
            reminders::reminders(archive, actor, branch, from, until, today)
        })
        .await
}
