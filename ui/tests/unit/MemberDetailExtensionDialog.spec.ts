// The probation extension dialog against a fake api layer: the live preview, a save the preview
// shows to be blocked, a save the core refuses, and a save that closes and hands over the outcome.
import { flushPromises, type VueWrapper } from "@vue/test-utils";
import { ElOption } from "element-plus";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lifecycleExtendProbation, lifecyclePreviewExtension } from "@/api/lifecycle";
import MemberDetailExtensionDialog from "@/components/MemberDetailExtensionDialog.vue";
import { PREVIEW_DEBOUNCE_MS } from "@/composables/usePreviewedWrite";
import { detail, finding, mountWithPlugins } from "./helpers";

vi.mock("@/api/lifecycle", () => ({
  lifecyclePreviewExtension: vi.fn(),
  lifecycleExtendProbation: vi.fn(),
}));

const TOO_SHORT = finding({
  rule: "probation_extension",
  rule_title: "延长预备期不少于半年、最长不超过一年，只能延长一次",
  source: "《中国共产党章程》第七条；《发展党员工作细则》第三十条",
  severity: "block",
  message: "延长预备期（2026-11-24）4个月，应为6至12个月",
});

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(new Date(2026, 10, 24, 9, 30));
  vi.mocked(lifecyclePreviewExtension).mockReset().mockResolvedValue([]);
  vi.mocked(lifecycleExtendProbation).mockReset().mockResolvedValue({ event_id: 40, findings: [] });
});

afterEach(() => {
  document.body.innerHTML = "";
});

async function mountDialog() {
  const { wrapper } = await mountWithPlugins(MemberDetailExtensionDialog, {
    props: { modelValue: true, member: detail() },
  });
  return wrapper;
}

async function settlePreview() {
  vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS);
  await flushPromises();
}

async function chooseMonths(wrapper: VueWrapper, label: string) {
  const option = wrapper.findAllComponents(ElOption).find((item) => item.text() === label);
  if (!option) throw new Error(`no option ${label}`);
  await option.trigger("click");
  await flushPromises();
}

function saveButton(wrapper: VueWrapper) {
  return wrapper.find('[data-testid="extension-save"]');
}

describe("MemberDetailExtensionDialog", () => {
  it("offers 1 to 12 months, defaults to 6 months from today, and previews that", async () => {
    const wrapper = await mountDialog();
    const labels = wrapper.findAllComponents(ElOption).map((option) => option.text());
    expect(labels).toHaveLength(12);
    expect(labels[0]).toBe("1个月");
    expect(wrapper.find('[data-testid="extension-months"]').attributes("data-value")).toBe("6");
    expect(wrapper.find('[data-testid="extension-date"]').attributes("data-value")).toBe("2026-11-24");
    await settlePreview();
    expect(lifecyclePreviewExtension).toHaveBeenCalledWith({ member_id: 7, date: "2026-11-24", months: 6, note: null });
    expect(wrapper.find('[data-testid="preview-none"]').text()).toBe("未发现问题");
    expect(saveButton(wrapper).attributes("disabled")).toBeUndefined();
  });

  it("shows the blocking finding of a too short extension and does not offer to save it", async () => {
    const wrapper = await mountDialog();
    await settlePreview();
    vi.mocked(lifecyclePreviewExtension).mockResolvedValue([TOO_SHORT]);
    await chooseMonths(wrapper, "4个月");
    await settlePreview();
    expect(vi.mocked(lifecyclePreviewExtension).mock.calls.at(-1)?.[0].months).toBe(4);
    const items = wrapper.findAll('[data-testid="preview-finding"]');
    expect(items).toHaveLength(1);
    expect(items[0]!.attributes("data-severity")).toBe("block");
    expect(items[0]!.text()).toContain("应为6至12个月");
    expect(saveButton(wrapper).attributes("disabled")).toBeDefined();
  });

  it("stays open with the findings when the core refuses the save", async () => {
    vi.mocked(lifecycleExtendProbation).mockRejectedValue({
      code: "step_blocked",
      message: "blocked",
      details: { findings: [TOO_SHORT] },
    });
    const wrapper = await mountDialog();
    await saveButton(wrapper).trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-testid="step-blocked"]').text()).toContain("存在错误，未保存");
    expect(wrapper.findAll('[data-testid="blocked-finding"]')).toHaveLength(1);
    expect(wrapper.emitted("saved")).toBeUndefined();
    expect(wrapper.emitted("update:modelValue")).toBeUndefined();
  });

  it("saves the extension with its note, then closes and hands over the outcome", async () => {
    const wrapper = await mountDialog();
    await wrapper.find('[data-testid="extension-note"]').setValue(" 支部大会决定 ");
    await saveButton(wrapper).trigger("click");
    await flushPromises();
    expect(lifecycleExtendProbation).toHaveBeenCalledWith({
      member_id: 7,
      date: "2026-11-24",
      months: 6,
      note: "支部大会决定",
    });
    expect(wrapper.emitted("saved")).toEqual([[{ event_id: 40, findings: [] }]]);
    expect(wrapper.emitted("update:modelValue")).toEqual([[false]]);
  });
});
