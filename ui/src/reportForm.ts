// Defaults of the thought-report form, mirroring the core's: the period is the quarter of the day
// the report was handed in, the title 「YYYY年第N季度思想汇报」. The core still decides what is valid.

/** The quarter (`2026Q1`) a YYYY-MM-DD date falls in. */
export function quarterOf(date: string): string {
  const year = date.slice(0, 4);
  const month = Number(date.slice(5, 7));
  return `${year}Q${Math.floor((month - 1) / 3) + 1}`;
}

/** The quarter before `quarter`. */
export function previousQuarter(quarter: string): string {
  const year = Number(quarter.slice(0, 4));
  const number = Number(quarter.slice(5));
  return number === 1 ? `${year - 1}Q4` : `${year}Q${number - 1}`;
}

/** The title the core gives a report on `quarter` when none is typed. */
export function defaultTitle(quarter: string): string {
  return `${quarter.slice(0, 4)}年第${quarter.slice(5)}季度思想汇报`;
}

/**
 * The quarters a report handed in on `date` may report on, newest first: the date's quarter and
 * the seven before it, plus any older quarter the member still owes.
 */
export function periodChoices(date: string, missing: readonly string[]): string[] {
  const choices = new Set<string>();
  let quarter = quarterOf(date);
  for (let i = 0; i < 8; i += 1) {
    choices.add(quarter);
    quarter = previousQuarter(quarter);
  }
  const latest = quarterOf(date);
  for (const owed of missing) if (owed <= latest) choices.add(owed);
  return [...choices].sort().reverse();
}
