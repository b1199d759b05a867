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

export interface CommuneStats {
  readonly communeId: string;
  readonly days: DailyStats[];
  /** The whole period, per category; medians computed over the period, not averaged from days. */
  readonly totals: Omit<DailyStats, 'day'>[];
}

export interface StatsQuery {
  readonly communeId: string;
  /** First and last day included, `YYYY-MM-DD`, in the commune's time zone. */
  readonly from: string;
  readonly to: string;
  readonly category?: string;
}

export async function communeStats(client: pg.ClientBase, query: StatsQuery): Promise<CommuneStats> {
  const params = [query.communeId, query.from, query.to, query.category ?? null];
  const days = await client.query(
    `SELECT day::text AS day, category, received, acknowledged, resolved, median_ack_seconds, median_resolve_seconds
     FROM read.commune_daily_stats
     WHERE commune_id = $1 AND day BETWEEN $2::date AND $3::date AND ($4::text IS NULL OR category = $4)
     ORDER BY day, category`,
    params,
  );
  const totals = await client.query(
    `SELECT category,
            count(*) FILTER (WHERE reported_day BETWEEN $2::date AND $3::date)::integer AS received,
            count(*) FILTER (WHERE acknowledged_day BETWEEN $2::date AND $3::date)::integer AS acknowledged,
            count(*) FILTER (WHERE resolved_day BETWEEN $2::date AND $3::date)::integer AS resolved,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY ack_seconds)
              FILTER (WHERE acknowledged_day BETWEEN $2::date AND $3::date) AS median_ack_seconds,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY resolve_seconds)
              FILTER (WHERE resolved_day BETWEEN $2::date AND $3::date) AS median_resolve_seconds
     FROM read.ticket_durations
     WHERE commune_id = $1 AND ($4::text IS NULL OR category = $4)
       AND (reported_day BETWEEN $2::date AND $3::date
            OR acknowledged_day BETWEEN $2::date AND $3::date
            OR resolved_day BETWEEN $2::date AND $3::date)
     GROUP BY category
     ORDER BY category`,
    params,
  );
  const toStats = (r: Record<string, unknown>) => ({
    category: r.category as string,
    received: r.received as number,
    acknowledged: r.acknowledged as number,
    resolved: r.resolved as number,
    medianAckSeconds: r.median_ack_seconds as number | null,
    medianResolveSeconds: r.median_resolve_seconds as number | null,
  });
  return {
    communeId: query.communeId,
    days: days.rows.map((r) => ({ day: r.day as string, ...toStats(r) })),
    totals: totals.rows.map(toStats),
  };
}
