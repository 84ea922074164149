use dangan::ApiError;
use dangan::appraisals::{self, Appraisal, AppraisalBatch, AppraisalList, AppraisalOutcome};
use tauri::State;

use crate::state::AppState;

/// A branch's 民主评议 grades for a year, with the "优秀 about a third" warning.
#[tauri::command]
pub async fn appraisal_list(
    state: State<'_, AppState>,
    branch_id: i64,
    year: i32,
) -> Result<AppraisalList, ApiError> {
    state
        .run(move |archive, actor| appraisals::list(archive, actor, branch_id, year))
        .await
}

/// Records a branch's grades for a year, all or none; `dry_run` only checks them.
#[tauri::command]
pub async fn appraisal_set(
    state: State<'_, AppState>,
    batch: AppraisalBatch,
    dry_run: bool,
) -> Result<AppraisalOutcome, ApiError> {
    let today = chrono::Local::now().date_naive();
    state
        .run_mut(move |archive, actor| appraisals::set(archive, actor, &batch, today, dry_run))
        .await
}

/// A member's 民主评议 grades, oldest year first.
#[tauri::command]
pub async fn appraisal_of_member(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<Appraisal>, ApiError> {
    state
        .run(move |archive, actor| appraisals::of_member(archive, actor, id))
        .await
}
