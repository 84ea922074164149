use chrono::NaiveDate;
use dangan::ApiError;
use dangan::documents::AttachmentRef;
use dangan::meetings::{
    self, Compliance, MeetingDetail, MeetingKind, MeetingOutcome, MeetingPreview, MeetingRequest,
    MeetingSummary, MemberMeeting, RollMember,
};
use tauri::State;
use tauri::ipc::Request;

use crate::commands::upload;
use crate::state::AppState;

/// The day the desktop treats as today.
fn today() -> NaiveDate {
    chrono::Local::now().date_naive()
}

#[tauri::command]
pub async fn meetings_list(
    state: State<'_, AppState>,
    branch_id: i64,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    kind: Option<MeetingKind>,
) -> Result<Vec<MeetingSummary>, ApiError> {
    state
        .run(move |archive, actor| meetings::list(archive, actor, Some(branch_id), from, to, kind))
        .await
}

#[tauri::command]
pub async fn meetings_show(state: State<'_, AppState>, id: i64) -> Result<MeetingDetail, ApiError> {
    state
        .run(move |archive, actor| meetings::show(archive, actor, id))
        .await
}

/// The branch's party members on the day, for the attendance list.
#[tauri::command]
pub async fn meetings_roll(
    state: State<'_, AppState>,
    branch_id: i64,
    date: NaiveDate,
) -> Result<Vec<RollMember>, ApiError> {
    state
        .run(move |archive, actor| meetings::roll(archive, actor, branch_id, date))
        .await
}

#[tauri::command]
pub async fn meetings_preview(
    state: State<'_, AppState>,
    request: MeetingRequest,
) -> Result<MeetingPreview, ApiError> {
    state
        .run(move |archive, actor| meetings::preview(archive, actor, &request, today()))
        .await
}

#[tauri::command]
pub async fn meetings_record(
    state: State<'_, AppState>,
    request: MeetingRequest,
) -> Result<MeetingOutcome, ApiError> {
    state
        .run_mut(move |archive, actor| meetings::record(archive, actor, &request, today()))
        .await
}

/// Meetings held against the frequencies, per month, quarter and year of `year` so far.
#[tauri::command]
pub async fn meetings_compliance(
    state: State<'_, AppState>,
    branch_id: i64,
    year: i32,
) -> Result<Compliance, ApiError> {
    state
        .run(move |archive, actor| meetings::compliance(archive, actor, branch_id, year, today()))
        .await
}

/// The meetings concerning a member (attended, or deciding about them), oldest first.
#[tauri::command]
pub async fn meetings_of_member(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<MemberMeeting>, ApiError> {
    state
        .run(move |archive, actor| meetings::of_member(archive, actor, id))
        .await
}

/// A file (sign-in sheet, photo, minutes) for a recorded meeting. The bytes are the raw request
/// body; the meeting id and the file name (percent-encoded UTF-8) come as headers, as for a
/// step's evidence.
#[tauri::command]
pub async fn meetings_attach(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<AttachmentRef, ApiError> {
    let bytes = upload::raw_body(&request)?;
    let meeting_id = upload::id_header(&request, "dangan-meeting-id", "the meeting's id")?;
    let file_name = upload::header(&request, "dangan-file-name").unwrap_or_default();
    state
        .run_mut(move |archive, actor| {
            meetings::attach_bytes(archive, actor, meeting_id, &file_name, &bytes)
        })
        .await
}
