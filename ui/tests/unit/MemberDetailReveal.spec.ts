// The member page's ID number: masked, 显示 asks the core (which records the reveal) and shows
// the full number until the page shows another member; a refusal is said, not hidden.
import { flushPromises } from "@vue/test-utils";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { membersRevealId } from "@/api/members";
import MemberDetailInfo from "@/components/MemberDetailInfo.vue";
import { detail, mountWithPlugins } from "./helpers";

vi.mock("@/api/members", () => ({ membersRevealId: vi.fn() }));

beforeEach(() => {
  vi.mocked(membersRevealId).mockReset().mockResolvedValue("110101200305141234X".slice(0, 18));
});

afterEach(() => {
  document.body.innerHTML = "";
});

describe("MemberDetailInfo ID reveal", () => {
  it("shows the masked number until 显示, then the full one until another member is shown", async () => {
    const { wrapper } = await mountWithPlugins(MemberDetailInfo, { props: { member: detail() } });
    const field = () => wrapper.get('[data-field="idNumber"]').text();
    expect(field()).toBe("110101********123X");
    expect(membersRevealId).not.toHaveBeenCalled();
    await wrapper.get('[data-testid="reveal-id"]').trigger("click");
    await flushPromises();
    expect(membersRevealId).toHaveBeenCalledWith(7);
    expect(field()).toBe("110101200305141234");
    await wrapper.setProps({ member: detail({ id: 8 }) });
    expect(field()).toBe("110101********123X");
    expect(wrapper.find('[data-testid="reveal-id"]').exists()).toBe(true);
  });

  it("says why the number cannot be shown", async () => {
    vi.mocked(membersRevealId).mockRejectedValue({ code: "forbidden", message: "无权查看", details: null });
    const { wrapper } = await mountWithPlugins(MemberDetailInfo, { props: { member: detail() } });
    await wrapper.get('[data-testid="reveal-id"]').trigger("click");
    await flushPromises();
    expect(wrapper.get('[data-testid="reveal-error"]').text()).toContain("无权查看");
    expect(wrapper.get('[data-field="idNumber"]').text()).toBe("110101********123X");
  });

  it("offers no 显示 when there is no number", async () => {
    const { wrapper } = await mountWithPlugins(MemberDetailInfo, {
      props: { member: detail({ id_number_masked: null }) },
    });
    expect(wrapper.find('[data-testid="reveal-id"]').exists()).toBe(false);
  });
});
