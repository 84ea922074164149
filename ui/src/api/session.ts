// Typed wrappers for the session commands (`session_*`): logging in and out.
import type { DemoAccount } from "@/generated/DemoAccount";
import type { SessionInfo } from "@/generated/SessionInfo";
import { call } from "./ipc";

export function sessionLogin(username: string, password: string): Promise<SessionInfo> {
  return call<SessionInfo>("session_login", { username, password });
}

export function sessionLogout(): Promise<void> {
  return call<void>("session_logout");
}

/** The logged-in user, or null before a login. */
export function sessionCurrent(): Promise<SessionInfo | null> {
  return call<SessionInfo | null>("session_current");
}

export function sessionChangePassword(oldPassword: string, newPassword: string): Promise<void> {
  return call<void>("session_change_password", { oldPassword, newPassword });
}

/** The demo accounts, only when the archive is a demo (else empty). */
export function sessionDemoAccounts(): Promise<DemoAccount[]> {
  return call<DemoAccount[]>("session_demo_accounts");
}
