use dangan::ApiError;
use dangan::lifecycle::{self, CheckRequest, MissingReports};
use dangan::reports::{
    self, FolderImport, NewThoughtReport, ReportReview, ReportSummary, ThoughtReport,
    UnreviewedReports,
};
use tauri::State;

use crate::state::AppState;

/// The day the desktop treats as today.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[tauri::command]
pub async fn reports_list(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<ReportSummary>, ApiError> {
    state
        .run(move |archive, actor| reports::list(archive, actor, id))
        .await
}

#[tauri::command]
pub async fn reports_show(state: State<'_, AppState>, id: i64) -> Result<ThoughtReport, ApiError> {
    state
        .run(move |archive, actor| reports::show(archive, actor, id))
        .await
}

#[tauri::command]
pub async fn reports_add(
    state: State<'_, AppState>,
    report: NewThoughtReport,
) -> Result<i64, ApiError> {
    state
        .run_mut(move |archive, actor| reports::add(archive, actor, &report, today()))
        .await
}

#[tauri::command]
pub async fn reports_review(
    state: State<'_, AppState>,
    id: i64,
    review: ReportReview,
) -> Result<(), ApiError> {
    state
        .run_mut(move |archive, actor| reports::review(archive, actor, id, &review))
        .await
}

/// The quarters the member owes a report for and has none (an empty list when none is missing).
#[tauri::command]
pub async fn reports_missing(
    state: State<'_, AppState>,
    id: i64,
) -> Result<Vec<MissingReports>, ApiError> {
    let request = CheckRequest {
        member_id: Some(id),
        branch_id: None,
        as_of: today(),
    };
    state
        .run(move |archive, actor| lifecycle::missing_reports(archive, actor, &request))
        .await
}

/// The members of a branch (or of every branch) who owe reports, with the quarters missing.
#[tauri::command]
pub async fn reports_missing_of_branch(
    state: State<'_, AppState>,
    branch: Option<i64>,
) -> Result<Vec<MissingReports>, ApiError> {
    let request = CheckRequest {
        member_id: None,
        branch_id: branch,
        as_of: today(),
    };
    state
        .run(move |archive, actor| lifecycle::missing_reports(archive, actor, &request))
        .await
}

/// The newest reports of a branch's members (or of everyone's) awaiting review, at most `limit`.
#[tauri::command]
pub async fn reports_unreviewed(
    state: State<'_, AppState>,
    branch: Option<i64>,
    limit: usize,
) -> Result<UnreviewedReports, ApiError> {
    state
        .run(move |archive, actor| reports::unreviewed(archive, actor, branch, limit))
        .await
}

/// What importing the folder's `学号-姓名-2026Q3.docx|.txt` files would do; nothing is written.
#[tauri::command]
pub async fn reports_import_preview(
    state: State<'_, AppState>,
    folder: String,
) -> Result<FolderImport, ApiError> {
    state
        .run(move |archive, actor| {
            reports::preview_folder(archive, actor, std::path::Path::new(&folder), today())
        })
        .await
}

/// Imports the folder's reports in one transaction if every file can be imported, else nothing
/// (`import_invalid`).
#[tauri::command]
pub async fn reports_import_commit(
    state: State<'_, AppState>,
    folder: String,
) -> Result<FolderImport, ApiError> {
    state
        .run_mut(move |archive, actor| {
            reports::commit_folder(archive, actor, std::path::Path::new(&folder), today())
        })
        .await
}
