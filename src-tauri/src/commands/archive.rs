use dangan::{ApiError, ArchiveInfo};
use tauri::State;

use crate::state::AppState;

#[tauri::command]
pub async fn archive_info(state: State<'_, AppState>) -> Result<ArchiveInfo, ApiError> {
    state.run(|archive, actor| archive.info(actor)).await
}

/// Whether the archive is encrypted and waits for its passphrase (the unlock dialog).
#[tauri::command]
pub fn archive_locked(state: State<'_, AppState>) -> bool {
    state.locked()
}

/// Opens the encrypted archive with its passphrase; `passphrase_wrong` leaves it locked. The
/// login page comes next.
#[tauri::command]
pub async fn archive_unlock(
    state: State<'_, AppState>,
    passphrase: String,
) -> Result<(), ApiError> {
    state.unlock(passphrase).await
}
