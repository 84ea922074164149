// The live arithmetic of the meeting being filled in: once the form has not changed for a moment
// the core is asked (`meetings_preview`) who may vote, whether the meeting is quorate and how each
// resolution comes out; only the answer to the latest request is kept (see usePreviewedWrite).
import { onScopeDispose, ref, shallowRef } from "vue";
import { meetingsPreview } from "@/api/meetings";
import { toApiError } from "@/api/errors";
import { PREVIEW_DEBOUNCE_MS } from "@/composables/usePreviewedWrite";
import type { ApiError } from "@/generated/ApiError";
import type { MeetingPreview } from "@/generated/MeetingPreview";
import type { MeetingRequest } from "@/generated/MeetingRequest";

export function useMeetingPreview() {
  /** The answer for the current form; null while none has arrived for it. */
  const preview = shallowRef<MeetingPreview | null>(null);
  const error = shallowRef<ApiError | null>(null);
  const checking = ref(false);

  let seq = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function cancel() {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
    seq++;
    checking.value = false;
  }

  async function run(request: MeetingRequest) {
    const mine = ++seq;
    checking.value = true;
    try {
      const answer = await meetingsPreview(request);
      if (mine !== seq) return;
      preview.value = answer;
      error.value = null;
    } catch (reason) {
      if (mine !== seq) return;
      preview.value = null;
      error.value = toApiError(reason);
    } finally {
      if (mine === seq) checking.value = false;
    }
  }

  /** The form changed: forget the answer and ask again shortly; null clears it. */
  function schedule(request: MeetingRequest | null) {
    cancel();
    preview.value = null;
    error.value = null;
    if (request === null) return;
    checking.value = true;
    timer = setTimeout(() => {
      timer = undefined;
      void run(request);
    }, PREVIEW_DEBOUNCE_MS);
  }

  onScopeDispose(cancel);

  return { preview, error, checking, schedule, cancel };
}
