import { DomainRuleError } from '../shared/errors.js';
import { addDays, dayNumber, dayOf, weekdayOf, yearOf, type CalendarDay } from './calendar-day.js';
import { isSupportedCountry, legalHolidays, supportedCountries, type CountryCode, type Holiday } from './holidays.js';

/*
 * Deadlines in working days, as grievance mechanisms state them ("acknowledged within 5 working
 * days, answered within 30").
 *
 * The rule: a case received at any moment of local day D (a working day or not) is due by the
 * END of the n-th working day after D; D itself never counts. Received Friday 16:00 in Yaoundé with
 * 5 working days: due the next Friday 23:59:59.999 local time. The day is the local one, so the
 * offset matters: CM and western CD (Kinshasa) are UTC+1, eastern CD (Lubumbashi, Goma, Bukavu)
 * UTC+2, TG and CI UTC+0; none of them observes daylight saving time, so a fixed offset is exact.
 */

/** What a deployment decides beyond the texts: announced Islamic feast days, bridges, moved holidays. */
export interface HolidayOverrides {
  /** Days off decided for a given year (each date carries its year). */
  readonly add?: readonly Holiday[];
  /** Days of the built-in list that are not off that year (an Islamic feast announced for another day). */
  readonly remove?: readonly CalendarDay[];
}

export interface WorkCalendar {
  readonly country: CountryCode;
  /** IANA name, for people and logs; the arithmetic uses `utcOffsetMinutes`. */
  readonly timeZone: string;
  readonly utcOffsetMinutes: number;
  /** 0 for Sunday … 6 for Saturday. */
  readonly weekendDays: readonly number[];
  /** The public holidays of a year, sorted by date. */
  readonly holidaysOf: (year: number) => readonly Holiday[];
}

const zones: Readonly<Record<CountryCode, { timeZone: string; utcOffsetMinutes: number }>> = {
  CM: { timeZone: 'Africa/Douala', utcOffsetMinutes: 60 },
  TG: { timeZone: 'Africa/Lome', utcOffsetMinutes: 0 },
  // The western provinces; a mechanism in the east passes { timeZone: 'Africa/Lubumbashi', utcOffsetMinutes: 120 }.
  CD: { timeZone: 'Africa/Kinshasa', utcOffsetMinutes: 60 },
  CI: { timeZone: 'Africa/Abidjan', utcOffsetMinutes: 0 },
};

export interface WorkCalendarOptions {
  readonly overrides?: HolidayOverrides;
  readonly timeZone?: string;
  readonly utcOffsetMinutes?: number;
  /** Saturday and Sunday unless told otherwise (offices that open on Saturday mornings still count Monday to Friday). */
  readonly weekendDays?: readonly number[];
}

/** The working calendar of a country, with a deployment's overrides; an unknown country is refused. */
export function workCalendar(country: string, options: WorkCalendarOptions = {}): WorkCalendar {
  if (!isSupportedCountry(country)) {
    throw new DomainRuleError('calendar.unknown_country', `No working calendar for country "${country}"; known: ${supportedCountries.join(', ')}.`);
  }
  const utcOffsetMinutes = options.utcOffsetMinutes ?? zones[country].utcOffsetMinutes;
  checkOffset(utcOffsetMinutes);
  const weekendDays = options.weekendDays ?? [6, 0];
  if (weekendDays.some((d) => !Number.isInteger(d) || d < 0 || d > 6) || weekendDays.length >= 7) {
    throw new DomainRuleError('calendar.invalid_weekend', 'Weekend days are 0 (Sunday) to 6 (Saturday), and a week keeps at least one working day.');
  }
  const add = options.overrides?.add ?? [];
  const remove = new Set(options.overrides?.remove ?? []);
  for (const day of [...add.map((h) => h.date), ...remove]) dayNumber(day);
  return {
    country,
    timeZone: options.timeZone ?? zones[country].timeZone,
    utcOffsetMinutes,
    weekendDays,
    holidaysOf: (year) =>
      [...legalHolidays(country, year).filter((h) => !remove.has(h.date)), ...add.filter((h) => yearOf(h.date) === year)].sort(
        (a, b) => dayNumber(a.date) - dayNumber(b.date),
      ),
  };
}

/** The distinct holiday dates of a year, sorted. */
export function holidaysOfYear(calendar: WorkCalendar, year: number): CalendarDay[] {
  return [...new Set(calendar.holidaysOf(year).map((h) => h.date))];
}

