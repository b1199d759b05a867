import { afterEach, describe, expect, it } from 'vitest';
import type pg from 'pg';
import { comparePositions, type RecordedEvent } from '../port.js';
import { describeEventStoreContract } from '../testing/contract.js';
import { newEvent, take, untilVisible } from '../testing/events.js';
import { connect, openTestStore, sleep } from '../testing/postgres.js';
import type { PostgresEventStore } from './event-store.js';

describeEventStoreContract('PostgreSQL', async () => {
  const store = await openTestStore();
  return { store, cleanup: () => store.close() };
});

describe('PostgreSQL subscriptions', () => {
  const opened: { close(): Promise<void> }[] = [];
  const track = <T extends { close(): Promise<unknown> }>(resource: T): T => {
    opened.push({ close: async () => void (await resource.close()) });
    return resource;
  };
  const client = async () => {
    const c = await connect();
    opened.push({ close: () => c.end() });
    return c;
  };
  afterEach(async () => {
    for (const resource of opened.splice(0).reverse()) await resource.close();
  });

  async function appendOpen(store: PostgresEventStore, connection: pg.Client, streamId: string, type: string) {
    await connection.query('BEGIN');
    return store.appendInTransaction(connection, streamId, [newEvent(type)], 'no_stream');
  }

  it('holds back a committed transaction until an older one commits, then delivers both in position order', async () => {
    const store = track(await openTestStore());
    const subscription = track(store.subscribe(null, { pollIntervalMs: 20 }));
    const iterator = subscription[Symbol.asyncIterator]();
    const [slow, fast] = [await client(), await client()];

    const a = await appendOpen(store, slow, 'ticket-a', 'A');
    const b = await appendOpen(store, fast, 'ticket-b', 'B');
    await fast.query('COMMIT');
    expect(comparePositions(a.position, b.position)).toBe(-1);

    // B is durable but must stay invisible: a reader passing it now would skip A forever.
    expect(await store.readAll(null, 10)).toEqual([]);
    expect(await store.headPosition()).toBeNull();
    expect(await store.readStream('ticket-b')).toHaveLength(1);
    const next = iterator.next();
    let delivered = false;
    void next.then(() => (delivered = true));
    await sleep(300); // B's NOTIFY and many polls go by
    expect(delivered).toBe(false);

    await slow.query('COMMIT');
    const received: RecordedEvent[] = [];
    for (let result = await next; ; result = await iterator.next()) {
      if (result.done) break;
      received.push(...result.value);
      if (received.length >= 2) break;
    }
    expect(received.map((e) => e.type)).toEqual(['A', 'B']);
    expect(received.map((e) => e.position)).toEqual([a.position, b.position]);
    expect(await store.headPosition()).toEqual(b.position);
  });

  it('forgets a rolled-back append entirely', async () => {
    const store = track(await openTestStore());
    const connection = await client();
    await appendOpen(store, connection, 'ticket-r', 'Rolled');
    await connection.query('ROLLBACK');
    expect(await store.readStream('ticket-r')).toEqual([]);
    const kept = await store.append('ticket-r', [newEvent('Kept')], 'no_stream');
    expect(kept.nextRevision).toBe(0);
    await untilVisible(store, kept.position);
    expect((await store.readAll(null, 10)).map((e) => e.type)).toEqual(['Kept']);
  });

  it('still delivers by polling when no NOTIFY arrives', async () => {
    const reader = track(await openTestStore());
    const silentWriter = track(await openTestStore({ schema: reader.schema, notify: false }));
    const subscription = track(reader.subscribe(null, { pollIntervalMs: 50 }));
    await silentWriter.append('ticket-quiet', [newEvent('Unannounced')], 'no_stream');
    expect((await take(subscription, 1, () => true)).events.map((e) => e.type)).toEqual(['Unannounced']);
  });

  it('wakes on NOTIFY long before its poll interval', async () => {
    const store = track(await openTestStore());
    const subscription = track(store.subscribe(null, { pollIntervalMs: 600_000 }));
    const next = subscription[Symbol.asyncIterator]().next();
    await sleep(100); // let it LISTEN and settle into its ten-minute wait
    await store.append('ticket-loud', [newEvent('Announced')], 'no_stream');
    const result = await next;
    expect(result.done ? [] : result.value.map((e) => e.type)).toEqual(['Announced']);
  });

  it('surfaces a lost connection to the consumer instead of hanging', async () => {
    const store = track(await openTestStore());
    await store.append('ticket-x', [newEvent('Before')], 'no_stream');
    const subscription = track(store.subscribe(null, { pollIntervalMs: 600_000 }));
    const iterator = subscription[Symbol.asyncIterator]();
    expect((await iterator.next()).done).toBe(false);
    const admin = await client();
    const { rowCount } = await admin.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE application_name = 'palabre_event_store_subscription' AND datname = current_database()`,
    );
    expect(rowCount).toBe(1);
    await expect(iterator.next()).rejects.toThrow();
  });

  it('closing the store ends its subscriptions', async () => {
    const store = await openTestStore();
    const subscription = store.subscribe(null, { pollIntervalMs: 600_000 });
    const pending = subscription[Symbol.asyncIterator]().next();
    await sleep(50);
    await store.close();
    expect(await pending).toEqual({ done: true, value: undefined });
  });
});
