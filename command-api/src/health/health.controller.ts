import { Controller, Get, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import type pg from 'pg';
import { type EventStore, isDatabaseUnavailable } from '@palabre/event-store';
import { metrics, PROMETHEUS_CONTENT_TYPE, startTelemetry } from '@palabre/observability';
import { projectorStatus } from '@palabre/projections';
import { EVENT_STORE, PG_POOL } from '../platform/tokens.js';

/** Lag beyond which projections count as unhealthy (live updates would feel broken). */
const MAX_HEALTHY_LAG_SECONDS = 30;

@Controller()
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  /** Database, event store and projection lag; 503 when any is not right, so a load balancer can tell. */
  @Get('health')
  async health(@Res({ passthrough: true }) response: Response) {
    const check = async <T>(work: () => Promise<T>) => {
      const started = performance.now();
      try {
        const result = await work();
        return { ok: true as const, ms: Math.round(performance.now() - started), ...result };
      } catch (error) {
        // "unavailable": PostgreSQL is restarting or out of reach, as opposed to a check that failed.
        return { ok: false as const, ...(isDatabaseUnavailable(error) ? { detail: 'unavailable' } : {}), error: error instanceof Error ? error.message : String(error) };
      }
    };
    const database = await check(async () => ({ detail: (await this.pool.query('SELECT 1 AS ok')).rows.length === 1 ? 'reachable' : 'odd' }));
    const eventStore = await check(async () => {
      const head = await this.store.headPosition();
      return { head: head === null ? null : `${head.commit}/${head.prepare}` };
    });
    const projections = await check(async () => {
      const list = await projectorStatus(this.pool, this.store);
      for (const p of list) metrics.setProjectionLag(p.name, p.caughtUp ? 0 : 1, p.lagSeconds);
      return { projectors: list, maxLagSeconds: Math.max(0, ...list.map((p) => p.lagSeconds)) };
    });
    const healthy = database.ok && eventStore.ok && projections.ok && projections.maxLagSeconds <= MAX_HEALTHY_LAG_SECONDS;
    response.status(healthy ? 200 : 503);
    return { status: healthy ? 'ok' : 'degraded', database, eventStore, projections };
  }

  @Get('metrics')
  async metrics(@Res() response: Response) {
    const text = await startTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? 'palabre-api', instrumentations: false }).metricsText();
    response.status(200).setHeader('Content-Type', PROMETHEUS_CONTENT_TYPE).end(text);
  }
}
