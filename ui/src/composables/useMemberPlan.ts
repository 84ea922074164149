// The plan of one member's remaining steps, for the detail page; reloads when the id changes.
// Dates and conflicts come from the core as they are: the UI works nothing out itself.
import type { MaybeRefOrGetter } from "vue";
import { lifecyclePlan } from "@/api/lifecycle";
import type { Plan } from "@/generated/Plan";
import { useMemberResource } from "./useMemberResource";

export function useMemberPlan(id: MaybeRefOrGetter<number>) {
  const { data: plan, ...rest } = useMemberResource<Plan | null>(id, lifecyclePlan, null);
  return { plan, ...rest };
}
