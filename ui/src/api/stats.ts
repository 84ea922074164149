// Typed wrapper for the statistics command (`stats_*`): the dashboard's figures as of today.
import type { Stats } from "@/generated/Stats";
import { call } from "./ipc";

/** Members per stage (archive, college, branch), development per year and month, meetings. */
export function statsOverview(): Promise<Stats> {
  return call<Stats>("stats_overview");
}
