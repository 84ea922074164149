// The dashboard (统计提醒) against a fake api layer: each chart gets its series from the core's
// statistics (the chart component is replaced by a stub that keeps the option it is given, since
// jsdom has no canvas; the real canvas is checked end to end), the college filter switches the
// bars from colleges to that college's branches, and the reminder list is grouped by kind with
// the overdue items marked red and a member's item opening the member's file.
import { flushPromises } from "@vue/test-utils";
import { ElSelect } from "element-plus";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { defineComponent, h, type PropType } from "vue";
import { orgBranches } from "@/api/org";
import { remindersList } from "@/api/reminders";
import { statsOverview } from "@/api/stats";
import { resetBranchesState } from "@/composables/useBranches";
import type { Reminder } from "@/generated/Reminder";
import type { Stats } from "@/generated/Stats";
import { groupReminders, monthOf } from "@/reminderGroups";
import DashboardView from "@/views/DashboardView.vue";
import { BRANCHES, mountWithPlugins } from "./helpers";

vi.mock("@/api/org", () => ({ orgBranches: vi.fn() }));
vi.mock("@/api/stats", () => ({ statsOverview: vi.fn() }));
vi.mock("@/api/reminders", () => ({ remindersList: vi.fn() }));
vi.mock("@/api/members", () => ({ memberList: vi.fn(), memberShow: vi.fn(() => new Promise(() => {})) }));
vi.mock("@/components/BaseChart.vue", () => ({
  default: defineComponent({
    name: "BaseChart",
    props: {
      option: { type: Object as PropType<Record<string, unknown>>, required: true },
      height: { type: String, default: "300px" },
    },
    setup: (props) => () => h("div", { "data-testid": "chart-stub", "data-height": props.height }),
  }),
}));

type Series = { name: string; type: string; stack?: string; data: unknown[] };

const STATS: Stats = {
  as_of: "2026-12-02",
  members: 100,
  stages: { applicant: 40, activist: 25, development_target: 10, probationary_member: 5, full_member: 15, transferred_out: 5 },
  colleges: [
    {
      id: null,
      name: "计算机学院",
      college: null,
      stages: { applicant: 30, activist: 20, development_target: 8, probationary_member: 4, full_member: 10 },
      total: 72,
    },
    { id: null, name: "外国语学院", college: null, stages: { applicant: 10, activist: 5, full_member: 5 }, total: 20 },
  ],
  branches: [
    { id: 1, name: "本科生第一党支部", college: "计算机学院", stages: { applicant: 20, activist: 12 }, total: 32 },
    { id: 3, name: "研究生党支部", college: "计算机学院", stages: { applicant: 10, full_member: 10 }, total: 20 },
    { id: 2, name: "本科生党支部", college: "外国语学院", stages: { applicant: 10 }, total: 10 },
  ],
  development: [],
  trend: [
    { month: "2026-10", applications: 7, activists: 3, development_targets: 2, admitted: 1, converted: 0 },
    { month: "2026-11", applications: 9, activists: 4, development_targets: 1, admitted: 2, converted: 3 },
  ],
  meetings: [
    { branch_id: 1, branch: "本科生第一党支部", college: "计算机学院党委", met: 10, missed: 2, required: 14, held: 11 },
    { branch_id: 3, branch: "研究生党支部", college: "计算机学院党委", met: 8, missed: 0, required: 9, held: 9 },
    { branch_id: 2, branch: "本科生党支部", college: "外国语学院党委", met: 5, missed: 5, required: 12, held: 6 },
  ],
};

function reminder(overrides: Partial<Reminder> & Pick<Reminder, "kind" | "date">): Reminder {
  return {
    member_id: 7,
    name: "张晓燕",
    branch_id: 1,
    branch: "计算机学院党委/本科生第一党支部",
    rule: "talk_within_one_month",
    source: "《发展党员工作细则》第六条",
    overdue: false,
    message: "应在期限内完成",
    ...overrides,
  };
}

