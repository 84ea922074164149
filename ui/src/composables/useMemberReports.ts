// A member's thought reports and the quarters they still owe one for, for the detail page; both
// reload when the id changes. Which quarters are owed is the core's answer, shown as it is.
import { computed, type MaybeRefOrGetter } from "vue";
import { reportsList, reportsMissing } from "@/api/reports";
import type { MissingReports } from "@/generated/MissingReports";
import type { ReportSummary } from "@/generated/ReportSummary";
import { useMemberResource } from "./useMemberResource";

export function useMemberReports(id: MaybeRefOrGetter<number>) {
  const list = useMemberResource<ReportSummary[]>(id, reportsList, []);
  const owed = useMemberResource<MissingReports[]>(id, reportsMissing, []);
  const missing = computed(() => owed.data.value.flatMap((entry) => entry.missing));
  return {
    reports: list.data,
    loading: list.loading,
    error: list.error,
    missing,
    missingError: owed.error,
    load: async () => {
      await Promise.all([list.load(), owed.load()]);
    },
  };
}
