// Typed wrappers for the 民主评议 commands (`appraisal_*`): a branch's grades for a year with the
// "优秀 at most about a third" warning, checking or recording a batch of grades (all or none), and
// one member's grades by year.
import type { Appraisal } from "@/generated/Appraisal";
import type { AppraisalBatch } from "@/generated/AppraisalBatch";
import type { AppraisalList } from "@/generated/AppraisalList";
import type { AppraisalOutcome } from "@/generated/AppraisalOutcome";
import { call } from "./ipc";

/** The branch's grades for `year` and the share warning, if it applies. */
export function appraisalList(branchId: number, year: number): Promise<AppraisalList> {
  return call<AppraisalList>("appraisal_list", { branchId, year });
}

/**
 * Checks (`dryRun`) or records the batch in one transaction. Rejects with `invalid_argument`
 * (details `{ problems }`) when any row is wrong; then nothing was written. The outcome's warnings
 * count the grades already recorded for the year with the batch's.
 */
export function appraisalSet(batch: AppraisalBatch, dryRun: boolean): Promise<AppraisalOutcome> {
  return call<AppraisalOutcome>("appraisal_set", { batch, dryRun });
}

/** Member `id`'s grades, oldest year first. */
export function appraisalOfMember(id: number): Promise<Appraisal[]> {
  return call<Appraisal[]>("appraisal_of_member", { id });
}
