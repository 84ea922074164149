use dangan::ApiError;
use dangan::lifecycle::{
    self, CheckRequest, Finding, MaterialStatus, Plan, StepInfo, StepOutcome, StepRequest,
};
use tauri::State;

use crate::state::AppState;

/// The day the desktop treats as today.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[tauri::command]
pub fn lifecycle_steps() -> Vec<StepInfo> {
    lifecycle::steps()
}

#[tauri::command]
pub async fn lifecycle_check_member(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<Finding>, ApiError> {
    let request = CheckRequest {
        member_id: Some(id),
        branch_id: None,
        as_of: today(),
    };
    state
        .run(move |archive, actor| lifecycle::check(archive, actor, &request))
        .await
}

#[tauri::command]
pub async fn lifecycle_preview_step(
    state: State<'_, AppState>,
    request: StepRequest,
) -> Result<Vec<Finding>, ApiError> {
    state
        .run(move |archive, actor| lifecycle::preview_step(archive, actor, &request, today()))
        .await
}

#[tauri::command]
pub async fn lifecycle_add_step(
    state: State<'_, AppState>,
    request: StepRequest,
) -> Result<StepOutcome, ApiError> {
    state
        .run_mut(move |archive, actor| lifecycle::add_step(archive, actor, &request, today()))
        .await
}

#[tauri::command]
pub async fn lifecycle_plan(state: State<'_, AppState>, id: i64) -> Result<Plan, ApiError> {
    state
        .run(move |archive, actor| lifecycle::plan(archive, actor, id, today()))
        .await
}

#[tauri::command]
pub async fn lifecycle_materials(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<MaterialStatus>, ApiError> {
    state
        .run(move |archive, actor| lifecycle::materials(archive, actor, id))
        .await
}
