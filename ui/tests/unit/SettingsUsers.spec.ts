// 用户管理 against a fake api layer: the table (roles in Chinese, scopes, 正常/已锁定至/已停用), a new
// user with a scope picked in the organisation tree, 停用 after a confirmation, a refusal from the
// core shown as it came, and the tab shown to an admin only.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { archiveInfo } from "@/api/archive";
import {
  usersCreate,
  usersList,
  usersResetPassword,
  usersScopeChoices,
  usersSetDisabled,
  usersUnlock,
} from "@/api/users";
import SettingsUsers from "@/components/SettingsUsers.vue";
import { resetArchiveInfoState } from "@/composables/useArchiveInfo";
import { resetSessionState, useSession } from "@/composables/useSession";
import type { UserSummary } from "@/generated/UserSummary";
import SettingsView from "@/views/SettingsView.vue";
import { mountWithPlugins } from "./helpers";

vi.mock("@/api/users", () => ({
  usersList: vi.fn(),
  usersScopeChoices: vi.fn(),
  usersCreate: vi.fn(),
  usersResetPassword: vi.fn(),
  usersUnlock: vi.fn(),
  usersSetScopes: vi.fn(),
  usersSetDisabled: vi.fn(),
  usersSetRole: vi.fn(),
}));
vi.mock("@/api/archive", () => ({ archiveInfo: vi.fn() }));

function user(overrides: Partial<UserSummary> & Pick<UserSummary, "id" | "username" | "role">): UserSummary {
  return {
    display_name: overrides.username,
    scope: [],
    scope_unit_ids: [],
    locked_until: null,
    failed_attempts: 0,
    disabled: false,
    created_at: "2026-12-01T01:00:00Z",
    changed_at: "2026-12-01T01:00:00Z",
    ...overrides,
  };
}

const FUTURE = "2999-01-02T03:04:00Z";

const USERS: UserSummary[] = [
  user({ id: 1, username: "admin", role: "admin", display_name: "系统管理员" }),
  user({
    id: 2,
    username: "counselor",
    role: "counselor",
    display_name: "计算机学院辅导员",
    scope: ["计算机学院党委"],
    scope_unit_ids: [2],
  }),
  user({ id: 3, username: "viewer", role: "viewer", scope: ["外国语学院党委"], scope_unit_ids: [3], locked_until: FUTURE }),
  user({ id: 4, username: "left", role: "clerk", disabled: true }),
];

beforeEach(() => {
  vi.mocked(usersList).mockReset().mockResolvedValue(USERS);
  vi.mocked(usersScopeChoices)
    .mockReset()
    .mockResolvedValue([
      { id: 1, parent_id: null, name: "某大学党委", kind: "university_committee" },
      { id: 2, parent_id: 1, name: "计算机学院党委", kind: "college_committee" },
      { id: 3, parent_id: 1, name: "外国语学院党委", kind: "college_committee" },
      { id: 4, parent_id: 2, name: "本科生第一党支部", kind: "branch" },
    ]);
  vi.mocked(usersCreate).mockReset().mockImplementation(async (u) =>
    user({ id: 9, username: u.username, role: u.role, scope_unit_ids: u.scopeUnitIds }),
  );
  vi.mocked(usersSetDisabled).mockReset();
  vi.mocked(usersResetPassword).mockReset();
  vi.mocked(usersUnlock).mockReset();
});

afterEach(() => {
  document.body.innerHTML = "";
  resetSessionState();
});

function body(selector: string): HTMLElement {
  const found = document.body.querySelector(selector);
  if (!found) throw new Error(`${selector} not found`);
  return found as HTMLElement;
}

async function type(selector: string, value: string) {
  const input = body(selector) as HTMLInputElement;
  input.value = value;
  input.dispatchEvent(new Event("input"));
  await flushPromises();
}

