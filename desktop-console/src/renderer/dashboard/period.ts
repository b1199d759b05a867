/** A day in a commune's calendar, YYYY-MM-DD. */
export function dayIn(timeZone: string | undefined, at: Date): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timeZone ?? 'Africa/Douala', year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

export function addDays(day: string, days: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** The last `days` days including today. */
export function lastDays(days: number, timeZone: string | undefined, now = new Date()): { from: string; to: string } {
  const to = dayIn(timeZone, now);
  return { from: addDays(to, -(days - 1)), to };
}

/** Every day of the period, so days without reports show as zero instead of vanishing. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to && out.length < 400; d = addDays(d, 1)) out.push(d);
  return out;
}

export interface DayTotals {
  readonly day: string;
  readonly received: number;
  readonly acknowledged: number;
  readonly resolved: number;
}

/** The API gives one row per day and category; the chart wants one per day. */
export function totalsPerDay(rows: readonly { day: string; received: number; acknowledged: number; resolved: number }[], from: string, to: string): DayTotals[] {
  const byDay = new Map<string, { received: number; acknowledged: number; resolved: number }>();
  for (const r of rows) {
    const day = r.day.slice(0, 10);
    const sum = byDay.get(day) ?? { received: 0, acknowledged: 0, resolved: 0 };
    byDay.set(day, { received: sum.received + r.received, acknowledged: sum.acknowledged + r.acknowledged, resolved: sum.resolved + r.resolved });
  }
  return daysBetween(from, to).map((day) => ({ day, ...(byDay.get(day) ?? { received: 0, acknowledged: 0, resolved: 0 }) }));
}
