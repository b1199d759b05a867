import { afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { newEvent } from '../testing/events.js';
import { connect, freshSchema, openTestStore, sleep, testDatabaseUrl } from '../testing/postgres.js';
import { canonicalJson } from '../canonical-json.js';
import { InvalidEventError, type RecordedEvent } from '../port.js';
import { createPostgresEventStore } from './event-store.js';
import { migrate, SCHEMA_VERSION } from './schema.js';

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

  it('stores data and metadata as their RFC 8785 text, byte for byte, and hands that text back', async () => {
    const store = await openTestStore();
    cleanups.push(() => store.close());
    const data = { zeta: 1.5e-7, alpha: ['é', '😀', 'line\nbreak'], nested: { b: 2, a: 1 }, big: 1e21 };
    await store.append('ticket-canonical', [newEvent('Reported', data)], 'no_stream');
    const { rows } = await (await admin()).query<{ data: string; metadata: string; canonical: boolean }>(
      `SELECT data::text AS data, metadata::text AS metadata, canonical FROM ${store.schema}.events WHERE stream_id = 'ticket-canonical'`,
    );
    expect(rows[0]!.data).toBe('{"alpha":["é","😀","line\\nbreak"],"big":1e+21,"nested":{"a":1,"b":2},"zeta":1.5e-7}');
    expect(rows[0]!.canonical).toBe(true);
    const [event] = await store.readStream('ticket-canonical');
    expect(event!.data).toEqual(data);
    expect(event!.canonical).toEqual({ data: rows[0]!.data, metadata: rows[0]!.metadata });
    expect(event!.canonical!.metadata).toBe(canonicalJson(event!.metadata));
    // `data` is parsed on first use, and behaves as a plain property: listed, copied, the same object each time.
    expect(Object.keys(event!)).toContain('data');
    expect({ ...event! }.data).toEqual(data);
    expect(event!.data).toBe(event!.data);
    // The global read shows a commit once no older transaction on the server can still commit before it:
    // on a shared server other tests' open transactions hold it back for a moment.
    let fromAll: RecordedEvent | undefined;
    for (const deadline = Date.now() + 20_000; !fromAll && Date.now() < deadline; await sleep(50)) {
      fromAll = (await store.readAll(null, 10)).find((e) => e.streamId === 'ticket-canonical');
    }
    expect(fromAll!.canonical).toEqual(event!.canonical);
  });

  it('refuses data without an RFC 8785 form (lone surrogate, cycle, non-finite number) and appends nothing', async () => {
    const store = await openTestStore();
    cleanups.push(() => store.close());
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    for (const data of [{ text: 'broken \ud800 pair' }, cyclic, { n: Number.NaN }, { n: 10n }]) {
      await expect(store.append('ticket-unhashable', [newEvent('Reported', data)], 'any')).rejects.toThrow(InvalidEventError);
    }
    await expect(store.append('ticket-unhashable', [newEvent('Reported', { ok: true }, { actor: { id: '\udc00', role: 'citizen' } })], 'any')).rejects.toThrow(
      /metadata is not JSON: .*lone surrogate/,
    );
    await expect(store.append('ticket-unhashable', [newEvent('Reported\ud800')], 'any')).rejects.toThrow(/lone surrogate/);
    expect(await store.readStream('ticket-unhashable')).toEqual([]);
  });

  it('upgrading a log written as jsonb keeps every event, marks those rows as not canonical, and writes new ones canonical', async () => {
    const schema = freshSchema();
    const pool = new pg.Pool({ connectionString: await testDatabaseUrl(), max: 2 });
    cleanups.push(() => pool.end());
    await migrate(pool, schema, 3);
    const old = newEvent('Reported', { z: 1, a: { y: [1.5, 'é'], b: null } });
    const { rows: before } = await pool.query<{ outcome: string }>(`SELECT outcome FROM ${schema}.append_events($1, $2, $3::jsonb)`, [
      'ticket-old',
      'no_stream',
      JSON.stringify([{ id: old.metadata.eventId, type: old.type, data: old.data, metadata: old.metadata }]),
    ]);
    expect(before[0]!.outcome).toBe('ok');

    const store = await createPostgresEventStore({ pool, schema });
    const [read] = await store.readStream('ticket-old');
    expect(read!.data).toEqual(old.data);
    expect(read!.metadata).toEqual(old.metadata);
    expect(read!.canonical).toBeUndefined(); // jsonb's rendering ({"a": …}) is not RFC 8785
    await store.append('ticket-old', [newEvent('Noted', { b: 2, a: 1 })], 0);
    const [, next] = await store.readStream('ticket-old');
    expect(next!.canonical!.data).toBe('{"a":1,"b":2}');
    // The retry check of the new append functions still finds ids written before the upgrade.
    await expect(store.append('ticket-old', [old], 'no_stream')).resolves.toMatchObject({ nextRevision: 0 });
  });

  it('rejects a schema name that is not a plain identifier', async () => {
    await expect(openTestStore({ schema: 'event_store; DROP TABLE x' })).rejects.toThrow(RangeError);
  });
});
