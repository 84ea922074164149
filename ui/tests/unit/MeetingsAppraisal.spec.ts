// The 民主评议 tab against a fake api layer: the branch's full members with a grade each, those
// already graded read-only, the core's warning when 优秀 is more than about a third (asked with a
// dry run while grading), and saving every chosen grade in one call.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { appraisalList, appraisalSet } from "@/api/appraisals";
import { meetingsRoll } from "@/api/meetings";
import MeetingsAppraisal from "@/components/MeetingsAppraisal.vue";
import type { AppraisalWarning } from "@/generated/AppraisalWarning";
import { mountWithPlugins } from "./helpers";

vi.mock("@/api/appraisals", () => ({ appraisalList: vi.fn(), appraisalSet: vi.fn() }));
vi.mock("@/api/meetings", () => ({ meetingsRoll: vi.fn() }));

const WARNING: AppraisalWarning = {
  rule: "excellent_share",
  rule_title: "优秀比例",
  source: "民主评议党员工作规定",
  severity: "warn",
  branch_id: 1,
  year: 2025,
  excellent: 2,
  graded: 2,
  allowed: 1,
  message: "2025年度2名参评党员中评为优秀的有2名，超过约三分之一（至多1名）",
};

beforeEach(() => {
  vi.useFakeTimers({ shouldAdvanceTime: true });
  vi.mocked(meetingsRoll).mockReset().mockResolvedValue([
    { member_id: 1, name: "王建国", student_no: "20210001", entitled: true },
    { member_id: 2, name: "李红梅", student_no: "20210002", entitled: true },
    { member_id: 3, name: "赵文静", student_no: "20210003", entitled: true },
    { member_id: 4, name: "刘晓雨", student_no: "20210004", entitled: false },
  ]);
  vi.mocked(appraisalList).mockReset().mockResolvedValue({
    branch_id: 1,
    year: 2025,
    grades: [
      {
        id: 9,
        member_id: 3,
        name: "赵文静",
        branch_id: 1,
        branch: "本科生第一党支部",
        year: 2025,
        grade: "qualified",
        meeting_id: null,
        note: "表现良好",
        recorded_by: "admin",
        recorded_at: "2025-12-30T08:00:00Z",
      },
    ],
    warnings: [],
  });
  vi.mocked(appraisalSet).mockReset();
});

afterEach(() => {
  vi.useRealTimers();
  document.body.innerHTML = "";
});

async function choose(wrapper: Awaited<ReturnType<typeof mountWithPlugins>>["wrapper"], memberId: number, grade: string) {
  await wrapper.find(`[data-testid="appraisal-grade"][data-member-id="${memberId}"] .el-select__wrapper`).trigger("click");
  await flushPromises();
  const options = Array.from(document.querySelectorAll<HTMLElement>(`[data-testid="appraisal-grade-option"][data-grade="${grade}"]`));
  const visible = options.filter((o) => o.closest(".el-select-dropdown")?.parentElement?.style.display !== "none");
  (visible.at(-1) ?? options.at(-1))!.click();
  await flushPromises();
}

describe("MeetingsAppraisal", () => {
  it("lists the full members, the graded ones read-only, and warns with the core's dry run", async () => {
    const { wrapper } = await mountWithPlugins(MeetingsAppraisal, { props: { branchId: 1, year: 2025 } });
    expect(meetingsRoll).toHaveBeenCalledWith(1, "2025-12-31");
    expect(appraisalList).toHaveBeenCalledWith(1, 2025);
    const rows = wrapper.findAll('[data-testid="appraisal-row"]');
    // Probationary members are not graded.
    expect(rows.map((r) => r.text())).toEqual(["王建国", "李红梅", "赵文静"]);
    expect(wrapper.findAll('[data-testid="appraisal-grade"]')).toHaveLength(2);
    expect(wrapper.find('[data-testid="appraisal-recorded"]').text()).toBe("合格");
    expect(wrapper.find('[data-testid="appraisal-save"]').attributes("disabled")).toBeDefined();

    vi.mocked(appraisalSet).mockResolvedValue({ dry_run: true, written: 0, grades: [], warnings: [WARNING] });
    await choose(wrapper, 1, "excellent");
    await choose(wrapper, 2, "excellent");
    await vi.advanceTimersByTimeAsync(300);
    await flushPromises();
    expect(appraisalSet).toHaveBeenLastCalledWith(
      {
        branch_id: 1,
        year: 2025,
        meeting_id: null,
        grades: [
          { member_id: 1, grade: "excellent", note: null },
          { member_id: 2, grade: "excellent", note: null },
        ],
      },
      true,
    );
    const warning = wrapper.find('[data-testid="appraisal-warning"]');
    expect(warning.text()).toContain("超过约三分之一（至多1名）");
    expect(warning.attributes("data-excellent")).toBe("2");
    expect(wrapper.find('[data-testid="appraisal-counts"]').text()).toContain("优秀 2 人，合格 1 人");

    vi.mocked(appraisalSet).mockResolvedValue({ dry_run: false, written: 2, grades: [], warnings: [WARNING] });
    const save = wrapper.find('[data-testid="appraisal-save"]');
    expect(save.attributes("disabled")).toBeUndefined();
    expect(save.text()).toContain("2 人");
    await save.trigger("click");
    await flushPromises();
    expect(vi.mocked(appraisalSet).mock.calls.at(-1)?.[1]).toBe(false);
    // Reloaded from the core after saving.
    expect(appraisalList).toHaveBeenCalledTimes(2);
  });

  it("shows the core's refusal and keeps save off", async () => {
    const { wrapper } = await mountWithPlugins(MeetingsAppraisal, { props: { branchId: 1, year: 2025 } });
    vi.mocked(appraisalSet).mockRejectedValue({
      code: "invalid_argument",
      message: "nothing was recorded: row 1, member_id: 王建国 already has a grade for 2025",
      details: null,
    });
    await choose(wrapper, 1, "qualified");
    await vi.advanceTimersByTimeAsync(300);
    await flushPromises();
    const error = wrapper.find('[data-testid="appraisal-error"]');
    expect(error.attributes("data-error-code")).toBe("invalid_argument");
    expect(wrapper.find('[data-testid="appraisal-save"]').attributes("disabled")).toBeDefined();
  });
});
