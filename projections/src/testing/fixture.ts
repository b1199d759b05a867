import pg from 'pg';
import { type EventStore, type GlobalPosition, type PostgresEventStore, comparePositions, createPostgresEventStore } from '@palabre/event-store';
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

/**
 * Waits until readers of the log see `position`. Visibility trails commits while any older
 * transaction of the cluster is open (other test files share the server).
 */
export async function waitVisible(store: EventStore, position: GlobalPosition | null): Promise<void> {
  if (position === null) return;
  for (;;) {
    const head = await store.headPosition();
    if (head !== null && comparePositions(head, position) >= 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
