// The member page's 会议记录 section against a fake api layer: each meeting with the member's
// attendance, and the resolutions about them with the tally, the result and their own vote.
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { meetingsOfMember } from "@/api/meetings";
import MemberDetailMeetings from "@/components/MemberDetailMeetings.vue";
import { mountWithPlugins } from "./helpers";

vi.mock("@/api/meetings", () => ({ meetingsOfMember: vi.fn() }));

beforeEach(() => {
  vi.mocked(meetingsOfMember).mockReset().mockResolvedValue([
    {
      member_id: 7,
      meeting_id: 31,
      date: "2026-11-24",
      kind: "general_meeting",
      topic: "讨论接收预备党员",
      attendance: "present",
      reason: null,
      resolutions: [
        {
          id: 5,
          kind: "admit",
          member_id: 7,
          member_name: "张晓燕",
          text: "同意接收张晓燕为中共预备党员",
          entitled: 5,
          yes: 4,
          no: 1,
          abstain: 0,
          passed: true,
          own_vote: null,
        },
      ],
      attachments: [],
    },
    {
      member_id: 7,
      meeting_id: 40,
      date: "2026-12-01",
      kind: "lecture",
      topic: "党史学习",
      attendance: "leave",
      reason: "实习",
      resolutions: [],
      attachments: ["签到表.jpg"],
    },
  ]);
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("MemberDetailMeetings", () => {
  it("lists the meetings concerning the member with the resolutions about them", async () => {
    const { wrapper } = await mountWithPlugins(MemberDetailMeetings, { props: { memberId: 7 } });
    expect(meetingsOfMember).toHaveBeenCalledWith(7);
    const meetings = wrapper.findAll('[data-testid="member-meeting"]');
    expect(meetings).toHaveLength(2);
    expect(meetings[0]!.text()).toContain("支部党员大会");
    expect(meetings[0]!.text()).toContain("出席");
    const resolution = meetings[0]!.find('[data-testid="member-meeting-resolution"]');
    expect(resolution.attributes("data-passed")).toBe("true");
    expect(resolution.text()).toContain("接收预备党员：同意接收张晓燕为中共预备党员");
    expect(resolution.text()).toContain("赞成 4 票，反对 1 票，弃权 0 票（应到有表决权正式党员 5 人）");
    expect(meetings[1]!.text()).toContain("请假（实习）");
  });
});
