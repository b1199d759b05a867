import pg from 'pg';
import { createPostgresEventStore, type PostgresEventStore } from '@palabre/event-store';
import { createTestDatabase } from '@palabre/event-store/testing/database';
import { migrate } from '../migrate.js';

export interface Fixture {
  readonly url: string;
  /** Connects as the server's superuser: sees every row, RLS or not. */
  readonly pool: pg.Pool;
  readonly store: PostgresEventStore;
  close(): Promise<void>;
}

/** A fresh database with the log and the read models migrated. */
export async function openFixture(prefix: string): Promise<Fixture> {
  const url = await createTestDatabase(prefix);
  const pool = new pg.Pool({ connectionString: url, max: 12 });
  pool.on('error', () => {});
  const store = await createPostgresEventStore({ pool });
  await migrate(pool);
  return {
    url,
    pool,
    store,
    async close() {
      await store.close();
      await pool.end();
    },
  };
}