/** Looks holidays up by day, computing each year's list once per call. */
function holidayLookup(calendar: WorkCalendar): (day: CalendarDay) => boolean {
  const byYear = new Map<number, Set<CalendarDay>>();
  return (day) => {
    const year = yearOf(day);
    let days = byYear.get(year);
    if (!days) byYear.set(year, (days = new Set(holidaysOfYear(calendar, year))));
    return days.has(day);
  };
}

function workingDayTest(calendar: WorkCalendar): (day: CalendarDay) => boolean {
  const isHoliday = holidayLookup(calendar);
  return (day) => !calendar.weekendDays.includes(weekdayOf(day)) && !isHoliday(day);
}

export function isWorkingDay(calendar: WorkCalendar, day: CalendarDay): boolean {
  dayNumber(day);
  return workingDayTest(calendar)(day);
}

const instantPattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An instant must name its zone: without one, JavaScript would read it in the server's own. */
function instantMs(iso: string): number {
  const ms = instantPattern.test(iso) ? Date.parse(iso) : Number.NaN;
  if (Number.isNaN(ms)) throw new DomainRuleError('calendar.invalid_instant', `"${iso}" is not an ISO 8601 instant with a zone (Z or ±hh:mm).`);
  return ms;
}

function checkOffset(minutes: number): void {
  if (!Number.isInteger(minutes) || minutes < -720 || minutes > 840) {
    throw new DomainRuleError('calendar.invalid_offset', `A UTC offset is whole minutes between -720 and +840, not ${String(minutes)}.`);
  }
}

const msPerMinute = 60_000;
const msPerDay = 86_400_000;

/** The local calendar day of an instant at a fixed UTC offset. */
export function localDayOf(iso: string, utcOffsetMinutes: number): CalendarDay {
  checkOffset(utcOffsetMinutes);
  return dayOf(Math.floor((instantMs(iso) + utcOffsetMinutes * msPerMinute) / msPerDay));
}

/** The last millisecond of a local day, as a UTC instant. */
function endOfLocalDay(day: CalendarDay, utcOffsetMinutes: number): string {
  return new Date((dayNumber(day) + 1) * msPerDay - utcOffsetMinutes * msPerMinute - 1).toISOString();
}

/** Working days are counted for up to this many calendar days: far beyond any deadline a mechanism sets. */
const searchLimitDays = 3_660;

/**
 * When a case received at `fromInstantIso` is due with `n` working days: the end (23:59:59.999 local)
 * of the n-th working day after the local day of receipt. With n = 0, the end of the day of receipt.
 */
export function addWorkingDays(calendar: WorkCalendar, fromInstantIso: string, n: number, utcOffsetMinutes: number = calendar.utcOffsetMinutes): string {
  if (!Number.isInteger(n) || n < 0) {
    throw new DomainRuleError('calendar.invalid_working_days', `A number of working days is a whole number of at least 0, not ${String(n)}.`);
  }
  const isWorking = workingDayTest(calendar);
  let day = localDayOf(fromInstantIso, utcOffsetMinutes);
  for (let counted = 0, walked = 0; counted < n; ) {
    day = addDays(day, 1);
    if (isWorking(day)) counted += 1;
    if (++walked > searchLimitDays) throw new DomainRuleError('calendar.no_working_days', 'This calendar has no working days left to count.');
  }
  return endOfLocalDay(day, utcOffsetMinutes);
}

/**
 * Working days from one instant to a later one, on the same rule as `addWorkingDays`: the working
 * days after the local day of `fromIso`, up to and including the local day of `toIso`. Acknowledged the
 * same day: 0; the next working day: 1. So `toIso` meets an n-day deadline exactly when this is at most n.
 */
export function workingDaysBetween(calendar: WorkCalendar, fromIso: string, toIso: string, utcOffsetMinutes: number = calendar.utcOffsetMinutes): number {
  if (instantMs(toIso) < instantMs(fromIso)) {
    throw new DomainRuleError('calendar.invalid_range', `"${toIso}" comes before "${fromIso}".`);
  }
  const isWorking = workingDayTest(calendar);
  const first = dayNumber(localDayOf(fromIso, utcOffsetMinutes));
  const last = dayNumber(localDayOf(toIso, utcOffsetMinutes));
  let count = 0;
  for (let d = first + 1; d <= last; d += 1) if (isWorking(dayOf(d))) count += 1;
  return count;
}
