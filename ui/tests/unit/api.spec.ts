// The api layer itself: command names, argument shapes and error normalisation. This is the
// only test that fakes @tauri-apps directly; components are tested against a fake api layer.
import { beforeEach, describe, expect, it, vi } from "vitest";
import { archiveInfo } from "@/api/archive";
import { isApiError, NO_BACKEND, toApiError } from "@/api/errors";
import { documentsRead } from "@/api/documents";
import {
  lifecycleAddStep,
  lifecycleAttachEvidence,
  lifecycleCheckMember,
  lifecycleCorrectStep,
  lifecycleEventFiles,
  lifecycleExtendProbation,
  lifecycleMaterials,
  lifecyclePlan,
  lifecyclePreviewExtension,
  lifecyclePreviewStep,
  lifecycleRecordStatus,
  lifecycleSteps,
} from "@/api/lifecycle";
import { memberList, memberShow } from "@/api/members";
import { orgBranches } from "@/api/org";

const tauri = vi.hoisted(() => ({ invoke: vi.fn(), isTauri: vi.fn(() => true) }));
vi.mock("@tauri-apps/api/core", () => tauri);

beforeEach(() => {
  tauri.invoke.mockReset();
  tauri.isTauri.mockReset().mockReturnValue(true);
});

describe("api wrappers", () => {
  it("call the backend commands with camelCase argument names", async () => {
    tauri.invoke.mockResolvedValue("ok");
    const query = { text: "张", branch_id: 3, stage: "activist" as const, offset: 100, limit: 50 };
    const request = {
      member_id: 42,
      step: 2,
      date: "2026-11-20",
      people: [{ role: "talker" as const, name: "王老师", member_id: null }],
      note: null,
    };

    await archiveInfo();
    await orgBranches();
    await memberList(query);
    await memberShow(42);
    await lifecycleSteps();
    await lifecycleCheckMember(42);
    await lifecyclePreviewStep(request);
    await lifecycleAddStep(request);
    await lifecyclePlan(42);
    await lifecycleMaterials(42);

    expect(tauri.invoke.mock.calls).toEqual([
      ["archive_info", undefined],
      ["org_branches", undefined],
      ["member_list", { query }],
      ["member_show", { id: 42 }],
      ["lifecycle_steps", undefined],
      ["lifecycle_check_member", { id: 42 }],
      ["lifecycle_preview_step", { request }],
      ["lifecycle_add_step", { request }],
      ["lifecycle_plan", { id: 42 }],
      ["lifecycle_materials", { id: 42 }],
    ]);
  });

  it("call the timeline writes with their arguments, and send evidence as raw bytes", async () => {
    tauri.invoke.mockResolvedValue("ok");
    const extension = { member_id: 42, date: "2026-11-20", months: 6, note: null };
    const correction = { date: "2026-11-20", people: [], note: "日期笔误" };
    const bytes = new Uint8Array([1, 2, 3]);

    await lifecycleRecordStatus(42, "transferred_out", "2026-11-20", null);
    await lifecyclePreviewExtension(extension);
    await lifecycleExtendProbation(extension);
    await lifecycleCorrectStep(12, correction);
    await lifecycleAttachEvidence(12, "谈话 记录.png", bytes, "talk_record");
    await lifecycleAttachEvidence(13, "a.pdf", bytes, null);
    await lifecycleEventFiles(42);
    await documentsRead("a".repeat(64));

    expect(tauri.invoke.mock.calls).toEqual([
      ["lifecycle_record_status", { id: 42, kind: "transferred_out", date: "2026-11-20", note: null }],
      ["lifecycle_preview_extension", { request: extension }],
      ["lifecycle_extend_probation", { request: extension }],
      ["lifecycle_correct_step", { id: 12, correction }],
      [
        "lifecycle_attach_evidence",
        bytes,
        {
          headers: {
            "dangan-event-id": "12",
            "dangan-file-name": "%E8%B0%88%E8%AF%9D%20%E8%AE%B0%E5%BD%95.png",
            "dangan-material": "talk_record",
          },
        },
      ],
      ["lifecycle_attach_evidence", bytes, { headers: { "dangan-event-id": "13", "dangan-file-name": "a.pdf" } }],
      ["lifecycle_event_files", { id: 42 }],
      ["documents_read", { sha256: "a".repeat(64) }],
    ]);
  });

  it("pass a step_blocked rejection on with its findings", async () => {
    const error = { code: "step_blocked", message: "blocked", details: { findings: [] } };
    tauri.invoke.mockRejectedValue(error);
    await expect(
      lifecycleAddStep({ member_id: 1, step: 3, date: "2026-11-20", people: [], note: null }),
    ).rejects.toEqual(error);
  });

  it("reject with the backend's ApiError as it is", async () => {
    const error = { code: "not_found", message: "没有这个成员", details: { id: 42 } };
    tauri.invoke.mockRejectedValue(error);
    await expect(memberShow(42)).rejects.toEqual(error);
  });

  it("turn other rejections into an ApiError", async () => {
    tauri.invoke.mockRejectedValue("command member_show not found");
    await expect(memberShow(42)).rejects.toEqual({
      code: "unknown",
      message: "command member_show not found",
      details: null,
    });
  });

  it("refuse with no_backend outside the Tauri window", async () => {
    tauri.isTauri.mockReturnValue(false);
    await expect(archiveInfo()).rejects.toMatchObject({ code: NO_BACKEND });
    expect(tauri.invoke).not.toHaveBeenCalled();
  });
});

describe("toApiError", () => {
  it.each([
    [{ code: "bad", message: "坏了" }, { code: "bad", message: "坏了", details: null }],
    [new TypeError("boom"), { code: "unknown", message: "boom", details: null }],
    ["plain text", { code: "unknown", message: "plain text", details: null }],
    [undefined, { code: "unknown", message: "undefined", details: null }],
    [{ code: 1, message: "not a code" }, { code: "unknown", message: "[object Object]", details: { code: 1, message: "not a code" } }],
  ])("normalises %o", (reason, expected) => {
    const error = toApiError(reason);
    expect(error).toEqual(expected);
    expect(isApiError(error)).toBe(true);
  });
});
