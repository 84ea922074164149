// Typed wrappers for the audit commands (`audit_*`): a filtered page of the trail and the check
// of its hash chain.
import type { AuditPage } from "@/generated/AuditPage";
import type { AuditQuery } from "@/generated/AuditQuery";
import type { AuditVerification } from "@/generated/AuditVerification";
import { call } from "./ipc";

/** One page of entries (newest first), how many match, and who has entries. */
export function auditList(query: AuditQuery): Promise<AuditPage> {
  return call<AuditPage>("audit_list", { query });
}

/** Walks the whole chain: ok with the entry count, or the first bad entry. */
export function auditVerify(): Promise<AuditVerification> {
  return call<AuditVerification>("audit_verify");
}
