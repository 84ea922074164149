// The member detail page against a fake api layer: basic information, the rule check, the
// timeline, and recording a step.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lifecycleCheckMember, lifecyclePreviewStep, lifecycleSteps } from "@/api/lifecycle";
import { memberShow } from "@/api/members";
import MemberDetailStepDialog from "@/components/MemberDetailStepDialog.vue";
import { resetLifecycleStepsState } from "@/composables/useLifecycleSteps";
import type { MemberEvent } from "@/generated/MemberEvent";
import MemberDetailView from "@/views/MemberDetailView.vue";
import { detail, finding, mountWithPlugins } from "./helpers";

vi.mock("@/api/members", () => ({ memberList: vi.fn(), memberShow: vi.fn() }));
vi.mock("@/api/lifecycle", () => ({
  lifecycleSteps: vi.fn(),
  lifecycleCheckMember: vi.fn(),
  lifecyclePreviewStep: vi.fn(),
  lifecycleAddStep: vi.fn(),
}));

const EVENTS: MemberEvent[] = [
  {
    id: 11,
    kind: "step",
    step: 1,
    stage_of_step: "applicant",
    title_zh: "递交入党申请书",
    title_en: "Submitted the application",
    date: "2021-10-08",
    people: [],
    note: null,
  },
  {
    id: 12,
    kind: "step",
    step: 2,
    stage_of_step: "applicant",
    title_zh: "党组织派人谈话",
    title_en: "Talk with the applicant",
    date: "2021-10-30",
    people: [{ role: "talker", name: "张三", member_id: 101 }],
    note: null,
  },
  {
    id: 13,
    kind: "step",
    step: 6,
    stage_of_step: "activist",
    title_zh: "确定培养联系人",
    title_en: "Contacts assigned",
    date: "2022-03-15",
    people: [
      { role: "contact", name: "李四", member_id: 102 },
      { role: "introducer", name: "赵六", member_id: null },
      { role: "contact", name: "王五", member_id: null },
      { role: "talker", name: "孙七", member_id: null },
    ],
    note: "支委会研究确定",
  },
  {
    id: 14,
    kind: "transferred_out",
    step: null,
    stage_of_step: null,
    title_zh: "组织关系转出",
    title_en: "Transferred out",
    date: "2025-07-01",
    people: [],
    note: null,
  },
];

beforeEach(() => {
  resetLifecycleStepsState();
  vi.mocked(memberShow).mockReset().mockResolvedValue(detail({ events: EVENTS }));
  vi.mocked(lifecycleCheckMember).mockReset().mockResolvedValue([]);
  vi.mocked(lifecycleSteps).mockReset().mockResolvedValue([]);
  vi.mocked(lifecyclePreviewStep).mockReset().mockResolvedValue([]);
});

afterEach(() => {
  document.body.innerHTML = "";
});

async function mountDetail(locale: "zh-CN" | "en" = "zh-CN") {
  return mountWithPlugins(MemberDetailView, { path: "/members/7", props: { id: 7 }, locale });
}

