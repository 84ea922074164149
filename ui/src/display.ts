// Presentation helpers for codes the core sends: which order to list them in, and how to
// colour them. Labels live in the i18n messages; nothing here decides anything about members.
import type { EventKind } from "@/generated/EventKind";
import type { EventPerson } from "@/generated/EventPerson";
import type { PersonRole } from "@/generated/PersonRole";
import type { Severity } from "@/generated/Severity";
import type { Stage } from "@/generated/Stage";

export type TagType = "primary" | "success" | "info" | "warning" | "danger";

/** Tag colour per stage; typed as a full record so a new Stage code fails to compile here. */
const STAGE_TAG_TYPES: Record<Stage, TagType> = {
  applicant: "info",
  activist: "primary",
  development_target: "warning",
  probationary_member: "success",
  full_member: "danger",
  transferred_out: "info",
  disqualified: "info",
  withdrawn: "info",
  deceased: "info",
};

/** The development pipeline, in order, for the stage filter. */
export const PIPELINE_STAGES: readonly Stage[] = [
  "applicant",
  "activist",
  "development_target",
  "probationary_member",
  "full_member",
];

/** The states of people who have left the pipeline, for the stage filter. */
export const LEAVING_STAGES: readonly Stage[] = [
  "transferred_out",
  "disqualified",
  "withdrawn",
  "deceased",
];

export function stageTagType(stage: Stage): TagType {
  return STAGE_TAG_TYPES[stage];
}

/** Whether a stage is one of the leaving states; those tags are drawn plain rather than filled. */
export function isLeavingStage(stage: Stage): boolean {
  return LEAVING_STAGES.includes(stage);
}

/** Timeline dot colour per event kind. */
const EVENT_KIND_TYPES: Record<EventKind, TagType> = {
  step: "primary",
  probation_extended: "warning",
  transferred_in: "success",
  transferred_out: "info",
  disqualified: "warning",
  withdrawn: "warning",
  deceased: "info",
};

export function eventKindType(kind: EventKind): TagType {
  return EVENT_KIND_TYPES[kind];
}

/** Display order of the people's roles on a timeline event. */
const ROLE_ORDER: Record<PersonRole, number> = {
  talker: 0,
  contact: 1,
  introducer: 2,
  approver: 3,
  other: 4,
};

export interface PeopleGroup {
  role: PersonRole;
  names: string[];
}

/** Groups an event's people by role, roles in a fixed order, names in the order given. */
export function groupPeopleByRole(people: readonly EventPerson[]): PeopleGroup[] {
  const groups = new Map<PersonRole, string[]>();
  for (const person of people) {
    const names = groups.get(person.role);
    if (names) names.push(person.name);
    else groups.set(person.role, [person.name]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => ROLE_ORDER[a] - ROLE_ORDER[b])
    .map(([role, names]) => ({ role, names }));
}

/** Tag colour per finding severity: a blocking finding is an error, a warning a reminder. */
const SEVERITY_TAG_TYPES: Record<Severity, TagType> = {
  block: "danger",
  warn: "warning",
};

export function severityTagType(severity: Severity): TagType {
  return SEVERITY_TAG_TYPES[severity];
}

/** el-alert type per finding severity. */
export function severityAlertType(severity: Severity): "error" | "warning" {
  return severity === "block" ? "error" : "warning";
}

/** The image types a thumbnail is shown for, by file extension. */
const IMAGE_TYPES: Record<string, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
  bmp: "image/bmp",
};

/** The image MIME type of a file name, or null when it is not an image the UI shows. */
export function imageType(fileName: string): string | null {
  const extension = fileName.split(".").pop()?.toLowerCase() ?? "";
  return IMAGE_TYPES[extension] ?? null;
}

/** A file size in B, KB or MB, for lists. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * A long folder path shortened to its last `keep` parts for the header
 * (`/home/a/.local/share/dangan/archive` → `…/dangan/archive`); the caller shows the whole
 * path as a tooltip. Windows paths keep their backslashes.
 */
export function shortPath(path: string, keep = 2): string {
  const separator = path.includes("\\") && !path.includes("/") ? "\\" : "/";
  const parts = path.split(separator).filter((part) => part !== "");
  if (parts.length <= keep) return path;
  return `…${separator}${parts.slice(-keep).join(separator)}`;
}
