// Typed wrappers for the member commands (`member_*`).
import type { MemberDetail } from "@/generated/MemberDetail";
import type { MemberPage } from "@/generated/MemberPage";
import type { MemberQuery } from "@/generated/MemberQuery";
import { call } from "./ipc";

/** One page of members matching the query; paging and matching happen in the core. */
export function memberList(query: MemberQuery): Promise<MemberPage> {
  return call<MemberPage>("member_list", { query });
}

/** One member's file with its events in date order. */
export function memberShow(id: number): Promise<MemberDetail> {
  return call<MemberDetail>("member_show", { id });
}

/** The member's full ID number; the core records the reveal in the audit trail. */
export function membersRevealId(id: number): Promise<string> {
  return call<string>("members_reveal_id", { id });
}
