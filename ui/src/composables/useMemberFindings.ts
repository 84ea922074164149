// The rule check of one member's file as of today, for the detail page; reloads when the id
// changes. The findings come from the core as they are: the UI decides nothing about them.
import type { MaybeRefOrGetter } from "vue";
import { lifecycleCheckMember } from "@/api/lifecycle";
import type { Finding } from "@/generated/Finding";
import { useMemberResource } from "./useMemberResource";

export function useMemberFindings(id: MaybeRefOrGetter<number>) {
  const { data: findings, ...rest } = useMemberResource<Finding[]>(id, lifecycleCheckMember, []);
  return { findings, ...rest };
}
