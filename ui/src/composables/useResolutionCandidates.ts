// The members a resolution may be about, offered in its picker: the branch's members at the stage
// such a resolution usually concerns (development targets to admit, probationary members to
// convert or extend). Only an offer; the core's preview says whether the event is allowed.
import { ref, shallowRef, watch, type Ref } from "vue";
import { memberList } from "@/api/members";
import { toApiError } from "@/api/errors";
import type { ApiError } from "@/generated/ApiError";
import type { MemberSummary } from "@/generated/MemberSummary";
import type { Stage } from "@/generated/Stage";

/** The core pages lists by at most this many. */
const LIMIT = 500;

export function useResolutionCandidates(branchId: Ref<number | null>, stage: Ref<Stage | null>) {
  const candidates = shallowRef<MemberSummary[]>([]);
  const loading = ref(false);
  const error = shallowRef<ApiError | null>(null);
  let seq = 0;

  async function load() {
    const mine = ++seq;
    if (branchId.value === null || stage.value === null) {
      candidates.value = [];
      return;
    }
    loading.value = true;
    try {
      const page = await memberList({
        text: null,
        branch_id: branchId.value,
        stage: stage.value,
        offset: 0,
        limit: LIMIT,
      });
      if (mine !== seq) return;
      candidates.value = page.rows;
      error.value = null;
    } catch (reason) {
      if (mine !== seq) return;
      error.value = toApiError(reason);
    } finally {
      if (mine === seq) loading.value = false;
    }
  }

  watch([branchId, stage], () => void load(), { immediate: true });

  return { candidates, loading, error };
}
