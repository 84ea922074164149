// Typed wrappers for the meeting commands (`meetings_*`): a branch's meetings, one meeting in
// full, the branch's party members on a day (the attendance list), the quorum and vote arithmetic
// of a meeting being filled in, recording it, and 三会一课 compliance over a year.
import type { AttachmentRef } from "@/generated/AttachmentRef";
import type { Compliance } from "@/generated/Compliance";
import type { MeetingDetail } from "@/generated/MeetingDetail";
import type { MeetingKind } from "@/generated/MeetingKind";
import type { MeetingOutcome } from "@/generated/MeetingOutcome";
import type { MeetingPreview } from "@/generated/MeetingPreview";
import type { MeetingRequest } from "@/generated/MeetingRequest";
import type { MeetingSummary } from "@/generated/MeetingSummary";
import type { MemberMeeting } from "@/generated/MemberMeeting";
import type { RollMember } from "@/generated/RollMember";
import { call } from "./ipc";

export interface MeetingListFilter {
  from?: string | null;
  to?: string | null;
  kind?: MeetingKind | null;
}

/** The branch's meetings, newest first, optionally within dates and of one kind. */
export function meetingsList(branchId: number, filter: MeetingListFilter = {}): Promise<MeetingSummary[]> {
  return call<MeetingSummary[]>("meetings_list", {
    branchId,
    from: filter.from ?? null,
    to: filter.to ?? null,
    kind: filter.kind ?? null,
  });
}

/** One meeting: minutes, attendance, each resolution with its tally and votes. */
export function meetingsShow(id: number): Promise<MeetingDetail> {
  return call<MeetingDetail>("meetings_show", { id });
}

/** The branch's party members on `date`, full members (who vote) first. */
export function meetingsRoll(branchId: number, date: string): Promise<RollMember[]> {
  return call<RollMember[]>("meetings_roll", { branchId, date });
}

/** Who may vote, whether the meeting is quorate, how each resolution comes out; nothing is written. */
export function meetingsPreview(request: MeetingRequest): Promise<MeetingPreview> {
  return call<MeetingPreview>("meetings_preview", { request });
}

/**
 * Records the meeting and the timeline events of its passed resolutions. Rejects with
 * `step_blocked` (details `{ findings }`) when such an event breaks a blocking rule; then nothing
 * was written.
 */
export function meetingsRecord(request: MeetingRequest): Promise<MeetingOutcome> {
  return call<MeetingOutcome>("meetings_record", { request });
}

/** Meetings held against the required frequencies, per month, quarter and year of `year`. */
export function meetingsCompliance(branchId: number, year: number): Promise<Compliance> {
  return call<Compliance>("meetings_compliance", { branchId, year });
}

/** The meetings concerning member `id` (attended, or deciding about them), oldest first. */
export function meetingsOfMember(id: number): Promise<MemberMeeting[]> {
  return call<MemberMeeting[]>("meetings_of_member", { id });
}

/**
 * Keeps a file (sign-in sheet, photo, minutes) with a recorded meeting. The bytes go as the raw
 * request body, the meeting id and the file name as headers (as for a step's evidence).
 */
export function meetingsAttach(meetingId: number, fileName: string, bytes: Uint8Array): Promise<AttachmentRef> {
  return call<AttachmentRef>("meetings_attach", bytes, {
    headers: {
      "dangan-meeting-id": String(meetingId),
      "dangan-file-name": encodeURIComponent(fileName),
    },
  });
}

/** `meetingsAttach` for a file the user chose (FileReader rather than `File.arrayBuffer`, which older engines lack). */
export async function meetingsAttachFile(meetingId: number, file: File): Promise<AttachmentRef> {
  const bytes = await new Promise<Uint8Array>((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(new Uint8Array(reader.result as ArrayBuffer));
    reader.onerror = () => reject(reader.error ?? new Error(`cannot read ${file.name}`));
    reader.readAsArrayBuffer(file);
  });
  return meetingsAttach(meetingId, file.name, bytes);
}
