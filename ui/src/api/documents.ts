// Typed wrappers for the attachment store (`documents_*`): reading a stored file to show it.
import { call } from "./ipc";

/**
 * The bytes of the stored file with this SHA-256 (the backend refuses files too large to show,
 * with `file_too_large`).
 */
export function documentsRead(sha256: string): Promise<ArrayBuffer> {
  return call<ArrayBuffer>("documents_read", { sha256 });
}
