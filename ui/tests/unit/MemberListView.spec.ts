// The member list page against a fake api layer: rows, search, filters, paging, errors.
import { flushPromises } from "@vue/test-utils";
import { ElOption, ElPagination } from "element-plus";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { memberList } from "@/api/members";
import { orgBranches } from "@/api/org";
import MemberListFilters from "@/components/MemberListFilters.vue";
import { resetBranchesState } from "@/composables/useBranches";
import { resetMemberListState, SEARCH_DEBOUNCE_MS } from "@/composables/useMemberList";
import type { MemberPage } from "@/generated/MemberPage";
import MemberListView from "@/views/MemberListView.vue";
import { BRANCHES, mountWithPlugins, summary } from "./helpers";

vi.mock("@/api/members", () => ({ memberList: vi.fn(), memberShow: vi.fn() }));
vi.mock("@/api/org", () => ({ orgBranches: vi.fn() }));

const PAGE: MemberPage = {
  total: 1234,
  rows: [
    summary({ id: 1, name: "王建国", sex: "male", stage: "applicant" }),
    summary({ id: 2, name: "李娜", sex: "female", stage: "full_member" }),
    summary({ id: 3, name: "欧阳明", sex: null, stage: "disqualified", student_no: null }),
  ],
};

function lastQuery() {
  const calls = vi.mocked(memberList).mock.calls;
  const last = calls[calls.length - 1];
  if (!last) throw new Error("member_list was never called");
  return last[0];
}

