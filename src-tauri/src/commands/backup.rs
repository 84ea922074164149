//! 备份与恢复: the settings page's list, 立即备份, 恢复 and the automatic-backup policy.

use std::collections::BTreeMap;
use std::path::PathBuf;

use dangan::ApiError;
use dangan::backup::{
    self, BackupOverview, BackupPolicy, BackupReason, BackupRecord, RestoreSummary,
};
use tauri::State;

use crate::state::AppState;

/// The newest verified backup, every recorded one and the policy.
#[tauri::command]
pub async fn backup_list(state: State<'_, AppState>) -> Result<BackupOverview, ApiError> {
    state.run(backup::overview).await
}

/// A manual backup, made on a connection of its own (the app keeps working meanwhile).
#[tauri::command]
pub async fn backup_now(state: State<'_, AppState>) -> Result<BackupRecord, ApiError> {
    state
        .run_backup(|archive, actor| backup::create(archive, actor, BackupReason::Manual, None))
        .await
}

/// Restores `file` (a backup's path, or a file the user chose): verified first, the current
/// archive backed up first, then swapped in.
#[tauri::command]
pub async fn backup_restore(
    state: State<'_, AppState>,
    file: String,
) -> Result<RestoreSummary, ApiError> {
    state
        .run_restore(move |archive, actor| backup::restore(archive, actor, &PathBuf::from(file)))
        .await
}

/// The automatic-backup policy; with `changes` (key → value), changes it first.
#[tauri::command]
pub async fn backup_policy(
    state: State<'_, AppState>,
    changes: Option<BTreeMap<String, String>>,
) -> Result<BackupPolicy, ApiError> {
    let changes: Vec<(String, String)> = changes.unwrap_or_default().into_iter().collect();
    if changes.is_empty() {
        return state.run(backup::policy::get).await;
    }
    state
        .run_mut(move |archive, actor| backup::policy::set(archive, actor, &changes))
        .await
}
