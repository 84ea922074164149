// Typed wrapper for the reminder command (`reminders_*`).
import type { Reminder } from "@/generated/Reminder";
import { call } from "./ipc";

/**
 * What falls due in `month` (`YYYY-MM`) and everything overdue before it, for one branch or all
 * (`branch` null), sorted by date.
 */
export function remindersList(month: string, branch: number | null): Promise<Reminder[]> {
  return call<Reminder[]>("reminders_list", { month, branch });
}
