// The correction dialog against a fake api layer: prefilled from the recorded step, a reason
// required, a correction the core refuses with blocking findings, and one it records.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lifecycleCorrectStep } from "@/api/lifecycle";
import MemberDetailCorrectionDialog from "@/components/MemberDetailCorrectionDialog.vue";
import type { MemberEvent } from "@/generated/MemberEvent";
import { finding, mountWithPlugins } from "./helpers";

vi.mock("@/api/lifecycle", () => ({ lifecycleCorrectStep: vi.fn() }));

const TALK: MemberEvent = {
  id: 12,
  kind: "step",
  step: 2,
  months: null,
  stage_of_step: "applicant",
  title_zh: "党组织派人谈话",
  title_en: "Talk with the applicant",
  date: "2026-10-20",
  people: [{ role: "talker", name: "王老师", member_id: 101 }],
  note: "在党员活动室谈话",
};

beforeEach(() => {
  vi.mocked(lifecycleCorrectStep).mockReset().mockResolvedValue({ event_id: 60, findings: [] });
});

afterEach(() => {
  document.body.innerHTML = "";
});

async function mountDialog() {
  const { wrapper } = await mountWithPlugins(MemberDetailCorrectionDialog, {
    props: { modelValue: true, event: TALK },
  });
  return wrapper;
}

async function typeDate(wrapper: Awaited<ReturnType<typeof mountDialog>>, text: string) {
  const input = wrapper.find('[data-testid="correction-date"] input');
  await input.setValue(text);
  await input.trigger("keydown", { key: "Enter", code: "Enter" });
  await flushPromises();
}

describe("MemberDetailCorrectionDialog", () => {
  it("starts from the recorded date and people and asks for a reason before saving", async () => {
    const wrapper = await mountDialog();
    expect(wrapper.find(".el-dialog__title").text()).toBe("更正：第2步 党组织派人谈话");
    expect(wrapper.find<HTMLInputElement>('[data-testid="correction-date"] input').element.value).toBe("2026-10-20");
    const names = wrapper.findAll<HTMLInputElement>('input[data-testid="person-name"]');
    expect(names.map((name) => name.element.value)).toEqual(["王老师"]);
    // The recorded note is shown for reference; the reason starts empty and is required.
    expect(wrapper.find('[data-testid="correction-old-note"]').text()).toBe("原记录备注：在党员活动室谈话");
    expect(wrapper.find<HTMLTextAreaElement>('[data-testid="correction-reason"]').element.value).toBe("");
    expect(wrapper.find('[data-testid="correction-save"]').attributes("disabled")).toBeDefined();
    await wrapper.find('[data-testid="correction-reason"]').setValue("   ");
    expect(wrapper.find('[data-testid="correction-save"]').attributes("disabled")).toBeDefined();
  });

  it("saves the corrected date with the people kept and the reason, then closes", async () => {
    const wrapper = await mountDialog();
    await typeDate(wrapper, "2026-10-22");
    await wrapper.find('[data-testid="correction-reason"]').setValue("日期笔误");
    await wrapper.find('[data-testid="correction-save"]').trigger("click");
    await flushPromises();
    expect(lifecycleCorrectStep).toHaveBeenCalledWith(12, {
      date: "2026-10-22",
      people: [{ role: "talker", name: "王老师", member_id: 101 }],
      note: "日期笔误",
    });
    expect(wrapper.emitted("saved")).toEqual([[{ event_id: 60, findings: [] }]]);
    expect(wrapper.emitted("update:modelValue")).toEqual([[false]]);
  });

  it("shows the blocking findings when the core refuses the correction, and stays open", async () => {
    const blocking = finding({
      rule: "step_order",
      rule_title: "发展步骤须按顺序进行",
      severity: "block",
      message: "第2步「党组织派人谈话」（2026-08-01）早于第1步「递交入党申请书」（2026-09-01）",
    });
    vi.mocked(lifecycleCorrectStep).mockRejectedValue({
      code: "step_blocked",
      message: "blocked",
      details: { findings: [blocking] },
    });
    const wrapper = await mountDialog();
    await typeDate(wrapper, "2026-08-01");
    await wrapper.find('[data-testid="correction-reason"]').setValue("日期笔误");
    await wrapper.find('[data-testid="correction-save"]').trigger("click");
    await flushPromises();
    const items = wrapper.findAll('[data-testid="blocked-finding"]');
    expect(items).toHaveLength(1);
    expect(items[0]!.text()).toContain("早于第1步");
    expect(wrapper.emitted("saved")).toBeUndefined();
    // Changing the form forgets the refusal.
    await typeDate(wrapper, "2026-10-21");
    expect(wrapper.find('[data-testid="step-blocked"]').exists()).toBe(false);
  });
});
