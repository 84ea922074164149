// The reminder list grouped by kind for the dashboard, in the order a secretary works through
// it; each group counts its overdue items (the core decides what is overdue).
import type { Reminder } from "@/generated/Reminder";
import type { ReminderKind } from "@/generated/ReminderKind";

export const REMINDER_KIND_ORDER: ReminderKind[] = [
  "step",
  "conversion",
  "review",
  "thought_report",
  "meeting",
  "letter_receipt",
  "political_birthday",
];

export interface ReminderGroup {
  kind: ReminderKind;
  items: Reminder[];
  overdue: number;
}

/** Non-empty groups in `REMINDER_KIND_ORDER`; items keep the core's order (by date). */
export function groupReminders(reminders: readonly Reminder[]): ReminderGroup[] {
  return REMINDER_KIND_ORDER.map((kind) => {
    const items = reminders.filter((r) => r.kind === kind);
    return { kind, items, overdue: items.filter((r) => r.overdue).length };
  }).filter((g) => g.items.length > 0);
}

/** `YYYY-MM` of a day. */
export function monthOf(day: Date): string {
  return `${day.getFullYear()}-${String(day.getMonth() + 1).padStart(2, "0")}`;
}
