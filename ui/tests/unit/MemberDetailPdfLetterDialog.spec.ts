// The introduction letter dialog against a fake api layer: what it asks for before it calls the
// core, the request it sends, and a refusal from the core shown in the open dialog.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pdfLetter } from "@/api/pdf";
import MemberDetailPdfLetterDialog from "@/components/MemberDetailPdfLetterDialog.vue";
import type { IssuedLetter } from "@/generated/IssuedLetter";
import { detail, mountWithPlugins } from "./helpers";

vi.mock("@/api/pdf", () => ({ pdfLetter: vi.fn() }));

const ISSUED: IssuedLetter = {
  letter: {
    serial: 12,
    prefix: "组",
    member_id: 7,
    name: "张晓燕",
    member_kind: "probationary",
    from_org: "中共计算机学院委员会本科生第一党支部",
    to_org: "中共某市某区委员会",
    dues_paid_to: "2026-11",
    valid_days: 60,
    issued_on: "2026-11-24",
    receipt_due: "2027-01-23",
    receipt_on: null,
  },
  pdf: { file: "/archive/exports/介绍信-张晓燕-2026-11-24.pdf", pages: 1, bytes: 40000 },
};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 10, 24, 9, 30));
  vi.mocked(pdfLetter).mockReset().mockResolvedValue(ISSUED);
});

afterEach(() => {
  document.body.innerHTML = "";
});

async function mountDialog() {
  const { wrapper } = await mountWithPlugins(MemberDetailPdfLetterDialog, {
    props: { modelValue: true, member: detail() },
  });
  return wrapper;
}

describe("MemberDetailPdfLetterDialog", () => {
  it("starts with this month's dues, 30 days and today, and asks for the receiving organisation", async () => {
    const wrapper = await mountDialog();
    expect(wrapper.find('[data-testid="letter-dues"]').attributes("data-value")).toBe("2026-11");
    expect(wrapper.find('[data-testid="letter-issued-on"]').attributes("data-value")).toBe("2026-11-24");
    expect(wrapper.find<HTMLInputElement>('[data-testid="letter-valid-days"] input').element.value).toBe("30");
    await wrapper.find('[data-testid="letter-save"]').trigger("click");
    await flushPromises();
    expect(pdfLetter).not.toHaveBeenCalled();
    expect(wrapper.find('[data-testid="letter-to-org-error"]').text()).toBe("请填写接收单位");
    expect(wrapper.find('[data-testid="letter-save"]').attributes("disabled")).toBeDefined();
    expect(wrapper.emitted("update:modelValue")).toBeUndefined();
  });

  it("sends the letter's fields with blanks as null, then hands over the letter and closes", async () => {
    const wrapper = await mountDialog();
    await wrapper.find('[data-testid="letter-to-org"]').setValue("  中共某市某区委员会 ");
    await wrapper.find('[data-testid="letter-prefix"]').setValue("   ");
    await wrapper.find('[data-testid="letter-save"]').trigger("click");
    await flushPromises();
    expect(pdfLetter).toHaveBeenCalledWith({
      member_id: 7,
      to_org: "中共某市某区委员会",
      from_org: null,
      dues_year: 2026,
      dues_month: 11,
      valid_days: 30,
      issued_on: "2026-11-24",
      prefix: null,
    });
    expect(wrapper.emitted("issued")).toEqual([[ISSUED]]);
    expect(wrapper.emitted("update:modelValue")).toEqual([[false]]);
  });

  it("shows the core's refusal and stays open", async () => {
    vi.mocked(pdfLetter).mockRejectedValue({
      code: "not_a_party_member",
      message: "张晓燕（7）不是党员（发展对象），不能开具组织关系介绍信",
      details: { member_id: 7 },
    });
    const wrapper = await mountDialog();
    await wrapper.find('[data-testid="letter-to-org"]').setValue("中共某市某区委员会");
    await wrapper.find('[data-testid="letter-save"]').trigger("click");
    await flushPromises();
    const alert = wrapper.find('[data-testid="error-alert"]');
    expect(alert.attributes("data-error-code")).toBe("not_a_party_member");
    expect(alert.text()).toContain("不能开具组织关系介绍信");
    expect(wrapper.emitted("issued")).toBeUndefined();
    expect(wrapper.emitted("update:modelValue")).toBeUndefined();
  });
});
