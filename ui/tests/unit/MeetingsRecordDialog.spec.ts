// The "记录会议" form against a fake api layer: the quorum line from the core's preview, the
// attendance grid and votes (probationary members attend without a vote), the quick buttons,
// saving only a quorate meeting, and the request the core receives.
import { flushPromises, type VueWrapper } from "@vue/test-utils";
import { ElOption } from "element-plus";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { meetingsPreview, meetingsRecord, meetingsRoll } from "@/api/meetings";
import { memberList } from "@/api/members";
import MeetingsRecordDialog from "@/components/MeetingsRecordDialog.vue";
import { PREVIEW_DEBOUNCE_MS } from "@/composables/usePreviewedWrite";
import type { MeetingPreview } from "@/generated/MeetingPreview";
import type { MeetingRequest } from "@/generated/MeetingRequest";
import type { ResolutionTally } from "@/generated/ResolutionTally";
import type { RollMember } from "@/generated/RollMember";
import { finding, mountWithPlugins, summary } from "./helpers";

vi.mock("@/api/meetings", () => ({
  meetingsRoll: vi.fn(),
  meetingsPreview: vi.fn(),
  meetingsRecord: vi.fn(),
}));
vi.mock("@/api/members", () => ({
  memberList: vi.fn(),
  memberShow: vi.fn(),
}));

/** Three full members and a probationary member. */
const ROLL: RollMember[] = [
  { member_id: 1, name: "王建国", student_no: null, entitled: true },
  { member_id: 2, name: "李红梅", student_no: null, entitled: true },
  { member_id: 3, name: "赵文静", student_no: null, entitled: true },
  { member_id: 4, name: "陈思远", student_no: "20230004", entitled: false },
];
const CANDIDATE = summary({ id: 9, name: "刘晓雨", stage: "development_target" });

function preview(overrides: Partial<MeetingPreview> = {}): MeetingPreview {
  return {
    entitled: ROLL.filter((m) => m.entitled).map((m) => ({ member_id: m.member_id, name: m.name })),
    present_entitled: 0,
    quorum: 2,
    quorate: false,
    resolutions: [],
    ...overrides,
  };
}

function tally(overrides: Partial<ResolutionTally> = {}): ResolutionTally {
  return {
    kind: "admit",
    member_id: 9,
    entitled: 3,
    yes: 0,
    no: 0,
    abstain: 0,
    passed: false,
    needed: 2,
    findings: [],
    ...overrides,
  };
}

beforeEach(() => {
  vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout", "Date"] });
  vi.setSystemTime(new Date(2026, 10, 24, 9, 30));
  vi.mocked(meetingsRoll).mockReset().mockResolvedValue(ROLL);
  vi.mocked(meetingsPreview).mockReset().mockResolvedValue(preview());
  vi.mocked(meetingsRecord).mockReset();
  vi.mocked(memberList).mockReset().mockResolvedValue({ total: 1, rows: [CANDIDATE] });
});

afterEach(() => {
  document.body.innerHTML = "";
});

async function mountDialog() {
  const { wrapper } = await mountWithPlugins(MeetingsRecordDialog, {
    props: { modelValue: true, branchId: 5, branchName: "计算机学院 · 本科生第一党支部" },
  });
  await settle();
  return wrapper;
}

async function settle() {
  await flushPromises();
  vi.advanceTimersByTime(PREVIEW_DEBOUNCE_MS);
  await flushPromises();
}

function lastRequest(): MeetingRequest {
  const request = vi.mocked(meetingsPreview).mock.calls.at(-1)?.[0];
  if (!request) throw new Error("no preview asked for");
  return request;
}

function row(wrapper: VueWrapper, testid: string, memberId: number) {
  return wrapper.find(`[data-testid="${testid}"][data-member-id="${memberId}"]`);
}

async function setStatus(wrapper: VueWrapper, memberId: number, status: string) {
  await row(wrapper, "attendance-row", memberId).find(`[data-status="${status}"] input`).setValue(true);
  await settle();
}

async function chooseMember(wrapper: VueWrapper, id: number) {
  const option = wrapper
    .findAllComponents(ElOption)
    .find((item) => item.attributes("data-member-id") === String(id));
  if (!option) throw new Error(`no option for member ${id}`);
  await option.trigger("click");
  await flushPromises();
}

const saveButton = (wrapper: VueWrapper) => wrapper.find('[data-testid="meeting-save"]');

