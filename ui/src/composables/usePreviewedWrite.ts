// A write the core checks against the rules (recording a step, extending a probation, correcting
// a step, a change of status): an optional live preview of what the core would find (asked for
// once the form stops changing; only the answer to the latest request is shown), and the save,
// which the core may refuse with blocking findings (`step_blocked`). Which findings there are,
// and which block, is decided by the core alone.
import { onScopeDispose, ref, shallowRef } from "vue";
import { toApiError } from "@/api/errors";
import type { ApiError } from "@/generated/ApiError";
import type { Finding } from "@/generated/Finding";

export const PREVIEW_DEBOUNCE_MS = 300;
/** The code a write is rejected with when a finding blocks it. */
export const STEP_BLOCKED = "step_blocked";

/** The findings a `step_blocked` error carries in `details.findings`, or none. */
export function blockingFindings(error: ApiError): Finding[] {
  const details = error.details;
  if (typeof details !== "object" || details === null) return [];
  const findings = (details as { findings?: unknown }).findings;
  return Array.isArray(findings) ? (findings as Finding[]) : [];
}

export function usePreviewedWrite<Request, Outcome>(
  write: (request: Request) => Promise<Outcome>,
  preview?: (request: Request) => Promise<Finding[]>,
) {
  /** The preview's findings; null until an answer for the current form arrived. */
  const previewFindings = shallowRef<Finding[] | null>(null);
  const previewError = shallowRef<ApiError | null>(null);
  const previewing = ref(false);
  const saving = ref(false);
  /** Set when the last save was refused by a blocking rule. */
  const blocked = shallowRef<Finding[] | null>(null);
  const saveError = shallowRef<ApiError | null>(null);

  // Only the answer to the latest request is shown (see useMemberList).
  let previewSeq = 0;
  let debounceTimer: ReturnType<typeof setTimeout> | undefined;

  function cancelPreview() {
    if (debounceTimer !== undefined) {
      clearTimeout(debounceTimer);
      debounceTimer = undefined;
    }
    previewSeq++;
    previewing.value = false;
  }

  async function runPreview(request: Request): Promise<void> {
    if (!preview) return;
    const seq = ++previewSeq;
    previewing.value = true;
    try {
      const findings = await preview(request);
      if (seq !== previewSeq) return;
      previewFindings.value = findings;
      previewError.value = null;
    } catch (reason) {
      if (seq !== previewSeq) return;
      previewFindings.value = null;
      previewError.value = toApiError(reason);
    } finally {
      if (seq === previewSeq) previewing.value = false;
    }
  }

  /**
   * The form changed: forgets the last refusal and, when there is a preview, asks for one once
   * the form has not changed for a moment; null (an incomplete form) clears it.
   */
  function schedulePreview(request: Request | null) {
    cancelPreview();
    blocked.value = null;
    saveError.value = null;
    if (request === null || !preview) {
      previewFindings.value = null;
      previewError.value = null;
      return;
    }
    debounceTimer = setTimeout(() => {
      debounceTimer = undefined;
      void runPreview(request);
    }, PREVIEW_DEBOUNCE_MS);
  }

  /** Writes; the outcome on success, null when refused (see `blocked`, `saveError`). */
  async function save(request: Request): Promise<Outcome | null> {
    saving.value = true;
    blocked.value = null;
    saveError.value = null;
    try {
      const outcome = await write(request);
      cancelPreview();
      return outcome;
    } catch (reason) {
      const error = toApiError(reason);
      if (error.code === STEP_BLOCKED) blocked.value = blockingFindings(error);
      else saveError.value = error;
      return null;
    } finally {
      saving.value = false;
    }
  }

  /** Forgets every answer, for a dialog opened afresh. */
  function reset() {
    cancelPreview();
    previewFindings.value = null;
    previewError.value = null;
    blocked.value = null;
    saveError.value = null;
    saving.value = false;
  }

  onScopeDispose(cancelPreview);

  return {
    previewFindings,
    previewError,
    previewing,
    saving,
    blocked,
    saveError,
    schedulePreview,
    save,
    reset,
  };
}
