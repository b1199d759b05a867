import type { Stats, StatsGroup, StatsTotals } from '../api/types.js';

type CategoryTotals = Omit<StatsGroup, 'quartierId'> & { readonly acknowledged?: number; readonly resolved?: number };

/**
 * The stats as the dashboard draws them. The contract promises overall totals, breach rate and a
 * per-quartier split; a server that only sends per-category totals (an array) still gets its
 * counts summed and shown, and the rest shows as unknown — never an invented median.
 */
export function normalizeStats(raw: unknown, from: string, to: string): Stats {
  const r = (raw ?? {}) as Record<string, unknown>;
  const days = Array.isArray(r.days) ? (r.days as Stats['days']) : [];
  const perCategory: readonly CategoryTotals[] = Array.isArray(r.totals) ? (r.totals as CategoryTotals[]) : Array.isArray(r.byCategory) ? (r.byCategory as CategoryTotals[]) : [];
  const sum = (key: 'received' | 'acknowledged' | 'resolved') => perCategory.reduce((n, c) => n + (c[key] ?? 0), 0);
  const single = perCategory.length === 1 ? perCategory[0] : undefined;
  const totals: StatsTotals =
    r.totals && !Array.isArray(r.totals)
      ? (r.totals as StatsTotals)
      : {
          received: sum('received'),
          acknowledged: sum('acknowledged'),
          resolved: sum('resolved'),
          // Medians do not add up across categories; one category's is the overall one.
          medianAckSeconds: single?.medianAckSeconds ?? null,
          medianResolveSeconds: single?.medianResolveSeconds ?? null,
          breachRate: null,
        };
  return {
    communeId: String(r.communeId ?? ''),
    from: typeof r.from === 'string' ? r.from : from,
    to: typeof r.to === 'string' ? r.to : to,
    days,
    totals,
    byCategory: Array.isArray(r.byCategory) ? (r.byCategory as StatsGroup[]) : perCategory,
    byQuartier: Array.isArray(r.byQuartier) ? (r.byQuartier as StatsGroup[]) : [],
  };
}
