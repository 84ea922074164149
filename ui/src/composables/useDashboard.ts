// The dashboard's data: the statistics (once per visit) and the reminders of the chosen month
// and branch (reloaded when either changes).
import type { MaybeRefOrGetter } from "vue";
import { remindersList } from "@/api/reminders";
import { statsOverview } from "@/api/stats";
import type { Reminder } from "@/generated/Reminder";
import type { Stats } from "@/generated/Stats";
import { useLatestResource } from "./useLatestResource";

export function useStatsOverview() {
  return useLatestResource<null, Stats | null>(null, () => statsOverview(), null);
}

export function useReminders(filter: MaybeRefOrGetter<{ month: string; branch: number | null }>) {
  return useLatestResource<{ month: string; branch: number | null }, Reminder[]>(
    filter,
    ({ month, branch }) => remindersList(month, branch),
    [],
  );
}
