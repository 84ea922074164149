// The member detail page against a fake api layer: basic information, the rule check, the
// timeline, the plan of the remaining steps, the archive materials, and recording a step.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { documentsRead } from "@/api/documents";
import {
  lifecycleCheckMember,
  lifecycleEventFiles,
  lifecycleMaterials,
  lifecyclePlan,
  lifecyclePreviewStep,
  lifecycleSteps,
} from "@/api/lifecycle";
import { memberShow } from "@/api/members";
import MemberDetailCorrectionDialog from "@/components/MemberDetailCorrectionDialog.vue";
import MemberDetailEvidenceDialog from "@/components/MemberDetailEvidenceDialog.vue";
import MemberDetailExtensionDialog from "@/components/MemberDetailExtensionDialog.vue";
import MemberDetailStatusDialog from "@/components/MemberDetailStatusDialog.vue";
import MemberDetailStepDialog from "@/components/MemberDetailStepDialog.vue";
import { resetLifecycleStepsState } from "@/composables/useLifecycleSteps";
import type { MemberEvent } from "@/generated/MemberEvent";
import MemberDetailView from "@/views/MemberDetailView.vue";
import { detail, finding, materialStatus, mountWithPlugins, plan, plannedStep } from "./helpers";

vi.mock("@/api/members", () => ({ memberList: vi.fn(), memberShow: vi.fn() }));
vi.mock("@/api/lifecycle", () => ({
  lifecycleSteps: vi.fn(),
  lifecycleCheckMember: vi.fn(),
  lifecyclePreviewStep: vi.fn(),
  lifecycleAddStep: vi.fn(),
  lifecyclePlan: vi.fn(),
  lifecycleMaterials: vi.fn(),
  lifecycleEventFiles: vi.fn(),
  lifecyclePreviewExtension: vi.fn(),
  lifecycleExtendProbation: vi.fn(),
  lifecycleRecordStatus: vi.fn(),
  lifecycleCorrectStep: vi.fn(),
  lifecycleAttachEvidence: vi.fn(),
}));
vi.mock("@/api/documents", () => ({ documentsRead: vi.fn() }));
vi.mock("@/api/reports", () => ({
  reportsList: vi.fn(async () => []),
  reportsMissing: vi.fn(async () => []),
  reportsShow: vi.fn(),
  reportsAdd: vi.fn(),
  reportsReview: vi.fn(),
}));

const EVENTS: MemberEvent[] = [
  {
    id: 11,
    kind: "step",
    step: 1,
    months: null,
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
    months: null,
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
    months: null,
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
    months: null,
    stage_of_step: null,
    title_zh: "组织关系转出",
    title_en: "Transferred out",
    date: "2025-07-01",
    people: [],
    note: null,
  },
];

const PLAN = plan({
  leaves_on: "2027-06-30",
  steps: [
    plannedStep({
      step: 19,
      title_zh: "接收预备党员",
      title_en: "Admitted as probationary member",
      earliest: "2026-09-01",
      earliest_rule: null,
      latest: "2026-11-30",
      latest_rule: "admission_within_three_months",
    }),
    plannedStep({
      step: 23,
      title_zh: "预备党员转正",
      title_en: "Became full member",
      earliest: "2027-09-01",
      earliest_rule: "probation_one_year",
    }),
  ],
  conflicts: [
    {
      step: 23,
      rule: "probation_one_year",
      source: "《中国共产党章程》第七条",
      message: "第23步「预备党员转正」最早在2027-09-01，晚于预计离校日期2027-06-30",
    },
  ],
});

const MATERIALS = [
  materialStatus({
    material: { id: "application_letter", title: "入党申请书", step: 1, required: true },
    due: true,
    files: [
      { sha256: "a".repeat(64), file_name: "申请书.pdf", material: "application_letter", size: 1024 },
      { sha256: "b".repeat(64), file_name: "申请书附页.pdf", material: "application_letter", size: 512 },
    ],
  }),
  materialStatus({
    material: { id: "talk_record", title: "谈话记录", step: 2, required: true },
    due: true,
    missing: true,
  }),
  materialStatus({
    material: { id: "thought_report", title: "思想汇报", step: 5, required: false },
    due: true,
  }),
  materialStatus({
    material: { id: "admission_application", title: "入党志愿书", step: 17, required: true },
  }),
];

