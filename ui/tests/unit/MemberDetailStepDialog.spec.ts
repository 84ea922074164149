// The "record a development step" dialog against a fake api layer: the step list and the
// defaults, the live preview, saving, and a save the core refuses with blocking findings.
import { flushPromises, type VueWrapper } from "@vue/test-utils";
import { ElOption } from "element-plus";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lifecycleAddStep, lifecyclePreviewStep, lifecycleSteps } from "@/api/lifecycle";
import MemberDetailStepDialog from "@/components/MemberDetailStepDialog.vue";
import { resetLifecycleStepsState } from "@/composables/useLifecycleSteps";
import { PREVIEW_DEBOUNCE_MS } from "@/composables/useStepRecording";
import type { MemberEvent } from "@/generated/MemberEvent";
import type { StepInfo } from "@/generated/StepInfo";
import type { StepRequest } from "@/generated/StepRequest";
import { detail, finding, mountWithPlugins } from "./helpers";

vi.mock("@/api/lifecycle", () => ({
  lifecycleSteps: vi.fn(),
  lifecycleCheckMember: vi.fn(),
  lifecyclePreviewStep: vi.fn(),
  lifecycleAddStep: vi.fn(),
}));

const STEPS: StepInfo[] = [
  { number: 1, zh: "递交入党申请书", en: "Application submitted", stage_after: "applicant" },
  { number: 2, zh: "党组织派人谈话", en: "Talk with the applicant", stage_after: "applicant" },
  { number: 3, zh: "推荐和确定入党积极分子", en: "Activist chosen", stage_after: "activist" },
  { number: 9, zh: "确定入党介绍人", en: "Introducers chosen", stage_after: "development_target" },
];

const APPLIED: MemberEvent = {
  id: 11,
  kind: "step",
  step: 1,
  months: null,
  stage_of_step: "applicant",
  title_zh: "递交入党申请书",
  title_en: "Application submitted",
  date: "2026-09-01",
  people: [],
  note: null,
};

const LATE_TALK = finding({
  rule: "talk_within_one_month",
  rule_title: "收到入党申请书后一个月内派人谈话",
  severity: "warn",
  message: "第1步「递交入党申请书」（2026-09-01）后80天才第2步「党组织派人谈话」（2026-11-20），应在1个月内（2026-10-01前）",
});

beforeEach(() => {
  resetLifecycleStepsState();
  // The dialog's "today" and the preview's debounce both run on the fake clock.
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(new Date(2026, 10, 24, 9, 30));
  vi.mocked(lifecycleSteps).mockReset().mockResolvedValue(STEPS);
  vi.mocked(lifecyclePreviewStep).mockReset().mockResolvedValue([]);
  vi.mocked(lifecycleAddStep).mockReset().mockResolvedValue({ event_id: 99, findings: [] });
});

afterEach(() => {
  document.body.innerHTML = "";
});

async function mountDialog(events: MemberEvent[] = [APPLIED]) {
  const { wrapper } = await mountWithPlugins(MemberDetailStepDialog, {
    props: { modelValue: true, member: detail({ stage: "applicant", events }) },
  });
  return wrapper;
}

/** Lets the debounce run out and the fake preview answer. */
async function settlePreview() {
  vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS);
  await flushPromises();
}

function lastPreview(): StepRequest {
  const calls = vi.mocked(lifecyclePreviewStep).mock.calls;
  const last = calls[calls.length - 1];
  if (!last) throw new Error("lifecycle_preview_step was never called");
  return last[0];
}

function selectedStepLabel(wrapper: VueWrapper) {
  return wrapper.find('[data-testid="step-select"] .el-select__placeholder').text();
}

async function chooseStep(wrapper: VueWrapper, label: string) {
  const option = wrapper.findAllComponents(ElOption).find((item) => item.text() === label);
  if (!option) throw new Error(`no step option ${label}`);
  await option.trigger("click");
  await flushPromises();
}

async function typeDate(wrapper: VueWrapper, text: string) {
  const input = wrapper.find('[data-testid="step-date"] input');
  await input.setValue(text);
  await input.trigger("keydown", { key: "Enter", code: "Enter" });
  await flushPromises();
}

