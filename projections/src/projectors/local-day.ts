/**
 * The calendar day (YYYY-MM-DD) an instant falls on in a time zone, as PostgreSQL's
 * `(instant AT TIME ZONE zone)::date` gives it.
 *
 * Formatting with Intl for every instant would cost more than writing the row, so one
 * `LocalDays` remembers the zone's offset per quarter hour: every zone's offset, and every change
 * of it, falls on a quarter hour, so within one the offset cannot change. Keep one per batch.
 */
export class LocalDays {
  readonly #offsets = new Map<string, number>();

  /** The day of `iso` in `timeZone` (an IANA name). */
  dayOf(iso: string, timeZone: string): string {
    const at = Date.parse(iso);
    if (Number.isNaN(at)) throw new RangeError(`Not an instant: ${iso}`);
    const quarter = Math.floor(at / QUARTER_HOUR);
    const key = `${timeZone}|${quarter}`;
    let offset = this.#offsets.get(key);
    if (offset === undefined) {
      offset = offsetAt(quarter * QUARTER_HOUR, timeZone);
      this.#offsets.set(key, offset);
    }
    return new Date(at + offset).toISOString().slice(0, 10);
  }
}

const QUARTER_HOUR = 15 * 60_000;

const formats = new Map<string, Intl.DateTimeFormat>();

/** Milliseconds to add to UTC to read the wall clock of `timeZone` at `at`. */
function offsetAt(at: number, timeZone: string): number {
  let format = formats.get(timeZone);
  if (format === undefined) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formats.set(timeZone, format);
  }
  const parts: Record<string, number> = {};
  for (const part of format.formatToParts(new Date(at))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
  const wall = new Date(Date.UTC(2000, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!));
  wall.setUTCFullYear(parts.year!); // Date.UTC would read years below 100 as 19xx
  return wall.getTime() - Math.floor(at / 1000) * 1000;
}