describe("MeetingsRecordDialog", () => {
  it("lists the branch's party members on the day and shows the core's quorum with a ✓", async () => {
    vi.mocked(meetingsPreview).mockResolvedValue(preview({ present_entitled: 2, quorate: true }));
    const wrapper = await mountDialog();
    expect(meetingsRoll).toHaveBeenCalledWith(5, "2026-11-24");
    expect(wrapper.findAll('[data-testid="attendance-row"]')).toHaveLength(4);
    const quorum = wrapper.find('[data-testid="meeting-quorum"]');
    expect(quorum.attributes("data-quorate")).toBe("true");
    expect(quorum.text()).toContain("✓");
    expect(quorum.text()).toContain("应到有表决权的正式党员 3 人，实到 2 人，需超过半数（至少 2 人）");
  });

  it("asks the core again when attendance changes, not for the topic or minutes", async () => {
    const wrapper = await mountDialog();
    const asked = vi.mocked(meetingsPreview).mock.calls.length;
    await wrapper.find('[data-testid="meeting-topic"]').setValue("讨论接收预备党员");
    await wrapper.find('[data-testid="meeting-minutes"]').setValue("会议听取了情况汇报。");
    await settle();
    expect(vi.mocked(meetingsPreview).mock.calls.length).toBe(asked);
    await setStatus(wrapper, 1, "present");
    expect(vi.mocked(meetingsPreview).mock.calls.length).toBe(asked + 1);
    expect(lastRequest().attendance[0]!.status).toBe("present");
  });

  it("speaks English too", async () => {
    vi.mocked(meetingsPreview).mockResolvedValue(preview({ present_entitled: 1, quorate: false }));
    const { wrapper } = await mountWithPlugins(MeetingsRecordDialog, {
      locale: "en",
      props: { modelValue: true, branchId: 5, branchName: "Branch 1" },
    });
    await settle();
    const quorum = wrapper.find('[data-testid="meeting-quorum"]');
    expect(quorum.text()).toContain("Not quorate");
    expect(quorum.text()).toContain("3 full members entitled to vote, 1 present; more than half needed (at least 2)");
    expect(row(wrapper, "attendance-row", 4).text()).toContain("No vote");
  });

  it("marks probationary members 无表决权 and never lets them vote, even when present", async () => {
    const wrapper = await mountDialog();
    const probationer = row(wrapper, "attendance-row", 4);
    expect(probationer.attributes("data-entitled")).toBe("false");
    expect(probationer.find('[data-testid="attendance-no-vote"]').text()).toBe("无表决权");
    expect(row(wrapper, "attendance-row", 1).find('[data-testid="attendance-no-vote"]').exists()).toBe(false);

    await wrapper.find('[data-testid="attendance-all-present"]').trigger("click");
    await wrapper.find('[data-testid="resolution-add"]').trigger("click");
    await settle();
    // The vote list has the full members only; the probationary member is named apart.
    expect(wrapper.findAll('[data-testid="vote-row"]').map((r) => r.attributes("data-member-id"))).toEqual([
      "1",
      "2",
      "3",
    ]);
    expect(row(wrapper, "vote-row", 4).exists()).toBe(false);
    expect(wrapper.find('[data-testid="vote-no-vote"]').text()).toBe("预备党员无表决权（1 人）：陈思远");
    expect(row(wrapper, "vote-row", 1).attributes("data-can-vote")).toBe("true");

    // 全部赞成 gives yes votes to the present full members only.
    await wrapper.find('[data-testid="votes-all-yes"]').trigger("click");
    await settle();
    expect(lastRequest().resolutions[0]!.votes).toEqual([
      { member_id: 1, vote: "yes" },
      { member_id: 2, vote: "yes" },
      { member_id: 3, vote: "yes" },
    ]);
    expect(lastRequest().attendance.map((a) => a.status)).toEqual(["present", "present", "present", "present"]);
  });

  it("drops the vote of a member marked absent and does not let them vote", async () => {
    const wrapper = await mountDialog();
    await wrapper.find('[data-testid="attendance-all-present"]').trigger("click");
    await wrapper.find('[data-testid="resolution-add"]').trigger("click");
    await wrapper.find('[data-testid="votes-all-yes"]').trigger("click");
    await settle();
    await setStatus(wrapper, 2, "leave");
    const absent = row(wrapper, "vote-row", 2);
    expect(absent.attributes("data-can-vote")).toBe("false");
    expect(absent.findAll("input").every((input) => (input.element as HTMLInputElement).disabled)).toBe(true);
    expect(absent.text()).toContain("未到会");
    expect(lastRequest().resolutions[0]!.votes.map((v) => v.member_id)).toEqual([1, 3]);
    expect(lastRequest().attendance[1]).toEqual({ member_id: 2, status: "leave", reason: null, signed_in_at: null });
  });

  it("keeps save disabled while the meeting is not quorate, and shows ✗", async () => {
    vi.mocked(meetingsPreview).mockResolvedValue(preview({ present_entitled: 1, quorate: false }));
    const wrapper = await mountDialog();
    await wrapper.find('[data-testid="meeting-topic"]').setValue("讨论接收预备党员");
    await settle();
    const quorum = wrapper.find('[data-testid="meeting-quorum"]');
    expect(quorum.attributes("data-quorate")).toBe("false");
    expect(quorum.text()).toContain("✗");
    expect(quorum.text()).toContain("未达到法定人数");
    expect(wrapper.find('[data-testid="meeting-quorum-required"]').exists()).toBe(true);
    expect(saveButton(wrapper).attributes("disabled")).toBeDefined();

    // The same form once the core says it is quorate can be saved.
    vi.mocked(meetingsPreview).mockResolvedValue(preview({ present_entitled: 2, quorate: true }));
    await setStatus(wrapper, 1, "present");
    expect(saveButton(wrapper).attributes("disabled")).toBeUndefined();
  });

  it("shows each resolution's tally and the findings of its event, and saves the meeting", async () => {
    const wrapper = await mountDialog();
    await wrapper.find('[data-testid="meeting-topic"]').setValue("讨论接收预备党员");
    await wrapper.find('[data-testid="attendance-all-present"]').trigger("click");
    await wrapper.find('[data-testid="resolution-add"]').trigger("click");
    await settle();
    expect(memberList).toHaveBeenCalledWith(
      expect.objectContaining({ branch_id: 5, stage: "development_target" }),
    );
    // No member chosen yet: saving is not offered.
    expect(wrapper.find('[data-testid="meeting-missing"]').text()).toContain("决议涉及人员");
    expect(saveButton(wrapper).attributes("disabled")).toBeDefined();

    const warning = finding({ member_id: 9, name: "刘晓雨", message: "提醒：材料待补" });
    vi.mocked(meetingsPreview).mockResolvedValue(
      preview({
        present_entitled: 3,
        quorate: true,
        resolutions: [tally({ yes: 3, passed: true, findings: [warning] })],
      }),
    );
    await chooseMember(wrapper, 9);
    await wrapper.find('[data-testid="votes-all-yes"]').trigger("click");
    await settle();
    expect(wrapper.find('[data-testid="resolution-text"]').element).toHaveProperty(
      "value",
      "同意接收刘晓雨为中共预备党员",
    );
    const shown = wrapper.find('[data-testid="resolution-tally"]');
    expect(shown.attributes("data-passed")).toBe("true");
    expect(shown.text()).toContain("通过");
    expect(shown.text()).toContain("赞成 3 票，反对 0 票，弃权 0 票；需超过应到有表决权正式党员的半数（至少 2 票）");
    expect(wrapper.findAll('[data-testid="resolution-finding"]')).toHaveLength(1);
    expect(saveButton(wrapper).attributes("disabled")).toBeUndefined();

    vi.mocked(meetingsRecord).mockResolvedValue({
      meeting_id: 31,
      preview: preview({ present_entitled: 3, quorate: true }),
      event_ids: [77],
      attachments: [],
    });
    await saveButton(wrapper).trigger("click");
    await flushPromises();
    const saved = vi.mocked(meetingsRecord).mock.calls[0]![0];
    expect(saved).toMatchObject({
      branch_id: 5,
      kind: "general_meeting",
      date: "2026-11-24",
      topic: "讨论接收预备党员",
      resolutions: [{ kind: "admit", member_id: 9, months: null, text: "同意接收刘晓雨为中共预备党员" }],
    });
    expect(saved.resolutions[0]!.votes).toHaveLength(3);
    expect(wrapper.emitted("saved")?.[0]?.[0]).toMatchObject({ meeting_id: 31 });
    expect(wrapper.emitted("update:modelValue")).toEqual([[false]]);
  });

  it("does not offer to save a passed resolution whose event a rule blocks", async () => {
    const blocking = finding({ member_id: 9, severity: "block", message: "第15步早于第14步" });
    vi.mocked(meetingsPreview).mockResolvedValue(
      preview({ present_entitled: 3, quorate: true, resolutions: [tally({ yes: 3, passed: true, findings: [blocking] })] }),
    );
    const wrapper = await mountDialog();
    await wrapper.find('[data-testid="meeting-topic"]').setValue("讨论接收预备党员");
    await wrapper.find('[data-testid="resolution-add"]').trigger("click");
    await settle();
    await chooseMember(wrapper, 9);
    await settle();
    const item = wrapper.find('[data-testid="resolution-finding"]');
    expect(item.attributes("data-severity")).toBe("block");
    expect(saveButton(wrapper).attributes("disabled")).toBeDefined();
  });
});
