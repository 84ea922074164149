// Loads one member's file for the detail page and reloads it when the id changes.
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from "vue";
import { toApiError } from "@/api/errors";
import { memberShow } from "@/api/members";
import type { ApiError } from "@/generated/ApiError";
import type { MemberDetail } from "@/generated/MemberDetail";

export function useMemberDetail(id: MaybeRefOrGetter<number>) {
  const member = shallowRef<MemberDetail | null>(null);
  const loading = ref(false);
  const error = shallowRef<ApiError | null>(null);
  let requestSeq = 0;

  async function load(): Promise<void> {
    const seq = ++requestSeq;
    loading.value = true;
    error.value = null;
    try {
      const detail = await memberShow(toValue(id));
      if (seq === requestSeq) member.value = detail;
    } catch (reason) {
      if (seq === requestSeq) {
        member.value = null;
        error.value = toApiError(reason);
      }
    } finally {
      if (seq === requestSeq) loading.value = false;
    }
  }

  watch(() => toValue(id), () => void load(), { immediate: true });

  return { member, loading, error, load };
}
