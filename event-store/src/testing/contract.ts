import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  InvalidEventError,
  WrongExpectedRevisionError,
  comparePositions,
  type EventStore,
  type ExpectedRevision,
  type GlobalPosition,
  type NewEvent,
  type RecordedEvent,
} from '../port.js';
import { events, newEvent, take, untilVisible } from './events.js';

export interface ContractFixture {
  store: EventStore;
  cleanup(): Promise<void>;
}

/**
 * The behaviour every adapter owes the rest of Palabre. Tests never assume an empty log: each one
 * writes streams under its own prefix and starts reading from the head it found.
 */
export function describeEventStoreContract(name: string, factory: () => Promise<ContractFixture>): void {
  describe(`${name} honours the EventStore contract`, () => {
    let fixture: ContractFixture;
    let store: EventStore;
    let prefix: string;
    const stream = (label: string) => `${prefix}-${label}`;
    const mine = (event: RecordedEvent) => event.streamId.startsWith(prefix);

    beforeEach(async () => {
      fixture = await factory();
      store = fixture.store;
      prefix = `contract_${randomUUID().slice(0, 8)}`;
    });
    afterEach(async () => {
      await fixture.cleanup();
    });

    async function expectConflict(attempt: Promise<unknown>, actual: number | 'no_stream'): Promise<void> {
      const error = await attempt.then(
        () => expect.unreachable('append should have been refused'),
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(WrongExpectedRevisionError);
      expect((error as WrongExpectedRevisionError).actual).toBe(actual);
    }

    const typesOf = (recorded: readonly RecordedEvent[]) => recorded.map((event) => event.type);

    function expectStrictlyIncreasing(positions: readonly GlobalPosition[]): void {
      for (let i = 1; i < positions.length; i++) expect(comparePositions(positions[i - 1]!, positions[i]!)).toBe(-1);
    }

    it('reads back what was appended: data and the whole envelope', async () => {
      const reported = newEvent('TicketReported', { ticketId: 't-1', title: 'Nid-de-poule', location: { lat: 5.45, lon: 10.05 }, tags: ['voirie'], urgent: true, note: null });
      const assigned = newEvent('TicketAssigned', { ticketId: 't-1', teamId: 'voirie-soa' }, { communeId: null });
      const result = await store.append(stream('ticket'), [reported, assigned], 'no_stream');
      expect(result.nextRevision).toBe(1);

      const read = await store.readStream(stream('ticket'));
      expect(read).toHaveLength(2);
      [reported, assigned].forEach((sent, revision) => {
        expect(read[revision]).toMatchObject({ streamId: stream('ticket'), revision, type: sent.type });
        expect(read[revision]!.data).toEqual(sent.data);
        expect(read[revision]!.metadata).toEqual(sent.metadata);
      });
      expect(read[1]!.position).toEqual(result.position);
      expect(comparePositions(read[0]!.position, read[1]!.position)).toBe(-1);
    });

    describe('expected revisions', () => {
      const seed = async (label: string, count: number) => store.append(stream(label), events(count), 'no_stream');

      it('no_stream creates a stream and refuses an existing one', async () => {
        await seed('s', 2);
        await expectConflict(store.append(stream('s'), [newEvent('Late')], 'no_stream'), 1);
        expect(await store.readStream(stream('s'))).toHaveLength(2);
      });

      it('exists refuses a missing stream and appends to an existing one', async () => {
        await expectConflict(store.append(stream('s'), [newEvent('Orphan')], 'exists'), 'no_stream');
        expect(await store.readStream(stream('s'))).toEqual([]);
        await seed('s', 1);
        expect((await store.append(stream('s'), [newEvent('Next')], 'exists')).nextRevision).toBe(1);
      });

      it('an exact revision appends only on the current revision', async () => {
        await seed('s', 3);
        expect((await store.append(stream('s'), events(2, 'Follow'), 2)).nextRevision).toBe(4);
        await expectConflict(store.append(stream('s'), [newEvent('Stale')], 2), 4);
        await expectConflict(store.append(stream('s'), [newEvent('Ahead')], 9), 4);
        await expectConflict(store.append(stream('missing'), [newEvent('Ghost')], 0), 'no_stream');
        expect(typesOf(await store.readStream(stream('s')))).toEqual(['TicketNoted0', 'TicketNoted1', 'TicketNoted2', 'Follow0', 'Follow1']);
        expect(await store.readStream(stream('missing'))).toEqual([]);
      });

      it('any appends whatever the stream holds', async () => {
        expect((await store.append(stream('s'), [newEvent('First')], 'any')).nextRevision).toBe(0);
        expect((await store.append(stream('s'), [newEvent('Second')], 'any')).nextRevision).toBe(1);
      });
    });

    describe('idempotent retries', () => {
      it('the same events at the same expectation answer the original result and write nothing', async () => {
        const batch = events(2);
        const first = await store.append(stream('s'), batch, 'no_stream');
        expect(await store.append(stream('s'), batch, 'no_stream')).toEqual(first);
        expect(await store.append(stream('s'), batch, 'any')).toEqual(first);

        const next = [newEvent('Closed')];
        const second = await store.append(stream('s'), next, 1);
        expect(await store.append(stream('s'), next, 1)).toEqual(second);
        expect(await store.append(stream('s'), next, 'exists')).toEqual(second);
        expect(await store.readStream(stream('s'))).toHaveLength(3);
      });

      it('a partial overlap or the same events at another revision is a conflict', async () => {
        const batch = events(2);
        await store.append(stream('s'), batch, 'no_stream');
        await expectConflict(store.append(stream('s'), [batch[0]!, newEvent('Extra')], 'no_stream'), 1);
        await expectConflict(store.append(stream('s'), [batch[1]!], 'no_stream'), 1);
        expect(await store.readStream(stream('s'))).toHaveLength(2);
      });

      it('twenty parallel retries of one append store exactly one copy', async () => {
        for (const expected of ['no_stream', 'any'] as const) {
          const batch = events(3);
          const results = await Promise.all(Array.from({ length: 20 }, () => store.append(stream(expected), batch, expected)));
          expect(new Set(results.map((r) => `${r.nextRevision}@${r.position.commit}/${r.position.prepare}`)).size).toBe(1);
          const read = await store.readStream(stream(expected));
          expect(read.map((e) => e.metadata.eventId)).toEqual(batch.map((e) => e.metadata.eventId));
        }
      });
    });

    it('reads a stream page by page, in revision order', async () => {
      await store.append(stream('s'), events(12), 'no_stream'); // past 10, where text order would differ
      const page = (fromRevision: number) => store.readStream(stream('s'), { fromRevision, maxCount: 5 });
      expect((await page(0)).map((e) => e.revision)).toEqual([0, 1, 2, 3, 4]);
      expect((await page(5)).map((e) => e.revision)).toEqual([5, 6, 7, 8, 9]);
      expect((await page(10)).map((e) => e.revision)).toEqual([10, 11]);
      expect(await page(12)).toEqual([]);
      expect((await store.readStream(stream('s'), { fromRevision: 9 })).map((e) => e.revision)).toEqual([9, 10, 11]);
      expect((await store.readStream(stream('s'))).map((e) => e.type)).toEqual(events(12).map((e) => e.type));
      expect(await store.readStream(stream('never-written'))).toEqual([]);
    });

    it('reads the whole log page by page, in global order across streams, after an exclusive position', async () => {
      const start = await store.headPosition();
      await store.append(stream('a'), [newEvent('A1')], 'no_stream');
      await store.append(stream('b'), [newEvent('B1'), newEvent('B2')], 'no_stream');
      await store.append(stream('a'), [newEvent('A2')], 0);
      const last = await store.append(stream('c'), [newEvent('C1')], 'any');
      await untilVisible(store, last.position);

      const seen: RecordedEvent[] = [];
      let from = start;
      for (;;) {
        const page = await store.readAll(from, 2);
        if (page.length === 0) break;
        expect(page.length).toBeLessThanOrEqual(2);
        seen.push(...page);
        from = page[page.length - 1]!.position;
      }
      const ours = seen.filter(mine);
      expect(typesOf(ours)).toEqual(['A1', 'B1', 'B2', 'A2', 'C1']);
      expectStrictlyIncreasing(seen.map((e) => e.position));
      expect(await store.readAll(ours[1]!.position, 1).then(typesOf)).toEqual(['B2']);
      expect(comparePositions((await store.headPosition())!, ours[4]!.position)).toBeGreaterThanOrEqual(0);
    });

    it('a subscription catches up, then follows live appends in order', async () => {
      const start = await store.headPosition();
      await store.append(stream('a'), events(2, 'Past'), 'no_stream');
      await store.append(stream('b'), [newEvent('Past2')], 'no_stream');
      const subscription = store.subscribe(start, { batchSize: 2, pollIntervalMs: 50 });
      try {
        expect(typesOf((await take(subscription, 3, mine)).events)).toEqual(['Past0', 'Past1', 'Past2']);
        await store.append(stream('b'), [newEvent('Live0')], 0);
        await store.append(stream('a'), [newEvent('Live1'), newEvent('Live2')], 1);
        const live = await take(subscription, 3, mine);
        expect(typesOf(live.events)).toEqual(['Live0', 'Live1', 'Live2']);
        expectStrictlyIncreasing(live.delivered.map((e) => e.position));
      } finally {
        await subscription.close();
      }
    });

    it('a subscription from a checkpoint resumes exactly after it', async () => {
      await store.append(stream('s'), events(5), 'no_stream');
      const written = await store.readStream(stream('s'));
      const subscription = store.subscribe(written[2]!.position, { pollIntervalMs: 50 });
      try {
        const { events: resumed } = await take(subscription, 2, mine);
        expect(resumed.map((e) => e.revision)).toEqual([3, 4]);
        expect(resumed.map((e) => e.position)).toEqual([written[3]!.position, written[4]!.position]);
      } finally {
        await subscription.close();
      }
    });

    it('close() ends a waiting iteration cleanly', async () => {
      const subscription = store.subscribe(await store.headPosition(), { pollIntervalMs: 50 });
      await store.append(stream('s'), [newEvent('Seen')], 'no_stream');
      expect(typesOf((await take(subscription, 1, mine)).events)).toEqual(['Seen']);
      const pending = subscription[Symbol.asyncIterator]().next();
      await subscription.close();
      expect(await pending).toEqual({ done: true, value: undefined });
    });

    it('32 concurrent writers: every event reaches a subscriber once, in increasing positions', async () => {
      const writers = 32;
      const appendsPerWriter = 4;
      const start = await store.headPosition();
      const subscription = store.subscribe(start, { batchSize: 37, pollIntervalMs: 50 });
      try {
        const sent: NewEvent[] = [];
        await Promise.all(
          Array.from({ length: writers }, async (_, writer) => {
            for (let round = 0; round < appendsPerWriter; round++) {
              const batch = events(1 + (round % 2), `W${writer}R${round}-`);
              sent.push(...batch);
              const expected: ExpectedRevision = round === 0 ? 'no_stream' : 'any';
              await store.append(stream(`writer-${writer}`), batch, expected);
            }
          }),
        );
        const { events: received, delivered } = await take(subscription, sent.length, mine);
        expect(received.map((e) => e.metadata.eventId).sort()).toEqual(sent.map((e) => e.metadata.eventId).sort());
        expectStrictlyIncreasing(delivered.map((e) => e.position));
        for (let writer = 0; writer < writers; writer++) {
          const revisions = received.filter((e) => e.streamId === stream(`writer-${writer}`)).map((e) => e.revision);
          expect(revisions).toEqual(revisions.map((_, i) => i));
        }
      } finally {
        await subscription.close();
      }
    });

    describe('refuses invalid input and appends nothing', () => {
      const valid = () => newEvent('TicketReported');
      const withMetadata = (metadata: unknown): NewEvent => ({ ...valid(), metadata: metadata as NewEvent['metadata'] });
      const cases: [string, () => [string, NewEvent[], ExpectedRevision]][] = [
        ['an empty stream id', () => ['', [valid()], 'any']],
        ['a system stream id', () => ['$all', [valid()], 'any']],
        ['no events', () => [stream('s'), [], 'any']],
        ['an empty type', () => [stream('s'), [{ ...valid(), type: '' }], 'any']],
        ['missing data', () => [stream('s'), [{ ...valid(), data: undefined }], 'any']],
        ['missing metadata', () => [stream('s'), [withMetadata(undefined)], 'any']],
        ['an event id that is not a UUID', () => [stream('s'), [withMetadata({ ...valid().metadata, eventId: 'cmd-1-0' })], 'any']],
        ['a missing command id', () => [stream('s'), [withMetadata({ ...valid().metadata, commandId: undefined })], 'any']],
        ['one event id twice in a batch', () => { const e = valid(); return [stream('s'), [e, e], 'any']; }],
        ['a negative expected revision', () => [stream('s'), [valid()], -1]],
        ['data that is not JSON', () => [stream('s'), [{ ...valid(), data: { amount: 10n } }], 'any']],
        ['one bad event among good ones', () => [stream('s'), [valid(), { ...valid(), type: '' }, valid()], 'any']],
      ];
      it.each(cases)('%s', async (_, build) => {
        const [streamId, batch, expected] = build();
        await expect(store.append(streamId, batch, expected)).rejects.toBeInstanceOf(InvalidEventError);
        expect(await store.readStream(stream('s'))).toEqual([]);
      });
    });
  });
}
