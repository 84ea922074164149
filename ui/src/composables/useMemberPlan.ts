// The plan of one member's remaining steps, for the detail page; reloads when the id changes.
// Dates and conflicts come from the core as they are: the UI works nothing out itself.
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from "vue";
import { toApiError } from "@/api/errors";
import { lifecyclePlan } from "@/api/lifecycle";
import type { ApiError } from "@/generated/ApiError";
import type { Plan } from "@/generated/Plan";

export function useMemberPlan(id: MaybeRefOrGetter<number>) {
  const plan = shallowRef<Plan | null>(null);
  const loading = ref(false);
  const error = shallowRef<ApiError | null>(null);
  let requestSeq = 0;

  async function load(): Promise<void> {
    const seq = ++requestSeq;
    loading.value = true;
    error.value = null;
    try {
      const next = await lifecyclePlan(toValue(id));
      if (seq === requestSeq) plan.value = next;
    } catch (reason) {
      if (seq === requestSeq) {
        plan.value = null;
        error.value = toApiError(reason);
      }
    } finally {
      if (seq === requestSeq) loading.value = false;
    }
  }

  watch(() => toValue(id), () => void load(), { immediate: true });

  return { plan, loading, error, load };
}
