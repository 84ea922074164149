// Typed wrappers for the PDF commands (`pdf_*`): a member's dossier, an introduction letter, a
// branch's publicity notice, a batch of dossiers with progress and cancel, the generated file's
// bytes for the preview, and 另存为… through the native save dialog.
import { Channel } from "@tauri-apps/api/core";
import { open, save } from "@tauri-apps/plugin-dialog";
import type { BatchOutcome } from "@/generated/BatchOutcome";
import type { BatchProgress } from "@/generated/BatchProgress";
import type { BatchScope } from "@/generated/BatchScope";
import type { IssuedLetter } from "@/generated/IssuedLetter";
import type { LetterRequest } from "@/generated/LetterRequest";
import type { NoticeOutcome } from "@/generated/NoticeOutcome";
import type { NoticeRequest } from "@/generated/NoticeRequest";
import type { PdfFile } from "@/generated/PdfFile";
import { call } from "./ipc";

/** Writes member `id`'s dossier into the archive's `exports/` folder. */
export function pdfDossier(id: number): Promise<PdfFile> {
  return call<PdfFile>("pdf_dossier", { id });
}

/** Registers and writes an introduction letter (into `exports/`). */
export function pdfLetter(request: LetterRequest): Promise<IssuedLetter> {
  return call<IssuedLetter>("pdf_letter", { request });
}

/** Writes a branch's publicity notice (into `exports/`). */
export function pdfNotice(request: NoticeRequest): Promise<NoticeOutcome> {
  return call<NoticeOutcome>("pdf_notice", { request });
}

/**
 * Writes every dossier of `scope` into `outDir` (null: a new folder under `exports/`), calling
 * `onProgress` after each. Rejects with code `cancelled` after `pdfCancel`.
 */
export function pdfBatch(
  scope: BatchScope,
  outDir: string | null,
  onProgress: (progress: BatchProgress) => void,
): Promise<BatchOutcome> {
  const channel = new Channel<BatchProgress>();
  channel.onmessage = onProgress;
  return call<BatchOutcome>("pdf_batch", { scope, outDir, onProgress: channel });
}

/** Asks the running batch to stop after the dossiers in progress. */
export function pdfCancel(): Promise<void> {
  return call<void>("pdf_cancel");
}

/** The bytes of a generated PDF (only files under `exports/`). */
export function pdfRead(file: string): Promise<ArrayBuffer> {
  return call<ArrayBuffer>("pdf_read", { file });
}

/**
 * 另存为…: asks where to put a copy of `file` (the native save dialog, starting with its name)
 * and copies it there. The path chosen, or null if the user cancelled.
 */
export async function pdfSaveAs(file: string): Promise<string | null> {
  const name = file.split(/[\\/]/).pop() ?? "document.pdf";
  const to = await save({ defaultPath: name, filters: [{ name: "PDF", extensions: ["pdf"] }] });
  if (to === null) return null;
  await call<number>("pdf_save_copy", { file, to });
  return to;
}

/** A folder chosen in the native dialog, or null. */
export async function pickFolder(): Promise<string | null> {
  const chosen = await open({ directory: true, multiple: false });
  return typeof chosen === "string" ? chosen : null;
}
