// The files attached to one member's timeline events, for the detail page; reloads when the id
// changes.
import type { MaybeRefOrGetter } from "vue";
import { lifecycleEventFiles } from "@/api/lifecycle";
import type { EventFile } from "@/generated/EventFile";
import { useMemberResource } from "./useMemberResource";

export function useMemberEventFiles(id: MaybeRefOrGetter<number>) {
  const { data: files, ...rest } = useMemberResource<EventFile[]>(id, lifecycleEventFiles, []);
  return { files, ...rest };
}
