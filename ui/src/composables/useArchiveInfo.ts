// Facts about the open archive, shared by the header and the settings page.
import { readonly, ref, shallowRef } from "vue";
import { archiveInfo } from "@/api/archive";
import { toApiError } from "@/api/errors";
import type { ApiError } from "@/generated/ApiError";
import type { ArchiveInfo } from "@/generated/ArchiveInfo";

const info = shallowRef<ArchiveInfo | null>(null);
const loading = ref(false);
const error = shallowRef<ApiError | null>(null);

async function load(): Promise<void> {
  loading.value = true;
  try {
    info.value = await archiveInfo();
    error.value = null;
  } catch (reason) {
    error.value = toApiError(reason);
  } finally {
    loading.value = false;
  }
}

/** Forgets the cached info; for tests, which share this module's state. */
export function resetArchiveInfoState() {
  info.value = null;
  loading.value = false;
  error.value = null;
}

export function useArchiveInfo() {
  return { info: readonly(info), loading: readonly(loading), error: readonly(error), load };
}
