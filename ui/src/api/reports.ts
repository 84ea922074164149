// Typed wrappers for the thought-report commands (`reports_*`): a member's reports, one report's
// text, recording a typed report, a reviewer's comment, and the quarters the member still owes;
// per branch, the members who owe reports and the reports awaiting review.
import type { FolderImport } from "@/generated/FolderImport";
import type { MissingReports } from "@/generated/MissingReports";
import type { NewThoughtReport } from "@/generated/NewThoughtReport";
import type { ReportReview } from "@/generated/ReportReview";
import type { ReportSummary } from "@/generated/ReportSummary";
import type { ThoughtReport } from "@/generated/ThoughtReport";
import type { UnreviewedReports } from "@/generated/UnreviewedReports";
import { call } from "./ipc";

/** The member's reports (everything but the text). */
export function reportsList(id: number): Promise<ReportSummary[]> {
  return call<ReportSummary[]>("reports_list", { id });
}

/** One report with its full text. */
export function reportsShow(id: number): Promise<ThoughtReport> {
  return call<ThoughtReport>("reports_show", { id });
}

/** Records a typed report; the new report's id. The core fills in a missing period and title. */
export function reportsAdd(report: NewThoughtReport): Promise<number> {
  return call<number>("reports_add", { report });
}

/** Records a reviewer's comment on report `id`. */
export function reportsReview(id: number, review: ReportReview): Promise<void> {
  return call<void>("reports_review", { id, review });
}

/** The quarters the member owes a report for and has none (an empty list, or one entry). */
export function reportsMissing(id: number): Promise<MissingReports[]> {
  return call<MissingReports[]>("reports_missing", { id });
}

/** The members of a branch (or of all, `branch` null) who owe reports, with the quarters. */
export function reportsMissingOfBranch(branch: number | null): Promise<MissingReports[]> {
  return call<MissingReports[]>("reports_missing_of_branch", { branch });
}

/** The newest `limit` reports of a branch's members awaiting review, and how many there are. */
export function reportsUnreviewed(branch: number | null, limit: number): Promise<UnreviewedReports> {
  return call<UnreviewedReports>("reports_unreviewed", { branch, limit });
}

/** What importing the folder's `学号-姓名-2026Q3.docx|.txt` files would do; nothing is written. */
export function reportsImportPreview(folder: string): Promise<FolderImport> {
  return call<FolderImport>("reports_import_preview", { folder });
}

/**
 * Imports every report of the folder in one transaction. Rejects with `import_invalid` when any
 * file cannot be imported; then nothing was written.
 */
export function reportsImportCommit(folder: string): Promise<FolderImport> {
  return call<FolderImport>("reports_import_commit", { folder });
}
