// The "记录会议" form's state and the request built from it. Conveniences only (defaults, a
// resolution's usual wording, which members to offer): the quorum, the tallies and whether an
// event may be recorded are for the core to say (`meetings_preview`).
import type { AttendanceStatus } from "@/generated/AttendanceStatus";
import type { MeetingKind } from "@/generated/MeetingKind";
import type { MeetingRequest } from "@/generated/MeetingRequest";
import type { ResolutionKind } from "@/generated/ResolutionKind";
import type { RollMember } from "@/generated/RollMember";
import type { Stage } from "@/generated/Stage";
import type { VoteChoice } from "@/generated/VoteChoice";

export const MEETING_KINDS: readonly MeetingKind[] = [
  "general_meeting",
  "committee",
  "group",
  "lecture",
  "theme_day",
  "life_meeting",
  "appraisal",
];

export const RESOLUTION_KINDS: readonly ResolutionKind[] = ["admit", "convert", "extend_probation", "other"];

export const ATTENDANCE_STATUSES: readonly AttendanceStatus[] = ["present", "leave", "absent"];

export const VOTE_CHOICES: readonly VoteChoice[] = ["yes", "no", "abstain"];

/** The usual probation extension, offered first. */
export const DEFAULT_EXTENSION_MONTHS = 6;

/** Whom a resolution of this kind is usually about, to offer in its member picker. */
export function candidateStage(kind: ResolutionKind): Stage | null {
  switch (kind) {
    case "admit":
      return "development_target";
    case "convert":
    case "extend_probation":
      return "probationary_member";
    case "other":
      return null;
  }
}

export interface AttendanceDraft {
  status: AttendanceStatus;
  reason: string;
  /** HH:mm, or null. */
  signedInAt: string | null;
}

export interface ResolutionDraft {
  /** A stable key for the list. */
  key: number;
  kind: ResolutionKind;
  memberId: number | null;
  months: number;
  text: string;
  /** The user typed the text: it no longer follows the kind and member. */
  textEdited: boolean;
  votes: Record<number, VoteChoice | null>;
}

export interface MeetingDraft {
  kind: MeetingKind;
  date: string | null;
  place: string;
  host: string;
  recorder: string;
  topic: string;
  minutes: string;
  attendance: Record<number, AttendanceDraft>;
  resolutions: ResolutionDraft[];
}

export function emptyDraft(date: string): MeetingDraft {
  return {
    kind: "general_meeting",
    date,
    place: "",
    host: "",
    recorder: "",
    topic: "",
    minutes: "",
    attendance: {},
    resolutions: [],
  };
}

let nextKey = 1;

export function newResolution(kind: ResolutionKind = "admit"): ResolutionDraft {
  return {
    key: nextKey++,
    kind,
    memberId: null,
    months: DEFAULT_EXTENSION_MONTHS,
    text: "",
    textEdited: false,
    votes: {},
  };
}

/** Everyone on the roll absent, keeping the entries of those already marked. */
export function attendanceFor(
  roll: readonly RollMember[],
  previous: Record<number, AttendanceDraft>,
): Record<number, AttendanceDraft> {
  const result: Record<number, AttendanceDraft> = {};
  for (const member of roll) {
    result[member.member_id] = previous[member.member_id] ?? { status: "absent", reason: "", signedInAt: null };
  }
  return result;
}

/** May this member vote in this form: entitled (a full member on the day) and present. */
export function canVote(member: RollMember, attendance: Record<number, AttendanceDraft>): boolean {
  return member.entitled && attendance[member.member_id]?.status === "present";
}

const trimmedOrNull = (text: string) => (text.trim() === "" ? null : text.trim());

/**
 * The request for the core, or null while there is no date. Votes go in only for members who may
 * vote (a vote left from before someone was marked absent is dropped); texts may still be empty
 * (the preview does without them, `record` refuses them).
 */
export function buildRequest(
  branchId: number | null,
  draft: MeetingDraft,
  roll: readonly RollMember[],
): MeetingRequest | null {
  if (branchId === null || !draft.date) return null;
  const voters = roll.filter((member) => canVote(member, draft.attendance));
  return {
    branch_id: branchId,
    kind: draft.kind,
    date: draft.date,
    place: trimmedOrNull(draft.place),
    host: trimmedOrNull(draft.host),
    recorder: trimmedOrNull(draft.recorder),
    topic: draft.topic.trim(),
    minutes: draft.minutes,
    attendance: roll.map((member) => {
      const entry = draft.attendance[member.member_id] ?? { status: "absent", reason: "", signedInAt: null };
      return {
        member_id: member.member_id,
        status: entry.status,
        reason: entry.status === "leave" ? trimmedOrNull(entry.reason) : null,
        signed_in_at: entry.status === "present" ? entry.signedInAt : null,
      };
    }),
    resolutions: draft.resolutions.map((resolution) => ({
      kind: resolution.kind,
      member_id: resolution.kind === "other" ? null : resolution.memberId,
      months: resolution.kind === "extend_probation" ? resolution.months : null,
      text: resolution.text.trim(),
      votes: voters.flatMap((member) => {
        const vote = resolution.votes[member.member_id];
        return vote ? [{ member_id: member.member_id, vote }] : [];
      }),
    })),
  };
}

/** What the form still lacks before it can be saved (i18n keys under `meetings.missing`). */
export function missingParts(request: MeetingRequest | null): string[] {
  if (request === null) return ["date"];
  const missing: string[] = [];
  if (request.topic === "") missing.push("topic");
  if (request.resolutions.some((r) => r.kind !== "other" && r.member_id === null)) missing.push("member");
  if (request.resolutions.some((r) => r.text === "")) missing.push("text");
  return missing;
}

/**
 * What the core's preview depends on (who, when, who attends, what is decided about whom, the
 * votes) as one string; the texts, place, people and sign-in times do not change its answer.
 */
export function previewKey(request: MeetingRequest | null): string | null {
  if (request === null) return null;
  return JSON.stringify([
    request.branch_id,
    request.kind,
    request.date,
    request.attendance.map((a) => [a.member_id, a.status]),
    request.resolutions.map((r) => [r.kind, r.member_id, r.months, r.votes.map((v) => [v.member_id, v.vote])]),
  ]);
}