const REMINDERS: Reminder[] = [
  reminder({ kind: "conversion", date: "2026-11-17", overdue: true, member_id: 12, name: "张梓", message: "预备期于2026-11-17期满" }),
  reminder({ kind: "step", date: "2026-12-05" }),
  reminder({
    kind: "meeting",
    date: "2026-12-31",
    member_id: null,
    name: null,
    rule: "meeting_general_meeting",
    message: "2026Q4支部党员大会已召开0次，应至少1次（2026-12-31截止）",
  }),
  reminder({ kind: "political_birthday", date: "2026-12-20", member_id: 9, name: "李明", rule: null, source: null }),
  reminder({ kind: "step", date: "2026-12-10", member_id: 8, name: "王芳" }),
];

function charts(wrapper: Awaited<ReturnType<typeof mountWithPlugins>>["wrapper"], testid: string) {
  const card = wrapper.find(`[data-testid="${testid}"]`);
  const chart = wrapper.findAllComponents({ name: "BaseChart" }).find((c) => card.element.contains(c.element));
  expect(chart, testid).toBeDefined();
  return chart!.props("option") as { series: Series[]; yAxis?: { data: string[] }; xAxis?: { data: string[] } };
}

beforeEach(() => {
  resetBranchesState();
  vi.mocked(orgBranches).mockReset().mockResolvedValue(BRANCHES);
  vi.mocked(statsOverview).mockReset().mockResolvedValue(STATS);
  vi.mocked(remindersList).mockReset().mockResolvedValue(REMINDERS);
});

describe("the dashboard's charts", () => {
  it("draw the pipeline, the trend, the stages per college and the meetings from the statistics", async () => {
    const { wrapper } = await mountWithPlugins(DashboardView, { path: "/dashboard" });
    expect(wrapper.find('[data-testid="dashboard-as-of"]').text()).toBe("截至 2026-12-02，档案中共 100 人");

    const funnel = charts(wrapper, "chart-funnel").series[0] as Series & { data: { name: string; value: number }[] };
    expect(funnel.type).toBe("funnel");
    expect(funnel.data).toEqual([
      { name: "申请人", value: 40 },
      { name: "入党积极分子", value: 25 },
      { name: "发展对象", value: 10 },
      { name: "预备党员", value: 5 },
      { name: "正式党员", value: 15 },
    ]);

    const trend = charts(wrapper, "chart-trend");
    expect(trend.xAxis?.data).toEqual(["2026-10", "2026-11"]);
    expect(trend.series.map((s) => [s.name, s.type, s.data])).toEqual([
      ["递交申请", "line", [7, 9]],
      ["列为积极分子", "line", [3, 4]],
      ["发展党员", "line", [1, 2]],
      ["转正", "line", [0, 3]],
    ]);

    const stages = charts(wrapper, "chart-stages");
    expect(stages.yAxis?.data).toEqual(["计算机学院", "外国语学院"]);
    expect(stages.series.map((s) => [s.name, s.stack, s.data])).toEqual([
      ["申请人", "stage", [30, 10]],
      ["入党积极分子", "stage", [20, 5]],
      ["发展对象", "stage", [8, 0]],
      ["预备党员", "stage", [4, 0]],
      ["正式党员", "stage", [10, 5]],
    ]);

    // Meetings held and owed, summed per college (a branch's college as its members name it).
    const meetings = charts(wrapper, "chart-meetings");
    expect(meetings.yAxis?.data).toEqual(["计算机学院", "外国语学院"]);
    expect(meetings.series.map((s) => [s.name, s.stack, s.data])).toEqual([
      ["已开", "m", [20, 6]],
      ["应开未开", "m", [3, 6]],
    ]);
  });

  it("shows one college's branches when a college is chosen", async () => {
    const { wrapper } = await mountWithPlugins(DashboardView, { path: "/dashboard" });
    const select = wrapper.findAllComponents(ElSelect).find((s) => s.attributes("data-testid") === "dashboard-college");
    select!.vm.$emit("update:modelValue", "计算机学院");
    await flushPromises();
    const stages = charts(wrapper, "chart-stages");
    expect(stages.yAxis?.data).toEqual(["本科生第一党支部", "研究生党支部"]);
    expect(stages.series[0]!.data).toEqual([20, 10]);
    expect(stages.series[4]!.data).toEqual([0, 10]);
    const meetings = charts(wrapper, "chart-meetings");
    expect(meetings.yAxis?.data).toEqual(["本科生第一党支部", "研究生党支部"]);
    expect(meetings.series.map((s) => s.data)).toEqual([
      [11, 9],
      [3, 0],
    ]);
    expect(wrapper.find('[data-testid="chart-stages"]').text()).toContain("计算机学院各支部发展阶段人数");
  });
});

