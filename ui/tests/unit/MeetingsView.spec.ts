// The 会议记录 page against a fake api layer: a branch chosen in the URL, its meetings, one meeting
// opened with its resolution's tally, and the 三会一课 tab with each period held against required.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { meetingsAttachFile, meetingsCompliance, meetingsList, meetingsShow } from "@/api/meetings";
import { orgBranches } from "@/api/org";
import App from "@/App.vue";
import { resetBranchesState } from "@/composables/useBranches";
import type { MeetingDetail } from "@/generated/MeetingDetail";
import { BRANCHES, mountWithPlugins } from "./helpers";

vi.mock("@/api/meetings", () => ({
  meetingsList: vi.fn(),
  meetingsShow: vi.fn(),
  meetingsCompliance: vi.fn(),
  meetingsRoll: vi.fn().mockResolvedValue([]),
  meetingsPreview: vi.fn(),
  meetingsRecord: vi.fn(),
  meetingsAttachFile: vi.fn(),
}));
vi.mock("@/api/org", () => ({ orgBranches: vi.fn() }));
vi.mock("@/api/session", () => ({
  sessionCurrent: vi.fn(async () => ({
    username: "admin",
    display_name: "系统管理员",
    role: "admin",
    role_zh: "管理员",
    scope: [],
    sees_all: true,
    permissions: ["member_read", "meeting_write", "appraisal_write", "audit_read", "admin"],
  })),
  sessionLogin: vi.fn(),
  sessionLogout: vi.fn(),
  sessionChangePassword: vi.fn(),
  sessionDemoAccounts: vi.fn(async () => []),
}));
vi.mock("@/api/archive", () => ({
  archiveInfo: vi.fn().mockResolvedValue({
    path: "/tmp/archive.db",
    schema_version: 10,
    program_version: "0.1.0",
    members: 3,
    visible_members: 3,
    encrypted: false,
  }),
}));

const MEETING: MeetingDetail = {
  id: 31,
  branch_id: 1,
  branch: "本科生第一党支部",
  kind: "general_meeting",
  date: "2026-11-24",
  place: "党员活动室",
  host: "王建国",
  recorder: "李红梅",
  topic: "讨论接收预备党员",
  minutes: "会议听取了发展对象的情况汇报。",
  attendance: [
    { member_id: 1, name: "王建国", status: "present", reason: null, signed_in_at: "14:00" },
    { member_id: 2, name: "李红梅", status: "present", reason: null, signed_in_at: null },
    { member_id: 3, name: "赵文静", status: "leave", reason: "出差", signed_in_at: null },
  ],
  resolutions: [
    {
      id: 5,
      kind: "admit",
      member_id: 9,
      member_name: "刘晓雨",
      months: null,
      text: "同意接收刘晓雨为中共预备党员",
      entitled: 3,
      yes: 2,
      no: 0,
      abstain: 0,
      needed: 2,
      passed: true,
      event_id: 77,
      votes: [
        { member_id: 1, name: "王建国", vote: "yes" },
        { member_id: 2, name: "李红梅", vote: "yes" },
      ],
    },
  ],
  attachments: [{ sha256: "ab".repeat(32), file_name: "签到表.pdf", material: null, size: 2048 }],
};

