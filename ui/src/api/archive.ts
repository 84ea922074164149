// Typed wrappers for the archive commands (`archive_*`).
import type { ArchiveInfo } from "@/generated/ArchiveInfo";
import { call } from "./ipc";

export function archiveInfo(): Promise<ArchiveInfo> {
  return call<ArchiveInfo>("archive_info");
}
