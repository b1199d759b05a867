import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalDays } from './local-day.js';
import { type Fixture, openFixture } from '../testing/fixture.js';

describe('LocalDays', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await openFixture('local_day');
  });
  afterAll(() => fixture.close());

  // Douala (the pilots, no daylight saving), zones whose offset changes in spring and autumn, a
  // 45-minute offset, a half-hour daylight-saving shift, and one east of the date line.
  const zones = ['Africa/Douala', 'Europe/Paris', 'America/New_York', 'Asia/Kathmandu', 'Australia/Lord_Howe', 'Pacific/Kiritimati', 'UTC'];

  it('gives the day PostgreSQL gives with AT TIME ZONE, around midnights and offset changes', async () => {
    const instants: string[] = [];
    // Every 7 minutes 30 s across days where clocks change (2026: Europe 29 March and 25 October,
    // United States 8 March and 1 November, Lord Howe 5 April and 4 October), and a leap day.
    for (const day of ['2026-03-07', '2026-03-28', '2026-04-04', '2026-10-03', '2026-10-24', '2026-10-31', '2028-02-28']) {
      const start = Date.parse(`${day}T00:00:00Z`);
      for (let t = start; t < start + 3 * 86_400_000; t += 450_000) instants.push(new Date(t).toISOString());
    }
    instants.push('2026-11-23T22:59:59.999Z', '2026-11-23T23:00:00.000Z', '1970-01-01T00:00:00.000Z', '2099-12-31T23:30:00.000Z');
    const days = new LocalDays();
    for (const zone of zones) {
      const { rows } = await fixture.pool.query<{ day: string }>(
        `SELECT ((instant AT TIME ZONE $2)::date)::text AS day FROM unnest($1::timestamptz[]) WITH ORDINALITY AS u(instant, n) ORDER BY n`,
        [instants, zone],
      );
      const mine = instants.map((instant) => days.dayOf(instant, zone));
      expect(mine, zone).toEqual(rows.map((r) => r.day));
    }
  });

  it('refuses what is not an instant', () => {
    expect(() => new LocalDays().dayOf('yesterday', 'Africa/Douala')).toThrow(RangeError);
  });
});
