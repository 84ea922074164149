// A stored image as a blob URL for an <img>: read from the core once, released when the
// component that asked for it goes away. A null type (not an image) loads nothing.
import { onScopeDispose, ref, shallowRef } from "vue";
import { documentsRead } from "@/api/documents";
import { toApiError } from "@/api/errors";
import type { ApiError } from "@/generated/ApiError";

export function useAttachmentUrl(sha256: string, type: string | null) {
  const url = ref<string | null>(null);
  const error = shallowRef<ApiError | null>(null);
  let disposed = false;

  async function load(type: string): Promise<void> {
    try {
      const bytes = await documentsRead(sha256);
      if (disposed) return;
      url.value = URL.createObjectURL(new Blob([bytes], { type }));
    } catch (reason) {
      if (!disposed) error.value = toApiError(reason);
    }
  }

  onScopeDispose(() => {
    disposed = true;
    if (url.value) URL.revokeObjectURL(url.value);
  });

  if (type !== null) void load(type);
  return { url, error };
}
