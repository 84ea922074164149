// The thought-report page's data for one branch (or all): the members who owe reports and the
// newest reports awaiting review, both reloaded when the branch changes.
import type { MaybeRefOrGetter } from "vue";
import { reportsMissingOfBranch, reportsUnreviewed } from "@/api/reports";
import type { MissingReports } from "@/generated/MissingReports";
import type { UnreviewedReports } from "@/generated/UnreviewedReports";
import { useLatestResource } from "./useLatestResource";

/** Reports awaiting review shown at once; the page says how many there are in all. */
export const UNREVIEWED_LIMIT = 100;

export function useBranchReports(branch: MaybeRefOrGetter<number | null>) {
  const owing = useLatestResource<number | null, MissingReports[]>(branch, reportsMissingOfBranch, []);
  const unreviewed = useLatestResource<number | null, UnreviewedReports>(
    branch,
    (id) => reportsUnreviewed(id, UNREVIEWED_LIMIT),
    { total: 0, reports: [] },
  );
  return {
    owing,
    unreviewed,
    load: async () => {
      await Promise.all([owing.load(), unreviewed.load()]);
    },
  };
}
