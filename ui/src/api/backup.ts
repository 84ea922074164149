// Typed wrappers for the backup commands (`backup_*`): the list with the last verified backup
// and the policy, 立即备份, 恢复 (from a listed backup or a file chosen in the native dialog),
// and the automatic-backup policy.
import { open } from "@tauri-apps/plugin-dialog";
import type { BackupOverview } from "@/generated/BackupOverview";
import type { BackupPolicy } from "@/generated/BackupPolicy";
import type { BackupRecord } from "@/generated/BackupRecord";
import type { RestoreSummary } from "@/generated/RestoreSummary";
import { call } from "./ipc";

/** The newest verified backup, every recorded one (newest first) and the policy. */
export function backupList(): Promise<BackupOverview> {
  return call<BackupOverview>("backup_list");
}

/** Makes a verified manual backup now. */
export function backupNow(): Promise<BackupRecord> {
  return call<BackupRecord>("backup_now");
}

/** Restores `file`: verified first, the current archive backed up first, then swapped in. */
export function backupRestore(file: string): Promise<RestoreSummary> {
  return call<RestoreSummary>("backup_restore", { file });
}

/** The policy; with `changes` (key → value, e.g. `{"backup.daily": "7"}`) changes it first. */
export function backupPolicy(changes?: Record<string, string>): Promise<BackupPolicy> {
  return call<BackupPolicy>("backup_policy", { changes: changes ?? null });
}

/** Asks for a backup file to restore from (the native open dialog); null if cancelled. */
export async function chooseBackupFile(): Promise<string | null> {
  const chosen = await open({
    multiple: false,
    directory: false,
    filters: [{ name: "SQLite", extensions: ["db", "sqlite"] }],
  });
  return typeof chosen === "string" ? chosen : null;
}
