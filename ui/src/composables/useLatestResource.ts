// Something a page loads for a key (a month and branch, a branch): loads it whenever the key
// changes, exposes loading and error state, and keeps only the answer to the latest request, so
// a slow reply for an earlier key never overwrites the current one. (`useMemberResource` is this
// keyed by a member id.)
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter, type ShallowRef } from "vue";
import { toApiError } from "@/api/errors";
import type { ApiError } from "@/generated/ApiError";

export function useLatestResource<K, T>(
  key: MaybeRefOrGetter<K>,
  fetch: (key: K) => Promise<T>,
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
      const value = await fetch(toValue(key));
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

  watch(() => toValue(key), () => void load(), { immediate: true, deep: true });

  return { data, loading, error, load };
}
