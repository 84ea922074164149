// Who is logged in, shared by the whole window. The app shows the login page until `session`
// is set; logging in or out reloads the window so that every page and cache starts afresh for
// the new user (the backend keeps the session across the reload).
import { ref } from "vue";
import { sessionCurrent, sessionLogin, sessionLogout } from "@/api/session";
import type { ApiError } from "@/generated/ApiError";
import type { SessionInfo } from "@/generated/SessionInfo";

const session = ref<SessionInfo | null>(null);
const checked = ref(false);
const error = ref<ApiError | null>(null);

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
}

export function useSession() {
  async function load() {
    try {
      session.value = await sessionCurrent();
      error.value = null;
    } catch (reason) {
      error.value = reason as ApiError;
    } finally {
      checked.value = true;
    }
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

  return { session, checked, error, load, login, logout };
}
