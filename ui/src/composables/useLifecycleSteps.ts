// The catalogue of the 25 development steps for pickers. It never changes while the program
// runs, so it is fetched once per session.
import { readonly, shallowRef } from "vue";
import { toApiError } from "@/api/errors";
import { lifecycleSteps } from "@/api/lifecycle";
import type { ApiError } from "@/generated/ApiError";
import type { StepInfo } from "@/generated/StepInfo";

const steps = shallowRef<StepInfo[]>([]);
const error = shallowRef<ApiError | null>(null);
let pending: Promise<void> | null = null;

function ensureLoaded(): Promise<void> {
  pending ??= lifecycleSteps().then(
    (list) => {
      steps.value = list;
      error.value = null;
    },
    (reason: unknown) => {
      error.value = toApiError(reason);
      // Let the next caller try again.
      pending = null;
    },
  );
  return pending;
}

/** Forgets the cached steps; for tests, which share this module's state. */
export function resetLifecycleStepsState() {
  steps.value = [];
  error.value = null;
  pending = null;
}

export function useLifecycleSteps() {
  return { steps: readonly(steps), error: readonly(error), ensureLoaded };
}
