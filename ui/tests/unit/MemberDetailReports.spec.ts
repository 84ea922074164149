// The member page's 思想汇报 section against a fake api layer: the reports on file, the quarters
// the core says are missing, a report named in the URL opened with its text, and the dialogs that
// add a typed report (period and title defaulting from the date) and review one.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  lifecycleCheckMember,
  lifecycleEventFiles,
  lifecycleMaterials,
  lifecyclePlan,
  lifecycleSteps,
} from "@/api/lifecycle";
import { memberShow } from "@/api/members";
import { reportsAdd, reportsList, reportsMissing, reportsReview, reportsShow } from "@/api/reports";
import { resetLifecycleStepsState } from "@/composables/useLifecycleSteps";
import type { ReportSummary } from "@/generated/ReportSummary";
import { defaultTitle, periodChoices, quarterOf } from "@/reportForm";
import MemberDetailView from "@/views/MemberDetailView.vue";
import { detail, mountWithPlugins, plan } from "./helpers";

vi.mock("@/api/members", () => ({ memberList: vi.fn(), memberShow: vi.fn() }));
vi.mock("@/api/lifecycle", () => ({
  lifecycleSteps: vi.fn(),
  lifecycleCheckMember: vi.fn(),
  lifecyclePlan: vi.fn(),
  lifecycleMaterials: vi.fn(),
  lifecycleEventFiles: vi.fn(),
}));
vi.mock("@/api/documents", () => ({ documentsRead: vi.fn() }));
vi.mock("@/api/reports", () => ({
  reportsList: vi.fn(),
  reportsMissing: vi.fn(),
  reportsShow: vi.fn(),
  reportsAdd: vi.fn(),
  reportsReview: vi.fn(),
}));

function report(overrides: Partial<ReportSummary> & Pick<ReportSummary, "id" | "period">): ReportSummary {
  return {
    member_id: 7,
    member_name: "张晓燕",
    date: "2026-03-20",
    title: defaultTitle(overrides.period),
    source: "typed",
    file_name: null,
    reviewer: null,
    review_comment: null,
    reviewed_on: null,
    length: 900,
    ...overrides,
  };
}

const REPORTS = [
  report({ id: 31, period: "2026Q1" }),
  report({
    id: 30,
    period: "2025Q3",
    date: "2025-09-25",
    reviewer: "王老师",
    review_comment: "认识深刻",
    reviewed_on: "2025-10-08",
  }),
];

beforeEach(() => {
  resetLifecycleStepsState();
  vi.mocked(memberShow).mockReset().mockResolvedValue(detail());
  vi.mocked(lifecycleCheckMember).mockReset().mockResolvedValue([]);
  vi.mocked(lifecycleSteps).mockReset().mockResolvedValue([]);
  vi.mocked(lifecyclePlan).mockReset().mockResolvedValue(plan());
  vi.mocked(lifecycleMaterials).mockReset().mockResolvedValue([]);
  vi.mocked(lifecycleEventFiles).mockReset().mockResolvedValue([]);
  vi.mocked(reportsList).mockReset().mockResolvedValue(REPORTS);
  vi.mocked(reportsMissing)
    .mockReset()
    .mockResolvedValue([{ member_id: 7, name: "张晓燕", missing: ["2025Q4"] }]);
  vi.mocked(reportsShow)
    .mockReset()
    .mockResolvedValue({ ...REPORTS[0]!, body: "本季度我认真学习党史。\n第二段：参加志愿服务。" });
  vi.mocked(reportsAdd).mockReset().mockResolvedValue(32);
  vi.mocked(reportsReview).mockReset().mockResolvedValue(undefined);
  Element.prototype.scrollIntoView = vi.fn();
});

afterEach(() => {
  document.body.innerHTML = "";
});

function visible(selector: string): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(selector)].filter((el) => el.style.display !== "none");
}

describe("reportForm", () => {
  it("derives the quarter, the title and the choices of period", () => {
    expect(quarterOf("2026-03-31")).toBe("2026Q1");
    expect(quarterOf("2026-10-01")).toBe("2026Q4");
    expect(defaultTitle("2026Q1")).toBe("2026年第1季度思想汇报");
    const choices = periodChoices("2026-05-10", ["2023Q2", "2027Q1"]);
    expect(choices.slice(0, 3)).toEqual(["2026Q2", "2026Q1", "2025Q4"]);
    expect(choices).toContain("2024Q3");
    expect(choices).toContain("2023Q2");
    expect(choices).not.toContain("2027Q1");
    expect(choices).toHaveLength(9);
  });
});

