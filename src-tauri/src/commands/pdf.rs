//! PDF documents: a member's dossier, an introduction letter, a branch's publicity notice, a
//! batch of dossiers with progress, and the generated file's bytes for the in-window preview.
//! Files go to the archive's `exports/` folder (`dangan::pdf::exports`); 另存为… copies one
//! to where the user chose in the save dialog.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use dangan::ApiError;
use dangan::pdf::batch::{BatchOutcome, BatchProgress, BatchScope};
use dangan::pdf::letter::{IssuedLetter, LetterRequest};
use dangan::pdf::notice::{NoticeOutcome, NoticeRequest};
use dangan::pdf::{FontSet, PdfFile, exports};
use tauri::State;
use tauri::ipc::{Channel, Response};

use crate::state::AppState;

/// The day the desktop treats as today.
fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

#[tauri::command]
pub async fn pdf_dossier(state: State<'_, AppState>, id: i64) -> Result<PdfFile, ApiError> {
    state
        .run(move |archive, actor| {
            exports::dossier(archive, actor, &FontSet::discover()?, id, today())
        })
        .await
}

#[tauri::command]
pub async fn pdf_letter(
    state: State<'_, AppState>,
    request: LetterRequest,
) -> Result<IssuedLetter, ApiError> {
    state
        .run_mut(move |archive, actor| {
            exports::letter(archive, actor, &FontSet::discover()?, &request)
        })
        .await
}

#[tauri::command]
pub async fn pdf_notice(
    state: State<'_, AppState>,
    request: NoticeRequest,
) -> Result<NoticeOutcome, ApiError> {
    state
        .run(move |archive, actor| exports::notice(archive, actor, &FontSet::discover()?, &request))
        .await
}

/// A batch of dossiers into `out_dir` (default `exports/档案-<支部或班级>-<日期>/`), sending
/// progress after each dossier; `pdf_cancel` stops it (error `cancelled`).
#[tauri::command]
pub async fn pdf_batch(
    state: State<'_, AppState>,
    scope: BatchScope,
    out_dir: Option<String>,
    on_progress: Channel<BatchProgress>,
) -> Result<BatchOutcome, ApiError> {
    let cancel = state.pdf_cancel();
    cancel.store(false, Ordering::Relaxed);
    if let Some(dir) = &out_dir {
        state.add_pdf_dir(PathBuf::from(dir));
    }
    state
        .run(move |archive, actor| {
            let progress = |p: &BatchProgress| {
                // A closed window cannot receive progress; the batch goes on regardless.
                let _ = on_progress.send(p.clone());
            };
            exports::batch(
                archive,
                actor,
                &FontSet::discover()?,
                &scope,
                today(),
                out_dir.map(PathBuf::from).as_deref(),
                &progress,
                &cancel,
            )
        })
        .await
}

/// Asks the running batch to stop after the dossiers in progress.
#[tauri::command]
pub fn pdf_cancel(state: State<'_, AppState>) {
    state.pdf_cancel().store(true, Ordering::Relaxed);
}

/// A generated PDF's bytes (only files under `exports/` or a folder chosen for a batch this
/// session), sent raw for the preview.
#[tauri::command]
pub async fn pdf_read(state: State<'_, AppState>, file: String) -> Result<Response, ApiError> {
    let also = state.pdf_dirs();
    let bytes = state
        .run(move |archive, actor| exports::read(archive, actor, &PathBuf::from(file), &also))
        .await?;
    Ok(Response::new(bytes))
}

/// Copies a generated PDF to the place chosen in the save dialog; the bytes written.
#[tauri::command]
pub async fn pdf_save_copy(
    state: State<'_, AppState>,
    file: String,
    to: String,
) -> Result<u64, ApiError> {
    let also = state.pdf_dirs();
    state
        .run(move |archive, actor| {
            exports::save_copy(
                archive,
                actor,
                &PathBuf::from(file),
                &also,
                &PathBuf::from(to),
            )
        })
        .await
}
