// Which archive materials one member's file holds, in dossier order, for the detail page; reloads
// when the id changes. Whether a material is due or missing is the core's answer, shown as it is.
import type { MaybeRefOrGetter } from "vue";
import { lifecycleMaterials } from "@/api/lifecycle";
import type { MaterialStatus } from "@/generated/MaterialStatus";
import { useMemberResource } from "./useMemberResource";

export function useMemberMaterials(id: MaybeRefOrGetter<number>) {
  const { data: materials, ...rest } = useMemberResource<MaterialStatus[]>(
    id,
    lifecycleMaterials,
    [],
  );
  return { materials, ...rest };
}
