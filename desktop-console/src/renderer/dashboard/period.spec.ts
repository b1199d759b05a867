import { describe, expect, it } from 'vitest';
import { dayIn, lastDays, totalsPerDay } from './period.js';

describe('dashboard periods', () => {
  it('counts days in the commune’s time zone', () => {
    // 23:30 UTC is already the next day in Cameroon (UTC+1).
    expect(dayIn('Africa/Douala', new Date('2026-11-23T23:30:00Z'))).toBe('2026-11-24');
    expect(lastDays(7, 'Africa/Douala', new Date('2026-11-23T12:00:00Z'))).toEqual({ from: '2026-11-17', to: '2026-11-23' });
  });

  it('sums categories per day and fills the days without reports', () => {
    const rows = [
      { day: '2026-11-21', category: 'voirie', received: 2, acknowledged: 1, resolved: 0 },
      { day: '2026-11-21', category: 'reseaux', received: 1, acknowledged: 1, resolved: 1 },
      { day: '2026-11-23', category: 'voirie', received: 4, acknowledged: 0, resolved: 0 },
    ];
    expect(totalsPerDay(rows, '2026-11-21', '2026-11-23')).toEqual([
      { day: '2026-11-21', received: 3, acknowledged: 2, resolved: 1 },
      { day: '2026-11-22', received: 0, acknowledged: 0, resolved: 0 },
      { day: '2026-11-23', received: 4, acknowledged: 0, resolved: 0 },
    ]);
  });
});
