// The whole app shell against a fake api layer: navigation, header, language switch, pages.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { archiveInfo } from "@/api/archive";
import { memberList, memberShow } from "@/api/members";
import { orgBranches } from "@/api/org";
import App from "@/App.vue";
import { resetArchiveInfoState } from "@/composables/useArchiveInfo";
import { resetBranchesState } from "@/composables/useBranches";
import { resetMemberListState } from "@/composables/useMemberList";
import { BRANCHES, detail, mountWithPlugins, summary } from "./helpers";

vi.mock("@/api/session", () => ({
  sessionCurrent: vi.fn(async () => ({
    username: "admin",
    display_name: "系统管理员",
    role: "admin",
    role_zh: "管理员",
    scope: [],
    sees_all: true,
    permissions: [
      "member_read",
      "member_write",
      "report_write",
      "meeting_write",
      "appraisal_write",
      "import",
      "export",
      "documents",
      "backup",
      "restore",
      "audit_read",
      "admin",
    ],
  })),
  sessionLogin: vi.fn(),
  sessionLogout: vi.fn(),
  sessionChangePassword: vi.fn(),
  sessionDemoAccounts: vi.fn(async () => []),
}));
vi.mock("@/api/archive", () => ({ archiveInfo: vi.fn() }));
vi.mock("@/api/members", () => ({ memberList: vi.fn(), memberShow: vi.fn() }));
vi.mock("@/api/org", () => ({ orgBranches: vi.fn() }));
vi.mock("@/api/lifecycle", () => ({
  lifecycleSteps: vi.fn(async () => []),
  lifecycleCheckMember: vi.fn(async () => []),
  lifecyclePreviewStep: vi.fn(async () => []),
  lifecycleAddStep: vi.fn(),
  lifecyclePlan: vi.fn(async () => ({
    member_id: 7,
    name: "张晓燕",
    as_of: "2026-09-01",
    leaves_on: null,
    steps: [],
    conflicts: [],
  })),
  lifecycleMaterials: vi.fn(async () => []),
  lifecycleEventFiles: vi.fn(async () => []),
}));

vi.mock("@/api/reports", () => ({
  reportsList: vi.fn(async () => []),
  reportsMissing: vi.fn(async () => []),
  reportsShow: vi.fn(),
  reportsAdd: vi.fn(),
  reportsReview: vi.fn(),
  reportsMissingOfBranch: vi.fn(async () => []),
  reportsUnreviewed: vi.fn(async () => ({ total: 0, reports: [] })),
}));
vi.mock("@/api/stats", () => ({ statsOverview: vi.fn(() => new Promise(() => {})) }));
vi.mock("@/api/reminders", () => ({ remindersList: vi.fn(async () => []) }));

vi.mock("@/api/audit", () => ({
  auditList: vi.fn(async () => ({ total: 0, rows: [], actors: [] })),
  auditVerify: vi.fn(),
}));

const NAV_IDS = ["members", "reports", "meetings", "exchange", "dashboard", "audit", "settings"];

beforeEach(() => {
  resetArchiveInfoState();
  resetBranchesState();
  resetMemberListState();
  vi.mocked(archiveInfo).mockReset().mockResolvedValue({
    path: "/home/fudaoyuan/.local/share/dangan/archive.db",
    schema_version: 3,
    program_version: "0.1.0",
    members: 20000,
    visible_members: 20000,
    encrypted: false,
  });
  vi.mocked(memberList).mockReset().mockResolvedValue({ total: 1, rows: [summary({ id: 7, name: "张晓燕" })] });
  vi.mocked(memberShow).mockReset().mockResolvedValue(detail());
  vi.mocked(orgBranches).mockReset().mockResolvedValue(BRANCHES);
});

afterEach(() => {
  document.body.innerHTML = "";
});

function navLabels(wrapper: Awaited<ReturnType<typeof mountWithPlugins>>["wrapper"]) {
  return NAV_IDS.map((id) => wrapper.find(`[data-testid="nav-${id}"]`).text());
}

