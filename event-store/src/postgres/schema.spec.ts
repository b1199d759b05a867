import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { newEvent } from '../testing/events.js';
import { connect, freshSchema, openTestStore, testDatabaseUrl } from '../testing/postgres.js';
import { createPostgresEventStore } from './event-store.js';
import { SCHEMA_VERSION } from './schema.js';

describe('PostgreSQL event store schema', () => {
  const cleanups: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const admin = async () => {
    const client = await connect();
    cleanups.push(() => client.end());
    return client;
  };

  it('eight processes starting at once migrate once and all open', async () => {
    const schema = freshSchema();
    const stores = await Promise.all(Array.from({ length: 8 }, () => openTestStore({ schema })));
    cleanups.push(async () => void (await Promise.all(stores.map((s) => s.close()))));
    const { rows } = await (await admin()).query(`SELECT version FROM ${schema}.schema_version ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual(Array.from({ length: SCHEMA_VERSION }, (_, i) => i + 1));
    await stores[0]!.append('ticket-1', [newEvent('Reported')], 'no_stream');
    expect(await stores[7]!.readStream('ticket-1')).toHaveLength(1);
  });

  it('lives in event_store unless told otherwise, with the documented tables', async () => {
    const store = await createPostgresEventStore({ connectionString: await testDatabaseUrl() });
    cleanups.push(() => store.close());
    expect(store.schema).toBe('event_store');
    const { rows } = await (await admin()).query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'event_store' ORDER BY table_name`,
    );
    expect(rows.map((r) => r.table_name)).toEqual(['events', 'schema_version']);
  });

  it('refuses a schema newer than the code', async () => {
    const schema = freshSchema();
    const store = await openTestStore({ schema });
    await store.close();
    await (await admin()).query(`INSERT INTO ${schema}.schema_version (version) VALUES ($1)`, [SCHEMA_VERSION + 1]);
    await expect(openTestStore({ schema })).rejects.toThrow(/newer than this code/);
  });

  it('keeps the log append-only', async () => {
    const store = await openTestStore();
    cleanups.push(() => store.close());
    await store.append('ticket-1', [newEvent('Reported')], 'no_stream');
    const client = await admin();
    await expect(client.query(`UPDATE ${store.schema}.events SET type = 'Forged'`)).rejects.toThrow(/append-only/);
    await expect(client.query(`DELETE FROM ${store.schema}.events`)).rejects.toThrow(/append-only/);
    expect((await store.readStream('ticket-1')).map((e) => e.type)).toEqual(['Reported']);
  });

  it('leaves a pool it was given open on close', async () => {
    const pool = new pg.Pool({ connectionString: await testDatabaseUrl(), max: 3 });
    cleanups.push(() => pool.end());
    const store = await createPostgresEventStore({ pool, schema: freshSchema() });
    await store.append('ticket-1', [newEvent('Reported')], 'no_stream');
    await store.close();
    expect((await pool.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openTestStore({ schema: 'event_store; DROP TABLE x' })).rejects.toThrow(RangeError);
  });
});
