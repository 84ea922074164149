use chrono::NaiveDate;
use dangan::ApiError;
use dangan::documents::AttachmentRef;
use dangan::lifecycle::{
    self, CheckRequest, EventFile, ExtensionRequest, Finding, MaterialStatus, Plan, StepCorrection,
    StepInfo, StepOutcome, StepRequest,
};
use dangan::people::EventKind;
use tauri::State;
use tauri::ipc::Request;

use crate::commands::upload;
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

#[tauri::command]
pub async fn lifecycle_record_status(
    state: State<'_, AppState>,
    id: i64,
    kind: EventKind,
    date: NaiveDate,
    note: Option<String>,
) -> Result<i64, ApiError> {
    state
        .run_mut(move |archive, actor| {
            lifecycle::record_status(archive, actor, id, kind, date, note, today())
        })
        .await
}

#[tauri::command]
pub async fn lifecycle_preview_extension(
    state: State<'_, AppState>,
    request: ExtensionRequest,
) -> Result<Vec<Finding>, ApiError> {
    state
        .run(move |archive, actor| lifecycle::preview_extension(archive, actor, &request, today()))
        .await
}

#[tauri::command]
pub async fn lifecycle_extend_probation(
    state: State<'_, AppState>,
    request: ExtensionRequest,
) -> Result<StepOutcome, ApiError> {
    state
        .run_mut(move |archive, actor| {
            lifecycle::extend_probation(archive, actor, &request, today())
        })
        .await
}

#[tauri::command]
pub async fn lifecycle_correct_step(
    state: State<'_, AppState>,
    id: i64,
    correction: StepCorrection,
) -> Result<StepOutcome, ApiError> {
    state
        .run_mut(move |archive, actor| {
            lifecycle::correct_step(archive, actor, id, &correction, today())
        })
        .await
}

/// Evidence for a recorded step. The file's bytes are the raw request body (not a JSON array of
/// numbers, which would be four times the size); the event id, the file name (percent-encoded
/// UTF-8, since header values are ASCII) and the optional material come as headers.
#[tauri::command]
pub async fn lifecycle_attach_evidence(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<AttachmentRef, ApiError> {
    let bytes = upload::raw_body(&request)?;
    let event_id = upload::id_header(&request, "dangan-event-id", "the step's event id")?;
    let file_name = upload::header(&request, "dangan-file-name").unwrap_or_default();
    let material = upload::header(&request, "dangan-material").filter(|m| !m.is_empty());
    state
        .run_mut(move |archive, actor| {
            lifecycle::attach_evidence(archive, actor, event_id, &file_name, &bytes, material)
        })
        .await
}

#[tauri::command]
pub async fn lifecycle_event_files(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<EventFile>, ApiError> {
    state
        .run(move |archive, actor| lifecycle::event_files(archive, actor, id))
        .await
}
