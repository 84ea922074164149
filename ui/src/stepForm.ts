// Conveniences that pre-fill the "record a step" form: a default step, default people rows and
// today's date. They only save typing; whether the step is allowed is for the core to say.
import type { MemberEvent } from "@/generated/MemberEvent";
import type { PersonRole } from "@/generated/PersonRole";

export const LAST_STEP = 25;

/** The step after the highest one recorded (step 1 for an empty file), at most the last step. */
export function nextStepNumber(events: readonly MemberEvent[]): number {
  const recorded = events.map((event) => event.step ?? 0);
  return Math.min(Math.max(0, ...recorded) + 1, LAST_STEP);
}

/** The roles of the people usually named at a step, one entry per row to offer. */
const DEFAULT_ROLES: Partial<Record<number, PersonRole[]>> = {
  2: ["talker"],
  5: ["contact", "contact"],
  9: ["introducer", "introducer"],
  16: ["talker"],
};

export function defaultRoles(step: number | null): PersonRole[] {
  return step === null ? [] : [...(DEFAULT_ROLES[step] ?? [])];
}

/** A date as YYYY-MM-DD in local time. */
export function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
