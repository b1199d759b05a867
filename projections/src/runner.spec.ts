import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evolve, initialState, parseTicketEvent, ticketIdFromStream } from '@palabre/domain';
import type { RecordedEvent } from '@palabre/event-store';
import { type Fixture, openFixture } from './testing/fixture.js';
import { appendWorkload } from './testing/workload.js';
import { defaultProjectors } from './projectors/index.js';
import { type BatchInfo, startProjectors } from './runner.js';
import { PROJECTION_CHANNEL, type ProjectionNotice } from './notify.js';
import { projectorStatus } from './status.js';

describe('projector runner', () => {
  let f: Fixture;
  let log: RecordedEvent[];
  const notices: ProjectionNotice[] = [];
  const batches: BatchInfo[] = [];
  let listener: pg.Client;

  beforeAll(async () => {
    f = await openFixture('projections_runner');
    listener = new pg.Client({ connectionString: f.url });
    await listener.connect();
    listener.on('notification', (m) => m.channel === PROJECTION_CHANNEL && notices.push(JSON.parse(m.payload!)));
    await listener.query(`LISTEN ${PROJECTION_CHANNEL}`);

    await appendWorkload(f.store, { tickets: 80, seed: 7 });
    const group = startProjectors(f.store, f.pool, defaultProjectors, { batchSize: 37, onBatch: (b) => batches.push(b) });
    // Live events arrive while the projectors run.
    const { last } = await appendWorkload(f.store, { tickets: 20, seed: 8, ticketPrefix: 'L' });
    // The append's own position: headPosition() may trail appends racing with projector transactions.
    await group.waitFor(last);
    await group.stop();
    log = await f.store.readAll(null, 100_000);
  });
  afterAll(async () => {
    await listener.end();
    await f.close();
  });

  it('folds each ticket exactly as the domain does', async () => {
    const streams = new Map<string, RecordedEvent[]>();
    for (const e of log) {
      const id = ticketIdFromStream(e.streamId);
      if (id) streams.set(id, [...(streams.get(id) ?? []), e]);
    }
    const { rows } = await f.pool.query('SELECT id, state, revision, confirmations, status, commune_id FROM read.tickets ORDER BY id');
    expect(rows).toHaveLength(streams.size);
    for (const row of rows) {
      const events = streams.get(row.id)!;
      const state = events
        .map((e) => parseTicketEvent({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion }))
        .reduce(evolve, initialState());
      expect(row.state).toEqual(JSON.parse(JSON.stringify(state)));
      expect(row.revision).toBe(events.length - 1);
      expect(row.confirmations).toBe(state.confirmations.length);
      expect(row.status).toBe(state.status);
      expect(row.commune_id).toBe(state.communeId);
    }
  });

  it('writes one timeline row per ticket event and one confirmation row per "me too"', async () => {
    const ticketEvents = log.filter((e) => ticketIdFromStream(e.streamId) !== null);
    const timeline = await f.pool.query('SELECT count(*)::integer AS n FROM read.ticket_timeline');
    expect(timeline.rows[0].n).toBe(ticketEvents.length);
    const confirmed = ticketEvents.filter((e) => e.type === 'TicketConfirmed').length;
    const confirmations = await f.pool.query('SELECT count(*)::integer AS n FROM read.ticket_confirmations');
    expect(confirmations.rows[0].n).toBe(confirmed);
    const unrouted = await f.pool.query('SELECT count(*)::integer AS n FROM read.ticket_timeline WHERE commune_id IS NULL');
    expect(unrouted.rows[0].n).toBe(0);
  });

  it('moves every checkpoint to the head, past events of other streams', async () => {
    expect(log.some((e) => ticketIdFromStream(e.streamId) === null)).toBe(true);
    const status = await projectorStatus(f.pool, f.store);
    expect(status.map((s) => [s.name, s.caughtUp, s.lagSeconds])).toEqual([
      ['consultations', true, 0],
      ['projects', true, 0],
      ['proposals', true, 0],
      ['tickets', true, 0],
      ['timeline', true, 0],
    ]);
    for (const s of status) expect(s.position).toBe(s.head);
  });

  it('passes over batches with nothing a projector reads without a transaction, storing its checkpoint soon after and at a stop', async () => {
    // Tickets only: the tickets projector commits a transaction (one notice) a batch; the projects
    // projector reads none of them, so it stores its checkpoint at most every half second, and once at the stop.
    const perProjector = (name: string) => notices.filter((n) => n.projector === name).length;
    const ticketBatches = batches.filter((b) => b.projector === 'tickets').length;
    expect(perProjector('tickets')).toBe(ticketBatches);
    const passedOver = batches.filter((b) => b.projector === 'projects').length;
    expect(passedOver).toBeGreaterThan(10);
    expect(perProjector('projects')).toBeLessThan(passedOver / 2);
    expect(batches.filter((b) => b.projector === 'projects').every((b) => b.changes === 0)).toBe(true);
  });

  it('reports each batch and notifies the changed tickets with the batch position', async () => {
    expect(batches.reduce((n, b) => n + b.events, 0)).toBe(log.length * defaultProjectors.length);
    await expect.poll(() => notices.filter((n) => n.projector === 'tickets').length).toBeGreaterThan(0);
    const ticketNotices = notices.filter((n) => n.projector === 'tickets');
    const lastNotice = ticketNotices[ticketNotices.length - 1]!;
    expect(lastNotice.position).toBe(`${log[log.length - 1]!.position.commit}/${log[log.length - 1]!.position.prepare}`);
    // Every ticket's last notified revision is its current revision.
    const notified = new Map<string, number>();
    for (const n of ticketNotices) for (const c of n.changes) notified.set(c.id, Math.max(notified.get(c.id) ?? -1, c.revision));
    const { rows } = await f.pool.query('SELECT id, revision, commune_id FROM read.tickets');
    expect(Object.fromEntries(notified)).toEqual(Object.fromEntries(rows.map((r) => [r.id, r.revision])));
    // A batch may end between a report and its routing: only then is the commune unknown.
    const changes = ticketNotices.flatMap((n) => n.changes);
    expect(changes.filter((c) => c.communeId === null).every((c) => c.revision === 0)).toBe(true);
    expect(new Set(changes.map((c) => c.communeId).filter((c) => c !== null))).toEqual(new Set(['soa', 'dschang']));
  });

  it('does nothing more when restarted at the head', async () => {
    const before = await f.pool.query('SELECT count(*)::integer AS n FROM read.ticket_timeline');
    const group = startProjectors(f.store, f.pool, defaultProjectors);
    await group.waitFor(await f.store.headPosition());
    await group.stop();
    const after = await f.pool.query('SELECT count(*)::integer AS n FROM read.ticket_timeline');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  it('under load, gathers events into batches no more often than minBatchIntervalMs, and stops at once in a pause', async () => {
    const paced: { projector: string; startedAt: number; events: number }[] = [];
    const group = startProjectors(f.store, f.pool, defaultProjectors, {
      minBatchIntervalMs: 400,
      onBatch: (b) => paced.push({ projector: b.projector, startedAt: performance.now() - b.durationMs, events: b.events }),
    });
    await group.waitFor(await f.store.headPosition());
    const started = performance.now();
    // Forty tickets' lives, each event appended alone, one after another (about 170 appends).
    let last = null;
    let appends = 0;
    for (let i = 0; i < 40; i++) {
      const workload = await appendWorkload(f.store, { tickets: 1, seed: 100 + i, ticketPrefix: `P${i}` });
      last = workload.last;
      appends += workload.events;
      await new Promise((r) => setTimeout(r, 5));
    }
    await group.waitFor(last);
    const during = paced.filter((b) => b.projector === 'tickets' && b.startedAt >= started);
    // Each batch starts at least 400 ms after the one before (however slow the machine makes the
    // appends), so events gather: far fewer batches than appends.
    for (let i = 1; i < during.length; i++) expect(during[i]!.startedAt - during[i - 1]!.startedAt).toBeGreaterThanOrEqual(390);
    expect(during.length).toBeLessThan(appends / 4);
    await group.stop();
    // A stop in a pause does not wait for its end.
    const { last: one } = await appendWorkload(f.store, { tickets: 1, seed: 199, ticketPrefix: 'Q' });
    const pausing = startProjectors(f.store, f.pool, defaultProjectors, { minBatchIntervalMs: 60_000 });
    await pausing.waitFor(one);
    const stopping = performance.now();
    await pausing.stop();
    expect(performance.now() - stopping).toBeLessThan(30_000);
  }, 120_000);

  it('holds a projector before its next batch while the others go on, and releases it (or stops) on demand', async () => {
    const group = startProjectors(f.store, f.pool, defaultProjectors);
    await group.waitFor(await f.store.headPosition());
    const timeline = group.handles.find((h) => h.name === 'timeline')!;
    const tickets = group.handles.find((h) => h.name === 'tickets')!;
    const before = timeline.position();
    const release = timeline.hold!();
    const { last } = await appendWorkload(f.store, { tickets: 2, seed: 300, ticketPrefix: 'H' });
    await tickets.waitFor(last);
    expect(timeline.position()).toEqual(before);
    release();
    await timeline.waitFor(last);
    // A stop is not kept waiting by a hold.
    timeline.hold!();
    await appendWorkload(f.store, { tickets: 1, seed: 301, ticketPrefix: 'S' });
    await group.stop();
  });
});
