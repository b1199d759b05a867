import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WrongExpectedRevisionError } from '../port.js';
import { events, newEvent } from '../testing/events.js';
import { openTestStore } from '../testing/postgres.js';
import type { PostgresEventStore } from './event-store.js';

describe('PostgreSQL appends racing on one stream', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await openTestStore({ maxConnections: 40 });
  });
  afterAll(() => store.close());

  it('32 appends with any all land, one revision each, no event lost or doubled', async () => {
    const batch = events(32, 'Comment');
    const results = await Promise.all(batch.map((event) => store.append('ticket-any', [event], 'any')));
    expect(results.map((r) => r.nextRevision).sort((x, y) => x - y)).toEqual(batch.map((_, i) => i));
    const stored = await store.readStream('ticket-any');
    expect(stored.map((e) => e.metadata.eventId).sort()).toEqual(batch.map((e) => e.metadata.eventId).sort());
  });

  it('32 appends on the same exact revision: exactly one wins, the others learn the new revision', async () => {
    await store.append('ticket-exact', [newEvent('Reported')], 'no_stream');
    const outcomes = await Promise.allSettled(events(32, 'Assign').map((event) => store.append('ticket-exact', [event], 0)));
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    expect(winners[0]!.value.nextRevision).toBe(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect(outcome.reason).toBeInstanceOf(WrongExpectedRevisionError);
      expect((outcome.reason as WrongExpectedRevisionError).actual).toBe(1);
    }
    expect(await store.readStream('ticket-exact')).toHaveLength(2);
  });

  it('32 writers retrying on conflict each win exactly one revision, with no gap', async () => {
    const won = await Promise.all(
      Array.from({ length: 32 }, async (_, writer) => {
        const event = newEvent(`Writer${writer}`);
        let expected: number | 'no_stream' = 'no_stream';
        for (;;) {
          try {
            return (await store.append('ticket-race', [event], expected)).nextRevision;
          } catch (error) {
            if (!(error instanceof WrongExpectedRevisionError)) throw error;
            expected = error.actual; // decide again on what is really there, as a command handler would
          }
        }
      }),
    );
    expect([...won].sort((x, y) => x - y)).toEqual(won.map((_, i) => i));
    const stored = await store.readStream('ticket-race');
    expect(stored.map((e) => e.revision)).toEqual(won.map((_, i) => i));
    expect(new Set(stored.map((e) => e.type)).size).toBe(32);
  });

  it('refuses ids of older events reused at the current revision, appending nothing', async () => {
    const first = events(2);
    await store.append('ticket-reuse', first, 'no_stream');
    await store.append('ticket-reuse', [newEvent('Third')], 1);
    const error = await store.append('ticket-reuse', [first[0]!], 2).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WrongExpectedRevisionError);
    expect((error as WrongExpectedRevisionError).actual).toBe(2);
    expect(await store.readStream('ticket-reuse')).toHaveLength(3);
  });

  it('treats event ids case-insensitively, as the UUIDs they are', async () => {
    const event = newEvent('Reported');
    const first = await store.append('ticket-case', [event], 'no_stream');
    const shouted = { ...event, metadata: { ...event.metadata, eventId: event.metadata.eventId.toUpperCase() } };
    expect(await store.append('ticket-case', [shouted], 'no_stream')).toEqual(first);
  });
});
