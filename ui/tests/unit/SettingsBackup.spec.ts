// 备份与恢复 against a fake api layer: the last verified backup and the list with their checks,
// 立即备份 with its result, the policy saved as changed keys only, and a restore that asks first
// (saying what happens) and reports what it did.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { backupList, backupNow, backupPolicy, backupRestore } from "@/api/backup";
import SettingsBackup from "@/components/SettingsBackup.vue";
import type { BackupRecord } from "@/generated/BackupRecord";
import { mountWithPlugins } from "./helpers";

vi.mock("@/api/backup", () => ({
  backupList: vi.fn(),
  backupNow: vi.fn(),
  backupPolicy: vi.fn(),
  backupRestore: vi.fn(),
  chooseBackupFile: vi.fn(),
}));

function record(overrides: Partial<BackupRecord> & Pick<BackupRecord, "id">): BackupRecord {
  return {
    file: `backups/archive-2026120${overrides.id}T010000000Z-manual.db`,
    path: `/tmp/a/backups/archive-2026120${overrides.id}T010000000Z-manual.db`,
    bytes: 2 * 1024 * 1024,
    reason: "manual",
    verified: true,
    problem: null,
    counts: { member: 3000 },
    schema_version: 14,
    audit_seq: 10,
    made_by: "admin",
    made_at: "2026-12-01T01:00:00.000Z",
    millis: 420,
    deleted_at: null,
    ...overrides,
  };
}

const POLICY = { enabled: true, interval_hours: 24, daily: 7, weekly: 4, monthly: 12 };

beforeEach(() => {
  const last = record({ id: 2, reason: "scheduled" });
  vi.mocked(backupList)
    .mockReset()
    .mockResolvedValue({
      last_verified: last,
      backups: [
        last,
        record({ id: 1, verified: false, problem: "integrity_check failed", bytes: 0 }),
      ],
      policy: { ...POLICY },
    });
  vi.mocked(backupNow).mockReset().mockResolvedValue(record({ id: 3 }));
  vi.mocked(backupPolicy).mockReset().mockImplementation(async () => ({ ...POLICY, daily: 3 }));
  vi.mocked(backupRestore).mockReset();
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("SettingsBackup", () => {
  it("shows the last verified backup and every backup with its check", async () => {
    const { wrapper } = await mountWithPlugins(SettingsBackup);
    const last = wrapper.get('[data-testid="backup-last"]').text();
    expect(last).toMatch(/2026-12-01 \d\d:00/);
    expect(last).toContain("自动");
    expect(last).toContain("2.0 MB");
    const states = wrapper.findAll('[data-testid="backup-state"]').map((s) => s.text());
    expect(states).toEqual(["✓ 已校验", "✗ integrity_check failed"]);
    // Only a verified backup offers 恢复.
    expect(wrapper.findAll('[data-testid="backup-restore"]')).toHaveLength(1);
  });

  it("makes a backup now and says what was made", async () => {
    const { wrapper } = await mountWithPlugins(SettingsBackup);
    await wrapper.get('[data-testid="backup-now"]').trigger("click");
    await flushPromises();
    expect(backupNow).toHaveBeenCalledTimes(1);
    expect(wrapper.get('[data-testid="backup-made"]').text()).toContain("已校验");
    expect(backupList).toHaveBeenCalledTimes(2);
  });

  it("saves only the policy keys that changed", async () => {
    const { wrapper } = await mountWithPlugins(SettingsBackup);
    await wrapper.get('[data-testid="policy-enabled"]').trigger("click");
    await wrapper.get('[data-testid="policy-save"]').trigger("click");
    await flushPromises();
    expect(backupPolicy).toHaveBeenCalledWith({ "backup.enabled": "false" });
    expect(wrapper.find('[data-testid="policy-saved"]').exists()).toBe(true);
  });

  it("asks before restoring, says what happens, then reports and asks the page to reload", async () => {
    vi.mocked(backupRestore).mockResolvedValue({
      file: "/tmp/a/backups/archive-20261202T010000000Z-manual.db",
      schema_version: 14,
      counts: { member: 3000 },
      before_restore: record({ id: 4, reason: "before_restore" }),
      audit_seq: 99,
    });
    const { wrapper } = await mountWithPlugins(SettingsBackup);
    await wrapper.get('[data-testid="backup-restore"]').trigger("click");
    await flushPromises();
    const dialog = document.body.querySelector('[data-testid="restore-dialog"]');
    expect(dialog?.textContent).toContain("先校验该备份");
    expect(dialog?.textContent).toContain("恢复前备份");
    expect(backupRestore).not.toHaveBeenCalled();
    (document.body.querySelector('[data-testid="restore-confirm"]') as HTMLElement).click();
    await flushPromises();
    expect(backupRestore).toHaveBeenCalledWith("/tmp/a/backups/archive-20261202T010000000Z-manual.db");
    expect(wrapper.get('[data-testid="backup-restored"]').text()).toContain("3000");
    expect(wrapper.emitted("restored")).toHaveLength(1);
  });

  it("shows a refused restore as an error and changes nothing", async () => {
    vi.mocked(backupRestore).mockRejectedValue({
      code: "restore_refused",
      message: "cannot be restored, the archive was not changed",
      details: null,
    });
    const { wrapper } = await mountWithPlugins(SettingsBackup);
    await wrapper.get('[data-testid="backup-restore"]').trigger("click");
    await flushPromises();
    (document.body.querySelector('[data-testid="restore-confirm"]') as HTMLElement).click();
    await flushPromises();
    expect(wrapper.get('[data-testid="error-alert"]').attributes("data-error-code")).toBe("restore_refused");
    expect(wrapper.emitted("restored")).toBeUndefined();
  });
});
