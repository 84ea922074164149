// The change-of-status dialog against a fake api layer: the five kinds, a save the core refuses,
// and a save that closes and hands over the new event's id.
import { flushPromises, type VueWrapper } from "@vue/test-utils";
import { ElOption } from "element-plus";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lifecycleRecordStatus } from "@/api/lifecycle";
import MemberDetailStatusDialog from "@/components/MemberDetailStatusDialog.vue";
import { detail, mountWithPlugins } from "./helpers";

vi.mock("@/api/lifecycle", () => ({ lifecycleRecordStatus: vi.fn() }));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 10, 24, 9, 30));
  vi.mocked(lifecycleRecordStatus).mockReset().mockResolvedValue(50);
});

afterEach(() => {
  document.body.innerHTML = "";
});

async function mountDialog() {
  const { wrapper } = await mountWithPlugins(MemberDetailStatusDialog, {
    props: { modelValue: true, member: detail() },
  });
  return wrapper;
}

async function chooseKind(wrapper: VueWrapper, label: string) {
  const option = wrapper.findAllComponents(ElOption).find((item) => item.text() === label);
  if (!option) throw new Error(`no option ${label}`);
  await option.trigger("click");
  await flushPromises();
}

describe("MemberDetailStatusDialog", () => {
  it("offers the five changes and saves only once one is chosen", async () => {
    const wrapper = await mountDialog();
    expect(wrapper.findAllComponents(ElOption).map((option) => option.text())).toEqual([
      "组织关系转出",
      "组织关系转入",
      "除名或取消预备党员资格",
      "退党",
      "去世",
    ]);
    expect(wrapper.find('[data-testid="status-save"]').attributes("disabled")).toBeDefined();
    await chooseKind(wrapper, "组织关系转出");
    await wrapper.find('[data-testid="status-note"]').setValue("毕业转至工作单位");
    await wrapper.find('[data-testid="status-save"]').trigger("click");
    await flushPromises();
    expect(lifecycleRecordStatus).toHaveBeenCalledWith(7, "transferred_out", "2026-11-24", "毕业转至工作单位");
    expect(wrapper.emitted("saved")).toEqual([[50]]);
    expect(wrapper.emitted("update:modelValue")).toEqual([[false]]);
  });

  it("shows the core's refusal and stays open", async () => {
    vi.mocked(lifecycleRecordStatus).mockRejectedValue({
      code: "member_already_left",
      message: "the member already left on 2025-07-01",
      details: null,
    });
    const wrapper = await mountDialog();
    await chooseKind(wrapper, "退党");
    await wrapper.find('[data-testid="status-save"]').trigger("click");
    await flushPromises();
    const error = wrapper.find('[data-testid="step-save-error"]');
    expect(error.text()).toContain("already left on 2025-07-01");
    expect(error.attributes("data-error-code")).toBe("member_already_left");
    expect(wrapper.emitted("saved")).toBeUndefined();
  });
});
