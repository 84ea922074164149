// Mounts the app or a page with the real plugins (Element Plus, i18n, router) over the fake api.
import { flushPromises, mount } from "@vue/test-utils";
import ElementPlus from "element-plus";
import type { Component } from "vue";
import type { BranchOption } from "@/generated/BranchOption";
import type { Finding } from "@/generated/Finding";
import type { MaterialStatus } from "@/generated/MaterialStatus";
import type { MemberDetail } from "@/generated/MemberDetail";
import type { MemberSummary } from "@/generated/MemberSummary";
import type { Plan } from "@/generated/Plan";
import type { PlannedStep } from "@/generated/PlannedStep";
import { createAppI18n, type AppLocale } from "@/i18n";
import { createAppRouter } from "@/router";

export async function mountWithPlugins(
  component: Component,
  options: { path?: string; locale?: AppLocale; props?: Record<string, unknown> } = {},
) {
  const router = createAppRouter();
  const i18n = createAppI18n(options.locale);
  await router.push(options.path ?? "/members");
  await router.isReady();
  const wrapper = mount(component, {
    props: options.props,
    global: { plugins: [ElementPlus, i18n, router] },
    attachTo: document.body,
  });
  await flushPromises();
  return { wrapper, router, i18n };
}

export function summary(overrides: Partial<MemberSummary> & Pick<MemberSummary, "id" | "name">): MemberSummary {
  return {
    sex: "female",
    student_no: `2021${String(overrides.id).padStart(4, "0")}`,
    branch_id: 1,
    branch: "计算机学院本科生第一党支部",
    college: "计算机学院",
    class_name: "计科2101",
    stage: "activist",
    id_number_masked: "110101********123X",
    ...overrides,
  };
}

export const BRANCHES: BranchOption[] = [
  { id: 1, name: "本科生第一党支部", college: "计算机学院" },
  { id: 2, name: "研究生党支部", college: "外国语学院" },
];

export function detail(overrides: Partial<MemberDetail> = {}): MemberDetail {
  return {
    id: 7,
    name: "张晓燕",
    sex: "female",
    ethnicity: "汉族",
    id_number_masked: "110101********123X",
    birth_date: "2003-05-14",
    education: "大学本科",
    category: "学生",
    branch_id: 1,
    branch: "计算机学院本科生第一党支部",
    college: "计算机学院",
    class_name: "计科2101",
    grade: "2021级",
    student_no: "20210007",
    expected_graduation: "2025-06-30",
    job: null,
    phone: "138****0000",
    address: null,
    native_place: "山东济南",
    membership_status: "正常",
    lost_contact: false,
    mobile: true,
    stage: "probationary_member",
    joined_date: "2024-06-20",
    full_member_date: null,
    events: [],
    ...overrides,
  };
}

export function finding(overrides: Partial<Finding> = {}): Finding {
  return {
    member_id: 7,
    name: "张晓燕",
    rule: "talk_within_one_month",
    rule_title: "收到入党申请书后一个月内派人谈话",
    rule_set: "national-2014",
    source: "《发展党员工作细则》第六条",
    severity: "warn",
    message: "第1步「递交入党申请书」（2026-09-01）后应在2026-10-01前完成第2步「党组织派人谈话」，至今未记录",
    dates: ["2026-09-01", "2026-10-01"],
    ...overrides,
  };
}

export function plannedStep(overrides: Partial<PlannedStep> & Pick<PlannedStep, "step">): PlannedStep {
  return {
    title_zh: "",
    title_en: "",
    earliest: "2026-09-01",
    earliest_rule: null,
    latest: null,
    latest_rule: null,
    ...overrides,
  };
}

export function plan(overrides: Partial<Plan> = {}): Plan {
  return {
    member_id: 7,
    name: "张晓燕",
    as_of: "2026-09-01",
    leaves_on: null,
    steps: [],
    conflicts: [],
    ...overrides,
  };
}

export function materialStatus(
  overrides: Partial<MaterialStatus> & Pick<MaterialStatus, "material">,
): MaterialStatus {
  return { due: false, files: [], missing: false, ...overrides };
}
