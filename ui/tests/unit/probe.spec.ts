import { flushPromises } from "@vue/test-utils";
import { it, vi } from "vitest";
import MemberDetailStepDialog from "@/components/MemberDetailStepDialog.vue";
import { lifecycleSteps, lifecyclePreviewStep } from "@/api/lifecycle";
import { detail, mountWithPlugins } from "./helpers";
vi.mock("@/api/lifecycle", () => ({ lifecycleSteps: vi.fn(), lifecyclePreviewStep: vi.fn(), lifecycleAddStep: vi.fn(), lifecycleCheckMember: vi.fn() }));
it("probe", async () => {
  vi.mocked(lifecycleSteps).mockResolvedValue([{ number: 1, zh: "递交入党申请书", en: "x", stage_after: "applicant" }, { number: 2, zh: "党组织派人谈话", en: "y", stage_after: "applicant" }]);
  vi.mocked(lifecyclePreviewStep).mockResolvedValue([]);
  await mountWithPlugins(MemberDetailStepDialog, { props: { modelValue: true, member: detail() } });
  await flushPromises();
  for (const id of ["step-dialog", "step-select", "step-date", "step-option", "person-name", "step-save", "step-preview"]) {
    const els = document.querySelectorAll(`[data-testid="${id}"]`);
    console.log(id, els.length, [...els].map((e) => e.tagName + "." + e.className).slice(0, 2).join(" | "));
  }
});