describe("the reminder list", () => {
  it("asks for this month and all branches, then for the month and branch chosen", async () => {
    const { wrapper } = await mountWithPlugins(DashboardView, { path: "/dashboard" });
    expect(remindersList).toHaveBeenLastCalledWith(monthOf(new Date()), null);
    const selects = wrapper.findAllComponents(ElSelect);
    selects.find((s) => s.attributes("data-testid") === "reminders-branch")!.vm.$emit("update:modelValue", 2);
    await flushPromises();
    expect(remindersList).toHaveBeenLastCalledWith(monthOf(new Date()), 2);
    const picker = wrapper.findComponent({ name: "ElDatePicker" });
    picker.vm.$emit("update:modelValue", "2027-01");
    await flushPromises();
    expect(remindersList).toHaveBeenLastCalledWith("2027-01", 2);
  });

  it("groups by kind, marks overdue items red and opens a member's file", async () => {
    const { wrapper, router } = await mountWithPlugins(DashboardView, { path: "/dashboard" });
    expect(wrapper.find('[data-testid="reminders-total"]').text()).toBe("共 5 项，其中逾期 1 项");
    const groups = wrapper.findAll('[data-testid="reminder-group"]');
    expect(groups.map((g) => g.attributes("data-kind"))).toEqual(["step", "conversion", "meeting", "political_birthday"]);
    expect(groups[0]!.find("h4").text()).toContain("发展步骤");
    expect(groups[0]!.findAll('[data-testid="reminder-who"]').map((w) => w.text())).toEqual(["张晓燕", "王芳"]);

    const overdue = wrapper.findAll('[data-testid="reminder-item"][data-overdue="true"]');
    expect(overdue).toHaveLength(1);
    expect(overdue[0]!.classes()).toContain("dashboard-reminders__item--overdue");
    expect(overdue[0]!.find('[data-testid="reminder-overdue"]').text()).toBe("逾期");
    expect(overdue[0]!.text()).toContain("2026-11-17");
    expect(overdue[0]!.text()).toContain("依据：《发展党员工作细则》第六条");
    expect(wrapper.findAll('[data-testid="reminder-overdue"]')).toHaveLength(1);

    // A branch's item names the branch and opens nothing.
    const meeting = groups[2]!.find('[data-testid="reminder-item"]');
    expect(meeting.find('[data-testid="reminder-who"]').text()).toBe("计算机学院党委/本科生第一党支部");
    await meeting.trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/dashboard");

    await overdue[0]!.trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.path).toBe("/members/12");
  });

  it("shows twenty items of a long group until asked for all", async () => {
    vi.mocked(remindersList).mockResolvedValue(
      Array.from({ length: 25 }, (_, i) => reminder({ kind: "review", date: "2026-12-15", member_id: 100 + i })),
    );
    const { wrapper } = await mountWithPlugins(DashboardView, { path: "/dashboard" });
    expect(wrapper.findAll('[data-testid="reminder-item"]')).toHaveLength(20);
    await wrapper.find('[data-testid="reminder-show-all"]').trigger("click");
    expect(wrapper.findAll('[data-testid="reminder-item"]')).toHaveLength(25);
    expect(wrapper.find('[data-testid="reminder-show-all"]').exists()).toBe(false);
  });

  it("says so when nothing is due", async () => {
    vi.mocked(remindersList).mockResolvedValue([]);
    const { wrapper } = await mountWithPlugins(DashboardView, { path: "/dashboard" });
    expect(wrapper.find('[data-testid="reminders"]').text()).toContain("本月没有到期或逾期的事项");
  });
});

describe("groupReminders", () => {
  it("keeps the core's order inside a group and counts the overdue", () => {
    const groups = groupReminders(REMINDERS);
    expect(groups.map((g) => [g.kind, g.items.length, g.overdue])).toEqual([
      ["step", 2, 0],
      ["conversion", 1, 1],
      ["meeting", 1, 0],
      ["political_birthday", 1, 0],
    ]);
    expect(groups[0]!.items.map((r) => r.date)).toEqual(["2026-12-05", "2026-12-10"]);
    expect(monthOf(new Date(2027, 0, 31))).toBe("2027-01");
  });
});
