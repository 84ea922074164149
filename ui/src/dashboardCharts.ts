// The dashboard's chart options, built from the core's statistics as plain ECharts option
// objects (pure functions, so the tests can check the series without drawing anything). The
// numbers are the core's; these functions only pick and label them.
import type { EChartsCoreOption } from "echarts/core";
import type { Stats } from "@/generated/Stats";
import type { UnitStats } from "@/generated/UnitStats";

type Translate = (key: string) => string;

/** The development pipeline in order: the funnel's levels and the stacked bars' series. */
export const PIPELINE_STAGES = [
  "applicant",
  "activist",
  "development_target",
  "probationary_member",
  "full_member",
] as const;

/** The monthly trend's lines: a field of `MonthStats` each. */
export const TREND_SERIES = ["applications", "activists", "admitted", "converted"] as const;

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei", sans-serif';
const COLORS = ["#c0392b", "#e67e22", "#d4a017", "#2e86c1", "#27ae60"];

function base(): EChartsCoreOption {
  return { color: COLORS, textStyle: { fontFamily: FONT }, animation: false };
}

/** 申请人 → 积极分子 → 发展对象 → 预备党员 → 正式党员, members at each stage now. */
export function funnelOption(stats: Stats, t: Translate): EChartsCoreOption {
  return {
    ...base(),
    tooltip: { trigger: "item", formatter: "{b}：{c}" },
    series: [
      {
        name: t("dashboard.chart.funnel"),
        type: "funnel",
        sort: "none",
        left: "10%",
        width: "80%",
        top: 10,
        bottom: 10,
        minSize: "20%",
        gap: 2,
        label: { show: true, position: "inside", formatter: "{b}  {c}", color: "#fff" },
        data: PIPELINE_STAGES.map((stage) => ({
          name: t(`stage.${stage}`),
          value: stats.stages[stage] ?? 0,
        })),
      },
    ],
  };
}

/**
 * The units the stacked bars show: every college when `college` is null, else that college's
 * branches.
 */
export function barUnits(stats: Stats, college: string | null): UnitStats[] {
  return college === null ? stats.colleges : stats.branches.filter((b) => b.college === college);
}

/** Members per stage per college (or per branch of one college), one stacked series per stage. */
export function stageBarsOption(stats: Stats, college: string | null, t: Translate): EChartsCoreOption {
  const units = barUnits(stats, college);
  return {
    ...base(),
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: {
      type: "category",
      inverse: true,
      data: units.map((u) => u.name),
      axisLabel: { width: 150, overflow: "truncate" },
    },
    series: PIPELINE_STAGES.map((stage) => ({
      name: t(`stage.${stage}`),
      type: "bar",
      stack: "stage",
      barMaxWidth: 24,
      data: units.map((u) => u.stages[stage] ?? 0),
    })),
  };
}

/** 申请 / 列为积极分子 / 发展 / 转正 per month over the core's window. */
export function trendOption(stats: Stats, t: Translate): EChartsCoreOption {
  return {
    ...base(),
    tooltip: { trigger: "axis" },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "category", boundaryGap: false, data: stats.trend.map((m) => m.month) },
    yAxis: { type: "value", minInterval: 1 },
    series: TREND_SERIES.map((field) => ({
      name: t(`dashboard.trend.${field}`),
      type: "line",
      showSymbol: false,
      data: stats.trend.map((m) => m[field]),
    })),
  };
}

/** A row of the meetings chart: meetings (三会一课) held and still owed in the periods ended. */
export interface MeetingRow {
  name: string;
  held: number;
  owed: number;
}

/**
 * Meetings the periods ended this year required, split into held (each period counted up to what
 * it required) and owed; summed per college when `college` is null, else per branch of it.
 */
export function meetingRows(stats: Stats, college: string | null): MeetingRow[] {
  const collegeOf = new Map(stats.branches.map((b) => [b.id, b.college]));
  const row = (name: string, m: { held: number; required: number }): MeetingRow => ({
    name,
    held: m.held,
    owed: m.required - m.held,
  });
  if (college === null) {
    const rows = new Map<string, MeetingRow>();
    for (const m of stats.meetings) {
      const name = collegeOf.get(m.branch_id) ?? m.college;
      const sum = rows.get(name) ?? { name, held: 0, owed: 0 };
      sum.held += m.held;
      sum.owed += m.required - m.held;
      rows.set(name, sum);
    }
    return [...rows.values()].sort((a, b) => a.name.localeCompare(b.name, "zh-CN"));
  }
  return stats.meetings.filter((m) => collegeOf.get(m.branch_id) === college).map((m) => row(m.branch, m));
}

export function meetingsOption(stats: Stats, college: string | null, t: Translate): EChartsCoreOption {
  const rows = meetingRows(stats, college);
  return {
    ...base(),
    color: ["#27ae60", "#c0392b"],
    tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
    legend: { top: 0 },
    grid: { left: 8, right: 24, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: "value", minInterval: 1 },
    yAxis: {
      type: "category",
      inverse: true,
      data: rows.map((r) => r.name),
      axisLabel: { width: 150, overflow: "truncate" },
    },
    series: [
      { name: t("dashboard.meetings.held"), type: "bar", stack: "m", barMaxWidth: 24, data: rows.map((r) => r.held) },
      { name: t("dashboard.meetings.owed"), type: "bar", stack: "m", barMaxWidth: 24, data: rows.map((r) => r.owed) },
    ],
  };
}

/** A bar chart's height for `rows` categories: every label readable, never tiny. */
export function barHeight(rows: number): string {
  return `${Math.max(280, rows * 28 + 60)}px`;
}
