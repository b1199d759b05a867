import type pg from 'pg';

export interface DailyStats {
  /** Calendar day in the commune's time zone, `YYYY-MM-DD`. */
  readonly day: string;
  readonly category: string;
  readonly received: number;
  readonly acknowledged: number;
  readonly resolved: number;
  /** Median seconds from report to acknowledgement of the tickets acknowledged that day. */
  readonly medianAckSeconds: number | null;
  /** Median seconds from report to resolution of the tickets resolved that day. */
  readonly medianResolveSeconds: number | null;
}

export interface StatsQuery {
  readonly communeId: string;
  /** First and last day included, `YYYY-MM-DD`, in the commune's time zone. */
  readonly from: string;
  readonly to: string;
  readonly category?: string;
}

/** Received, acknowledged and resolved per commune-local day and category, with exact medians. */
export async function communeDays(client: pg.ClientBase, query: StatsQuery): Promise<DailyStats[]> {
  const { rows } = await client.query(
    `SELECT day::text AS day, category, received, acknowledged, resolved, median_ack_seconds, median_resolve_seconds
     FROM read.commune_daily_stats
     WHERE commune_id = $1 AND day BETWEEN $2::date AND $3::date AND ($4::text IS NULL OR category = $4)
     ORDER BY day, category`,
    [query.communeId, query.from, query.to, query.category ?? null],
  );
  return rows.map((r) => ({
    day: r.day as string,
    category: r.category as string,
    received: r.received as number,
    acknowledged: r.acknowledged as number,
    resolved: r.resolved as number,
    medianAckSeconds: r.median_ack_seconds as number | null,
    medianResolveSeconds: r.median_resolve_seconds as number | null,
  }));
}

export interface StatsGroup {
  readonly received: number;
  readonly acknowledged: number;
  readonly resolved: number;
  readonly medianAckSeconds: number | null;
  readonly medianResolveSeconds: number | null;
  /** Share of the tickets received in the period that are late on an SLA deadline now (null: none received). */
  readonly breachRate: number | null;
}

export interface CommuneBreakdown {
  readonly totals: StatsGroup;
  readonly byCategory: (StatsGroup & { readonly category: string })[];
  readonly byQuartier: (StatsGroup & { readonly quartierId: string | null })[];
}

/**
 * The period as a whole, per category and per quartier, in one statement (grouping sets), with
 * exact medians and the breach rate the dashboard shows.
 */
export async function communeBreakdown(client: pg.ClientBase, query: StatsQuery & { readonly now?: string }): Promise<CommuneBreakdown> {
  const { rows } = await client.query(
    `WITH period AS (
       SELECT d.*, t.quartier_id, coalesce(t.breach_at < coalesce($5::timestamptz, now()), false) AS breached
       FROM read.ticket_durations d JOIN read.tickets t ON t.id = d.ticket_id
       WHERE d.commune_id = $1 AND ($4::text IS NULL OR d.category = $4)
         AND (d.reported_day BETWEEN $2::date AND $3::date
              OR d.acknowledged_day BETWEEN $2::date AND $3::date
              OR d.resolved_day BETWEEN $2::date AND $3::date)
     )
     SELECT GROUPING(category) AS by_all_categories, GROUPING(quartier_id) AS by_all_quartiers, category, quartier_id,
            count(*) FILTER (WHERE reported_day BETWEEN $2::date AND $3::date)::integer AS received,
            count(*) FILTER (WHERE acknowledged_day BETWEEN $2::date AND $3::date)::integer AS acknowledged,
            count(*) FILTER (WHERE resolved_day BETWEEN $2::date AND $3::date)::integer AS resolved,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ack_seconds) FILTER (WHERE acknowledged_day BETWEEN $2::date AND $3::date) AS median_ack_seconds,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY resolve_seconds) FILTER (WHERE resolved_day BETWEEN $2::date AND $3::date) AS median_resolve_seconds,
            (count(*) FILTER (WHERE reported_day BETWEEN $2::date AND $3::date AND breached))::float8
              / nullif(count(*) FILTER (WHERE reported_day BETWEEN $2::date AND $3::date), 0) AS breach_rate
     FROM period
     GROUP BY GROUPING SETS ((), (category), (quartier_id))
     ORDER BY category NULLS FIRST, quartier_id NULLS FIRST`,
    [query.communeId, query.from, query.to, query.category ?? null, query.now ?? null],
  );
  const group = (r: Record<string, unknown>): StatsGroup => ({
    received: r.received as number,
    acknowledged: r.acknowledged as number,
    resolved: r.resolved as number,
    medianAckSeconds: r.median_ack_seconds as number | null,
    medianResolveSeconds: r.median_resolve_seconds as number | null,
    breachRate: r.breach_rate as number | null,
  });
  const overall = rows.find((r) => r.by_all_categories === 1 && r.by_all_quartiers === 1);
  return {
    totals: overall ? group(overall) : { received: 0, acknowledged: 0, resolved: 0, medianAckSeconds: null, medianResolveSeconds: null, breachRate: null },
    byCategory: rows.filter((r) => r.by_all_categories === 0).map((r) => ({ category: r.category as string, ...group(r) })),
    byQuartier: rows.filter((r) => r.by_all_quartiers === 0).map((r) => ({ quartierId: r.quartier_id as string | null, ...group(r) })),
  };
}
