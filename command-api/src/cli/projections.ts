#!/usr/bin/env node
/**
 * `npm run start:projections`: the projectors in their own process (set PALABRE_PROJECTIONS=external
 * on the API). Live updates keep working: the API's socket gateway LISTENs for the NOTIFY each
 * batch sends, whichever process committed it.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createKurrentEventStore, createPostgresEventStore } from '@palabre/event-store';
import { logger, metrics, startTelemetry, withSpan } from '@palabre/observability';
import { defaultProjectors, migrate, projectorStatus, startProjectors } from '@palabre/projections';
import { loadConfig } from '../config.js';

async function main(): Promise<void> {
  startTelemetry({ serviceName: process.env.OTEL_SERVICE_NAME ?? 'palabre-projector', instrumentations: false });
  const config = loadConfig();
  const urlFile = join(config.dataDir, 'database.url');
  const databaseUrl = config.databaseUrl ?? (existsSync(urlFile) ? readFileSync(urlFile, 'utf8').trim() : null);
  if (!databaseUrl) throw new Error(`Set DATABASE_URL, or start the API first (npm start) so that ${urlFile} names its embedded PostgreSQL.`);
  const pool = new pg.Pool({ connectionString: databaseUrl, max: 8 });
  pool.on('error', () => {});
  const store = config.eventStoreUrl ? await createKurrentEventStore({ connectionString: config.eventStoreUrl }) : await createPostgresEventStore({ pool });
  await migrate(pool);
  const group = startProjectors(store, pool, defaultProjectors, {
    onBatch: (info) =>
      void withSpan(`projection ${info.projector}`, { 'palabre.projector': info.projector, 'palabre.events': info.events }, () => metrics.setProjectionLag(info.projector, 0, 0)),
    onError: (error, projector) => logger.error('projector failed; retrying from its checkpoint', { projector, error: String(error) }),
  });
  logger.info('projectors running', { projectors: defaultProjectors.map((p) => p.name) });
  const report = setInterval(() => {
    void projectorStatus(pool, store).then((list) => {
      for (const p of list) metrics.setProjectionLag(p.name, p.caughtUp ? 0 : 1, p.lagSeconds);
    });
  }, 10_000);
  const stop = async () => {
    clearInterval(report);
    await group.stop();
    await store.close();
    await pool.end();
    process.exit(0);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
