// A branch's meetings (optionally of one kind) and its 三会一课 compliance over a year, reloaded
// when the branch, kind or year changes; only the answer to the latest request is kept.
import { ref, shallowRef, watch, type Ref } from "vue";
import { meetingsCompliance, meetingsList } from "@/api/meetings";
import { toApiError } from "@/api/errors";
import type { ApiError } from "@/generated/ApiError";
import type { Compliance } from "@/generated/Compliance";
import type { MeetingKind } from "@/generated/MeetingKind";
import type { MeetingSummary } from "@/generated/MeetingSummary";

export function useBranchMeetings(branchId: Ref<number | null>, kind: Ref<MeetingKind | null>, year: Ref<number>) {
  const meetings = shallowRef<MeetingSummary[]>([]);
  const compliance = shallowRef<Compliance | null>(null);
  const loading = ref(false);
  const error = shallowRef<ApiError | null>(null);
  let seq = 0;

  async function load() {
    const mine = ++seq;
    const branch = branchId.value;
    if (branch === null) {
      meetings.value = [];
      compliance.value = null;
      error.value = null;
      loading.value = false;
      return;
    }
    loading.value = true;
    try {
      const [list, held] = await Promise.all([
        meetingsList(branch, { kind: kind.value }),
        meetingsCompliance(branch, year.value),
      ]);
      if (mine !== seq) return;
      meetings.value = list;
      compliance.value = held;
      error.value = null;
    } catch (reason) {
      if (mine !== seq) return;
      error.value = toApiError(reason);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  watch([branchId, kind, year], () => void load(), { immediate: true });

  return { meetings, compliance, loading, error, load };
}