beforeEach(() => {
  resetLifecycleStepsState();
  vi.mocked(memberShow).mockReset().mockResolvedValue(detail({ events: EVENTS }));
  vi.mocked(lifecycleCheckMember).mockReset().mockResolvedValue([]);
  vi.mocked(lifecycleSteps).mockReset().mockResolvedValue([]);
  vi.mocked(lifecyclePreviewStep).mockReset().mockResolvedValue([]);
  vi.mocked(lifecyclePlan).mockReset().mockResolvedValue(plan());
  vi.mocked(lifecycleMaterials).mockReset().mockResolvedValue([]);
  vi.mocked(lifecycleEventFiles).mockReset().mockResolvedValue([]);
  vi.mocked(documentsRead).mockReset().mockResolvedValue(new Uint8Array([137, 80, 78, 71]).buffer);
  // jsdom has no blob URLs.
  URL.createObjectURL = vi.fn((blob: Blob) => `blob:fake/${blob.size}`);
  URL.revokeObjectURL = vi.fn();
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

  it("shows the plan's conflicts and remaining steps with their dates", async () => {
    vi.mocked(lifecyclePlan).mockResolvedValue(PLAN);
    const { wrapper } = await mountDetail();
    expect(lifecyclePlan).toHaveBeenCalledWith(7);
    const section = wrapper.find('[data-testid="member-plan"]');
    expect(section.find("h3").text()).toBe("发展计划");
    expect(section.find('[data-testid="plan-leaves-on"]').text()).toBe("预计离校：2027-06-30");

    const conflicts = section.findAll('[data-testid="plan-conflict"]');
    expect(conflicts).toHaveLength(1);
    expect(conflicts[0]!.find(".el-alert").classes()).toContain("el-alert--error");
    expect(conflicts[0]!.attributes("data-step")).toBe("23");
    expect(conflicts[0]!.text()).toContain("晚于预计离校日期2027-06-30");
    expect(conflicts[0]!.find(".member-detail-plan__source").text()).toBe("《中国共产党章程》第七条");

    const headers = section.findAll("thead th").map((th) => th.text());
    expect(headers).toEqual(["步骤", "最早日期", "最迟日期"]);
    const rows = section.findAll("tbody tr.el-table__row");
    expect(rows.map((row) => row.findAll("td").map((td) => td.text()))).toEqual([
      ["第19步接收预备党员", "2026-09-01", "2026-11-30"],
      ["第23步预备党员转正", "2027-09-01", "—"],
    ]);
    expect(rows.map((row) => row.find('[data-testid="plan-step-title"]').text())).toEqual([
      "接收预备党员",
      "预备党员转正",
    ]);
    expect(section.find('[data-testid="plan-none"]').exists()).toBe(false);
  });

  it("uses the English step titles in the plan", async () => {
    vi.mocked(lifecyclePlan).mockResolvedValue(PLAN);
    const { wrapper } = await mountDetail("en");
    const steps = wrapper.findAll('[data-testid="plan-step"]');
    expect(steps.map((step) => step.find(".el-tag").text())).toEqual(["Step 19", "Step 23"]);
    expect(steps.map((step) => step.find('[data-testid="plan-step-title"]').text())).toEqual([
      "Admitted as probationary member",
      "Became full member",
    ]);
    expect(wrapper.find('[data-testid="plan-leaves-on"]').text()).toBe("Expected to leave: 2027-06-30");
  });

  it("says 没有待完成的步骤 when the plan has no steps, and hides the leaving date when unknown", async () => {
    const { wrapper } = await mountDetail();
    const section = wrapper.find('[data-testid="member-plan"]');
    expect(section.find('[data-testid="plan-none"]').text()).toContain("没有待完成的步骤");
    expect(section.findAll('[data-testid="plan-conflict"]')).toHaveLength(0);
    expect(section.find('[data-testid="plan-leaves-on"]').exists()).toBe(false);
    expect(section.find(".el-table").exists()).toBe(false);
  });

  it("shows the ApiError when the plan cannot be worked out, and retries", async () => {
    vi.mocked(lifecyclePlan).mockRejectedValueOnce({ code: "db_locked", message: "档案库被占用", details: null });
    const { wrapper } = await mountDetail();
    const section = wrapper.find('[data-testid="member-plan"]');
    expect(section.find('[data-testid="error-alert"]').text()).toContain("档案库被占用");
    await section.find('[data-testid="error-alert"] button').trigger("click");
    await flushPromises();
    expect(lifecyclePlan).toHaveBeenCalledTimes(2);
    expect(wrapper.find('[data-testid="member-plan"] [data-testid="error-alert"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="plan-none"]').exists()).toBe(true);
  });

  it("lists the archive materials in the order given with their four states", async () => {
    vi.mocked(lifecycleMaterials).mockResolvedValue(MATERIALS);
    const { wrapper } = await mountDetail();
    expect(lifecycleMaterials).toHaveBeenCalledWith(7);
    const section = wrapper.find('[data-testid="member-materials"]');
    expect(section.find("h3").text()).toBe("档案材料");
    expect(section.findAll("thead th").map((th) => th.text())).toEqual(["材料", "所属步骤", "状态", "文件"]);

    const rows = section.findAll('[data-testid="material-row"]');
    expect(rows.map((row) => row.attributes("data-state"))).toEqual(["filed", "missing", "due", "not_due"]);
    expect(rows.map((row) => row.find('[data-testid="material-title"]').text())).toEqual([
      "入党申请书",
      "谈话记录",
      "思想汇报",
      "入党志愿书",
    ]);
    expect(rows.map((row) => row.find('[data-testid="material-required"]').exists())).toEqual([
      true,
      true,
      false,
      true,
    ]);
    expect(rows[0]!.find('[data-testid="material-required"]').text()).toBe("必备");

    const cells = section.findAll("tbody tr.el-table__row").map((row) => row.findAll("td"));
    expect(cells.map((row) => row[1]!.text())).toEqual(["第1步", "第2步", "第5步", "第17步"]);
    const state = (index: number) => cells[index]![2]!.find('[data-testid="material-state"]');
    expect(state(0).text()).toBe("已归档");
    expect(state(0).classes()).toContain("el-tag--success");
    expect(state(1).text()).toBe("缺失");
    expect(state(1).classes()).toContain("el-tag--danger");
    expect(state(2).text()).toBe("待归档");
    expect(state(2).classes()).toContain("el-tag--info");
    expect(state(3).text()).toBe("未到此步");
    expect(state(3).classes()).not.toContain("el-tag");
    expect(cells.map((row) => row[3]!.text())).toEqual(["申请书.pdf、申请书附页.pdf", "—", "—", "—"]);
  });

  it("labels the material states in English", async () => {
    vi.mocked(lifecycleMaterials).mockResolvedValue(MATERIALS);
    const { wrapper } = await mountDetail("en");
    const states = wrapper.findAll('[data-testid="material-state"]').map((state) => state.text());
    expect(states).toEqual(["Filed", "Missing", "To be filed", "Step not reached"]);
    expect(wrapper.find('[data-testid="material-files"]').text()).toBe("申请书.pdf, 申请书附页.pdf");
  });

  it("opens the step dialog, and after a save reloads the file, the check, the plan and the materials", async () => {
    const { wrapper } = await mountDetail();
    expect(wrapper.findComponent(MemberDetailStepDialog).props("modelValue")).toBe(false);
    await wrapper.find('[data-testid="add-step-button"]').trigger("click");
    await flushPromises();
    const dialog = wrapper.findComponent(MemberDetailStepDialog);
    expect(dialog.props("modelValue")).toBe(true);
    expect(wrapper.find('[data-testid="step-dialog"]').isVisible()).toBe(true);

    vi.mocked(memberShow).mockResolvedValue(detail({ events: EVENTS.slice(0, 2) }));
    vi.mocked(lifecycleCheckMember).mockResolvedValue([finding()]);
    vi.mocked(lifecyclePlan).mockResolvedValue(PLAN);
    vi.mocked(lifecycleMaterials).mockResolvedValue(MATERIALS);
    dialog.vm.$emit("saved", { event_id: 12, findings: [finding()] });
    dialog.vm.$emit("update:modelValue", false);
    await flushPromises();

    expect(memberShow).toHaveBeenCalledTimes(2);
    expect(lifecycleCheckMember).toHaveBeenCalledTimes(2);
    expect(lifecyclePlan).toHaveBeenCalledTimes(2);
    expect(lifecycleMaterials).toHaveBeenCalledTimes(2);
    expect(wrapper.findAll('[data-testid="plan-step"]')).toHaveLength(2);
    expect(wrapper.findAll('[data-testid="plan-conflict"]')).toHaveLength(1);
    expect(wrapper.findAll('[data-testid="material-row"]')).toHaveLength(4);
    expect(wrapper.findAll('[data-testid="timeline-item"]')).toHaveLength(2);
    expect(wrapper.findAll('[data-testid="finding"]')).toHaveLength(1);
    expect(document.body.querySelector(".el-message")?.textContent).toContain("已记录，有 1 条提醒");
    expect(wrapper.findComponent(MemberDetailStepDialog).props("modelValue")).toBe(false);
  });

  it("lists each step's files under it, with a thumbnail for images, and offers the step actions", async () => {
    vi.mocked(lifecycleMaterials).mockResolvedValue(MATERIALS);
    vi.mocked(lifecycleEventFiles).mockResolvedValue([
      { event_id: 11, file: { sha256: "a".repeat(64), file_name: "申请书.png", material: "application_letter", size: 2048 } },
      { event_id: 11, file: { sha256: "b".repeat(64), file_name: "申请书附页.pdf", material: null, size: 512 } },
    ]);
    const { wrapper } = await mountDetail();
    expect(lifecycleEventFiles).toHaveBeenCalledWith(7);
    const items = wrapper.findAll('[data-testid="timeline-item"]');
    const files = items[0]!.findAll('[data-testid="attachment"]');
    expect(files.map((file) => file.attributes("data-sha256"))).toEqual(["a".repeat(64), "b".repeat(64)]);
    // Only the image is read, and shown from a blob URL.
    expect(documentsRead).toHaveBeenCalledTimes(1);
    expect(documentsRead).toHaveBeenCalledWith("a".repeat(64));
    expect(files[0]!.find('[data-testid="attachment-thumbnail"]').exists()).toBe(true);
    expect(files[0]!.find("img").attributes("src")).toBe("blob:fake/4");
    expect(files[0]!.text()).toContain("申请书.png");
    expect(files[0]!.findAll(".base-attachment-thumb__meta").map((meta) => meta.text())).toEqual([
      "入党申请书",
      "2.0 KB",
    ]);
    expect(files[1]!.find('[data-testid="attachment-thumbnail"]').exists()).toBe(false);
    expect(files[1]!.text()).toContain("未指定材料");
    expect(files[1]!.text()).toContain("512 B");
    expect(items[1]!.find('[data-testid="timeline-files"]').exists()).toBe(false);
    // Steps can be corrected and given files; a change of status cannot.
    expect(items.map((item) => item.find('[data-testid="timeline-correct"]').exists())).toEqual([true, true, true, false]);
    expect(items[0]!.find('[data-testid="timeline-attach"]').text()).toBe("上传材料");
  });

  it("opens the correction and upload dialogs for the step clicked", async () => {
    const { wrapper } = await mountDetail();
    const items = wrapper.findAll('[data-testid="timeline-item"]');
    await items[1]!.find('[data-testid="timeline-correct"]').trigger("click");
    await flushPromises();
    const correction = wrapper.findComponent(MemberDetailCorrectionDialog);
    expect(correction.props("modelValue")).toBe(true);
    expect(correction.props("event")?.id).toBe(12);
    await items[0]!.find('[data-testid="timeline-attach"]').trigger("click");
    await flushPromises();
    const evidence = wrapper.findComponent(MemberDetailEvidenceDialog);
    expect(evidence.props("modelValue")).toBe(true);
    expect(evidence.props("event")?.id).toBe(11);
  });

  it("offers the extension and the change of status under 更多操作, and reloads everything after each", async () => {
    const { wrapper } = await mountDetail();
    await wrapper.find('[data-testid="more-actions"]').trigger("click");
    await flushPromises();
    expect(document.body.querySelector('[data-testid="more-extend"]')?.textContent).toBe("延长预备期");
    expect(document.body.querySelector('[data-testid="more-status"]')?.textContent).toBe("变更组织关系/状态");

    const dropdown = wrapper.findComponent({ name: "ElDropdown" });
    dropdown.vm.$emit("command", "extend");
    await flushPromises();
    const extension = wrapper.findComponent(MemberDetailExtensionDialog);
    expect(extension.props("modelValue")).toBe(true);
    extension.vm.$emit("saved", { event_id: 30, findings: [] });
    await flushPromises();
    for (const fetch of [memberShow, lifecycleCheckMember, lifecyclePlan, lifecycleMaterials, lifecycleEventFiles]) {
      expect(fetch).toHaveBeenCalledTimes(2);
    }
    expect(document.body.querySelector(".el-message")?.textContent).toContain("已记录");

    dropdown.vm.$emit("command", "status");
    await flushPromises();
    const status = wrapper.findComponent(MemberDetailStatusDialog);
    expect(status.props("modelValue")).toBe(true);
    status.vm.$emit("saved", 31);
    await flushPromises();
    expect(memberShow).toHaveBeenCalledTimes(3);
    expect(lifecycleEventFiles).toHaveBeenCalledTimes(3);
  });
});
