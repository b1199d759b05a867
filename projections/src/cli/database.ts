import { join, resolve } from 'node:path';
import pg from 'pg';
import { startPostgres } from '@palabre/event-store';

export interface Database {
  readonly url: string;
  /** Whether we started an embedded server (and will stop it). */
  readonly embedded: boolean;
  stop(): Promise<void>;
}

const DATABASE_NAME = 'palabre';

/**
 * DATABASE_URL when set; otherwise embedded PostgreSQL under `$PALABRE_DATA_DIR/pg` (default
 * `./.palabre/pg`), kept between runs, with a `palabre` database created on first use.
 */
export async function openDatabase(log: (line: string) => void = () => {}): Promise<Database> {
  const external = process.env.DATABASE_URL;
  if (external) return { url: external, embedded: false, stop: async () => {} };
  const dataDir = resolve(process.env.PALABRE_DATA_DIR ?? '.palabre');
  log(`Starting embedded PostgreSQL in ${join(dataDir, 'pg')} …`);
  const server = await startPostgres({ dataDir: join(dataDir, 'pg'), persistent: true });
  try {
    const admin = new pg.Client({ connectionString: server.adminUrl });
    await admin.connect();
    try {
      const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [DATABASE_NAME]);
      if (!rowCount) await admin.query(`CREATE DATABASE ${DATABASE_NAME}`);
    } finally {
      await admin.end();
    }
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { url: server.urlFor(DATABASE_NAME), embedded: true, stop: () => server.stop() };
}
