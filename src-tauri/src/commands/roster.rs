//! The roster import wizard, its history, and the exports. The roster arrives as the raw body of
//! `roster_upload` (a file input cannot hand over a path) and is saved under the archive's
//! `tmp/import/` with its own name; preview and commit then take that path. Exports, templates
//! and error lists are written into the archive's `exports/` folder and their path returned.

use std::path::PathBuf;
use std::sync::atomic::Ordering;

use dangan::ApiError;
use dangan::people::Stage;
use dangan::roster::{
    self, BatchSummary, ColumnOverride, ExportFormat, ExportOptions, ExportSummary, ImportOptions,
    ImportProgress, ImportReport, TextEncoding, UndoSummary,
};
use tauri::State;
use tauri::ipc::{Channel, Request};

use crate::commands::upload::{self, invalid};
use crate::state::AppState;

fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// How the wizard asks to import: the sheet, the clerk's column mapping, and whether the
/// unknown `college/branch` names are to be created.
#[derive(Debug, Default, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct WizardOptions {
    #[serde(default)]
    sheet: Option<String>,
    #[serde(default)]
    columns: Vec<ColumnOverride>,
    #[serde(default)]
    create_branches: bool,
}

fn options(wizard: WizardOptions, skip_invalid: bool) -> ImportOptions {
    ImportOptions {
        sheet: wizard.sheet.filter(|s| !s.is_empty()),
        dry_run: false,
        skip_invalid,
        as_of: today(),
        create_branches: wizard.create_branches,
        columns: wizard.columns,
    }
}

/// Refuses a path that is not a roster uploaded into this archive.
fn uploaded(archive: &dangan::Archive, path: &str) -> Result<PathBuf, roster::RosterError> {
    let path = PathBuf::from(path);
    if roster::is_upload(archive, &path) {
        Ok(path)
    } else {
        Err(roster::RosterError::InvalidArgument(format!(
            "{} 不是上传到档案中的名册文件",
            path.display()
        )))
    }
}

/// Saves the roster sent as the raw body (its name in the `dangan-file-name` header,
/// percent-encoded); returns the saved path.
#[tauri::command]
pub async fn roster_upload(
    state: State<'_, AppState>,
    request: Request<'_>,
) -> Result<String, ApiError> {
    let bytes = upload::raw_body(&request)?;
    let file_name = upload::header(&request, "dangan-file-name").unwrap_or_default();
    state
        .run(move |archive, actor| {
            roster::save_upload(archive, actor, &file_name, &bytes)
                .map(|path| path.display().to_string())
        })
        .await
}

#[tauri::command]
pub async fn roster_preview(
    state: State<'_, AppState>,
    path: String,
    options: Option<WizardOptions>,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport, ApiError> {
    let cancel = state.roster_cancel();
    cancel.store(false, Ordering::SeqCst);
    state
        .run(move |archive, actor| {
            let path = uploaded(archive, &path)?;
            let progress = |p: ImportProgress| {
                let _ = on_progress.send(p);
                !cancel.load(Ordering::SeqCst)
            };
            roster::preview_with_progress(
                archive,
                actor,
                &path,
                &self::options(options.unwrap_or_default(), false),
                &progress,
            )
        })
        .await
}

/// Imports the uploaded roster; with errors in it, only when `skip_invalid` says so explicitly.
/// Once imported, the upload is removed (the batch keeps its name and checksum).
#[tauri::command]
pub async fn roster_commit(
    state: State<'_, AppState>,
    path: String,
    options: Option<WizardOptions>,
    skip_invalid: bool,
    on_progress: Channel<ImportProgress>,
) -> Result<ImportReport, ApiError> {
    let cancel = state.roster_cancel();
    cancel.store(false, Ordering::SeqCst);
    state
        .run_mut(move |archive, actor| {
            let path = uploaded(archive, &path)?;
            let progress = |p: ImportProgress| {
                let _ = on_progress.send(p);
                !cancel.load(Ordering::SeqCst)
            };
            let options = self::options(options.unwrap_or_default(), skip_invalid);
            let report = roster::commit(archive, actor, &path, &options, &progress)?;
            // The batch is written: a temporary file left behind must not make it look failed.
            if report.committed
                && let Err(err) = roster::discard_upload(archive, actor, &path)
            {
                eprintln!("dangan-app: {err}");
            }
            Ok::<_, roster::RosterError>(report)
        })
        .await
}

/// Stops the running preview or import; it ends with the `cancelled` error and writes nothing.
#[tauri::command]
pub fn roster_cancel(state: State<'_, AppState>) {
    state.roster_cancel().store(true, Ordering::SeqCst);
}

#[tauri::command]
pub async fn roster_history(state: State<'_, AppState>) -> Result<Vec<BatchSummary>, ApiError> {
    state.run(roster::history).await
}

#[tauri::command]
pub async fn roster_undo(state: State<'_, AppState>, batch: i64) -> Result<UndoSummary, ApiError> {
    state
        .run_mut(move |archive, actor| roster::undo(archive, actor, batch))
        .await
}

/// Exports the members matching the filters into `exports/`; `extension` is xlsx or csv.
#[tauri::command]
pub async fn roster_export(
    state: State<'_, AppState>,
    branch_id: Option<i64>,
    stage: Option<Stage>,
    format: ExportFormat,
    encoding: TextEncoding,
    extension: String,
) -> Result<ExportSummary, ApiError> {
    let extension = match extension.as_str() {
        "xlsx" | "csv" => extension,
        other => return Err(invalid(&format!("unknown export file type {other:?}"))),
    };
    let kind = match format {
        ExportFormat::National => "党员名册（全国系统格式）",
        ExportFormat::Full => "党员名册（完整）",
    };
    let as_of = today();
    let file_name = format!("{kind}-{as_of}.{extension}");
    state
        .run(move |archive, actor| {
            let path = roster::export_path(archive, actor, &file_name)?;
            let export_options = ExportOptions {
                branch_id,
                stage,
                format,
                encoding,
                as_of,
            };
            roster::export(archive, actor, &path, &export_options)
        })
        .await
}

/// Writes the blank import template into `exports/`; returns its path.
#[tauri::command]
pub async fn roster_template(state: State<'_, AppState>) -> Result<String, ApiError> {
    state
        .run(|archive, actor| {
            let path = roster::export_path(archive, actor, "党员名册导入模板.xlsx")?;
            roster::write_template(archive, actor, &path)?;
            Ok::<_, roster::RosterError>(path.display().to_string())
        })
        .await
}

/// Writes the rows of the uploaded roster that have errors (bad cells highlighted, a reason
/// column) into `exports/`; returns its path.
#[tauri::command]
pub async fn roster_error_workbook(
    state: State<'_, AppState>,
    path: String,
    options: Option<WizardOptions>,
) -> Result<String, ApiError> {
    state
        .run(move |archive, actor| {
            let source = uploaded(archive, &path)?;
            let report = roster::preview(
                archive,
                actor,
                &source,
                &self::options(options.unwrap_or_default(), false),
            )?;
            let stem = source
                .file_stem()
                .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
            let out = roster::export_path(archive, actor, &format!("{stem}-错误清单.xlsx"))?;
            roster::write_error_workbook(&source, &report.errors, &out)?;
            Ok::<_, roster::RosterError>(out.display().to_string())
        })
        .await
}
