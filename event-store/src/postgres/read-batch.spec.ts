import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newEvent } from '../testing/events.js';
import { openTestStore } from '../testing/postgres.js';
import type { PostgresEventStore } from './event-store.js';

describe('PostgreSQL whole-stream reads shared between concurrent commands', () => {
  let store: PostgresEventStore;
  let statementsRun = 0;
  beforeAll(async () => {
    store = await openTestStore({ maxConnections: 8, readBatch: { maxInFlight: 1 } });
    // Counts the reads that reach the server.
    const query = store.pool.query.bind(store.pool) as (...args: unknown[]) => Promise<unknown>;
    (store.pool as unknown as { query: (...args: unknown[]) => Promise<unknown> }).query = (...args: unknown[]) => {
      if (typeof args[0] === 'string' && args[0].includes('ORDER BY e.')) statementsRun++;
      return query(...args);
    };
  });
  afterAll(() => store.close());

  it('gives each of 100 concurrent reads its own stream, whole and in order, in fewer statements than reads', async () => {
    for (let s = 0; s < 50; s++) await store.append(`voter-${s}`, [newEvent('Registered'), newEvent(`Verified${s}`)], 'no_stream');
    statementsRun = 0;
    const streams = Array.from({ length: 100 }, (_, i) => (i < 90 ? `voter-${i % 50}` : `nobody-${i}`));
    const read = await Promise.all(streams.map((id) => store.readStream(id)));
    read.forEach((events, i) => {
      if (i >= 90) return expect(events).toEqual([]);
      expect(events.map((e) => [e.streamId, e.revision, e.type])).toEqual([
        [`voter-${i % 50}`, 0, 'Registered'],
        [`voter-${i % 50}`, 1, `Verified${i % 50}`],
      ]);
    });
    expect(statementsRun).toBeGreaterThan(0);
    expect(statementsRun).toBeLessThan(20);
  });

  it('sees what was appended before the read was asked for', async () => {
    const reads = [];
    for (let n = 0; n < 20; n++) {
      await store.append('fresh', [newEvent(`E${n}`)], n === 0 ? 'no_stream' : n - 1);
      reads.push(store.readStream('fresh').then((events) => [n, events.length]));
    }
    for (const [n, length] of await Promise.all(reads)) expect(length).toBeGreaterThanOrEqual(n! + 1);
  });

  it('reads part of a stream on its own, as asked', async () => {
    expect((await store.readStream('voter-3', { fromRevision: 1 })).map((e) => e.type)).toEqual(['Verified3']);
    expect((await store.readStream('voter-3', { maxCount: 1 })).map((e) => e.type)).toEqual(['Registered']);
  });
});
