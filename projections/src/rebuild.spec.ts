import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore } from '@palabre/event-store';
import { type Fixture, openFixture, waitVisible } from './testing/fixture.js';
import { appendWorkload } from './testing/workload.js';
import { readModelContents } from './testing/compare.js';
import { defaultProjectors, ticketsProjector, timelineProjector } from './projectors/index.js';
import type { Projector } from './projector.js';
import { startProjectors } from './runner.js';
import { buildReadModels, rebuild } from './rebuild.js';
import { withCommuneScope } from './scope.js';
import { getTicket, listTickets } from './queries/index.js';

// 200 tickets' lives appended, projected live and rebuilt beside them: on two cores taken by other CI
// runs this passed 30 s, and its live projectors, cut off, then disturbed the next test. Two minutes each.
describe('rebuild', { timeout: 120_000 }, () => {
  let f: Fixture;

  beforeAll(async () => {
    f = await openFixture('projections_rebuild');
  });
  afterAll(() => f.close());

  it('swaps in fresh read models while queries, appends and the live projectors keep running', async () => {
    const first = await appendWorkload(f.store, { tickets: 200, seed: 3 });
    const live = startProjectors(f.store, f.pool, defaultProjectors, { batchSize: 50 });
    await live.waitFor(first.last);

    // Readers hammer the grid during the whole rebuild; none may fail or see an empty commune.
    let reading = true;
    const seen: number[][] = [[], [], []];
    const readers = Promise.all(
      seen.map(async (totals) => {
        while (reading) {
          const page = await withCommuneScope(f.pool, ['soa'], async (c) => {
            const result = await listTickets(c, { communeId: 'soa', limit: 20 });
            await getTicket(c, result.items[0]!.id);
            return result;
          });
          totals.push(page.total);
        }
      }),
    );
    // And the log keeps growing, before and during the swap.
    const writer = appendWorkload(f.store, { tickets: 60, seed: 4, ticketPrefix: 'R' });

    const result = await rebuild(f.store, f.pool, { batchSize: 100 });
    const during = await writer;
    const after = await appendWorkload(f.store, { tickets: 10, seed: 5, ticketPrefix: 'A' });
    await live.waitFor(after.last);
    await live.stop();
    reading = false;
    await readers;

    expect(result.events).toBeGreaterThan(first.events);
    for (const totals of seen) {
      expect(totals.length).toBeGreaterThan(0);
      expect(totals.every((total) => total > 0)).toBe(true);
      // Each reader's totals never go backwards: the swapped-in models are never behind what was served.
      expect(totals).toEqual([...totals].sort((a, b) => a - b));
    }
    expect(during.events).toBeGreaterThan(0);

    const { rows: schemas } = await f.pool.query(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'read%' ORDER BY 1`);
    expect(schemas.map((r) => r.nspname)).toEqual(['read']);

    await waitVisible(f.store, after.last);
    await buildReadModels(f.store, f.pool, 'read_check');
    const client = await f.pool.connect();
    try {
      const [swapped, clean] = [await readModelContents(client, 'read'), await readModelContents(client, 'read_check')];
      expect(swapped.tickets!.length).toBe(270);
      for (const table of Object.keys(clean)) expect(swapped[table], table).toEqual(clean[table]);
    } finally {
      client.release();
    }
  });

  it('never waits for a connection held by a live projector while the swap holds their checkpoints', async () => {
    // Each live projector keeps a connection for its subscription. Were each also to wait on its
    // checkpoint with another one, the swap's own last reads would find the pool empty, and its open
    // transaction would hold back every subscription on the server for good (it did, at five projectors).
    const pool = new pg.Pool({ connectionString: f.url, max: defaultProjectors.length + 3 });
    pool.on('error', () => {});
    const store = await createPostgresEventStore({ pool });
    try {
      const live = startProjectors(store, pool, defaultProjectors, { batchSize: 20 });
      const writer = appendWorkload(store, { tickets: 40, seed: 8, ticketPrefix: 'N' });
      const result = await rebuild(store, pool, { batchSize: 50 });
      const written = await writer;
      await live.waitFor(written.last);
      await live.stop();
      expect(result.events).toBeGreaterThan(0);
    } finally {
      await store.close();
      await pool.end();
    }
  });

  it('builds every secondary index of the read models', async () => {
    const indexes = async (schema: string) =>
      (await f.pool.query<{ name: string; definition: string }>(`SELECT indexname AS name, replace(indexdef, $1, 'S.') AS definition FROM pg_indexes WHERE schemaname = $2 ORDER BY 1`, [`${schema}.`, schema])).rows;
    await buildReadModels(f.store, f.pool, 'read_indexes');
    const built = await indexes('read_indexes');
    expect(built.length).toBeGreaterThan(15);
    expect(built).toEqual(await indexes('read'));
    await f.pool.query('DROP SCHEMA read_indexes CASCADE');
  });

  it('fails as a whole when a projector fails mid-way, leaving the live models serving, and can run again', async () => {
    const before = await f.pool.query('SELECT count(*)::integer AS n FROM read.ticket_timeline');
    let calls = 0;
    const failing: Projector = {
      ...timelineProjector,
      async handle(client, events) {
        if (++calls === 3) throw new Error('disk full (simulated)');
        return timelineProjector.handle(client, events);
      },
    };
    await expect(rebuild(f.store, f.pool, { projectors: [ticketsProjector, failing], batchSize: 50 })).rejects.toThrow('disk full (simulated)');
    expect((await f.pool.query('SELECT count(*)::integer AS n FROM read.ticket_timeline')).rows).toEqual(before.rows);
    const again = await rebuild(f.store, f.pool, { batchSize: 50 });
    expect(again.events).toBeGreaterThan(0);
    const { rows: schemas } = await f.pool.query(`SELECT nspname FROM pg_namespace WHERE nspname IN ('read', 'read_next', 'read_retired')`);
    expect(schemas.map((r) => r.nspname)).toEqual(['read']);
  });

  it('keeps row-level security and the reader role on the swapped-in schema', async () => {
    const soa = await withCommuneScope(f.pool, ['soa'], async (c) => (await c.query('SELECT DISTINCT commune_id FROM read.tickets')).rows);
    expect(soa).toEqual([{ commune_id: 'soa' }]);
    const none = await withCommuneScope(f.pool, [], async (c) => (await c.query('SELECT count(*)::integer AS n FROM read.ticket_timeline')).rows);
    expect(none).toEqual([{ n: 0 }]);
  });

  it('refuses to run twice at the same time', async () => {
    const holder = await f.pool.connect();
    try {
      await holder.query(`SELECT pg_advisory_lock(hashtext('palabre.projections.rebuild'))`);
      await expect(rebuild(f.store, f.pool)).rejects.toThrow(/Another rebuild/);
    } finally {
      await holder.query(`SELECT pg_advisory_unlock(hashtext('palabre.projections.rebuild'))`);
      holder.release();
    }
  });
});
