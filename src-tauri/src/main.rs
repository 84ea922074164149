//! dangan-app: the desktop shell. Tauri commands over the `dangan` core and nothing else: each
//! command parses its arguments, calls the core off the UI thread, and maps the error to
//! `{code, message, details}`.

// No console window next to the app on Windows release builds.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

mod commands;
mod state;

use std::path::PathBuf;

use state::AppState;

/// The archive folder: `--archive DIR` on the command line, else `DANGAN_ARCHIVE`, else the OS
/// data folder.
fn archive_dir_argument() -> Option<PathBuf> {
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--archive" {
            return args.next().map(PathBuf::from);
        }
        if let Some(dir) = arg.to_str().and_then(|a| a.strip_prefix("--archive=")) {
            return Some(PathBuf::from(dir));
        }
    }
    None
}

fn main() {
    let state = AppState::open(archive_dir_argument());
    state.start_backup_schedule();
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::session::session_login,
            commands::session::session_logout,
            commands::session::session_current,
            commands::session::session_change_password,
            commands::session::session_demo_accounts,
            commands::users::users_list,
            commands::users::users_scope_choices,
            commands::users::users_create,
            commands::users::users_reset_password,
            commands::users::users_unlock,
            commands::users::users_set_scopes,
            commands::users::users_set_disabled,
            commands::users::users_set_role,
            commands::archive::archive_info,
            commands::archive::archive_locked,
            commands::archive::archive_unlock,
            commands::lifecycle::lifecycle_steps,
            commands::lifecycle::lifecycle_check_member,
            commands::lifecycle::lifecycle_preview_step,
            commands::lifecycle::lifecycle_add_step,
            commands::lifecycle::lifecycle_plan,
            commands::lifecycle::lifecycle_materials,
            commands::lifecycle::lifecycle_record_status,
            commands::lifecycle::lifecycle_preview_extension,
            commands::lifecycle::lifecycle_extend_probation,
            commands::lifecycle::lifecycle_correct_step,
            commands::lifecycle::lifecycle_attach_evidence,
            commands::lifecycle::lifecycle_event_files,
            commands::documents::documents_read,
            commands::org::org_branches,
            commands::members::member_list,
            commands::members::member_show,
            commands::members::members_reveal_id,
            commands::backup::backup_list,
            commands::backup::backup_now,
            commands::backup::backup_restore,
            commands::backup::backup_policy,
            commands::audit::audit_list,
            commands::audit::audit_verify,
            commands::reports::reports_list,
            commands::reports::reports_show,
            commands::reports::reports_add,
            commands::reports::reports_review,
            commands::reports::reports_missing,
            commands::reports::reports_missing_of_branch,
            commands::reports::reports_unreviewed,
            commands::reports::reports_import_preview,
            commands::reports::reports_import_commit,
            commands::search::search_query,
            commands::roster::roster_upload,
            commands::roster::roster_preview,
            commands::roster::roster_commit,
            commands::roster::roster_cancel,
            commands::roster::roster_history,
            commands::roster::roster_undo,
            commands::roster::roster_export,
            commands::roster::roster_template,
            commands::roster::roster_error_workbook,
            commands::stats::stats_overview,
            commands::reminders::reminders_list,
            commands::appraisals::appraisal_list,
            commands::appraisals::appraisal_set,
            commands::appraisals::appraisal_of_member,
            commands::meetings::meetings_list,
            commands::meetings::meetings_show,
            commands::meetings::meetings_roll,
            commands::meetings::meetings_preview,
            commands::meetings::meetings_record,
            commands::meetings::meetings_compliance,
            commands::meetings::meetings_of_member,
            commands::meetings::meetings_attach,
            commands::pdf::pdf_dossier,
            commands::pdf::pdf_letter,
            commands::pdf::pdf_notice,
            commands::pdf::pdf_batch,
            commands::pdf::pdf_cancel,
            commands::pdf::pdf_read,
            commands::pdf::pdf_save_copy,
        ])
        .run(tauri::generate_context!("../tauri.conf.json"));
    if let Err(err) = result {
        eprintln!("dangan-app: {err}");
        std::process::exit(1);
    }
}