describe("SettingsUsers", () => {
  it("lists every account with its role in Chinese, its scope and its state", async () => {
    const { wrapper } = await mountWithPlugins(SettingsUsers, { props: { currentUser: "admin" } });
    const texts = (id: string) => wrapper.findAll(`[data-testid="${id}"]`).map((e) => e.text());
    expect(texts("user-name")).toEqual(["admin", "counselor", "viewer", "left"]);
    expect(texts("user-role")).toEqual(["管理员", "辅导员", "查阅人", "档案员"]);
    expect(texts("user-scope")).toEqual(["全部", "计算机学院党委", "外国语学院党委", "全部"]);
    const states = texts("user-state");
    expect(states[0]).toBe("正常");
    expect(states[2]).toMatch(/^已锁定至 2999-01-0\d \d\d:\d\d$/);
    expect(states[3]).toBe("已停用");
    // Nobody disables themselves or changes their own role; only a locked account offers 解锁.
    expect(wrapper.find('[data-testid="user-actions-admin"] [data-testid="user-toggle"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="user-actions-admin"] [data-testid="user-role-edit"]').exists()).toBe(false);
    expect(wrapper.findAll('[data-testid="user-unlock"]')).toHaveLength(1);
    expect(wrapper.get('[data-testid="user-actions-left"] [data-testid="user-toggle"]').text()).toBe("启用");
  });

  it("creates a counselor with a scope picked in the organisation tree", async () => {
    const { wrapper } = await mountWithPlugins(SettingsUsers, { props: { currentUser: "admin" } });
    await wrapper.get('[data-testid="users-create"]').trigger("click");
    await flushPromises();
    const save = body('[data-testid="users-dialog-save"]');
    expect(save.hasAttribute("disabled")).toBe(true);
    await type('[data-testid="new-username"]', "wang");
    await type('[data-testid="new-password"]', "short");
    expect(body('[data-testid="password-problem"]').textContent).toContain("至少需要 8 个字符");
    await type('[data-testid="new-password"]', "a-long-password");
    await type('[data-testid="new-password-repeat"]', "a-long-password");
    // A counselor needs a scope: still disabled until one is checked.
    expect(save.hasAttribute("disabled")).toBe(true);
    const node = [...document.body.querySelectorAll('[data-testid="scope-tree"] .el-tree-node__content')].find((n) =>
      n.textContent?.includes("计算机学院党委"),
    ) as HTMLElement;
    (node.querySelector(".el-checkbox__original") as HTMLElement).click();
    await flushPromises();
    expect(save.hasAttribute("disabled")).toBe(false);
    save.click();
    await flushPromises();
    expect(usersCreate).toHaveBeenCalledWith({
      username: "wang",
      displayName: null,
      role: "counselor",
      password: "a-long-password",
      scopeUnitIds: [2],
    });
    expect(wrapper.get('[data-testid="users-done"]').text()).toContain("已新建用户 wang");
    expect(usersList).toHaveBeenCalledTimes(2);
  });

  it("disables an account only after the confirmation", async () => {
    vi.mocked(usersSetDisabled).mockResolvedValue({ ...(USERS[1] as UserSummary), disabled: true });
    const { wrapper } = await mountWithPlugins(SettingsUsers, { props: { currentUser: "admin" } });
    await wrapper.get('[data-testid="user-actions-counselor"] [data-testid="user-toggle"]').trigger("click");
    await flushPromises();
    expect(body('[data-testid="disable-what"]').textContent).toContain("counselor 将不能再登录");
    expect(usersSetDisabled).not.toHaveBeenCalled();
    body('[data-testid="users-dialog-save"]').click();
    await flushPromises();
    expect(usersSetDisabled).toHaveBeenCalledWith("counselor", true);
    expect(wrapper.get('[data-testid="users-done"]').text()).toContain("已停用 counselor");
  });

  it("shows the core's refusal in the dialog", async () => {
    vi.mocked(usersSetDisabled).mockRejectedValue({
      code: "last_admin",
      message: "admin2 是最后一个启用的管理员：至少要保留一个启用的管理员账号",
      details: { username: "admin2" },
    });
    const { wrapper } = await mountWithPlugins(SettingsUsers, { props: { currentUser: "someone" } });
    await wrapper.get('[data-testid="user-actions-admin"] [data-testid="user-toggle"]').trigger("click");
    await flushPromises();
    body('[data-testid="users-dialog-save"]').click();
    await flushPromises();
    const alert = body('[data-testid="users-dialog"] [data-testid="error-alert"]');
    expect(alert.dataset.errorCode).toBe("last_admin");
    expect(alert.textContent).toContain("最后一个启用的管理员");
  });

  it("resets a password and unlocks a locked account", async () => {
    const { wrapper } = await mountWithPlugins(SettingsUsers, { props: { currentUser: "admin" } });
    await wrapper.get('[data-testid="user-unlock"]').trigger("click");
    await flushPromises();
    expect(usersUnlock).toHaveBeenCalledWith("viewer");
    await wrapper.get('[data-testid="user-actions-viewer"] [data-testid="user-reset"]').trigger("click");
    await flushPromises();
    await type('[data-testid="new-password"]', "new-password-1");
    await type('[data-testid="new-password-repeat"]', "new-password-2");
    expect(body('[data-testid="password-problem"]').textContent).toContain("不一致");
    await type('[data-testid="new-password-repeat"]', "new-password-1");
    body('[data-testid="users-dialog-save"]').click();
    await flushPromises();
    expect(usersResetPassword).toHaveBeenCalledWith("viewer", "new-password-1");
  });
});

describe("SettingsView", () => {
  beforeEach(() => {
    resetArchiveInfoState();
    vi.mocked(archiveInfo).mockResolvedValue({
      path: "/tmp/archive.db",
      schema_version: 16,
      program_version: "0.1.0",
      members: 3,
      visible_members: 3,
      encrypted: false,
    });
  });

  const tabs = (wrapper: { findAll: (s: string) => { text: () => string }[] }) =>
    wrapper.findAll(".el-tabs__item").map((tab) => tab.text());

  it("shows 用户管理 to an admin", async () => {
    useSession().session.value = {
      username: "admin",
      display_name: "系统管理员",
      role: "admin",
      role_zh: "管理员",
      scope: [],
      sees_all: true,
      permissions: ["admin", "backup"],
    };
    const { wrapper } = await mountWithPlugins(SettingsView, { path: "/settings" });
    expect(tabs(wrapper)).toContain("用户管理");
  });

  it("hides it from everyone else", async () => {
    useSession().session.value = {
      username: "clerk",
      display_name: "档案员",
      role: "clerk",
      role_zh: "档案员",
      scope: [],
      sees_all: true,
      permissions: ["member_read", "import", "export", "documents"],
    };
    const { wrapper } = await mountWithPlugins(SettingsView, { path: "/settings" });
    expect(tabs(wrapper)).not.toContain("用户管理");
    // Nor 备份与恢复: a clerk may not back up.
    expect(tabs(wrapper)).toEqual(["档案库"]);
  });
});