describe("App shell", () => {
  it("shows the side navigation in Chinese, in order, and the member list by default", async () => {
    const { wrapper, router } = await mountWithPlugins(App, { path: "/" });
    expect(router.currentRoute.value.path).toBe("/members");
    expect(navLabels(wrapper)).toEqual(["党员档案", "思想汇报", "会议记录", "导入导出", "统计提醒", "审计日志", "设置"]);
    expect(wrapper.find('[data-testid="nav-members"]').classes()).toContain("is-active");
    expect(wrapper.find('[data-testid="member-table"]').text()).toContain("张晓燕");
  });

  it("shows the title, the archive path and the member count in the header", async () => {
    const { wrapper } = await mountWithPlugins(App);
    const header = wrapper.find(".app-header");
    expect(header.find("h1").text()).toBe("党建档案");
    // The path shortened to its last folders, the whole of it as the tooltip.
    const path = header.find('[data-testid="archive-path"]');
    expect(path.text()).toBe("…/dangan/archive.db");
    expect(path.attributes("title")).toBe("档案库位置：/home/fudaoyuan/.local/share/dangan/archive.db");
    expect(header.find('[data-testid="archive-members"]').text()).toBe("共 20000 名成员");
  });

  it("switches the navigation, the page and Element Plus to English", async () => {
    const { wrapper } = await mountWithPlugins(App);
    expect(wrapper.find(".el-pagination").text()).toContain("前往");

    await wrapper.find('[data-testid="language-en"] input').setValue(true);
    await flushPromises();

    expect(navLabels(wrapper)).toEqual([
      "Member files",
      "Thought reports",
      "Meeting minutes",
      "Import / export",
      "Statistics & reminders",
      "Audit log",
      "Settings",
    ]);
    expect(wrapper.find('[data-testid="member-total"]').text()).toBe("1 people");
    expect(wrapper.find(".el-pagination").text()).toContain("Go to");
    expect(document.documentElement.lang).toBe("en");
    expect(localStorage.getItem("dangan.locale")).toBe("en");
  });

  it("navigates with the side menu to every page", async () => {
    const { wrapper, router } = await mountWithPlugins(App);
    for (const [id, testid] of [
      ["meetings", "meetings-record"],
      ["exchange", "exchange-tabs"],
      ["reports", "reports-page"],
      ["dashboard", "dashboard"],
      ["audit", "audit"],
    ] as const) {
      await wrapper.find(`[data-testid="nav-${id}"]`).trigger("click");
      await flushPromises();
      expect(router.currentRoute.value.path).toBe(`/${id}`);
      expect(wrapper.find(`[data-testid="${testid}"]`).exists()).toBe(true);
    }
  });

  it("shows the archive facts on the settings page", async () => {
    const { wrapper } = await mountWithPlugins(App, { path: "/settings" });
    const info = wrapper.find('[data-testid="archive-info"]');
    const labels = info.findAll(".el-descriptions__label").map((label) => label.text());
    const values = info.findAll(".el-descriptions__content").map((value) => value.text());
    expect(labels).toEqual(["档案库位置", "数据库结构版本", "程序版本", "成员人数"]);
    expect(values).toEqual(["/home/fudaoyuan/.local/share/dangan/archive.db", "3", "0.1.0", "20000"]);
  });

  it("opens a member's file from the list and comes back to the list", async () => {
    const { wrapper, router } = await mountWithPlugins(App);
    await wrapper.find('[data-testid="member-table"] tbody tr td').trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/members/7");
    expect(memberShow).toHaveBeenCalledWith(7);
    expect(wrapper.find('[data-testid="member-name"]').text()).toBe("张晓燕");
    expect(wrapper.find('[data-testid="nav-members"]').classes()).toContain("is-active");

    await wrapper.find(".el-page-header__back").trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/members");
  });

  it("explains that the core is missing when run outside the desktop window", async () => {
    vi.mocked(memberList).mockRejectedValue({ code: "no_backend", message: "needs the window", details: null });
    const { wrapper } = await mountWithPlugins(App);
    expect(wrapper.find('[data-testid="error-alert"]').text()).toContain("未连接到程序核心");
  });
});
