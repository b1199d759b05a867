import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startPostgres } from '@palabre/event-store';
import { fmt } from './stats.js';

export interface BenchDatabase {
  /** Temp folder holding the server's data (and whatever the bench writes beside it). */
  readonly dir: string;
  /** The `bench` database on a fresh embedded PostgreSQL (or on DATABASE_URL's server). */
  readonly url: string;
  stop(options?: { keep?: boolean }): Promise<void>;
}

/** A throw-away PostgreSQL with an empty `bench` database, removed again by `stop()`. */
export async function startBenchDatabase(name: string): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), `palabre-bench-${name}-`));
  chmodSync(dir, 0o755);
  const server = await startPostgres({ dataDir: join(dir, 'pg'), persistent: false });
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    await admin.query('CREATE DATABASE bench');
  } finally {
    await admin.end();
  }
  return {
    dir,
    url: server.urlFor('bench'),
    async stop({ keep = false } = {}) {
      await server.stop();
      if (!keep) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** VACUUM (ANALYZE) of freshly written tables, outside the measured phases (printed, not hidden). */
export async function settle(pool: pg.Pool, tables: string): Promise<void> {
  const t0 = performance.now();
  await pool.query(`VACUUM (ANALYZE) ${tables}`);
  console.log(`Vacuumed ${tables} in ${fmt((performance.now() - t0) / 1000)} s`);
  await flush(pool);
}

/**
 * Writes still pending from the previous phase (PostgreSQL's dirty buffers, files in the page
 * cache) are flushed before the next phase starts, so no phase pays for another's writes.
 */
export async function flush(pool: pg.Pool): Promise<void> {
  const t0 = performance.now();
  await pool.query('CHECKPOINT');
  spawnSync('sync');
  console.log(`Flushed pending writes in ${fmt((performance.now() - t0) / 1000)} s`);
}
