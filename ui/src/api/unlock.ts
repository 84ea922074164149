// Typed wrappers for unlocking an encrypted archive (`archive_locked`, `archive_unlock`).
import { call } from "./ipc";

/** Whether the archive is encrypted and waits for its passphrase. */
export function archiveLocked(): Promise<boolean> {
  return call<boolean>("archive_locked");
}

/** Opens the encrypted archive; rejects with `passphrase_wrong` and leaves it locked. The login
 * page comes next (nothing about the archive is told before a login). */
export function archiveUnlock(passphrase: string): Promise<void> {
  return call<void>("archive_unlock", { passphrase });
}
