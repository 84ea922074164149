// The unlock dialog of an encrypted archive against a fake api layer: a wrong passphrase is said
// so and the user types again; the right one unlocks.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { archiveUnlock } from "@/api/unlock";
import App from "@/App.vue";
import AppUnlockDialog from "@/components/AppUnlockDialog.vue";
import { mountWithPlugins } from "./helpers";

vi.mock("@/api/unlock", () => ({ archiveUnlock: vi.fn(), archiveLocked: vi.fn(async () => true) }));

const INFO = {
  path: "/home/fudaoyuan/.local/share/dangan/archive",
  schema_version: 13,
  program_version: "0.1.0",
  members: 20000,
  encrypted: true,
};

beforeEach(() => {
  vi.mocked(archiveUnlock).mockReset();
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
      .mockResolvedValueOnce(INFO);
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

  it("keeps the app's pages behind it until the archive is unlocked", async () => {
    vi.mocked(archiveUnlock).mockResolvedValueOnce(INFO);
    await mountWithPlugins(App);
    expect(document.body.querySelector('[data-testid="unlock-dialog"]')).not.toBeNull();
    expect(document.body.querySelector(".app-shell")).toBeNull();
    await type("正确口令");
    submitButton().click();
    await flushPromises();
    expect(document.body.querySelector(".app-shell")).not.toBeNull();
  });

  it("shows English text in English", async () => {
    await mountWithPlugins(AppUnlockDialog, { locale: "en" });
    expect(document.body.textContent).toContain("Open the encrypted archive");
  });
});
