// The 思想汇报 page against a fake api layer: a branch's members who owe reports with their
// missing quarters, the reports awaiting review with the total, the branch filter, reviewing a
// report with the member page's own dialog, and names and reports opening the member's file.
import { flushPromises } from "@vue/test-utils";
import { ElSelect } from "element-plus";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { orgBranches } from "@/api/org";
import { reportsMissingOfBranch, reportsReview, reportsUnreviewed } from "@/api/reports";
import { resetBranchesState } from "@/composables/useBranches";
import { UNREVIEWED_LIMIT } from "@/composables/useBranchReports";
import type { ReportSummary } from "@/generated/ReportSummary";
import ReportsView from "@/views/ReportsView.vue";
import { BRANCHES, mountWithPlugins } from "./helpers";

vi.mock("@/api/org", () => ({ orgBranches: vi.fn() }));
vi.mock("@/api/members", () => ({ memberList: vi.fn(), memberShow: vi.fn(() => new Promise(() => {})) }));
vi.mock("@/api/reports", () => ({
  reportsList: vi.fn(async () => []),
  reportsMissing: vi.fn(async () => []),
  reportsShow: vi.fn(() => new Promise(() => {})),
  reportsAdd: vi.fn(),
  reportsReview: vi.fn(),
  reportsMissingOfBranch: vi.fn(),
  reportsUnreviewed: vi.fn(),
}));

function report(overrides: Partial<ReportSummary> & Pick<ReportSummary, "id">): ReportSummary {
  return {
    member_id: 7,
    member_name: "张晓燕",
    date: "2026-11-20",
    period: "2026Q4",
    title: "2026年第4季度思想汇报",
    source: "typed",
    file_name: null,
    reviewer: null,
    review_comment: null,
    reviewed_on: null,
    length: 900,
    ...overrides,
  };
}

beforeEach(() => {
  resetBranchesState();
  vi.mocked(orgBranches).mockReset().mockResolvedValue(BRANCHES);
  vi.mocked(reportsMissingOfBranch)
    .mockReset()
    .mockResolvedValue([
      { member_id: 7, name: "张晓燕", missing: ["2026Q2", "2026Q3"] },
      { member_id: 9, name: "欧阳喆", missing: ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2", "2026Q3"] },
    ]);
  vi.mocked(reportsUnreviewed)
    .mockReset()
    .mockResolvedValue({
      total: 130,
      reports: [report({ id: 41 }), report({ id: 40, member_id: 9, member_name: "欧阳喆", date: "2026-10-02" })],
    });
  vi.mocked(reportsReview).mockReset().mockResolvedValue(undefined);
});

describe("the thought-report page", () => {
  it("lists who owes which quarters and the reports awaiting review", async () => {
    const { wrapper } = await mountWithPlugins(ReportsView, { path: "/reports" });
    expect(reportsMissingOfBranch).toHaveBeenCalledWith(null);
    expect(reportsUnreviewed).toHaveBeenCalledWith(null, UNREVIEWED_LIMIT);

    const owing = wrapper.find('[data-testid="reports-owing"]');
    expect(owing.find('[data-testid="reports-owing-total"]').text()).toBe("共 2 人欠交");
    expect(owing.findAll('[data-testid="reports-owing-member"]').map((b) => b.text())).toEqual(["张晓燕", "欧阳喆"]);
    const rows = owing.findAll("tbody tr");
    expect(rows[0]!.findAll('[data-testid="reports-owing-quarter"]').map((q) => q.text())).toEqual(["2026Q2", "2026Q3"]);
    // Six quarters named, then "…" and the count.
    expect(rows[1]!.findAll('[data-testid="reports-owing-quarter"]')).toHaveLength(6);
    expect(rows[1]!.text()).toContain("缺 7 个季度");

    const unreviewed = wrapper.find('[data-testid="reports-unreviewed"]');
    expect(unreviewed.find('[data-testid="reports-unreviewed-total"]').text()).toBe("共 130 份未审阅，显示最新 2 份");
    expect(unreviewed.findAll('[data-testid="reports-unreviewed-member"]').map((b) => b.text())).toEqual([
      "张晓燕",
      "欧阳喆",
    ]);
    expect(unreviewed.text()).toContain("2026年第4季度思想汇报");
  });

  it("asks again for the branch chosen", async () => {
    const { wrapper } = await mountWithPlugins(ReportsView, { path: "/reports" });
    const select = wrapper.findAllComponents(ElSelect).find((s) => s.attributes("data-testid") === "reports-branch");
    select!.vm.$emit("update:modelValue", 2);
    await flushPromises();
    expect(reportsMissingOfBranch).toHaveBeenLastCalledWith(2);
    expect(reportsUnreviewed).toHaveBeenLastCalledWith(2, UNREVIEWED_LIMIT);
  });

  it("says so when nobody owes and nothing awaits review", async () => {
    vi.mocked(reportsMissingOfBranch).mockResolvedValue([]);
    vi.mocked(reportsUnreviewed).mockResolvedValue({ total: 0, reports: [] });
    const { wrapper } = await mountWithPlugins(ReportsView, { path: "/reports" });
    expect(wrapper.find('[data-testid="reports-owing"]').text()).toContain("没有欠交思想汇报的人员");
    expect(wrapper.find('[data-testid="reports-unreviewed"]').text()).toContain("没有待审阅的思想汇报");
  });

  it("reviews a report with the member page's dialog and reloads the list", async () => {
    const { wrapper } = await mountWithPlugins(ReportsView, { path: "/reports" });
    await wrapper.findAll('[data-testid="reports-review"]')[1]!.trigger("click");
    await flushPromises();
    const dialog = wrapper.findComponent({ name: "MemberDetailReviewDialog" });
    expect(dialog.props("modelValue")).toBe(true);
    expect(dialog.props("report")).toMatchObject({ id: 40, member_name: "欧阳喆" });
    await dialog.find('[data-testid="review-reviewer"]').setValue("李书记");
    await dialog.find('[data-testid="review-comment"]').setValue("联系实际，继续努力");
    vi.mocked(reportsUnreviewed).mockResolvedValue({ total: 129, reports: [report({ id: 41 })] });
    await dialog.find('[data-testid="review-save"]').trigger("click");
    await flushPromises();
    expect(reportsReview).toHaveBeenCalledWith(40, {
      reviewer: "李书记",
      comment: "联系实际，继续努力",
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(dialog.props("modelValue")).toBe(false);
    expect(wrapper.find('[data-testid="reports-unreviewed-total"]').text()).toBe("共 129 份未审阅，显示最新 1 份");
  });

  it("opens the member's file, with the report shown for a report", async () => {
    const { wrapper, router } = await mountWithPlugins(ReportsView, { path: "/reports" });
    await wrapper.findAll('[data-testid="reports-open"]')[1]!.trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe("/members/9?report=40");
  });

  it("opens the file of a member who owes reports", async () => {
    const { wrapper, router } = await mountWithPlugins(ReportsView, { path: "/reports" });
    await wrapper.findAll('[data-testid="reports-owing-member"]')[0]!.trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/members/7");
  });
});
