import { describe, expect, it } from 'vitest';
import { normalizeStats } from './normalize.js';

describe('reading the stats', () => {
  it('takes the contract’s shape as it is', () => {
    const stats = {
      communeId: 'soa',
      from: '2026-11-01',
      to: '2026-11-23',
      days: [],
      totals: { received: 5, acknowledged: 3, resolved: 1, medianAckSeconds: 600, medianResolveSeconds: 86_400, breachRate: 0.2 },
      byCategory: [{ category: 'voirie', received: 5 }],
      byQuartier: [{ quartierId: 'soa-centre', received: 5 }],
    };
    expect(normalizeStats(stats, 'x', 'y')).toEqual(stats);
  });

  it('sums per-category totals and leaves unknowable figures unknown', () => {
    const stats = normalizeStats(
      {
        communeId: 'soa',
        days: [],
        totals: [
          { category: 'salubrite', received: 1, acknowledged: 0, resolved: 0, medianAckSeconds: null, medianResolveSeconds: null },
          { category: 'voirie', received: 2, acknowledged: 1, resolved: 0, medianAckSeconds: 120, medianResolveSeconds: null },
        ],
      },
      '2026-10-25',
      '2026-11-23',
    );
    expect(stats.totals).toEqual({ received: 3, acknowledged: 1, resolved: 0, medianAckSeconds: null, medianResolveSeconds: null, breachRate: null });
    expect(stats.byCategory.map((c) => c.category)).toEqual(['salubrite', 'voirie']);
    expect(stats.byQuartier).toEqual([]);
    expect([stats.from, stats.to]).toEqual(['2026-10-25', '2026-11-23']);
  });
});
