// 审计日志 against a fake api layer: entries in Chinese with a link to the member, an expandable
// before/after, filters sent to the core, pages, and 校验 showing an intact chain or the first
// broken entry.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { auditList, auditVerify } from "@/api/audit";
import { memberList } from "@/api/members";
import type { AuditEntry } from "@/generated/AuditEntry";
import AuditView from "@/views/AuditView.vue";
import { mountWithPlugins } from "./helpers";

vi.mock("@/api/audit", () => ({ auditList: vi.fn(), auditVerify: vi.fn() }));
vi.mock("@/api/members", () => ({ memberList: vi.fn() }));

function entry(overrides: Partial<AuditEntry> & Pick<AuditEntry, "seq" | "action">): AuditEntry {
  return {
    at: "2026-12-02T06:30:00.000Z",
    actor: "admin",
    target_kind: "member",
    target_id: 7,
    member_id: 7,
    member_name: "张晓燕",
    detail: {},
    hash: "ab".repeat(32),
    ...overrides,
  };
}

beforeEach(() => {
  vi.mocked(auditList)
    .mockReset()
    .mockResolvedValue({
      total: 120,
      actors: ["admin", "clerk"],
      rows: [
        entry({ seq: 12, action: "id_reveal", detail: { id_number_masked: "110101********123X" } }),
        entry({
          seq: 11,
          action: "report_review",
          target_kind: "thought_report",
          target_id: 3,
          detail: { before: { reviewer: null, comment: null }, after: { reviewer: "李老师", comment: "好" } },
        }),
        entry({
          seq: 10,
          action: "backup",
          target_kind: "backup",
          target_id: 2,
          member_id: null,
          member_name: null,
          detail: { file: "backups/archive-x-manual.db", reason: "manual" },
        }),
      ],
    });
  vi.mocked(auditVerify).mockReset();
  vi.mocked(memberList).mockReset().mockResolvedValue({ total: 0, rows: [] });
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("AuditView", () => {
  it("lists entries with the action in Chinese, a link to the member and a summary", async () => {
    const { wrapper } = await mountWithPlugins(AuditView, { path: "/audit" });
    expect(auditList).toHaveBeenCalledWith(expect.objectContaining({ limit: 50, offset: 0, action: null }));
    const actions = wrapper.findAll('[data-testid="audit-row-action"]').map((a) => a.text());
    expect(actions).toEqual(["查看身份证号", "批阅思想汇报", "备份"]);
    const links = wrapper.findAll('[data-testid="audit-row-member"]');
    expect(links).toHaveLength(2);
    expect(links[0]!.attributes("href")).toBe("#/members/7");
    const text = wrapper.get('[data-testid="audit-table"]').text();
    expect(text).toContain("110101********123X");
    expect(text).toContain("reviewer: — → 李老师");
    expect(text).toContain("backups/archive-x-manual.db");
    expect(wrapper.get('[data-testid="audit-total"]').text()).toBe("共 120 条");
  });

  it("expands an entry to its before and after", async () => {
    const { wrapper } = await mountWithPlugins(AuditView, { path: "/audit" });
    const expanders = wrapper.findAll(".el-table__expand-icon");
    await expanders[1]!.trigger("click");
    await flushPromises();
    const detail = wrapper.get('[data-testid="audit-detail"]').text();
    expect(detail).toContain("修改前");
    expect(detail).toContain("李老师");
  });

  it("sends the filters and the page to the core", async () => {
    const { wrapper } = await mountWithPlugins(AuditView, { path: "/audit" });
    const vm = wrapper.findComponent(AuditView).vm as unknown as {
      $: { setupState: { filters: Record<string, unknown> } };
    };
    Object.assign(vm.$.setupState.filters, { action: "backup", actor: "clerk", from: "2026-12-01", targetKind: "backup" });
    await wrapper.get('[data-testid="audit-search"]').trigger("click");
    await flushPromises();
    expect(auditList).toHaveBeenLastCalledWith(
      expect.objectContaining({ action: "backup", actor: "clerk", from: "2026-12-01", target_kind: "backup", offset: 0 }),
    );
    await wrapper.get(".el-pager li:nth-child(2)").trigger("click");
    await flushPromises();
    expect(auditList).toHaveBeenLastCalledWith(expect.objectContaining({ offset: 50, action: "backup" }));
  });

  it("shows an intact chain with its entry count", async () => {
    vi.mocked(auditVerify).mockResolvedValue({ entries: 1234, ok: true, head: { seq: 1234, hash: "00" } });
    const { wrapper } = await mountWithPlugins(AuditView, { path: "/audit" });
    await wrapper.get('[data-testid="audit-verify"]').trigger("click");
    await flushPromises();
    const result = wrapper.get('[data-testid="audit-verify-result"]');
    expect(result.attributes("data-ok")).toBe("true");
    expect(result.text()).toContain("1234");
  });

  it("shows the first broken entry in red", async () => {
    vi.mocked(auditVerify).mockResolvedValue({
      entries: 40,
      ok: false,
      first_bad_seq: 17,
      problem_code: "edited",
      problem: "审计记录第 17 条的内容与其哈希不符",
      head: { seq: 40, hash: "00" },
    });
    const { wrapper } = await mountWithPlugins(AuditView, { path: "/audit" });
    await wrapper.get('[data-testid="audit-verify"]').trigger("click");
    await flushPromises();
    const result = wrapper.get('[data-testid="audit-verify-result"]');
    expect(result.attributes("data-ok")).toBe("false");
    expect(result.classes()).toContain("audit-view__broken");
    expect(result.text()).toContain("第 17 条");
  });
});
