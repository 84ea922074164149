// The unlock dialog of an encrypted archive against a fake api layer: a wrong passphrase is said
// so and the user types again; the right one unlocks, and the login page comes next.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sessionCurrent, sessionDemoAccounts } from "@/api/session";
import { archiveUnlock } from "@/api/unlock";
import App from "@/App.vue";
import AppUnlockDialog from "@/components/AppUnlockDialog.vue";
import { resetSessionState } from "@/composables/useSession";
import { mountWithPlugins } from "./helpers";

vi.mock("@/api/unlock", () => ({ archiveUnlock: vi.fn(), archiveLocked: vi.fn(async () => true) }));
vi.mock("@/api/session", () => ({
  sessionCurrent: vi.fn(async () => null),
  sessionLogin: vi.fn(),
  sessionLogout: vi.fn(),
  sessionChangePassword: vi.fn(),
  sessionDemoAccounts: vi.fn(async () => []),
}));

beforeEach(() => {
  vi.mocked(archiveUnlock).mockReset();
  vi.mocked(sessionCurrent).mockClear();
  vi.mocked(sessionDemoAccounts).mockClear();
  resetSessionState();
});

afterEach(() => {
  document.body.innerHTML = "";
});

function input(): HTMLInputElement {
  const marked = document.body.querySelector<HTMLElement>('[data-testid="unlock-passphrase"]');
  const found = marked instanceof HTMLInputElement ? marked : marked?.querySelector("input");
  if (!found) throw new Error("no passphrase field");
  return found;
}

function submitButton(): HTMLButtonElement {
  const found = document.body.querySelector<HTMLButtonElement>('[data-testid="unlock-submit"]');
  if (!found) throw new Error("no open button");
  return found;
}

async function type(text: string) {
  const field = input();
  field.value = text;
  field.dispatchEvent(new Event("input"));
  await flushPromises();
}

describe("AppUnlockDialog", () => {
  it("says a wrong passphrase is wrong, then unlocks with the right one", async () => {
    vi.mocked(archiveUnlock)
      .mockRejectedValueOnce({ code: "passphrase_wrong", message: "wrong passphrase", details: null })
      .mockResolvedValueOnce(undefined);
    const { wrapper } = await mountWithPlugins(AppUnlockDialog);
    expect(document.body.textContent).toContain("打开加密档案库");
    expect(submitButton().disabled).toBe(true);

    await type("错误口令");
    submitButton().click();
    await flushPromises();
    expect(archiveUnlock).toHaveBeenLastCalledWith("错误口令");
    const error = document.body.querySelector('[data-testid="unlock-error"]');
    expect(error?.getAttribute("data-error-code")).toBe("passphrase_wrong");
    expect(error?.textContent).toContain("口令不正确");
    expect(wrapper.emitted("unlocked")).toBeUndefined();

    await type("正确口令");
    submitButton().click();
    await flushPromises();
    expect(archiveUnlock).toHaveBeenLastCalledWith("正确口令");
    expect(wrapper.emitted("unlocked")).toHaveLength(1);
  });

  it("keeps the login page and the app behind it until the archive is unlocked", async () => {
    vi.mocked(archiveUnlock).mockResolvedValueOnce(undefined);
    await mountWithPlugins(App);
    expect(document.body.querySelector('[data-testid="unlock-dialog"]')).not.toBeNull();
    expect(document.body.querySelector('[data-testid="login-page"]')).toBeNull();
    expect(document.body.querySelector(".app-shell")).toBeNull();
    await type("正确口令");
    submitButton().click();
    await flushPromises();
    expect(document.body.querySelector('[data-testid="unlock-dialog"]')).toBeNull();
    expect(sessionCurrent).toHaveBeenCalled();
    expect(document.body.querySelector('[data-testid="login-page"]')).not.toBeNull();
    expect(document.body.querySelector(".app-shell")).toBeNull();
  });

  it("shows English text in English", async () => {
    await mountWithPlugins(AppUnlockDialog, { locale: "en" });
    expect(document.body.textContent).toContain("Open the encrypted archive");
  });
});
