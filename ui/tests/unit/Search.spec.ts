// The header's search box and the results page against a fake api layer: Enter opens the page,
// hits show their kind and snippet with the matches marked (built from offsets, as text), and a
// report opens its author's file with the report named in the URL.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { archiveInfo } from "@/api/archive";
import { memberList, memberShow } from "@/api/members";
import { orgBranches } from "@/api/org";
import { searchQuery } from "@/api/search";
import App from "@/App.vue";
import { resetArchiveInfoState } from "@/composables/useArchiveInfo";
import { resetBranchesState } from "@/composables/useBranches";
import { resetMemberListState } from "@/composables/useMemberList";
import { highlightParts } from "@/highlight";
import { BRANCHES, detail, mountWithPlugins, summary } from "./helpers";

vi.mock("@/api/session", () => ({
  sessionCurrent: vi.fn(async () => ({
    username: "admin",
    display_name: "系统管理员",
    role: "admin",
    role_zh: "管理员",
    scope: [],
    sees_all: true,
    permissions: ["member_read", "import", "export", "audit_read", "admin"],
  })),
  sessionLogin: vi.fn(),
  sessionLogout: vi.fn(),
  sessionChangePassword: vi.fn(),
  sessionDemoAccounts: vi.fn(async () => []),
}));
vi.mock("@/api/archive", () => ({ archiveInfo: vi.fn() }));
vi.mock("@/api/members", () => ({ memberList: vi.fn(), memberShow: vi.fn() }));
vi.mock("@/api/org", () => ({ orgBranches: vi.fn() }));
vi.mock("@/api/search", () => ({ searchQuery: vi.fn() }));
vi.mock("@/api/lifecycle", () => ({
  lifecycleSteps: vi.fn(async () => []),
  lifecycleCheckMember: vi.fn(async () => []),
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
}));

beforeEach(() => {
  resetArchiveInfoState();
  resetBranchesState();
  resetMemberListState();
  vi.mocked(archiveInfo).mockReset().mockResolvedValue({
    path: "/tmp/archive",
    schema_version: 3,
    program_version: "0.1.0",
    members: 20000,
    visible_members: 20000,
    encrypted: false,
  });
  vi.mocked(memberList).mockReset().mockResolvedValue({ total: 1, rows: [summary({ id: 7, name: "张晓燕" })] });
  vi.mocked(memberShow).mockReset().mockResolvedValue(detail());
  vi.mocked(orgBranches).mockReset().mockResolvedValue(BRANCHES);
  vi.mocked(searchQuery).mockReset().mockResolvedValue({
    total: 3,
    ranked: true,
    hits: [
      {
        kind: "member",
        id: 7,
        member_id: 7,
        title: "张晓燕",
        subtitle: "本科生第一党支部",
        snippet: "学号 20210007 · 计算机学院本科生第一党支部",
        highlights: [],
      },
      {
        kind: "thought_report",
        id: 31,
        member_id: 7,
        title: "2026年第1季度思想汇报",
        subtitle: "张晓燕 · 2026Q1 · 2026-03-20",
        snippet: "本季度我系统学习了党史，参加党史学习教育<b>活动</b>",
        highlights: [
          [9, 11],
          [14, 16],
        ],
      },
    ],
  });
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("highlightParts", () => {
  it("splits the snippet at the ranges", () => {
    expect(highlightParts("学习党史心得", [[2, 4]])).toEqual([
      { text: "学习", mark: false },
      { text: "党史", mark: true },
      { text: "心得", mark: false },
    ]);
  });

  it("counts characters outside the BMP as one, as the core does", () => {
    // 𠮷 is one character (two UTF-16 units); the core's offset 1..3 means 党史.
    expect(highlightParts("𠮷党史", [[1, 3]])).toEqual([
      { text: "𠮷", mark: false },
      { text: "党史", mark: true },
    ]);
  });

  it("sorts, trims overlaps and clamps ranges past the end", () => {
    expect(
      highlightParts("abcdef", [
        [4, 9],
        [0, 2],
        [1, 3],
      ]),
    ).toEqual([
      { text: "ab", mark: true },
      { text: "c", mark: true },
      { text: "d", mark: false },
      { text: "ef", mark: true },
    ]);
    expect(highlightParts("", [[0, 2]])).toEqual([]);
  });
});

describe("search", () => {
  it("opens the results page on Enter and marks the matches as text", async () => {
    const { wrapper, router } = await mountWithPlugins(App, { path: "/members" });
    const input = wrapper.find('[data-testid="global-search"]');
    await input.setValue(" 党史 ");
    await input.trigger("keydown", { key: "Enter" });
    await flushPromises();

    expect(router.currentRoute.value.name).toBe("search");
    expect(router.currentRoute.value.query.q).toBe("党史");
    expect(searchQuery).toHaveBeenCalledWith("党史", expect.any(Number));
    const page = wrapper.find('[data-testid="search-results"]');
    expect(page.text()).toContain("共 3 条结果，显示前 2 条");
    const hits = wrapper.findAll('[data-testid="search-hit"]');
    expect(hits.map((hit) => hit.attributes("data-kind"))).toEqual(["member", "thought_report"]);
    expect(hits[0]!.text()).toContain("党员");
    expect(hits[1]!.text()).toContain("思想汇报");
    // Whose report it is, and for when: ten reports can share a title.
    expect(hits[1]!.find('[data-testid="search-hit-subtitle"]').text()).toBe(
      "张晓燕 · 2026Q1 · 2026-03-20",
    );
    expect(hits[1]!.findAll("mark").map((mark) => mark.text())).toEqual(["党史", "党史"]);
    // The snippet's markup is shown as text, never parsed.
    expect(hits[1]!.find("b").exists()).toBe(false);
    expect(hits[1]!.text()).toContain("<b>活动</b>");
  });

  it("opens the author's file with the report named, and a member's file", async () => {
    const { wrapper, router } = await mountWithPlugins(App, { path: "/search?q=党史" });
    expect(wrapper.find<HTMLInputElement>('[data-testid="global-search"]').element.value).toBe("党史");
    await wrapper.findAll('[data-testid="search-hit"]')[1]!.trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.name).toBe("member-detail");
    expect(router.currentRoute.value.params.id).toBe("7");
    expect(router.currentRoute.value.query.report).toBe("31");

    await router.push("/search?q=张晓燕");
    await flushPromises();
    await wrapper.findAll('[data-testid="search-hit"]')[0]!.trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe("/members/7");
  });

  it("says so when nothing is found, and shows an error with a retry", async () => {
    vi.mocked(searchQuery).mockResolvedValueOnce({ total: 0, ranked: true, hits: [] });
    const { wrapper } = await mountWithPlugins(App, { path: "/search?q=无此词" });
    expect(wrapper.find('[data-testid="search-results"]').text()).toContain("没有找到结果");

    vi.mocked(searchQuery).mockRejectedValueOnce({ code: "database", message: "disk I/O error", details: null });
    const { wrapper: failed } = await mountWithPlugins(App, { path: "/search?q=党史" });
    expect(failed.find('[data-testid="search-results"]').text()).toContain("disk I/O error");
  });
});
