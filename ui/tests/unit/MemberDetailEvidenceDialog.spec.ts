// The upload dialog against a fake api layer: the step's materials, the chosen file's bytes sent
// with its name, and an upload the core refuses.
import { flushPromises } from "@vue/test-utils";
import { ElOption } from "element-plus";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { lifecycleAttachEvidence } from "@/api/lifecycle";
import MemberDetailEvidenceDialog from "@/components/MemberDetailEvidenceDialog.vue";
import type { MemberEvent } from "@/generated/MemberEvent";
import { materialStatus, mountWithPlugins } from "./helpers";

vi.mock("@/api/lifecycle", () => ({ lifecycleAttachEvidence: vi.fn() }));

const PUBLICITY: MemberEvent = {
  id: 21,
  kind: "step",
  step: 12,
  months: null,
  stage_of_step: "development_target",
  title_zh: "支部委员会审查",
  title_en: "Branch committee review",
  date: "2026-05-10",
  people: [],
  note: null,
};

const MATERIALS = [
  materialStatus({ material: { id: "application_letter", title: "入党申请书", step: 1, required: true } }),
  materialStatus({ material: { id: "target_publicity", title: "发展对象公示情况", step: 12, required: false } }),
  materialStatus({ material: { id: "committee_review", title: "支委会审查意见", step: 12, required: false } }),
];

const STORED = { sha256: "c".repeat(64), file_name: "公示.png", material: "committee_review", size: 4 };

beforeEach(() => {
  vi.mocked(lifecycleAttachEvidence).mockReset().mockResolvedValue(STORED);
});

afterEach(() => {
  document.body.innerHTML = "";
});

async function mountDialog() {
  const { wrapper } = await mountWithPlugins(MemberDetailEvidenceDialog, {
    props: { modelValue: true, event: PUBLICITY, materials: MATERIALS },
  });
  return wrapper;
}

async function chooseFile(wrapper: Awaited<ReturnType<typeof mountDialog>>, file: File) {
  const input = wrapper.find<HTMLInputElement>('[data-testid="evidence-file"]');
  Object.defineProperty(input.element, "files", { value: [file], configurable: true });
  await input.trigger("change");
  await flushPromises();
}

describe("MemberDetailEvidenceDialog", () => {
  it("offers the step's materials, the first chosen, and uploads the chosen file's bytes", async () => {
    const wrapper = await mountDialog();
    expect(wrapper.find(".el-dialog__title").text()).toBe("上传材料：第12步 支部委员会审查");
    expect(wrapper.findAllComponents(ElOption).map((option) => option.text())).toEqual([
      "发展对象公示情况",
      "支委会审查意见",
    ]);
    expect(wrapper.find('[data-testid="evidence-material"]').attributes("data-value")).toBe("target_publicity");
    expect(wrapper.find('[data-testid="evidence-save"]').attributes("disabled")).toBeDefined();

    await wrapper.findAllComponents(ElOption)[1]!.trigger("click");
    await chooseFile(wrapper, new File([new Uint8Array([137, 80, 78, 71])], "公示.png", { type: "image/png" }));
    await wrapper.find('[data-testid="evidence-save"]').trigger("click");
    // The file is read by a FileReader, which answers on a later task.
    await vi.waitFor(() => expect(lifecycleAttachEvidence).toHaveBeenCalledTimes(1));
    await flushPromises();
    const [eventId, name, bytes, material] = vi.mocked(lifecycleAttachEvidence).mock.calls[0]!;
    expect([eventId, name, material]).toEqual([21, "公示.png", "committee_review"]);
    expect([...bytes]).toEqual([137, 80, 78, 71]);
    expect(wrapper.emitted("saved")).toEqual([[STORED]]);
    expect(wrapper.emitted("update:modelValue")).toEqual([[false]]);
  });

  it("shows the core's refusal and stays open", async () => {
    vi.mocked(lifecycleAttachEvidence).mockRejectedValue({
      code: "event_not_found",
      message: "no current event with id 21 (it does not exist, or was already corrected)",
      details: null,
    });
    const wrapper = await mountDialog();
    await chooseFile(wrapper, new File(["scan"], "scan.pdf", { type: "application/pdf" }));
    await wrapper.find('[data-testid="evidence-save"]').trigger("click");
    await vi.waitFor(() => expect(lifecycleAttachEvidence).toHaveBeenCalledTimes(1));
    await flushPromises();
    expect(wrapper.find('[data-testid="step-save-error"]').text()).toContain("already corrected");
    expect(wrapper.emitted("saved")).toBeUndefined();
  });
});
