// Typed wrappers for unlocking an encrypted archive (`archive_locked`, `archive_unlock`).
import type { ArchiveInfo } from "@/generated/ArchiveInfo";
import { call } from "./ipc";

/** Whether the archive is encrypted and waits for its passphrase. */
export function archiveLocked(): Promise<boolean> {
  return call<boolean>("archive_locked");
}

/** Opens the encrypted archive; rejects with `passphrase_wrong` and leaves it locked. */
export function archiveUnlock(passphrase: string): Promise<ArchiveInfo> {
  return call<ArchiveInfo>("archive_unlock", { passphrase });
}
