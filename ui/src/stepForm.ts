// Conveniences that pre-fill the "record a step" form: a default step, default people rows and
// today's date. They only save typing; whether the step is allowed is for the core to say.
import type { EventPerson } from "@/generated/EventPerson";
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

/** One editable row of the people named at a step. */
export interface PersonRow {
  key: number;
  role: PersonRole;
  name: string;
  /** Kept from a recorded event, so a correction does not lose the link to a member. */
  memberId: number | null;
}

let rowKey = 0;

export function personRow(role: PersonRole, name = "", memberId: number | null = null): PersonRow {
  return { key: ++rowKey, role, name, memberId };
}

/** Empty rows for the people usually named at a step. */
export function rowsForStep(step: number | null): PersonRow[] {
  return defaultRoles(step).map((role) => personRow(role));
}

/** Rows holding the people recorded at an event, for a correction. */
export function rowsFromPeople(people: readonly EventPerson[]): PersonRow[] {
  return people.map((person) => personRow(person.role, person.name, person.member_id));
}

/** The people the rows name, as the core takes them (names trimmed). */
export function peopleOf(rows: readonly PersonRow[]): EventPerson[] {
  return rows.map((row) => ({ role: row.role, name: row.name.trim(), member_id: row.memberId }));
}
