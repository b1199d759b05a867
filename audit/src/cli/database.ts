import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import pg from 'pg';
import { createKurrentEventStore, createPostgresEventStore, type EventStore, startPostgres } from '@palabre/event-store';

export interface Connection {
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly dataDir: string;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when set; else the embedded server of a running Palabre (`<data dir>/database.url`);
 * else the embedded server started here on the data directory. EVENTSTORE_URL moves the log to KurrentDB.
 */
export async function connect(log: (line: string) => void): Promise<Connection> {
  const dataDir = resolve(process.env.PALABRE_DATA_DIR ?? '.palabre');
  let url = process.env.DATABASE_URL ?? null;
  let stopServer: (() => Promise<void>) | null = null;
  const recorded = join(dataDir, 'database.url');
  if (url === null && existsSync(recorded)) {
    const candidate = readFileSync(recorded, 'utf8').trim();
    if (await reachable(candidate)) url = candidate;
  }
  if (url === null) {
    log(`Starting embedded PostgreSQL in ${join(dataDir, 'pg')} …`);
    const server = await startPostgres({ dataDir: join(dataDir, 'pg'), persistent: true });
    url = server.urlFor('palabre');
    stopServer = () => server.stop();
  }
  const pool = new pg.Pool({ connectionString: url, max: 4 });
  pool.on('error', () => {});
  try {
    const store = process.env.EVENTSTORE_URL ? await createKurrentEventStore({ connectionString: process.env.EVENTSTORE_URL }) : await createPostgresEventStore({ pool });
    return {
      pool,
      store,
      dataDir,
      async close() {
        await store.close().catch(() => {});
        await pool.end().catch(() => {});
        await stopServer?.();
      },
    };
  } catch (error) {
    await pool.end().catch(() => {});
    await stopServer?.();
    throw error;
  }
}

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}
