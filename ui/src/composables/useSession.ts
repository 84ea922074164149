// Who is logged in, shared by the whole window. The app shows the login page until `session`
// is set; logging in or out reloads the window so that every page and cache starts afresh for
// the new user (the backend keeps the session across the reload).
import { ref } from "vue";
import { sessionCurrent, sessionLogin, sessionLogout } from "@/api/session";
import type { ApiError } from "@/generated/ApiError";
import type { Permission } from "@/generated/Permission";
import type { SessionInfo } from "@/generated/SessionInfo";

const session = ref<SessionInfo | null>(null);
const checked = ref(false);
const error = ref<ApiError | null>(null);
let loading: Promise<void> | null = null;

/** Reloads the window at the member list (overridable in tests). */
let reload = () => {
  window.location.hash = "#/members";
  window.location.reload();
};

export function setReloadForTests(fn: () => void) {
  reload = fn;
}

export function resetSessionState() {
  session.value = null;
  checked.value = false;
  error.value = null;
  loading = null;
}

/**
 * Whether the logged-in user's role has one of `anyOf` (no list: everyone). The role's
 * permissions come from the core with the session; the UI keeps no table of its own. Before
 * a session is known nothing is hidden (the shell shows only the login page then, and the
 * core refuses whatever the role may not do).
 */
export function sessionAllows(anyOf: readonly Permission[] | undefined): boolean {
  if (!anyOf || anyOf.length === 0 || !session.value) return true;
  const granted = session.value.permissions;
  return anyOf.some((permission) => granted.includes(permission));
}

export function useSession() {
  function load(): Promise<void> {
    loading = (async () => {
      try {
        session.value = await sessionCurrent();
        error.value = null;
      } catch (reason) {
        error.value = reason as ApiError;
      } finally {
        checked.value = true;
      }
    })();
    return loading;
  }

  /** Loads the session once (the route guard and the shell both ask). */
  function ensureLoaded(): Promise<void> {
    return checked.value ? Promise.resolve() : (loading ?? load());
  }

  async function login(username: string, password: string) {
    session.value = await sessionLogin(username, password);
    reload();
  }

  async function logout() {
    await sessionLogout();
    session.value = null;
    reload();
  }

  return { session, checked, error, load, ensureLoaded, login, logout };
}
