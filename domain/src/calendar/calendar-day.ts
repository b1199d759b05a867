import { DomainRuleError } from '../shared/errors.js';

/** A calendar day as `YYYY-MM-DD`, with no time and no zone: the day printed on a wall calendar. */
export type CalendarDay = string;

const dayPattern = /^(\d{4})-(\d{2})-(\d{2})$/;
const msPerDay = 86_400_000;

/** Days since 1970-01-01 for a valid `YYYY-MM-DD`; throws `calendar.invalid_day` otherwise. */
export function dayNumber(day: CalendarDay): number {
  const match = dayPattern.exec(day);
  if (match) {
    const [year, month, date] = [Number(match[1]), Number(match[2]), Number(match[3])];
    const ms = Date.UTC(year, month - 1, date);
    // Date.UTC rolls 2026-02-30 over to March: a day that does not round-trip does not exist.
    if (dayOf(ms / msPerDay) === day) return ms / msPerDay;
  }
  throw new DomainRuleError('calendar.invalid_day', `"${day}" is not a calendar day written YYYY-MM-DD.`);
}

export function dayOf(dayNumberValue: number): CalendarDay {
  return new Date(dayNumberValue * msPerDay).toISOString().slice(0, 10);
}

export function addDays(day: CalendarDay, days: number): CalendarDay {
  return dayOf(dayNumber(day) + days);
}

/** 0 for Sunday … 6 for Saturday, as `Date.getUTCDay`. */
export function weekdayOf(day: CalendarDay): number {
  return new Date(dayNumber(day) * msPerDay).getUTCDay();
}

export function yearOf(day: CalendarDay): number {
  return Number(day.slice(0, 4));
}

/** The day as `YYYY-MM-DD` for a year and a month-day such as `05-20`. */
export const onDay = (year: number, monthDay: string): CalendarDay => `${String(year).padStart(4, '0')}-${monthDay}`;
