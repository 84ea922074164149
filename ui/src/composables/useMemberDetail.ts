// Loads one member's file for the detail page and reloads it when the id changes.
import type { MaybeRefOrGetter } from "vue";
import { memberShow } from "@/api/members";
import type { MemberDetail } from "@/generated/MemberDetail";
import { useMemberResource } from "./useMemberResource";

export function useMemberDetail(id: MaybeRefOrGetter<number>) {
  const { data: member, ...rest } = useMemberResource<MemberDetail | null>(id, memberShow, null);
  return { member, ...rest };
}
