// The shell for a user who is not the admin: the header counts the members in their scope, the
// side navigation shows only the pages their role may open (from the permissions the session
// carries), and a page they may not open cannot be reached by its address either.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { archiveInfo } from "@/api/archive";
import { memberList } from "@/api/members";
import { orgBranches } from "@/api/org";
import { sessionCurrent } from "@/api/session";
import App from "@/App.vue";
import { resetArchiveInfoState } from "@/composables/useArchiveInfo";
import { resetBranchesState } from "@/composables/useBranches";
import { resetMemberListState } from "@/composables/useMemberList";
import { resetSessionState } from "@/composables/useSession";
import { shortPath } from "@/display";
import type { SessionInfo } from "@/generated/SessionInfo";
import { BRANCHES, mountWithPlugins, summary } from "./helpers";

vi.mock("@/api/session", () => ({
  sessionCurrent: vi.fn(),
  sessionLogin: vi.fn(),
  sessionLogout: vi.fn(),
  sessionChangePassword: vi.fn(),
  sessionDemoAccounts: vi.fn(async () => []),
}));
vi.mock("@/api/archive", () => ({ archiveInfo: vi.fn() }));
vi.mock("@/api/members", () => ({ memberList: vi.fn(), memberShow: vi.fn() }));
vi.mock("@/api/org", () => ({ orgBranches: vi.fn() }));
vi.mock("@/api/audit", () => ({
  auditList: vi.fn(async () => ({ total: 0, rows: [], actors: [] })),
  auditVerify: vi.fn(),
}));
vi.mock("@/api/stats", () => ({ statsOverview: vi.fn(() => new Promise(() => {})) }));
vi.mock("@/api/reminders", () => ({ remindersList: vi.fn(async () => []) }));

const SECRETARY: SessionInfo = {
  username: "secretary",
  display_name: "计算机学院本科生第一党支部书记",
  role: "secretary",
  role_zh: "支部书记",
  scope: ["计算机学院/本科生第一党支部"],
  sees_all: false,
  permissions: ["member_read", "report_write", "meeting_write", "appraisal_write"],
};

const CLERK: SessionInfo = {
  username: "clerk",
  display_name: "档案员",
  role: "clerk",
  role_zh: "档案员",
  scope: [],
  sees_all: true,
  permissions: ["member_read", "import", "export", "documents"],
};

beforeEach(() => {
  resetArchiveInfoState();
  resetBranchesState();
  resetMemberListState();
  resetSessionState();
  vi.mocked(sessionCurrent).mockReset().mockResolvedValue(SECRETARY);
  vi.mocked(archiveInfo).mockReset().mockResolvedValue({
    path: "/home/shuji/.local/share/dangan/archive",
    schema_version: 16,
    program_version: "0.1.0",
    members: 20000,
    visible_members: 57,
    encrypted: false,
  });
  vi.mocked(memberList).mockReset().mockResolvedValue({ total: 1, rows: [summary({ id: 7, name: "张晓燕" })] });
  vi.mocked(orgBranches).mockReset().mockResolvedValue(BRANCHES);
});

afterEach(() => {
  document.body.innerHTML = "";
});

function navKeys(wrapper: Awaited<ReturnType<typeof mountWithPlugins>>["wrapper"]) {
  return wrapper.findAll('[data-testid^="nav-"]').map((item) => item.attributes("data-testid"));
}

describe("App shell for a role without every permission", () => {
  it("counts the members the secretary sees, with the archive's total in the tooltip", async () => {
    const { wrapper } = await mountWithPlugins(App);
    const count = wrapper.find('[data-testid="archive-members"]');
    expect(count.text()).toBe("范围内 57 名成员");
    expect(count.attributes("title")).toBe("全库共 20000 名成员，您可查看 57 名");
    expect(wrapper.find('[data-testid="archive-summary"]').text()).not.toContain("20000");
  });

  it("hides 审计日志 and 导入导出 from a secretary and keeps the rest in order", async () => {
    const { wrapper } = await mountWithPlugins(App);
    expect(navKeys(wrapper)).toEqual(["nav-members", "nav-reports", "nav-meetings", "nav-dashboard", "nav-settings"]);
  });

  it("shows 导入导出 but not 审计日志 to a clerk", async () => {
    vi.mocked(sessionCurrent).mockResolvedValue(CLERK);
    const { wrapper } = await mountWithPlugins(App);
    expect(navKeys(wrapper)).toContain("nav-exchange");
    expect(navKeys(wrapper)).not.toContain("nav-audit");
  });

  it("sends a secretary who opens the audit page by its address to the member list", async () => {
    const { wrapper, router } = await mountWithPlugins(App, { path: "/audit" });
    expect(router.currentRoute.value.path).toBe("/members");
    expect(wrapper.find('[data-testid="audit"]').exists()).toBe(false);

    await router.push("/exchange");
    expect(router.currentRoute.value.path).toBe("/members");
    await router.push("/meetings");
    expect(router.currentRoute.value.path).toBe("/meetings");
  });

  it("hides the backup tab of the settings page from a role that may not back up", async () => {
    const { wrapper } = await mountWithPlugins(App, { path: "/settings" });
    const tabs = wrapper.findAll('[data-testid="settings-tabs"] .el-tabs__item').map((tab) => tab.text());
    expect(tabs).toEqual(["档案库"]);
  });
});

describe("shortPath", () => {
  it("keeps the last two folders of a long path, either separator", () => {
    expect(shortPath("/home/a/.local/share/dangan/archive")).toBe("…/dangan/archive");
    expect(shortPath("C:\\Users\\a\\AppData\\Roaming\\dangan\\data\\archive")).toBe("…\\data\\archive");
    expect(shortPath("/srv/archive")).toBe("/srv/archive");
  });
});
