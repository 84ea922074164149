// One thing the detail page loads for a member (their file, findings, plan, materials): loads it
// when the id changes, exposes loading and error state, and drops answers to anything but the
// latest request so a slow reply for a previous member never overwrites the current one.
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from "vue";
import { toApiError } from "@/api/errors";
import type { ApiError } from "@/generated/ApiError";

export function useMemberResource<T>(
  id: MaybeRefOrGetter<number>,
  fetch: (id: number) => Promise<T>,
  empty: T,
) {
  const data: ShallowRef<T> = shallowRef(empty);
  const loading = ref(false);
  const error = shallowRef<ApiError | null>(null);
  let requestSeq = 0;

  async function load(): Promise<void> {
    const seq = ++requestSeq;
    loading.value = true;
    error.value = null;
    try {
      const value = await fetch(toValue(id));
      if (seq === requestSeq) data.value = value;
    } catch (reason) {
      if (seq === requestSeq) {
        data.value = empty;
        error.value = toApiError(reason);
      }
    } finally {
      if (seq === requestSeq) loading.value = false;
    }
  }

  watch(() => toValue(id), () => void load(), { immediate: true });

  return { data, loading, error, load };
}