describe("MemberDetailView", () => {
  it("loads the member by id and shows the name with a stage tag", async () => {
    const { wrapper } = await mountDetail();
    expect(memberShow).toHaveBeenCalledWith(7);
    expect(wrapper.find('[data-testid="member-detail"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="member-name"]').text()).toBe("张晓燕");
    expect(wrapper.find(".member-detail-view__heading .el-tag").text()).toBe("预备党员");
  });

  it("labels every basic field in Chinese and shows a dash for empty ones", async () => {
    const { wrapper } = await mountDetail();
    const info = wrapper.find('[data-testid="member-info"]');
    const labels = info.findAll(".el-descriptions__label").map((label) => label.text());
    expect(labels).toEqual([
      "性别",
      "民族",
      "公民身份号码",
      "出生日期",
      "学历",
      "人员类别",
      "学院",
      "所在党支部",
      "班级",
      "年级",
      "学号",
      "预计毕业日期",
      "工作岗位",
      "联系电话",
      "家庭住址",
      "籍贯",
      "党籍状态",
      "是否为失联党员",
      "是否为流动党员",
      "入党时间",
      "转为正式党员日期",
    ]);
    const value = (field: string) => info.find(`[data-field="${field}"]`).text();
    expect(value("sex")).toBe("女");
    expect(value("idNumber")).toBe("110101********123X");
    expect(value("birthDate")).toBe("2003-05-14");
    expect(value("job")).toBe("—");
    expect(value("address")).toBe("—");
    expect(value("lostContact")).toBe("否");
    expect(value("mobile")).toBe("是");
    expect(value("joinedDate")).toBe("2024-06-20");
    expect(value("fullMemberDate")).toBe("—");
  });

  it("renders the timeline items in the order given, with dates and step numbers", async () => {
    const { wrapper } = await mountDetail();
    const items = wrapper.find('[data-testid="member-timeline"]').findAll('[data-testid="timeline-item"]');
    expect(items).toHaveLength(4);
    expect(items.map((item) => item.find('[data-testid="timeline-title"]').text())).toEqual([
      "递交入党申请书",
      "党组织派人谈话",
      "确定培养联系人",
      "组织关系转出",
    ]);
    expect(items.map((item) => item.find(".el-timeline-item__timestamp").text())).toEqual([
      "2021-10-08",
      "2021-10-30",
      "2022-03-15",
      "2025-07-01",
    ]);
    expect(items[1]!.text()).toContain("第2步");
    expect(items[2]!.text()).toContain("第6步");
    expect(items[3]!.text()).not.toContain("步");
  });

  it("groups the people of an event by role", async () => {
    const { wrapper } = await mountDetail();
    const items = wrapper.findAll('[data-testid="timeline-item"]');
    const people = (index: number) =>
      items[index]!.findAll('[data-testid="timeline-people"]').map((line) => line.text());

    expect(people(0)).toEqual([]);
    expect(people(1)).toEqual(["谈话人: 张三"]);
    expect(people(2)).toEqual(["谈话人: 孙七", "培养联系人: 李四、王五", "入党介绍人: 赵六"]);
    expect(items[2]!.find('[data-testid="timeline-note"]').text()).toBe("备注: 支委会研究确定");
    expect(items[1]!.find('[data-testid="timeline-note"]').exists()).toBe(false);
  });

  it("uses the English titles and labels in English", async () => {
    const { wrapper } = await mountDetail("en");
    const items = wrapper.findAll('[data-testid="timeline-item"]');
    expect(items[2]!.find('[data-testid="timeline-title"]').text()).toBe("Contacts assigned");
    expect(items[2]!.text()).toContain("Step 6");
    expect(items[2]!.text()).toContain("Contact: 李四, 王五");
  });

  it("shows the ApiError message when the member cannot be loaded", async () => {
    vi.mocked(memberShow).mockRejectedValue({ code: "not_found", message: "没有编号为 7 的成员", details: { id: 7 } });
    const { wrapper } = await mountDetail();
    expect(wrapper.find('[data-testid="error-alert"]').text()).toContain("没有编号为 7 的成员");
    expect(wrapper.find('[data-testid="member-name"]').exists()).toBe(false);
  });

  it("goes back to the member list", async () => {
    const { wrapper, router } = await mountDetail();
    await wrapper.find(".el-page-header__back").trigger("click");
    await flushPromises();
    expect(router.currentRoute.value.fullPath).toBe("/members");
  });

  it("says 未发现问题 when the rule check finds nothing", async () => {
    const { wrapper } = await mountDetail();
    expect(lifecycleCheckMember).toHaveBeenCalledWith(7);
    const section = wrapper.find('[data-testid="member-findings"]');
    expect(section.text()).toContain("规则检查");
    expect(section.find('[data-testid="findings-none"]').text()).toBe("未发现问题");
    expect(section.findAll('[data-testid="finding"]')).toHaveLength(0);
  });

  it("lists the findings of the rule check with their severity, rule and source", async () => {
    vi.mocked(lifecycleCheckMember).mockResolvedValue([
      finding(),
      finding({
        rule: "two_introducers",
        rule_title: "发展对象应当有两名正式党员作入党介绍人",
        source: "《发展党员工作细则》第十四条",
        severity: "block",
        message: "第9步「确定入党介绍人」（2024-12-11）记录了0名入党介绍人，应为2名",
      }),
    ]);
    const { wrapper } = await mountDetail();
    const section = wrapper.find('[data-testid="member-findings"]');
    expect(section.find('[data-testid="findings-none"]').exists()).toBe(false);
    const items = section.findAll('[data-testid="finding"]');
    expect(items.map((item) => item.attributes("data-severity"))).toEqual(["warn", "block"]);
    expect(items[0]!.find(".el-tag").text()).toBe("提醒");
    expect(items[0]!.find(".el-tag").classes()).toContain("el-tag--warning");
    expect(items[0]!.text()).toContain("至今未记录");
    expect(items[0]!.text()).toContain("收到入党申请书后一个月内派人谈话 · 《发展党员工作细则》第六条");
    expect(items[1]!.find(".el-tag").text()).toBe("错误");
    expect(items[1]!.find(".el-tag").classes()).toContain("el-tag--danger");
    expect(items[1]!.text()).toContain("记录了0名入党介绍人");
  });

  it("opens the step dialog, and after a save reloads the file and the check", async () => {
    const { wrapper } = await mountDetail();
    expect(wrapper.findComponent(MemberDetailStepDialog).props("modelValue")).toBe(false);
    await wrapper.find('[data-testid="add-step-button"]').trigger("click");
    await flushPromises();
    const dialog = wrapper.findComponent(MemberDetailStepDialog);
    expect(dialog.props("modelValue")).toBe(true);
    expect(wrapper.find('[data-testid="step-dialog"]').isVisible()).toBe(true);

    vi.mocked(memberShow).mockResolvedValue(detail({ events: EVENTS.slice(0, 2) }));
    vi.mocked(lifecycleCheckMember).mockResolvedValue([finding()]);
    dialog.vm.$emit("saved", { event_id: 12, findings: [finding()] });
    dialog.vm.$emit("update:modelValue", false);
    await flushPromises();

    expect(memberShow).toHaveBeenCalledTimes(2);
    expect(lifecycleCheckMember).toHaveBeenCalledTimes(2);
    expect(wrapper.findAll('[data-testid="timeline-item"]')).toHaveLength(2);
    expect(wrapper.findAll('[data-testid="finding"]')).toHaveLength(1);
    expect(document.body.querySelector(".el-message")?.textContent).toContain("已记录，有 1 条提醒");
    expect(wrapper.findComponent(MemberDetailStepDialog).props("modelValue")).toBe(false);
  });
});
