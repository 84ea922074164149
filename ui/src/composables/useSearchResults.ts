// The results page's answer for the query in the URL: searches when the query changes, and drops
// answers to anything but the latest query so a slow reply never replaces a newer one.
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from "vue";
import { toApiError } from "@/api/errors";
import { searchQuery } from "@/api/search";
import type { ApiError } from "@/generated/ApiError";
import type { SearchResults } from "@/generated/SearchResults";

/** Hits shown on the page; the total says how many more there are. */
export const SEARCH_LIMIT = 100;

export function useSearchResults(query: MaybeRefOrGetter<string>) {
  const results = shallowRef<SearchResults | null>(null);
  const loading = ref(false);
  const error = shallowRef<ApiError | null>(null);
  let requestSeq = 0;

  async function load(): Promise<void> {
    const seq = ++requestSeq;
    const text = toValue(query).trim();
    error.value = null;
    if (text === "") {
      results.value = { hits: [], total: 0, ranked: true };
      loading.value = false;
      return;
    }
    loading.value = true;
    try {
      const value = await searchQuery(text, SEARCH_LIMIT);
      if (seq === requestSeq) results.value = value;
    } catch (reason) {
      if (seq === requestSeq) {
        results.value = null;
        error.value = toApiError(reason);
      }
    } finally {
      if (seq === requestSeq) loading.value = false;
    }
  }

  watch(() => toValue(query), () => void load(), { immediate: true });

  return { results, loading, error, load };
}
