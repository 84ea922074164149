// Typed wrappers for the organisation commands (`org_*`).
import type { BranchOption } from "@/generated/BranchOption";
import { call } from "./ipc";

/** All branches, sorted by college then name (the core sorts them). */
export function orgBranches(): Promise<BranchOption[]> {
  return call<BranchOption[]>("org_branches");
}
