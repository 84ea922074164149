// The PDF preview with the file read and pdf.js replaced: it draws page 1, pages through the
// document, shows where the file is, offers 另存为…, and shows a file that cannot be read.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { pdfRead, pdfSaveAs } from "@/api/pdf";
import BasePdfPreview from "@/components/BasePdfPreview.vue";
import { openPdf, type PdfPages } from "@/pdfDocument";
import { mountWithPlugins } from "./helpers";

vi.mock("@/api/pdf", () => ({ pdfRead: vi.fn(), pdfSaveAs: vi.fn() }));
vi.mock("@/pdfDocument", () => ({ openPdf: vi.fn() }));

const FILE = "/archive/exports/档案-20210007-张晓燕.pdf";
const BYTES = new Uint8Array([37, 80, 68, 70]).buffer;

let pages: PdfPages & { render: ReturnType<typeof vi.fn>; destroy: ReturnType<typeof vi.fn> };

beforeEach(() => {
  pages = {
    numPages: 3,
    render: vi.fn().mockResolvedValue(undefined),
    destroy: vi.fn().mockResolvedValue(undefined),
  };
  vi.mocked(pdfRead).mockReset().mockResolvedValue(BYTES);
  vi.mocked(openPdf).mockReset().mockResolvedValue(pages);
  vi.mocked(pdfSaveAs).mockReset().mockResolvedValue("/home/clerk/桌面/档案.pdf");
});

afterEach(() => {
  document.body.innerHTML = "";
});

async function mountPreview() {
  const { wrapper } = await mountWithPlugins(BasePdfPreview, {
    props: { modelValue: true, file: FILE, title: "党员档案 · 张晓燕" },
  });
  await flushPromises();
  return wrapper;
}

describe("BasePdfPreview", () => {
  it("reads the file, draws page 1 on the canvas and shows the path", async () => {
    const wrapper = await mountPreview();
    expect(pdfRead).toHaveBeenCalledWith(FILE);
    expect(openPdf).toHaveBeenCalledWith(BYTES);
    expect(pages.render).toHaveBeenCalledTimes(1);
    expect(pages.render.mock.calls[0]![0]).toBe(1);
    expect(pages.render.mock.calls[0]![1]).toBeInstanceOf(HTMLCanvasElement);
    const body = wrapper.find('[data-testid="pdf-preview-canvas"]');
    expect(body.attributes("data-rendered-page")).toBe("1");
    expect(body.attributes("data-pages")).toBe("3");
    expect(wrapper.find('[data-testid="pdf-preview-path"]').text()).toBe(FILE);
    expect(wrapper.find('[data-testid="pdf-preview-page"]').text()).toBe("第 1 页 / 共 3 页");
    expect(wrapper.find('[data-testid="pdf-preview-prev"]').attributes("disabled")).toBeDefined();
  });

  it("pages forward and back within the document", async () => {
    const wrapper = await mountPreview();
    const next = wrapper.find('[data-testid="pdf-preview-next"]');
    await next.trigger("click");
    await flushPromises();
    await next.trigger("click");
    await flushPromises();
    expect(pages.render.mock.calls.map((call) => call[0])).toEqual([1, 2, 3]);
    expect(wrapper.find('[data-testid="pdf-preview-page"]').text()).toBe("第 3 页 / 共 3 页");
    expect(wrapper.find('[data-testid="pdf-preview-canvas"]').attributes("data-rendered-page")).toBe("3");
    expect(next.attributes("disabled")).toBeDefined();
    await wrapper.find('[data-testid="pdf-preview-prev"]').trigger("click");
    await flushPromises();
    expect(pages.render.mock.calls.at(-1)![0]).toBe(2);
  });

  it("saves a copy through the save dialog", async () => {
    const wrapper = await mountPreview();
    await wrapper.find('[data-testid="pdf-preview-save-as"]').trigger("click");
    await flushPromises();
    expect(pdfSaveAs).toHaveBeenCalledWith(FILE);
    expect(document.body.textContent).toContain("已另存为 /home/clerk/桌面/档案.pdf");
  });

  it("shows why a file cannot be read and draws nothing", async () => {
    vi.mocked(pdfRead).mockRejectedValue({ code: "invalid_argument", message: "只能读取本档案 exports 文件夹中生成的文件", details: null });
    const wrapper = await mountPreview();
    expect(openPdf).not.toHaveBeenCalled();
    expect(wrapper.find('[data-testid="error-alert"]').text()).toContain("只能读取本档案 exports 文件夹中生成的文件");
    expect(wrapper.find('[data-testid="pdf-preview-canvas"]').attributes("data-rendered-page")).toBe("0");
  });

  it("releases the document when closed", async () => {
    const wrapper = await mountPreview();
    await wrapper.setProps({ modelValue: false });
    await flushPromises();
    expect(pages.destroy).toHaveBeenCalled();
  });
});
