// Typed wrappers for the account commands (`users_*`): the settings page's 用户管理 tab. Admin
// only; the core refuses anyone else (`forbidden`).
import type { Role } from "@/generated/Role";
import type { ScopeUnit } from "@/generated/ScopeUnit";
import type { UserSummary } from "@/generated/UserSummary";
import { call } from "./ipc";

/** Every account with role, scope, lock and whether it is disabled. */
export function usersList(): Promise<UserSummary[]> {
  return call<UserSummary[]>("users_list");
}

/** The units a scope may name, parents before children. */
export function usersScopeChoices(): Promise<ScopeUnit[]> {
  return call<ScopeUnit[]>("users_scope_choices");
}

export interface NewUserInput {
  username: string;
  displayName: string | null;
  role: Role;
  password: string;
  scopeUnitIds: number[];
}

export function usersCreate(user: NewUserInput): Promise<UserSummary> {
  return call<UserSummary>("users_create", { ...user });
}

/** Sets another user's password; also clears a lock. */
export function usersResetPassword(username: string, password: string): Promise<void> {
  return call<void>("users_reset_password", { username, password });
}

export function usersUnlock(username: string): Promise<void> {
  return call<void>("users_unlock", { username });
}

export function usersSetScopes(username: string, unitIds: number[]): Promise<UserSummary> {
  return call<UserSummary>("users_set_scopes", { username, unitIds });
}

/** Disables (it can no longer log in) or enables an account. */
export function usersSetDisabled(username: string, disabled: boolean): Promise<UserSummary> {
  return call<UserSummary>("users_set_disabled", { username, disabled });
}

export function usersSetRole(username: string, role: Role): Promise<UserSummary> {
  return call<UserSummary>("users_set_role", { username, role });
}
