// The branch list for filters. Branches rarely change, so it is fetched once per session.
import { readonly, shallowRef } from "vue";
import { toApiError } from "@/api/errors";
import { orgBranches } from "@/api/org";
import type { ApiError } from "@/generated/ApiError";
import type { BranchOption } from "@/generated/BranchOption";

const branches = shallowRef<BranchOption[]>([]);
const error = shallowRef<ApiError | null>(null);
let pending: Promise<void> | null = null;

function ensureLoaded(): Promise<void> {
  pending ??= orgBranches().then(
    (list) => {
      branches.value = list;
      error.value = null;
    },
    (reason: unknown) => {
      error.value = toApiError(reason);
      // Let the next caller try again.
      pending = null;
    },
  );
  return pending;
}

/** Forgets the cached branches; for tests, which share this module's state. */
export function resetBranchesState() {
  branches.value = [];
  error.value = null;
  pending = null;
}

export function useBranches() {
  return { branches: readonly(branches), error: readonly(error), ensureLoaded };
}
