// The batch dialog against a fake api layer: the list's branch comes first, progress shows
// n / total as dossiers finish, cancel asks the core to stop and says what was left, the folder
// is shown at the end; and a notice for the branch opens the preview.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pdfBatch, pdfCancel, pdfNotice, pdfRead } from "@/api/pdf";
import MemberListPdfDialog from "@/components/MemberListPdfDialog.vue";
import type { BatchOutcome } from "@/generated/BatchOutcome";
import type { BatchProgress } from "@/generated/BatchProgress";
import { openPdf } from "@/pdfDocument";
import { BRANCHES, mountWithPlugins } from "./helpers";

vi.mock("@/api/pdf", () => ({
  pdfBatch: vi.fn(),
  pdfCancel: vi.fn(),
  pdfNotice: vi.fn(),
  pdfRead: vi.fn(),
  pdfSaveAs: vi.fn(),
  pickFolder: vi.fn(),
}));
vi.mock("@/pdfDocument", () => ({ openPdf: vi.fn() }));

const OUTCOME: BatchOutcome = {
  dir: "/archive/exports/档案-本科生第一党支部-2026-11-24",
  index: { file: "/archive/exports/档案-本科生第一党支部-2026-11-24/index.pdf", pages: 1, bytes: 30000 },
  dossiers: [],
  threads: 2,
};

/** A batch the test drives: progress to report, then resolve or reject. */
let report: (p: BatchProgress) => void = () => {};
let finish: (outcome: BatchOutcome) => void = () => {};
let fail: (reason: unknown) => void = () => {};

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(2026, 10, 24, 9, 30));
  vi.mocked(pdfBatch)
    .mockReset()
    .mockImplementation(
      (_scope, _dir, onProgress) =>
        new Promise((resolve, reject) => {
          report = onProgress;
          finish = resolve;
          fail = reject;
        }),
    );
  vi.mocked(pdfCancel).mockReset().mockResolvedValue(undefined);
  vi.mocked(pdfNotice).mockReset();
  vi.mocked(pdfRead).mockReset().mockResolvedValue(new ArrayBuffer(4));
  vi.mocked(openPdf)
    .mockReset()
    .mockResolvedValue({ numPages: 1, render: vi.fn().mockResolvedValue(undefined), destroy: vi.fn().mockResolvedValue(undefined) });
});

afterEach(() => {
  document.body.innerHTML = "";
});

async function mountDialog() {
  const { wrapper } = await mountWithPlugins(MemberListPdfDialog, {
    props: { modelValue: true, branches: BRANCHES, branchId: 2 },
  });
  return wrapper;
}

describe("MemberListPdfDialog", () => {
  it("generates the filtered branch's dossiers with progress n / total, then shows the folder", async () => {
    const wrapper = await mountDialog();
    expect(wrapper.find('[data-testid="pdf-batch-branch"]').attributes("data-value")).toBe("2");
    await wrapper.find('[data-testid="pdf-batch-start"]').trigger("click");
    await flushPromises();
    expect(pdfBatch).toHaveBeenCalledWith({ branch: 2 }, null, expect.any(Function));
    expect(wrapper.find('[data-testid="pdf-batch-cancel"]').exists()).toBe(true);
    report({ done: 1, total: 4, name: "李四" });
    report({ done: 3, total: 4, name: "王五" });
    // A worker finishing late reports a smaller count; the bar does not go back.
    report({ done: 2, total: 4, name: "赵六" });
    await flushPromises();
    const progress = wrapper.find('[data-testid="pdf-batch-progress"]');
    expect(progress.attributes("data-done")).toBe("3");
    expect(progress.attributes("data-total")).toBe("4");
    expect(progress.text()).toContain("3 / 4");
    expect(wrapper.find('[data-testid="pdf-batch-current"]').text()).toBe("刚完成：王五");
    finish(OUTCOME);
    await flushPromises();
    expect(wrapper.find('[data-testid="pdf-batch-finished"]').text()).toContain("已生成 0 份档案和清单");
    expect(wrapper.find('[data-testid="pdf-batch-folder"]').text()).toBe(OUTCOME.dir);
    expect(wrapper.find('[data-testid="pdf-batch-start"]').exists()).toBe(true);
  });

  it("cancels: asks the core to stop and says the finished files stay", async () => {
    const wrapper = await mountDialog();
    await wrapper.find('[data-testid="pdf-batch-start"]').trigger("click");
    await flushPromises();
    report({ done: 1, total: 40, name: "李四" });
    await wrapper.find('[data-testid="pdf-batch-cancel"]').trigger("click");
    await flushPromises();
    expect(pdfCancel).toHaveBeenCalledTimes(1);
    expect(wrapper.find('[data-testid="pdf-batch-cancel"]').text()).toBe("正在取消…");
    fail({ code: "cancelled", message: "已取消", details: null });
    await flushPromises();
    expect(wrapper.find('[data-testid="pdf-batch-cancelled"]').text()).toContain("没有写了一半的文件");
    expect(wrapper.find('[data-testid="error-alert"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="pdf-batch-finished"]').exists()).toBe(false);
  });

  it("does not start without a branch or a class name", async () => {
    const { wrapper } = await mountWithPlugins(MemberListPdfDialog, {
      props: { modelValue: true, branches: BRANCHES, branchId: null },
    });
    expect(wrapper.find('[data-testid="pdf-batch-start"]').attributes("disabled")).toBeDefined();
  });

  it("makes the branch's notice and opens its preview", async () => {
    vi.mocked(pdfNotice).mockResolvedValue({
      pdf: { file: "/archive/exports/公示-研究生党支部-发展对象-2026-11-24.pdf", pages: 1, bytes: 20000 },
      names: ["李四", "王五"],
      until: "2026-11-30",
    });
    const wrapper = await mountDialog();
    const notice = wrapper.findAll(".el-tabs__item").find((tab) => tab.text() === "生成公示");
    await notice!.trigger("click");
    await flushPromises();
    await wrapper.find('[data-testid="pdf-notice-start"]').trigger("click");
    await flushPromises();
    expect(pdfNotice).toHaveBeenCalledWith({ branch_id: 2, kind: "development", from: "2026-11-24", working_days: 5 });
    expect(wrapper.find('[data-testid="pdf-notice-done"]').text()).toContain("李四、王五");
    expect(pdfRead).toHaveBeenCalledWith("/archive/exports/公示-研究生党支部-发展对象-2026-11-24.pdf");
    expect(wrapper.find('[data-testid="pdf-preview-path"]').text()).toContain("公示-研究生党支部");
  });
});
