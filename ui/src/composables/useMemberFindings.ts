// The rule check of one member's file as of today, for the detail page; reloads when the id
// changes. The findings come from the core as they are: the UI decides nothing about them.
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from "vue";
import { toApiError } from "@/api/errors";
import { lifecycleCheckMember } from "@/api/lifecycle";
import type { ApiError } from "@/generated/ApiError";
import type { Finding } from "@/generated/Finding";

export function useMemberFindings(id: MaybeRefOrGetter<number>) {
  const findings = shallowRef<Finding[]>([]);
  const loading = ref(false);
  const error = shallowRef<ApiError | null>(null);
  let requestSeq = 0;

  async function load(): Promise<void> {
    const seq = ++requestSeq;
    loading.value = true;
    error.value = null;
    try {
      const list = await lifecycleCheckMember(toValue(id));
      if (seq === requestSeq) findings.value = list;
    } catch (reason) {
      if (seq === requestSeq) {
        findings.value = [];
        error.value = toApiError(reason);
      }
    } finally {
      if (seq === requestSeq) loading.value = false;
    }
  }

  watch(() => toValue(id), () => void load(), { immediate: true });

  return { findings, loading, error, load };
}