describe("MemberDetailStepDialog", () => {
  it("offers the steps as 第N步 and defaults to the next step, today and its usual people", async () => {
    const wrapper = await mountDialog();
    expect(lifecycleSteps).toHaveBeenCalledTimes(1);
    expect(wrapper.find('[data-testid="step-dialog"]').text()).toContain("记录发展步骤");
    const labels = wrapper.findAllComponents(ElOption).map((option) => option.text());
    expect(labels.slice(0, 4)).toEqual([
      "第1步 递交入党申请书",
      "第2步 党组织派人谈话",
      "第3步 推荐和确定入党积极分子",
      "第9步 确定入党介绍人",
    ]);
    expect(selectedStepLabel(wrapper)).toBe("第2步 党组织派人谈话");
    expect(wrapper.find('[data-testid="step-select"]').attributes("data-value")).toBe("2");
    const date = wrapper.find<HTMLInputElement>('[data-testid="step-date"] input');
    expect(date.element.value).toBe("2026-11-24");
    const rows = wrapper.findAll('[data-testid="person-row"]');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.find('[data-testid="person-role"]').text()).toContain("谈话人");

    await chooseStep(wrapper, "第9步 确定入党介绍人");
    const roles = wrapper.findAll('[data-testid="person-role"]').map((role) => role.text());
    expect(roles).toEqual(["入党介绍人", "入党介绍人"]);
  });

  it("starts an empty file at step 1 with nobody named", async () => {
    const wrapper = await mountDialog([]);
    expect(selectedStepLabel(wrapper)).toBe("第1步 递交入党申请书");
    expect(wrapper.findAll('[data-testid="person-row"]')).toHaveLength(0);
  });

  it("previews once the form rests and shows the warning the core finds", async () => {
    const wrapper = await mountDialog();
    await settlePreview();
    expect(lifecyclePreviewStep).toHaveBeenCalledTimes(1);
    expect(wrapper.find('[data-testid="preview-none"]').text()).toBe("未发现问题");

    vi.mocked(lifecyclePreviewStep).mockResolvedValue([LATE_TALK]);
    await typeDate(wrapper, "2026-11-20");
    expect(wrapper.find('[data-testid="step-date"]').attributes("data-value")).toBe("2026-11-20");
    vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS - 1);
    expect(lifecyclePreviewStep).toHaveBeenCalledTimes(1);
    await settlePreview();

    expect(lifecyclePreviewStep).toHaveBeenCalledTimes(2);
    expect(lastPreview()).toEqual({
      member_id: 7,
      step: 2,
      date: "2026-11-20",
      people: [{ role: "talker", name: "", member_id: null }],
      note: null,
    });
    const items = wrapper.findAll('[data-testid="preview-finding"]');
    expect(items).toHaveLength(1);
    expect(items[0]!.attributes("data-severity")).toBe("warn");
    expect(items[0]!.text()).toContain("提醒");
    expect(items[0]!.text()).toContain("后80天才第2步");
    expect(items[0]!.text()).toContain("收到入党申请书后一个月内派人谈话 · 《发展党员工作细则》第六条");
  });

  it("shows the core's message when it rejects the previewed input", async () => {
    vi.mocked(lifecyclePreviewStep).mockRejectedValue({
      code: "invalid_argument",
      message: "日期 2026-12-01 晚于今天",
      details: null,
    });
    const wrapper = await mountDialog();
    await settlePreview();
    const error = wrapper.find('[data-testid="preview-error"]');
    expect(error.text()).toContain("日期 2026-12-01 晚于今天");
    expect(wrapper.find('[data-testid="step-preview"]').attributes("data-state")).toBe("error");
  });

  it("saves the step as a StepRequest, then closes and hands over the outcome", async () => {
    const outcome = { event_id: 99, findings: [LATE_TALK] };
    vi.mocked(lifecycleAddStep).mockResolvedValue(outcome);
    const wrapper = await mountDialog();
    await typeDate(wrapper, "2026-11-20");
    await wrapper.find('[data-testid="person-name"]').setValue(" 王老师 ");
    await wrapper.find('[data-testid="person-add"]').trigger("click");
    await wrapper.findAll('[data-testid="person-name"]')[1]!.setValue("李四");
    await wrapper.find('[data-testid="step-note"]').setValue("支部书记谈话");

    await wrapper.find('[data-testid="step-save"]').trigger("click");
    await flushPromises();

    expect(lifecycleAddStep).toHaveBeenCalledWith({
      member_id: 7,
      step: 2,
      date: "2026-11-20",
      people: [
        { role: "talker", name: "王老师", member_id: null },
        { role: "other", name: "李四", member_id: null },
      ],
      note: "支部书记谈话",
    });
    expect(wrapper.emitted("saved")).toEqual([[outcome]]);
    expect(wrapper.emitted("update:modelValue")).toEqual([[false]]);
  });

  it("removes a person row", async () => {
    const wrapper = await mountDialog();
    await wrapper.find('[data-testid="person-remove"]').trigger("click");
    expect(wrapper.findAll('[data-testid="person-row"]')).toHaveLength(0);
    await settlePreview();
    expect(lastPreview().people).toEqual([]);
  });

  it("stays open and lists the blocking findings when the core refuses the step", async () => {
    const blocking = finding({
      rule: "step_order",
      rule_title: "发展步骤须按顺序进行",
      severity: "block",
      message: "第9步「确定入党介绍人」须先有第7步「确定发展对象」",
    });
    vi.mocked(lifecycleAddStep).mockRejectedValue({
      code: "step_blocked",
      message: "blocked",
      details: { findings: [blocking] },
    });
    const wrapper = await mountDialog();
    await chooseStep(wrapper, "第9步 确定入党介绍人");
    await wrapper.find('[data-testid="step-save"]').trigger("click");
    await flushPromises();

    expect(lifecycleAddStep).toHaveBeenCalledTimes(1);
    expect(wrapper.emitted("saved")).toBeUndefined();
    expect(wrapper.emitted("update:modelValue")).toBeUndefined();
    const blocked = wrapper.find('[data-testid="step-blocked"]');
    expect(blocked.text()).toContain("存在错误，未保存");
    const items = blocked.findAll('[data-testid="blocked-finding"]');
    expect(items).toHaveLength(1);
    expect(items[0]!.attributes("data-severity")).toBe("block");
    expect(items[0]!.text()).toContain("错误");
    expect(items[0]!.text()).toContain("须先有第7步");
  });

  it("shows other save errors in the dialog", async () => {
    vi.mocked(lifecycleAddStep).mockRejectedValue({
      code: "step_already_recorded",
      message: "第2步已记录",
      details: null,
    });
    const wrapper = await mountDialog();
    await wrapper.find('[data-testid="step-save"]').trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-testid="step-save-error"]').text()).toContain("第2步已记录");
    expect(wrapper.emitted("saved")).toBeUndefined();
  });
});