beforeEach(() => {
  resetMemberListState();
  resetBranchesState();
  vi.mocked(memberList).mockReset().mockResolvedValue(PAGE);
  vi.mocked(orgBranches).mockReset().mockResolvedValue(BRANCHES);
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("MemberListView", () => {
  it("asks for the first page with no filters and renders the rows", async () => {
    const { wrapper } = await mountWithPlugins(MemberListView);

    expect(memberList).toHaveBeenCalledTimes(1);
    expect(lastQuery()).toEqual({ text: null, branch_id: null, stage: null, offset: 0, limit: 50 });

    const table = wrapper.find('[data-testid="member-table"]');
    const rows = table.findAll("tbody tr.el-table__row");
    expect(rows).toHaveLength(3);
    expect(rows.map((row) => row.find("td").text())).toEqual(["王建国", "李娜", "欧阳明"]);
    expect(rows[0]!.text()).toContain("男");
    expect(rows[1]!.text()).toContain("女");
    expect(rows[0]!.text()).toContain("110101********123X");
    expect(wrapper.find('[data-testid="member-total"]').text()).toBe("共 1234 人");
  });

  it("labels stage tags in Chinese", async () => {
    const { wrapper } = await mountWithPlugins(MemberListView);
    const tags = wrapper.findAll('[data-testid="member-table"] tbody .el-tag');
    expect(tags.map((tag) => tag.text())).toEqual(["申请人", "正式党员", "已除名/取消资格"]);
    expect(tags[1]!.classes()).toContain("el-tag--danger");
  });

  it("shows a dash for missing values", async () => {
    const { wrapper } = await mountWithPlugins(MemberListView);
    const cells = wrapper.findAll("tbody tr.el-table__row")[2]!.findAll("td");
    expect(cells[1]!.text()).toBe("—");
    expect(cells[2]!.text()).toBe("—");
  });

  it("puts the test id on the real <input> and searches once typing pauses", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const { wrapper } = await mountWithPlugins(MemberListView);
    vi.mocked(memberList).mockClear();

    const input = wrapper.find('[data-testid="member-search"]');
    expect(input.element.tagName).toBe("INPUT");
    expect(input.attributes("placeholder")).toBe("搜索姓名、学号或身份证号后几位");

    await input.setValue("王");
    vi.advanceTimersByTime(100);
    await input.setValue("王建");
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS - 1);
    expect(memberList).not.toHaveBeenCalled();

    vi.advanceTimersByTime(1);
    await flushPromises();
    expect(memberList).toHaveBeenCalledTimes(1);
    expect(lastQuery()).toEqual({ text: "王建", branch_id: null, stage: null, offset: 0, limit: 50 });
  });

  it("passes offset and limit when paging", async () => {
    vi.mocked(memberList).mockResolvedValue({ ...PAGE, total: 1234 });
    const { wrapper } = await mountWithPlugins(MemberListView);

    await wrapper.find(".el-pagination .btn-next").trigger("click");
    await flushPromises();
    expect(lastQuery()).toMatchObject({ offset: 50, limit: 50 });

    await wrapper.findComponent(ElPagination).vm.$emit("update:page-size", 200);
    await flushPromises();
    expect(lastQuery()).toMatchObject({ offset: 0, limit: 200 });

    const pageFour = wrapper.findAll(".el-pager li").find((item) => item.text() === "4");
    expect(pageFour).toBeDefined();
    await pageFour!.trigger("click");
    await flushPromises();
    expect(lastQuery()).toMatchObject({ offset: 600, limit: 200 });
  });

  it("filters by branch and stage, back to the first page", async () => {
    const { wrapper } = await mountWithPlugins(MemberListView);
    await wrapper.find(".el-pagination .btn-next").trigger("click");
    await flushPromises();

    const filters = wrapper.findComponent(MemberListFilters);
    filters.vm.$emit("update:branchId", 2);
    await flushPromises();
    expect(lastQuery()).toEqual({ text: null, branch_id: 2, stage: null, offset: 0, limit: 50 });

    filters.vm.$emit("update:stage", "development_target");
    await flushPromises();
    expect(lastQuery()).toEqual({ text: null, branch_id: 2, stage: "development_target", offset: 0, limit: 50 });
  });

  it("offers branches as 学院 · 支部 and all nine stages in Chinese", async () => {
    const { wrapper } = await mountWithPlugins(MemberListView);
    const filters = wrapper.findComponent(MemberListFilters);
    // Element Plus renders the options into a teleported popper once a select is opened.
    for (const select of filters.findAll(".el-select__wrapper")) {
      await select.trigger("click");
    }
    await flushPromises();
    const options = filters.findAllComponents(ElOption).map((option) => option.text());
    expect(options).toEqual([
      "计算机学院 · 本科生第一党支部",
      "外国语学院 · 研究生党支部",
      "申请人",
      "入党积极分子",
      "发展对象",
      "预备党员",
      "正式党员",
      "已转出",
      "已除名/取消资格",
      "已退党",
      "已故",
    ]);
  });

  it("opens a member's file when a row is clicked", async () => {
    const { wrapper, router } = await mountWithPlugins(MemberListView);
    await wrapper.findAll("tbody tr.el-table__row")[1]!.find("td").trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe("/members/2");
  });

  it("keeps the search, filters and page when the page is left and opened again", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const first = await mountWithPlugins(MemberListView);
    await first.wrapper.find('[data-testid="member-search"]').setValue("李");
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    await flushPromises();
    await first.wrapper.find(".el-pagination .btn-next").trigger("click");
    await flushPromises();
    first.wrapper.unmount();

    vi.mocked(memberList).mockClear();
    const second = await mountWithPlugins(MemberListView);
    const input = second.wrapper.find<HTMLInputElement>('[data-testid="member-search"]');
    expect(input.element.value).toBe("李");
    expect(lastQuery()).toEqual({ text: "李", branch_id: null, stage: null, offset: 50, limit: 50 });
  });

  it("shows the ApiError message when the list cannot be loaded", async () => {
    vi.mocked(memberList).mockRejectedValue({ code: "db_locked", message: "档案库被占用", details: null });
    const { wrapper } = await mountWithPlugins(MemberListView);
    const alert = wrapper.find('[data-testid="error-alert"]');
    expect(alert.exists()).toBe(true);
    expect(alert.text()).toContain("档案库被占用");
    expect(wrapper.find('[data-testid="member-total"]').text()).toBe("共 0 人");

    vi.mocked(memberList).mockResolvedValue(PAGE);
    await alert.find("button").trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-testid="error-alert"]').exists()).toBe(false);
    expect(wrapper.findAll("tbody tr.el-table__row")).toHaveLength(3);
  });

  it("drops a slow answer to an older search", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    let answerOld: (page: MemberPage) => void = () => {};
    vi.mocked(memberList).mockImplementationOnce(
      () => new Promise<MemberPage>((resolve) => (answerOld = resolve)),
    );
    const { wrapper } = await mountWithPlugins(MemberListView);

    vi.mocked(memberList).mockResolvedValue({ total: 1, rows: [summary({ id: 9, name: "赵新" })] });
    await wrapper.find('[data-testid="member-search"]').setValue("赵");
    vi.advanceTimersByTime(SEARCH_DEBOUNCE_MS);
    await flushPromises();
    answerOld(PAGE);
    await flushPromises();

    const names = wrapper.findAll("tbody tr.el-table__row").map((row) => row.find("td").text());
    expect(names).toEqual(["赵新"]);
    expect(wrapper.find('[data-testid="member-total"]').text()).toBe("共 1 人");
  });
});
