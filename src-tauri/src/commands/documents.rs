use dangan::ApiError;
use dangan::documents;
use tauri::State;
use tauri::ipc::Response;

use crate::state::AppState;

/// A stored file's bytes (at most `documents::MAX_READ_BYTES`), sent raw: the UI receives an
/// ArrayBuffer and shows it through a blob URL.
#[tauri::command]
pub async fn documents_read(
    state: State<'_, AppState>,
    sha256: String,
) -> Result<Response, ApiError> {
    let bytes = state
        .run(move |archive, actor| documents::read(archive, actor, &sha256))
        .await?;
    Ok(Response::new(bytes))
}
