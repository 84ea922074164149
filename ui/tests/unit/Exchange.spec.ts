// The import wizard, its preview and the import history against a fake roster api: bad cells
// marked from an ImportReport, a commit refused without 跳过有错误的行 when rows have errors, and
// undo only after its confirmation (and the core's refusal shown as it says it).
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  rosterCancel,
  rosterCommit,
  rosterHistory,
  rosterPreview,
  rosterUndo,
  rosterUpload,
  type ProgressListener,
} from "@/api/roster";
import ExchangeHistory from "@/components/ExchangeHistory.vue";
import ExchangeImportIssues from "@/components/ExchangeImportIssues.vue";
import ExchangeImportWizard from "@/components/ExchangeImportWizard.vue";
import type { BatchSummary } from "@/generated/BatchSummary";
import type { ImportReport } from "@/generated/ImportReport";
import type { RowChange } from "@/generated/RowChange";
import { mountWithPlugins } from "./helpers";

vi.mock("@/api/roster", () => ({
  rosterUpload: vi.fn(),
  rosterPreview: vi.fn(),
  rosterCommit: vi.fn(),
  rosterCancel: vi.fn(),
  rosterErrorWorkbook: vi.fn(),
  rosterHistory: vi.fn(),
  rosterUndo: vi.fn(),
}));

const UPLOADED = "/archive/tmp/import/1/名册.xlsx";

function report(overrides: Partial<ImportReport> = {}): ImportReport {
  return {
    file: UPLOADED,
    format: "xlsx",
    encoding: null,
    sheets: [
      {
        name: "计算机学院",
        header_row: 3,
        rows: 3,
        columns: [
          { column: "序号", field: null },
          { column: "姓名", field: "name" },
          { column: "身份证号码", field: "id_number" },
          { column: "入党时间", field: "joined_date" },
        ],
        skipped: null,
      },
    ],
    rows: 3,
    valid: 1,
    invalid: 2,
    created: 1,
    updated: 0,
    unchanged: 0,
    errors: [
      {
        sheet: "计算机学院",
        row: 5,
        column: "身份证号码",
        field: "id_number",
        code: "id_number_as_number",
        message: "公民身份号码以数字保存，Excel 已把18位数字舍入",
        value: "110108200110010130",
      },
      {
        sheet: "计算机学院",
        row: 6,
        column: "入党时间",
        field: "joined_date",
        code: "bad_date",
        message: "2019年13月1日 不是存在的日期",
        value: "2019-13-01",
      },
      {
        sheet: "计算机学院",
        row: 6,
        column: "姓名",
        field: "name",
        code: "missing_required",
        message: "必填的“姓名”为空",
        value: "",
      },
    ],
    warnings: [],
    unknown_branches: ["不存在的党支部"],
    new_branches: [],
    updates: [],
    updates_omitted: 0,
    committed: false,
    batch: null,
    ...overrides,
  };
}

const BATCH: BatchSummary = {
  id: 4,
  file_name: "名册.xlsx",
  rows: 22,
  created: 8,
  updated: 0,
  skipped: 14,
  imported_by: "local-admin",
  imported_at: "2026-12-02 08:00:00",
  undone_at: null,
};

