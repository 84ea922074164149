// One thing the detail page loads for a member (their file, findings, plan, materials): the
// latest-answer loader of `useLatestResource`, keyed by the member's id.
import type { MaybeRefOrGetter } from "vue";
import { useLatestResource } from "./useLatestResource";

export function useMemberResource<T>(
  id: MaybeRefOrGetter<number>,
  fetch: (id: number) => Promise<T>,
  empty: T,
) {
  return useLatestResource(id, fetch, empty);
}
