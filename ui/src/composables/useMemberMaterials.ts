// Which archive materials one member's file holds, in dossier order, for the detail page; reloads
// when the id changes. Whether a material is due or missing is the core's answer, shown as it is.
import { ref, shallowRef, toValue, watch, type MaybeRefOrGetter } from "vue";
import { toApiError } from "@/api/errors";
import { lifecycleMaterials } from "@/api/lifecycle";
import type { ApiError } from "@/generated/ApiError";
import type { MaterialStatus } from "@/generated/MaterialStatus";

export function useMemberMaterials(id: MaybeRefOrGetter<number>) {
  const materials = shallowRef<MaterialStatus[]>([]);
  const loading = ref(false);
  const error = shallowRef<ApiError | null>(null);
  let requestSeq = 0;

  async function load(): Promise<void> {
    const seq = ++requestSeq;
    loading.value = true;
    error.value = null;
    try {
      const list = await lifecycleMaterials(toValue(id));
      if (seq === requestSeq) materials.value = list;
    } catch (reason) {
      if (seq === requestSeq) {
        materials.value = [];
        error.value = toApiError(reason);
      }
    } finally {
      if (seq === requestSeq) loading.value = false;
    }
  }

  watch(() => toValue(id), () => void load(), { immediate: true });

  return { materials, loading, error, load };
}