describe("MemberDetailReports", () => {
  it("lists the reports with their review and warns of the missing quarters", async () => {
    const { wrapper } = await mountWithPlugins(MemberDetailView, { path: "/members/7", props: { id: 7 } });
    expect(reportsList).toHaveBeenCalledWith(7);
    expect(reportsMissing).toHaveBeenCalledWith(7);
    const section = wrapper.find('[data-testid="member-reports"]');
    expect(section.find("h3").text()).toBe("思想汇报");
    const rows = section.findAll("tbody tr");
    expect(rows).toHaveLength(2);
    expect(rows[0]!.text()).toContain("2026Q1");
    expect(rows[0]!.text()).toContain("2026年第1季度思想汇报");
    expect(rows[0]!.text()).toContain("未批阅");
    expect(rows[1]!.text()).toContain("王老师 已于 2025-10-08 批阅");
    const missing = section.find('[data-testid="reports-missing"]');
    expect(missing.text()).toContain("缺交 1 个季度");
    expect(missing.findAll('[data-testid="reports-missing-quarter"]').map((tag) => tag.text())).toEqual(["2025Q4"]);
    expect(reportsShow).not.toHaveBeenCalled();
  });

  it("opens the report named in the URL with its full text", async () => {
    await mountWithPlugins(MemberDetailView, { path: "/members/7?report=31", props: { id: 7 } });
    expect(reportsShow).toHaveBeenCalledWith(31);
    expect(Element.prototype.scrollIntoView).toHaveBeenCalled();
    const body = visible('[data-testid="report-viewer-body"]');
    expect(body).toHaveLength(1);
    expect(body[0]!.textContent).toBe("本季度我认真学习党史。\n第二段：参加志愿服务。");
  });

  it("adds a typed report for a missing quarter, with the title following the period", async () => {
    const { wrapper } = await mountWithPlugins(MemberDetailView, { path: "/members/7", props: { id: 7 } });
    await wrapper.find('[data-testid="reports-missing-quarter"]').trigger("click");
    await flushPromises();
    const dialog = wrapper.findComponent({ name: "MemberDetailReportDialog" });
    expect(dialog.find('[data-testid="report-period"]').attributes("data-value")).toBe("2025Q4");
    const title = dialog.find<HTMLInputElement>('[data-testid="report-title"]');
    expect(title.element.value).toBe("2025年第4季度思想汇报");
    expect(dialog.find('[data-testid="report-save"]').attributes("disabled")).toBeDefined();
    await dialog.find('[data-testid="report-body"]').setValue("补交的思想汇报正文");
    await dialog.find('[data-testid="report-save"]').trigger("click");
    await flushPromises();
    const [sent] = vi.mocked(reportsAdd).mock.calls[0]!;
    expect(sent).toMatchObject({
      member_id: 7,
      period: "2025Q4",
      title: "2025年第4季度思想汇报",
      body: "补交的思想汇报正文",
    });
    expect(sent.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // The list, the missing quarters and the findings are asked for again.
    expect(reportsList).toHaveBeenCalledTimes(2);
    expect(reportsMissing).toHaveBeenCalledTimes(2);
    expect(lifecycleCheckMember).toHaveBeenCalledTimes(2);
  });

  it("shows the core's refusal and keeps the dialog open", async () => {
    vi.mocked(reportsAdd).mockRejectedValueOnce({
      code: "invalid_argument",
      message: "date: 2099-01-01 is after today",
      details: null,
    });
    const { wrapper } = await mountWithPlugins(MemberDetailView, { path: "/members/7", props: { id: 7 } });
    await wrapper.find('[data-testid="report-add"]').trigger("click");
    await flushPromises();
    const dialog = wrapper.findComponent({ name: "MemberDetailReportDialog" });
    await dialog.find('[data-testid="report-body"]').setValue("正文");
    await dialog.find('[data-testid="report-save"]').trigger("click");
    await flushPromises();
    expect(dialog.find('[data-testid="step-save-error"]').text()).toContain("is after today");
    expect(dialog.props("modelValue")).toBe(true);
  });

  it("reviews a report", async () => {
    const { wrapper } = await mountWithPlugins(MemberDetailView, { path: "/members/7", props: { id: 7 } });
    await wrapper.findAll('[data-testid="report-review"]')[0]!.trigger("click");
    await flushPromises();
    const dialog = wrapper.findComponent({ name: "MemberDetailReviewDialog" });
    await dialog.find('[data-testid="review-reviewer"]').setValue("李书记");
    await dialog.find('[data-testid="review-comment"]').setValue("联系实际，继续努力");
    await dialog.find('[data-testid="review-save"]').trigger("click");
    await flushPromises();
    expect(reportsReview).toHaveBeenCalledWith(31, {
      reviewer: "李书记",
      comment: "联系实际，继续努力",
      date: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/),
    });
    expect(dialog.props("modelValue")).toBe(false);
  });
});
