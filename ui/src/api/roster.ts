// Typed wrappers for the roster commands (`roster_*`): the import wizard (upload, preview,
// commit with progress, cancel), the import history and undo, and the exports. Exports, the
// template and the error list are written into the archive's `exports/` folder; each call
// resolves to the written file's path.
import { Channel, isTauri } from "@tauri-apps/api/core";
import type { BatchSummary } from "@/generated/BatchSummary";
import type { ColumnOverride } from "@/generated/ColumnOverride";
import type { ExportFormat } from "@/generated/ExportFormat";
import type { ExportSummary } from "@/generated/ExportSummary";
import type { ImportProgress } from "@/generated/ImportProgress";
import type { ImportReport } from "@/generated/ImportReport";
import type { Stage } from "@/generated/Stage";
import type { TextEncoding } from "@/generated/TextEncoding";
import type { UndoSummary } from "@/generated/UndoSummary";
import { call } from "./ipc";

export type ProgressListener = (progress: ImportProgress) => void;

/** A channel the core streams progress through (none outside the desktop window). */
function progressChannel(listener: ProgressListener): Channel<ImportProgress> | null {
  if (!isTauri()) return null;
  const channel = new Channel<ImportProgress>();
  channel.onmessage = listener;
  return channel;
}

/**
 * Saves the chosen roster into the archive (the bytes as the raw body, the name percent-encoded
 * in a header); resolves to the saved path that preview and commit take.
 */
export function rosterUpload(fileName: string, bytes: Uint8Array): Promise<string> {
  const headers = { "dangan-file-name": encodeURIComponent(fileName) };
  return call<string>("roster_upload", bytes, { headers });
}

/**
 * How the wizard asks to import: the clerk's corrections of the column mapping (header as
 * written → field, or null for 不导入) and whether unknown `学院/支部` names are created.
 */
export interface WizardOptions {
  sheet: string | null;
  columns: ColumnOverride[];
  createBranches: boolean;
}

export const DEFAULT_OPTIONS: WizardOptions = { sheet: null, columns: [], createBranches: false };

/** What importing the uploaded roster would do; writes nothing. */
export function rosterPreview(
  path: string,
  onProgress: ProgressListener,
  options: WizardOptions = DEFAULT_OPTIONS,
): Promise<ImportReport> {
  return call<ImportReport>("roster_preview", { path, options, onProgress: progressChannel(onProgress) });
}

/** Imports the uploaded roster; with errors in it only when `skipInvalid` is given explicitly. */
export function rosterCommit(
  path: string,
  skipInvalid: boolean,
  onProgress: ProgressListener,
  options: WizardOptions = DEFAULT_OPTIONS,
): Promise<ImportReport> {
  return call<ImportReport>("roster_commit", {
    path,
    options,
    skipInvalid,
    onProgress: progressChannel(onProgress),
  });
}

/** Stops the running preview or import (it then fails with `cancelled`, having written nothing). */
export function rosterCancel(): Promise<void> {
  return call<void>("roster_cancel");
}

/** Every import batch, newest first. */
export function rosterHistory(): Promise<BatchSummary[]> {
  return call<BatchSummary[]>("roster_history");
}

/** Reverts an import batch; refused (`undo_blocked`) when later changes depend on it. */
export function rosterUndo(batch: number): Promise<UndoSummary> {
  return call<UndoSummary>("roster_undo", { batch });
}

export interface ExportRequest {
  branchId: number | null;
  stage: Stage | null;
  format: ExportFormat;
  encoding: TextEncoding;
  extension: "xlsx" | "csv";
}

/** Exports the filtered members; the summary's `file` is where. */
export function rosterExport(request: ExportRequest): Promise<ExportSummary> {
  return call<ExportSummary>("roster_export", { ...request });
}

/** Writes the blank import template; resolves to its path. */
export function rosterTemplate(): Promise<string> {
  return call<string>("roster_template");
}

/** Writes the uploaded roster's rows with errors, bad cells highlighted; resolves to its path. */
export function rosterErrorWorkbook(path: string, options: WizardOptions = DEFAULT_OPTIONS): Promise<string> {
  return call<string>("roster_error_workbook", { path, options });
}
