// Typed wrappers for the development-process commands (`lifecycle_*`): the step catalogue, the
// rule check of one member, recording a step (or previewing what recording it would find), the
// plan of a member's remaining steps, and which archive materials the member's file holds.
import type { Finding } from "@/generated/Finding";
import type { MaterialStatus } from "@/generated/MaterialStatus";
import type { Plan } from "@/generated/Plan";
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