beforeEach(() => {
  resetBranchesState();
  vi.mocked(orgBranches).mockReset().mockResolvedValue(BRANCHES);
  vi.mocked(meetingsList).mockReset().mockResolvedValue([
    {
      id: 31,
      branch_id: 1,
      branch: "本科生第一党支部",
      kind: "general_meeting",
      date: "2026-11-24",
      topic: "讨论接收预备党员",
      present: 2,
      resolutions: 1,
    },
  ]);
  vi.mocked(meetingsShow).mockReset().mockResolvedValue(MEETING);
  vi.mocked(meetingsCompliance).mockReset().mockResolvedValue({
    branch_id: 1,
    year: 2026,
    missed: 1,
    periods: [
      { kind: "general_meeting", period: "2026Q3", months: 3, from: "2026-07-01", to: "2026-09-30", held: 0, required: 1, met: false, open: false },
      { kind: "general_meeting", period: "2026Q4", months: 3, from: "2026-10-01", to: "2026-12-31", held: 1, required: 1, met: true, open: true },
      { kind: "committee", period: "2026-11", months: 1, from: "2026-11-01", to: "2026-11-30", held: 0, required: 1, met: false, open: true },
    ],
  });
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("MeetingsView", () => {
  it("asks for a branch first", async () => {
    const { wrapper } = await mountWithPlugins(App, { path: "/meetings" });
    expect(wrapper.text()).toContain("请先选择党支部");
    expect(meetingsList).not.toHaveBeenCalled();
    expect(wrapper.find('[data-testid="meetings-record"]').attributes("disabled")).toBeDefined();
  });

  it("lists the branch's meetings and opens one with its tally", async () => {
    const { wrapper } = await mountWithPlugins(App, { path: "/meetings?branch=1" });
    expect(meetingsList).toHaveBeenCalledWith(1, { kind: null });
    const row = wrapper.find('[data-testid="meetings-table"] tbody tr');
    expect(row.text()).toContain("2026-11-24");
    expect(row.text()).toContain("支部党员大会");
    expect(row.text()).toContain("2 人");
    await row.trigger("click");
    await flushPromises();
    expect(meetingsShow).toHaveBeenCalledWith(31);
    const resolution = wrapper.find('[data-testid="meeting-detail-resolution"]');
    expect(resolution.attributes("data-passed")).toBe("true");
    expect(resolution.text()).toContain("通过");
    expect(resolution.text()).toContain("赞成 2 票，反对 0 票，弃权 0 票；需超过应到有表决权正式党员的半数（至少 2 票）");
    expect(wrapper.find('[data-testid="meeting-detail-leave"]').text()).toBe("赵文静（出差）");
  });

  it("shows the meeting's attachments and stores a file chosen in the detail", async () => {
    const { wrapper } = await mountWithPlugins(App, { path: "/meetings?branch=1" });
    await wrapper.find('[data-testid="meetings-table"] tbody tr').trigger("click");
    await flushPromises();
    const files = wrapper.find('[data-testid="meeting-detail"] [data-testid="meeting-attachments"]');
    expect(files.find('[data-testid="attachment"]').text()).toContain("签到表.pdf");
    vi.mocked(meetingsAttachFile).mockReset().mockResolvedValue({
      sha256: "cd".repeat(32),
      file_name: "会场照片.jpg",
      material: null,
      size: 10,
    });
    const input = files.find('[data-testid="meeting-attachment-file"]');
    const photo = new File(["photo"], "会场照片.jpg", { type: "image/jpeg" });
    Object.defineProperty(input.element, "files", { value: [photo], configurable: true });
    await input.trigger("change");
    await flushPromises();
    expect(meetingsAttachFile).toHaveBeenCalledWith(31, photo);
    // The meeting is read again to show what the core stored.
    expect(meetingsShow).toHaveBeenCalledTimes(2);
  });

  it("shows 三会一课 periods held against required, missed and ongoing ones apart", async () => {
    const { wrapper } = await mountWithPlugins(App, { path: "/meetings?branch=1" });
    expect(meetingsCompliance).toHaveBeenCalledWith(1, new Date().getFullYear());
    const periods = wrapper.findAll('[data-testid="compliance-period"]');
    expect(periods.map((p) => p.text())).toEqual(["2026Q3：0/1", "2026Q4：1/1", "2026-11：0/1"]);
    expect(periods.map((p) => p.attributes("data-state"))).toEqual(["danger", "success", "info"]);
    expect(wrapper.find('[data-testid="compliance-row"][data-kind="general_meeting"]').text()).toContain("每季度至少 1 次");
    expect(wrapper.find('[data-testid="meetings-compliance-missed"]').text()).toBe("已结束的 1 个周期未达标");
  });
});
