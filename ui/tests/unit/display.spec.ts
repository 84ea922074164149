// Presentation helpers: people grouped by role, stage lists complete.
import { describe, expect, it } from "vitest";
import { groupPeopleByRole, LEAVING_STAGES, PIPELINE_STAGES } from "@/display";
import en from "@/i18n/en";
import zhCN from "@/i18n/zh-CN";

describe("groupPeopleByRole", () => {
  it("orders roles talker, contact, introducer, approver, other and keeps names in order", () => {
    const groups = groupPeopleByRole([
      { role: "other", name: "甲", member_id: null },
      { role: "introducer", name: "乙", member_id: 1 },
      { role: "contact", name: "丙", member_id: null },
      { role: "introducer", name: "丁", member_id: 2 },
      { role: "approver", name: "戊", member_id: null },
      { role: "talker", name: "己", member_id: null },
    ]);
    expect(groups).toEqual([
      { role: "talker", names: ["己"] },
      { role: "contact", names: ["丙"] },
      { role: "introducer", names: ["乙", "丁"] },
      { role: "approver", names: ["戊"] },
      { role: "other", names: ["甲"] },
    ]);
  });

  it("returns nothing for an event without people", () => {
    expect(groupPeopleByRole([])).toEqual([]);
  });
});

describe("stage lists", () => {
  it("cover every stage that has a label, once", () => {
    const listed = [...PIPELINE_STAGES, ...LEAVING_STAGES];
    expect(new Set(listed).size).toBe(listed.length);
    expect([...listed].sort()).toEqual(Object.keys(zhCN.stage).sort());
    expect(Object.keys(en.stage).sort()).toEqual(Object.keys(zhCN.stage).sort());
  });
});
