import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WrongExpectedRevisionError, type AppendResult, type CanonicalText, type ExpectedRevision, type NewEvent } from '../port.js';
import { validateAppend } from '../validation.js';
import { newEvent } from '../testing/events.js';
import { openTestStore } from '../testing/postgres.js';
import { appendValidated, type AppendOutcome } from './append.js';
import type { PostgresEventStore } from './event-store.js';
import { GroupCommit } from './group-commit.js';
import { statements } from './statements.js';

/** Transactions that wrote the given streams' events: fewer than appends means commits were shared. */
async function transactionsOf(store: PostgresEventStore, prefix: string): Promise<number> {
  const { rows } = await store.pool.query<{ n: number }>(
    `SELECT count(DISTINCT transaction_id)::integer AS n FROM ${store.schema}.events WHERE stream_id LIKE $1`,
    [`${prefix}%`],
  );
  return rows[0]!.n;
}

describe('PostgreSQL group commit', () => {
  let store: PostgresEventStore;
  beforeAll(async () => {
    store = await openTestStore({ maxConnections: 8, groupCommit: { maxInFlight: 1 } });
  });
  afterAll(() => store.close());

  it('shares commits between concurrent appends, and every stream stays gapless in arrival order', async () => {
    const appends: Promise<AppendResult>[] = [];
    for (let round = 0; round < 5; round++) {
      for (let s = 0; s < 40; s++) {
        appends.push(store.append(`shared-${s}`, [newEvent(`Round${round}`)], round === 0 ? 'no_stream' : round - 1));
      }
    }
    const results = await Promise.all(appends);
    expect(results.map((r) => r.nextRevision)).toEqual(appends.map((_, i) => Math.floor(i / 40)));
    for (let s = 0; s < 40; s++) {
      expect((await store.readStream(`shared-${s}`)).map((e) => e.type)).toEqual(['Round0', 'Round1', 'Round2', 'Round3', 'Round4']);
    }
    expect(await transactionsOf(store, 'shared-')).toBeLessThan(200);
  });

  it('a conflict refuses only its own append; the others in the same commit are written', async () => {
    await store.append('conflict-b', [newEvent('Reported')], 'no_stream');
    // One batch in flight at a time: the appends behind the first queue and share a commit.
    const first = store.append('conflict-first', [newEvent('Reported')], 'no_stream');
    const [a, b, c] = await Promise.allSettled([
      store.append('conflict-a', [newEvent('Reported')], 'no_stream'),
      store.append('conflict-b', [newEvent('Assigned')], 5),
      store.append('conflict-c', [newEvent('Reported')], 'no_stream'),
      store.append('conflict-d', [newEvent('Reported')], 'no_stream'),
    ]);
    expect(a.status).toBe('fulfilled');
    expect(c.status).toBe('fulfilled');
    expect(b.status).toBe('rejected');
    expect((b as PromiseRejectedResult).reason).toBeInstanceOf(WrongExpectedRevisionError);
    expect(((b as PromiseRejectedResult).reason as WrongExpectedRevisionError).actual).toBe(0);
    expect(await store.readStream('conflict-b')).toHaveLength(1);
    const commits = [a, c].map((r) => (r as PromiseFulfilledResult<AppendResult>).value.position.commit);
    expect(commits[0]).toBe(commits[1]);
    await first;
  });

  it('the same events sent six times at once are written once and answered alike', async () => {
    const event = newEvent('Reported');
    const blocker = store.append('twice-blocker', [newEvent('Reported')], 'no_stream');
    const results = await Promise.all(Array.from({ length: 6 }, () => store.append('twice', [event], 'no_stream')));
    await blocker;
    expect(new Set(results.map((r) => `${r.nextRevision}@${r.position.commit}/${r.position.prepare}`)).size).toBe(1);
    expect(await store.readStream('twice')).toHaveLength(1);
  });

  it('when a batch commits but its answer is lost, each append is retried alone and answered as written', async () => {
    const sql = statements(store.schema);
    const alone = async (streamId: string, events: readonly NewEvent[], texts: readonly CanonicalText[], expected: ExpectedRevision) => {
      const client = await store.pool.connect();
      try {
        return await appendValidated(client, sql, false, streamId, events, texts, expected);
      } finally {
        client.release();
      }
    };
    let batches = 0;
    const committedThenLost = async (text: string, values: unknown[]): Promise<AppendOutcome[]> => {
      batches++;
      await store.pool.query(text, values);
      throw new Error('connection lost before the answer arrived');
    };
    const group = new GroupCommit(store.pool, sql, alone, committedThenLost, { maxInFlight: 1 });
    const append = (streamId: string) => {
      const events = [newEvent('Reported')];
      return group.append(streamId, events, validateAppend(streamId, events, 'no_stream'), 'no_stream');
    };
    const first = append('lost-0');
    const rest = [1, 2, 3].map((n) => append(`lost-${n}`));
    const results = await Promise.all([first, ...rest]);
    expect(batches).toBe(1);
    expect(results.map((r) => r.nextRevision)).toEqual([0, 0, 0, 0]);
    for (const n of [1, 2, 3]) expect(await store.readStream(`lost-${n}`)).toHaveLength(1);
    // Retried alone, they were recognised by their ids: the batch's own transaction answers.
    expect(new Set(results.slice(1).map((r) => r.position.commit)).size).toBe(1);
  });
});