beforeEach(() => {
  vi.mocked(rosterUpload).mockReset().mockResolvedValue(UPLOADED);
  vi.mocked(rosterPreview).mockReset().mockResolvedValue(report());
  vi.mocked(rosterCommit)
    .mockReset()
    .mockResolvedValue(report({ committed: true, batch: 4 }));
  vi.mocked(rosterHistory).mockReset().mockResolvedValue([BATCH]);
  vi.mocked(rosterUndo)
    .mockReset()
    .mockResolvedValue({ batch: 4, removed_members: 8, restored_members: 0, removed_events: 16 });
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("ExchangeImportIssues", () => {
  it("marks every bad cell of each row in red with its reason, and lists the errors as Excel shows them", async () => {
    const { wrapper } = await mountWithPlugins(ExchangeImportIssues, { props: { report: report() } });
    const cells = wrapper.findAll('[data-testid="import-bad-cell"]');
    expect(cells.map((c) => [c.attributes("data-row"), c.attributes("data-column"), c.attributes("title")])).toEqual([
      ["5", "身份证号码", "公民身份号码以数字保存，Excel 已把18位数字舍入"],
      ["6", "入党时间", "2019年13月1日 不是存在的日期"],
      ["6", "姓名", "必填的“姓名”为空"],
    ]);
    expect(cells[0]?.text()).toBe("身份证号码：110108200110010130");
    expect(cells[2]?.text()).toBe("姓名：—");
    expect(cells.every((c) => c.classes("exchange-import-issues__bad-cell"))).toBe(true);
    // One table row per bad row, then the error list with one row per error.
    expect(wrapper.findAll('[data-testid="import-bad-rows"] tbody tr')).toHaveLength(2);
    const listed = wrapper
      .findAll('[data-testid="import-error-list"] tbody tr')
      .map((tr) => tr.findAll("td").map((td) => td.text()));
    expect(listed[1]).toEqual(["计算机学院", "6", "入党时间", "2019年13月1日 不是存在的日期", "2019-13-01"]);
    expect(wrapper.find('[data-testid="import-unknown-branches"]').text()).toContain("不存在的党支部");
  });

  it("shows an update as a field diff", async () => {
    const updated = report({
      errors: [],
      updates: [
        {
          sheet: "计算机学院",
          row: 4,
          member_id: 12,
          name: "张伟",
          action: "updated",
          changes: [{ field: "phone", label: "联系电话", before: "13800000000", after: "13900000000" }],
        },
      ],
    });
    const { wrapper } = await mountWithPlugins(ExchangeImportIssues, { props: { report: updated } });
    const diff = wrapper.find('[data-testid="import-updates"] .exchange-import-issues__change');
    expect(diff.find("del").text()).toBe("13800000000");
    expect(diff.find("ins").text()).toBe("13900000000");
    expect(wrapper.find('[data-testid="import-bad-rows"]').exists()).toBe(false);
    // Every update is listed: no note about more.
    expect(wrapper.find('[data-testid="import-updates-more"]').exists()).toBe(false);
  });

  it("says how many members are updated beyond the diffs listed", async () => {
    const change = (row: number): RowChange => ({
      sheet: "计算机学院",
      row,
      member_id: row,
      name: `党员${row}`,
      action: "updated",
      changes: [{ field: "phone", label: "联系电话", before: "13800000000", after: "13900000000" }],
    });
    const many = report({
      errors: [],
      updates: Array.from({ length: 1000 }, (_, i) => change(i + 2)),
      updates_omitted: 4000,
    });
    const { wrapper } = await mountWithPlugins(ExchangeImportIssues, { props: { report: many } });
    expect(wrapper.find('[data-testid="import-updates-more"]').text()).toBe(
      "仅列出前 200 名，共 5000 名党员将更新；提交后每一行的变更都记录在本次导入批次中",
    );
  });
});

async function chooseFile(wrapper: Awaited<ReturnType<typeof mountWithPlugins>>["wrapper"]) {
  const input = wrapper.find<HTMLInputElement>('[data-testid="import-file"]');
  const file = new File([new Uint8Array([80, 75, 3, 4])], "名册.xlsx");
  Object.defineProperty(input.element, "files", { value: [file], configurable: true });
  await input.trigger("change");
  await vi.waitFor(() => expect(wrapper.find('[data-testid="import-mapping"]').exists()).toBe(true));
}

describe("ExchangeImportWizard", () => {
  it("uploads the chosen file, shows its column mapping, and commits only with skip-invalid ticked", async () => {
    const { wrapper } = await mountWithPlugins(ExchangeImportWizard);
    await chooseFile(wrapper);
    expect(vi.mocked(rosterUpload).mock.calls[0]?.[0]).toBe("名册.xlsx");
    expect(vi.mocked(rosterPreview).mock.calls[0]?.[0]).toBe(UPLOADED);
    expect(
      wrapper
        .findAll('[data-testid="import-column"]')
        .map((c) => [c.attributes("data-column"), c.find(".el-select__selected-item span").text()]),
    ).toEqual([
      ["序号", "不导入"],
      ["姓名", "姓名"],
      ["身份证号码", "公民身份号码"],
      ["入党时间", "加入党组织日期"],
    ]);
    await wrapper.find('[data-testid="import-next"]').trigger("click");
    expect(wrapper.find('[data-testid="import-count-errors"]').text()).toContain("3");
    await wrapper.find('[data-testid="import-next"]').trigger("click");

    const commit = wrapper.find('[data-testid="import-commit"]');
    expect(commit.attributes("disabled")).toBeDefined();
    await commit.trigger("click");
    expect(rosterCommit).not.toHaveBeenCalled();

    await wrapper.find('[data-testid="import-skip-invalid"] input').setValue(true);
    expect(wrapper.find('[data-testid="import-commit"]').attributes("disabled")).toBeUndefined();
    await wrapper.find('[data-testid="import-commit"]').trigger("click");
    await flushPromises();
    expect(vi.mocked(rosterCommit).mock.calls[0]?.slice(0, 2)).toEqual([UPLOADED, true]);
    expect(wrapper.find('[data-testid="import-result"]').text()).toContain("批次号 4");
  });

  it("re-checks with a column's field changed, and shows missing required columns at once", async () => {
    const { wrapper } = await mountWithPlugins(ExchangeImportWizard);
    await chooseFile(wrapper);
    expect(wrapper.find('[data-testid="import-missing-required"]').exists()).toBe(false);
    // 身份证号码 set to 不导入: the ID column is missing, said before the check answers.
    let answer: (r: ImportReport) => void = () => {};
    vi.mocked(rosterPreview).mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    );
    const column = wrapper.findAll('[data-testid="import-column"]')[2]!;
    const ignore = column.findAll(".el-select-dropdown__item").find((o) => o.text() === "不导入")!;
    await ignore.trigger("click");
    expect(wrapper.find('[data-testid="import-missing-required"]').text()).toContain("公民身份号码");
    expect(vi.mocked(rosterPreview).mock.calls[1]?.[2]).toEqual({
      sheet: null,
      columns: [{ sheet: "计算机学院", column: "身份证号码", field: null }],
      createBranches: false,
    });
    answer(report());
    await flushPromises();
    // 序号 mapped to 学号: the override is added to the first.
    const number = wrapper.findAll('[data-testid="import-column"]')[0]!;
    await number
      .findAll(".el-select-dropdown__item")
      .find((o) => o.text() === "学号")!
      .trigger("click");
    await flushPromises();
    expect(vi.mocked(rosterPreview).mock.calls[2]?.[2]?.columns).toEqual([
      { sheet: "计算机学院", column: "身份证号码", field: null },
      { sheet: "计算机学院", column: "序号", field: "student_no" },
    ]);
  });

  it("offers to map by hand when the file's required columns are missing, and names both columns of a field given twice", async () => {
    vi.mocked(rosterPreview).mockRejectedValueOnce({
      code: "missing_columns",
      message: "名册.xlsx: 工作表 \"Sheet1\" 缺少必需的列：公民身份号码；找到的表头：姓名、证件号",
      details: {
        sheet: "Sheet1",
        missing: ["公民身份号码"],
        found: ["姓名", "证件号"],
        columns: [
          { column: "姓名", field: "name" },
          { column: "证件号", field: null },
        ],
      },
    });
    vi.mocked(rosterPreview).mockRejectedValueOnce({
      code: "duplicate_column",
      message: "工作表 \"Sheet1\" 的列 \"姓名\" 和 \"证件号\" 都对应“姓名”",
      details: null,
    });
    const { wrapper } = await mountWithPlugins(ExchangeImportWizard);
    await chooseFile(wrapper);
    expect(wrapper.find('[data-testid="error-alert"]').text()).toContain("缺少必需的列");
    expect(wrapper.find('[data-testid="import-missing-required"]').text()).toContain("公民身份号码");
    expect(wrapper.find('[data-testid="import-next"]').attributes("disabled")).toBeDefined();
    const id = wrapper.findAll('[data-testid="import-column"]')[1]!;
    await id.findAll(".el-select-dropdown__item").find((o) => o.text() === "姓名")!.trigger("click");
    await flushPromises();
    expect(wrapper.find('[data-testid="error-alert"]').text()).toContain("都对应");
    await id.findAll(".el-select-dropdown__item").find((o) => o.text() === "公民身份号码")!.trigger("click");
    await flushPromises();
    expect(vi.mocked(rosterPreview).mock.calls[2]?.[2]?.columns).toEqual([
      { sheet: "Sheet1", column: "证件号", field: "id_number" },
    ]);
    expect(wrapper.find('[data-testid="error-alert"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="import-next"]').attributes("disabled")).toBeUndefined();
  });

  it("creates the unknown college/branch names only when ticked, and says which cannot be created", async () => {
    vi.mocked(rosterPreview).mockResolvedValueOnce(
      report({ unknown_branches: ["新学院党委/第一党支部", "不存在的党支部"] }),
    );
    vi.mocked(rosterPreview).mockResolvedValueOnce(
      report({ unknown_branches: ["不存在的党支部"], new_branches: ["新学院党委/第一党支部"] }),
    );
    const { wrapper } = await mountWithPlugins(ExchangeImportWizard);
    await chooseFile(wrapper);
    await wrapper.find('[data-testid="import-next"]').trigger("click");
    expect(wrapper.find('[data-testid="import-creatable-branches"]').text()).toContain("新学院党委/第一党支部");
    expect(wrapper.find('[data-testid="import-uncreatable-branches"]').text()).toContain("不存在的党支部");
    expect(wrapper.find('[data-testid="import-uncreatable-branches"]').text()).toContain("学院党委/支部名称");
    await wrapper.find('[data-testid="import-create-branches"] input').setValue(true);
    await flushPromises();
    expect(vi.mocked(rosterPreview).mock.calls[1]?.[2]?.createBranches).toBe(true);
    expect(wrapper.find('[data-testid="import-new-branches"]').text()).toContain("将随本次导入创建：新学院党委/第一党支部");
    await wrapper.find('[data-testid="import-next"]').trigger("click");
    await wrapper.find('[data-testid="import-skip-invalid"] input').setValue(true);
    await wrapper.find('[data-testid="import-commit"]').trigger("click");
    await flushPromises();
    expect(vi.mocked(rosterCommit).mock.calls[0]?.[3]?.createBranches).toBe(true);
  });

  it("commits a file without errors without asking to skip anything", async () => {
    vi.mocked(rosterPreview).mockResolvedValue(report({ errors: [], invalid: 0, valid: 3, created: 3 }));
    const { wrapper } = await mountWithPlugins(ExchangeImportWizard);
    await chooseFile(wrapper);
    await wrapper.find('[data-testid="import-next"]').trigger("click");
    await wrapper.find('[data-testid="import-next"]').trigger("click");
    expect(wrapper.find('[data-testid="import-skip-invalid"]').exists()).toBe(false);
    await wrapper.find('[data-testid="import-commit"]').trigger("click");
    await flushPromises();
    expect(vi.mocked(rosterCommit).mock.calls[0]?.slice(0, 2)).toEqual([UPLOADED, false]);
  });
  it("shows the import's progress and cancels it, saying that nothing was written", async () => {
    vi.mocked(rosterPreview).mockResolvedValue(report({ errors: [], invalid: 0, valid: 3, created: 3 }));
    let progress: ProgressListener = () => {};
    let fail: (reason: unknown) => void = () => {};
    vi.mocked(rosterCommit).mockImplementation((_path, _skip, onProgress) => {
      progress = onProgress;
      return new Promise((_resolve, reject) => {
        fail = reject;
      });
    });
    const { wrapper } = await mountWithPlugins(ExchangeImportWizard);
    await chooseFile(wrapper);
    await wrapper.find('[data-testid="import-next"]').trigger("click");
    await wrapper.find('[data-testid="import-next"]').trigger("click");
    await wrapper.find('[data-testid="import-commit"]').trigger("click");
    progress({ phase: "writing", done: 500, total: 2000 });
    await flushPromises();
    expect(wrapper.find('[data-testid="import-progress"]').text()).toContain("写入：500 / 2000");
    expect(wrapper.find('[data-testid="import-progress"] .el-progress').attributes("aria-valuenow")).toBe("25");

    await wrapper.find('[data-testid="import-cancel"]').trigger("click");
    expect(rosterCancel).toHaveBeenCalledTimes(1);
    fail({ code: "cancelled", message: "导入已取消，未写入任何内容", details: null });
    await flushPromises();
    expect(wrapper.find('[data-testid="import-progress"]').exists()).toBe(false);
    expect(wrapper.find('[data-testid="error-alert"]').text()).toContain("导入已取消，未写入任何内容");
    expect(wrapper.find('[data-testid="import-result"]').exists()).toBe(false);
  });
});

describe("ExchangeHistory", () => {
  it("undoes a batch only after the confirmation", async () => {
    const { wrapper } = await mountWithPlugins(ExchangeHistory);
    await wrapper.find('[data-testid="undo-batch-4"]').trigger("click");
    await flushPromises();
    const dialog = document.querySelector('[data-testid="undo-dialog"]');
    expect(dialog?.textContent).toContain("将删除该批次新增的 8 名党员");
    expect(rosterUndo).not.toHaveBeenCalled();

    (document.querySelector('[data-testid="undo-save"]') as HTMLButtonElement).click();
    await flushPromises();
    expect(rosterUndo).toHaveBeenCalledWith(4);
    expect(wrapper.find('[data-testid="undo-done"]').text()).toContain("已撤销批次 4：删除 8 人");
    expect(rosterHistory).toHaveBeenCalledTimes(2);
  });

  it("shows the core's refusal when later changes depend on the batch", async () => {
    vi.mocked(rosterUndo).mockRejectedValue({
      code: "undo_blocked",
      message: "无法撤销导入批次 4：党员 12 之后又被导入批次 5 修改；请先撤销批次 5",
      details: null,
    });
    const { wrapper } = await mountWithPlugins(ExchangeHistory);
    await wrapper.find('[data-testid="undo-batch-4"]').trigger("click");
    await flushPromises();
    (document.querySelector('[data-testid="undo-save"]') as HTMLButtonElement).click();
    await flushPromises();
    const alert = document.querySelector('[data-testid="undo-error"]');
    expect(alert?.textContent).toContain("请先撤销批次 5");
    expect(wrapper.find('[data-testid="undo-done"]').exists()).toBe(false);
  });
});
