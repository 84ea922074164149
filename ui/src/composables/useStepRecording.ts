// Recording a development step from the dialog: the live preview and the save of
// `usePreviewedWrite` over `lifecycle_preview_step` and `lifecycle_add_step`.
import { lifecycleAddStep, lifecyclePreviewStep } from "@/api/lifecycle";
import type { StepOutcome } from "@/generated/StepOutcome";
import type { StepRequest } from "@/generated/StepRequest";
import { usePreviewedWrite } from "./usePreviewedWrite";

export { blockingFindings, PREVIEW_DEBOUNCE_MS, STEP_BLOCKED } from "./usePreviewedWrite";

export function useStepRecording() {
  // Looked up on each call, so that tests can swap the api functions.
  return usePreviewedWrite<StepRequest, StepOutcome>(
    (request) => lifecycleAddStep(request),
    (request) => lifecyclePreviewStep(request),
  );
}
