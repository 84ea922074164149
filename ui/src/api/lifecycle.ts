// Typed wrappers for the development-process commands (`lifecycle_*`): the step catalogue, the
// rule check of one member, recording a step (or previewing what recording it would find), the
// plan of a member's remaining steps, which archive materials the member's file holds, and the
// other writes on a timeline: a change of status, a probation extension, a correction, evidence.
import type { AttachmentRef } from "@/generated/AttachmentRef";
import type { EventFile } from "@/generated/EventFile";
import type { EventKind } from "@/generated/EventKind";
import type { ExtensionRequest } from "@/generated/ExtensionRequest";
import type { Finding } from "@/generated/Finding";
import type { MaterialStatus } from "@/generated/MaterialStatus";
import type { Plan } from "@/generated/Plan";
import type { StepCorrection } from "@/generated/StepCorrection";
import type { StepInfo } from "@/generated/StepInfo";
import type { StepOutcome } from "@/generated/StepOutcome";
import type { StepRequest } from "@/generated/StepRequest";
import { call } from "./ipc";

/** The 25 development steps in order, with their Chinese and English names. */
export function lifecycleSteps(): Promise<StepInfo[]> {
  return call<StepInfo[]>("lifecycle_steps");
}

/** The member's problems as of today; empty when the file is clean. */
export function lifecycleCheckMember(id: number): Promise<Finding[]> {
  return call<Finding[]>("lifecycle_check_member", { id });
}

/** What recording the step would add to the member's findings; nothing is written. */
export function lifecyclePreviewStep(request: StepRequest): Promise<Finding[]> {
  return call<Finding[]>("lifecycle_preview_step", { request });
}

/**
 * Records the step. Rejects with `step_blocked` (details `{ findings }`) when a blocking rule is
 * broken, in which case nothing was written.
 */
export function lifecycleAddStep(request: StepRequest): Promise<StepOutcome> {
  return call<StepOutcome>("lifecycle_add_step", { request });
}

/**
 * The member's remaining steps with their earliest and latest dates, and the steps that cannot
 * happen before the member leaves the school.
 */
export function lifecyclePlan(id: number): Promise<Plan> {
  return call<Plan>("lifecycle_plan", { id });
}

/** Every archive material in dossier order, with whether it is due, on file, or missing. */
export function lifecycleMaterials(id: number): Promise<MaterialStatus[]> {
  return call<MaterialStatus[]>("lifecycle_materials", { id });
}

/** A change of status the UI can record (every event kind but a step or an extension). */
export type StatusKind = Exclude<EventKind, "step" | "probation_extended">;

/** Records a transfer out or in, a disqualification, a withdrawal or a death; the event's id. */
export function lifecycleRecordStatus(
  id: number,
  kind: StatusKind,
  date: string,
  note: string | null,
): Promise<number> {
  return call<number>("lifecycle_record_status", { id, kind, date, note });
}

/** What recording the probation extension would add to the member's findings; nothing is written. */
export function lifecyclePreviewExtension(request: ExtensionRequest): Promise<Finding[]> {
  return call<Finding[]>("lifecycle_preview_extension", { request });
}

/** Records a probation extension; rejects with `step_blocked` like `lifecycleAddStep`. */
export function lifecycleExtendProbation(request: ExtensionRequest): Promise<StepOutcome> {
  return call<StepOutcome>("lifecycle_extend_probation", { request });
}

/**
 * Corrects the recorded step `id`: a new event supersedes it. Rejects with `step_blocked` when
 * the corrected file would break a blocking rule.
 */
export function lifecycleCorrectStep(id: number, correction: StepCorrection): Promise<StepOutcome> {
  return call<StepOutcome>("lifecycle_correct_step", { id, correction });
}

/**
 * Attaches a file to the recorded step `eventId` as evidence, filed as `material` (null: the
 * step's first material). The bytes travel as the raw request body; the name (percent-encoded,
 * since header values are ASCII) and the rest as headers.
 */
export function lifecycleAttachEvidence(
  eventId: number,
  fileName: string,
  bytes: Uint8Array,
  material: string | null,
): Promise<AttachmentRef> {
  const headers: Record<string, string> = {
    "dangan-event-id": String(eventId),
    "dangan-file-name": encodeURIComponent(fileName),
  };
  if (material !== null) headers["dangan-material"] = encodeURIComponent(material);
  return call<AttachmentRef>("lifecycle_attach_evidence", bytes, { headers });
}

/** The files attached to the member's current events, in timeline order. */
export function lifecycleEventFiles(id: number): Promise<EventFile[]> {
  return call<EventFile[]>("lifecycle_event_files", { id });
}
