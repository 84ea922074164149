// The login gate: the app shows the login page without a session, the demo accounts only on a
// demo archive, a refused login its message, and a successful one reloads into the app.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { sessionCurrent, sessionDemoAccounts, sessionLogin } from "@/api/session";
import App from "@/App.vue";
import { resetSessionState, setReloadForTests } from "@/composables/useSession";
import { mountWithPlugins } from "./helpers";

vi.mock("@/api/session", () => ({
  sessionCurrent: vi.fn(),
  sessionLogin: vi.fn(),
  sessionLogout: vi.fn(),
  sessionChangePassword: vi.fn(),
  sessionDemoAccounts: vi.fn(),
}));
vi.mock("@/api/archive", () => ({ archiveInfo: vi.fn(async () => null) }));

const DEMO = [
  {
    username: "secretary",
    password: "demo-secretary",
    role: "secretary" as const,
    display_name: "支部书记",
    scope: "计算机科学与技术学院党委/本科生第一党支部",
  },
];

describe("login page", () => {
  const reload = vi.fn();
  beforeEach(() => {
    resetSessionState();
    setReloadForTests(reload);
    vi.mocked(sessionCurrent).mockResolvedValue(null);
    vi.mocked(sessionDemoAccounts).mockResolvedValue(DEMO);
  });
  afterEach(() => {
    document.body.innerHTML = "";
    vi.clearAllMocks();
  });

  it("guards the app and lists the demo accounts of a demo archive", async () => {
    const { wrapper } = await mountWithPlugins(App);
    expect(wrapper.find('[data-testid="login-page"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="member-total"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="login-demo-accounts"]').text()).toContain("demo-secretary");
    expect(wrapper.text()).toContain("支部书记");
  });

  it("hides the demo hint on a real archive", async () => {
    vi.mocked(sessionDemoAccounts).mockResolvedValue([]);
    const { wrapper } = await mountWithPlugins(App);
    expect(wrapper.find('[data-testid="login-demo-accounts"]').exists()).toBe(false);
  });

  it("shows the refusal and clears the password", async () => {
    vi.mocked(sessionLogin).mockRejectedValue({
      code: "bad_credentials",
      message: "用户名或密码不正确",
      details: null,
    });
    const { wrapper } = await mountWithPlugins(App);
    await wrapper.find('[data-testid="login-username"]').setValue("admin");
    await wrapper.find('[data-testid="login-password"]').setValue("wrong");
    await wrapper.find('[data-testid="login-submit"]').trigger("click");
    await flushPromises();
    expect(sessionLogin).toHaveBeenCalledWith("admin", "wrong");
    expect(wrapper.find('[data-testid="login-error"]').text()).toContain("用户名或密码不正确");
    expect((wrapper.find('[data-testid="login-password"]').element as HTMLInputElement).value).toBe("");
    expect(reload).not.toHaveBeenCalled();
  });

  it("reloads into the app after a login", async () => {
    vi.mocked(sessionLogin).mockResolvedValue({
      username: "admin",
      display_name: "系统管理员",
      role: "admin",
      role_zh: "管理员",
      scope: [],
      sees_all: true,
      permissions: ["member_read", "audit_read", "admin"],
    });
    const { wrapper } = await mountWithPlugins(App);
    await wrapper.find('[data-testid="login-username"]').setValue("admin");
    await wrapper.find('[data-testid="login-password"]').setValue("demo-admin");
    await wrapper.find('[data-testid="login-submit"]').trigger("click");
    await flushPromises();
    expect(reload).toHaveBeenCalledOnce();
  });
});
