// 批量导入思想汇报 against a fake api layer: the folder's preview with every file's member, quarter
// and title, errors in red and the import refused while any file is wrong, then the commit.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { reportsImportCommit, reportsImportPreview } from "@/api/reports";
import ReportsImportDialog from "@/components/ReportsImportDialog.vue";
import type { FolderImport } from "@/generated/FolderImport";
import type { FolderItem } from "@/generated/FolderItem";
import { mountWithPlugins } from "./helpers";

vi.mock("@/api/reports", () => ({ reportsImportPreview: vi.fn(), reportsImportCommit: vi.fn() }));
vi.mock("@/api/pdf", () => ({ pickFolder: vi.fn().mockResolvedValue("/home/clerk/汇报") }));

function item(overrides: Partial<FolderItem>): FolderItem {
  return {
    file: "20210001-王建国-2026Q3.docx",
    student_no: "20210001",
    name: "王建国",
    period: "2026Q3",
    member_id: 1,
    title: "2026年第三季度思想汇报",
    date: "2026-09-30",
    chars: 1200,
    error: null,
    message: null,
    ...overrides,
  };
}

function folder(items: FolderItem[], committed = false): FolderImport {
  const invalid = items.filter((i) => i.error !== null).length;
  return {
    folder: "/home/clerk/汇报",
    items,
    valid: items.length - invalid,
    invalid,
    created: committed ? items.map((_, i) => 100 + i) : [],
    committed,
  };
}

beforeEach(() => {
  vi.mocked(reportsImportPreview).mockReset();
  vi.mocked(reportsImportCommit).mockReset();
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("ReportsImportDialog", () => {
  it("previews a chosen folder, shows errors in red and refuses the import", async () => {
    vi.mocked(reportsImportPreview).mockResolvedValue(
      folder([
        item({}),
        item({
          file: "20219999-无名-2026Q3.txt",
          student_no: "20219999",
          name: "无名",
          member_id: null,
          title: null,
          error: "unknown_student",
          message: "没有学号为 20219999 的成员",
        }),
      ]),
    );
    const { wrapper } = await mountWithPlugins(ReportsImportDialog, { props: { modelValue: true } });
    await wrapper.find('[data-testid="report-import-choose"]').trigger("click");
    await flushPromises();
    expect(reportsImportPreview).toHaveBeenCalledWith("/home/clerk/汇报");
    const rows = document.querySelectorAll('[data-testid="report-import-row"]');
    expect(rows).toHaveLength(2);
    expect(rows[1]!.getAttribute("data-error")).toBe("unknown_student");
    const error = document.querySelector('[data-testid="report-import-error"]')!;
    expect(error.textContent).toContain("没有学号为 20219999 的成员");
    expect(document.querySelector('[data-testid="report-import-invalid"]')!.textContent).toContain("1 个文件不能导入");
    expect(document.querySelector('[data-testid="report-import-commit"]')!.hasAttribute("disabled")).toBe(true);
  });

  it("imports a clean folder typed in and shows the result", async () => {
    const items = [item({}), item({ file: "20210002-李红梅-2026Q3.txt", member_id: 2, name: "李红梅" })];
    vi.mocked(reportsImportPreview).mockResolvedValue(folder(items));
    vi.mocked(reportsImportCommit).mockResolvedValue(folder(items, true));
    const { wrapper } = await mountWithPlugins(ReportsImportDialog, { props: { modelValue: true } });
    const input = document.querySelector<HTMLInputElement>('input[data-testid="report-import-folder"], [data-testid="report-import-folder"] input')!;
    input.value = "/tmp/reports";
    input.dispatchEvent(new Event("input"));
    await flushPromises();
    (document.querySelector('[data-testid="report-import-preview"]') as HTMLElement).click();
    await flushPromises();
    expect(reportsImportPreview).toHaveBeenCalledWith("/tmp/reports");
    const commit = document.querySelector<HTMLButtonElement>('[data-testid="report-import-commit"]')!;
    expect(commit.disabled).toBe(false);
    expect(commit.textContent).toContain("导入 2 份");
    commit.click();
    await flushPromises();
    expect(reportsImportCommit).toHaveBeenCalledWith("/tmp/reports");
    expect(document.querySelector('[data-testid="report-import-done"]')!.getAttribute("data-created")).toBe("2");
    expect(wrapper.emitted("imported")).toHaveLength(1);
  });
});
