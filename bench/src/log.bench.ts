/**
 * `npm run bench:log`: the log's throughput and latency on this machine, each beside the same
 * run's raw ceiling (plain single-row INSERTs, same server, same concurrency).
 *   BENCH_SECONDS (default 15), BENCH_WRITERS (32), BENCH_REBUILD_EVENTS (200000), BENCH_LAG_RATE (500 appends/s),
 *   BENCH_PHASES (default raw,append,lag,rebuild: a skipped phase prints n/a).
 */
import pg from 'pg';
import { comparePositions, createPostgresEventStore, formatPosition, type GlobalPosition } from '@palabre/event-store';
import { migrate, rebuild, startProjectors, ticketsProjector, timelineProjector, type Projector } from '@palabre/projections';
import { noteEvent, reportEvents } from './fixtures.js';
import { startBenchDatabase } from './database.js';
import { fmt, gaugeLine, printTable, runFor, speedGauge, summarize } from './stats.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 15);
const writers = Number(process.env.BENCH_WRITERS ?? 32);
const rebuildEvents = Number(process.env.BENCH_REBUILD_EVENTS ?? 200_000);
const lagRate = Number(process.env.BENCH_LAG_RATE ?? 500);
const phases = new Set((process.env.BENCH_PHASES ?? 'raw,append,lag,rebuild').split(',').map((p) => p.trim()));
const skipped = { latency: { p50: Number.NaN, p99: Number.NaN } };

async function main() {
  const database = await startBenchDatabase('log');
  const pool = new pg.Pool({ connectionString: database.url, max: writers + 8 });
  pool.on('error', () => {}); // the server stops under idle clients at the end
  try {
    const settings = await pool.query(`SELECT current_setting('synchronous_commit') AS sc, current_setting('fsync') AS fsync, version() AS v`);
    console.log(`PostgreSQL: ${String(settings.rows[0].v).split(',')[0]}; synchronous_commit=${settings.rows[0].sc}, fsync=${settings.rows[0].fsync}`);
    console.log(`Writers: ${writers}, duration: ${seconds} s per phase, cores: ${(await import('node:os')).availableParallelism()}`);

    const gaugeBefore = speedGauge();
    const raw = phases.has('raw') ? await rawCeiling(pool) : { insertsPerSecond: Number.NaN, ...skipped };
    const log = phases.has('append') ? await appendThroughput(pool) : { appendsPerSecond: Number.NaN, ...skipped };
    const lag = phases.has('lag') ? await subscriptionLag(pool) : { rate: Number.NaN, lag: skipped.latency };
    const rebuild = phases.has('rebuild') ? await rebuildThroughput(database.url) : { eventsPerSecond: Number.NaN, readPerSecond: Number.NaN };

    const gaugeAfter = speedGauge();
    printTable('Palabre log bench', ['measure', 'Palabre', 'raw ceiling', 'target'], [
      ['appends/s (32 writers, 1 event/command, durable)', fmt(log.appendsPerSecond, 0), `${fmt(raw.insertsPerSecond, 0)} inserts/s`, '≥ 5,000'],
      ['append latency p50 (ms)', fmt(log.latency.p50, 2), fmt(raw.latency.p50, 2), ''],
      ['append latency p99 (ms)', fmt(log.latency.p99, 2), fmt(raw.latency.p99, 2), ''],
      [`subscription lag p50 (ms, append → projected row committed, ${fmt(lag.rate, 0)} appends/s)`, fmt(lag.lag.p50, 1), '', ''],
      ['subscription lag p99 (ms)', fmt(lag.lag.p99, 1), '', '< 50'],
      [`rebuild events/s (${rebuildEvents.toLocaleString('en-US')} events)`, fmt(rebuild.eventsPerSecond, 0), `${fmt(rebuild.readPerSecond, 0)} events/s read`, '≥ 30,000'],
    ]);
    console.log(gaugeLine(gaugeBefore, gaugeAfter));
  } finally {
    await pool.end();
    await database.stop();
  }
}

/** Plain single-row INSERTs, autocommit, same concurrency: what the server itself can do. */
async function rawCeiling(pool: pg.Pool) {
  await pool.query('CREATE TABLE raw_inserts (id bigserial PRIMARY KEY, stream_id text NOT NULL, data jsonb NOT NULL)');
  const payload = JSON.stringify(noteEvent('T0', 'soa').data);
  const { latencies, elapsedMs } = await runFor(writers, seconds * 1000, async (worker, i) => {
    await pool.query('INSERT INTO raw_inserts (stream_id, data) VALUES ($1, $2)', [`w${worker}-${i % 50}`, payload]);
  });
  return { insertsPerSecond: latencies.length / (elapsedMs / 1000), latency: summarize(latencies) };
}

/** 32 writers append one note per command to their own tickets, as fast as the log takes them. */
async function appendThroughput(pool: pg.Pool) {
  const store = await createPostgresEventStore({ pool, schema: 'event_store' });
  await migrate(pool);
  const revisions = await seedTickets(store, 'TB');
  const { latencies, elapsedMs } = await runFor(writers, seconds * 1000, async (worker, i) => {
    const ticketId = `TB${worker}x${i % TICKETS_PER_WRITER}`;
    const result = await store.append(`ticket-${ticketId}`, [noteEvent(ticketId, communeOf(worker, i))], revisions.get(ticketId)!);
    revisions.set(ticketId, result.nextRevision);
  });
  return { appendsPerSecond: latencies.length / (elapsedMs / 1000), latency: summarize(latencies) };
}

/**
 * Subscription lag at a steady offered load (LAG_RATE appends/s from 32 writers): append committed
 * → the projector's batch holding it committed (row visible). Measured below saturation, because
 * above it any queue grows without bound and the figure only says how long the run was.
 */
async function subscriptionLag(pool: pg.Pool) {
  const store = await createPostgresEventStore({ pool, schema: 'event_store' });
  await migrate(pool);
  const revisions = await seedTickets(store, 'TL');
  const appendedAt = new Map<string, number>();
  const lags: number[] = [];
  const pendingBatches = new Map<string, string[]>();
  const timed = (projector: Projector): Projector => ({
    name: projector.name,
    handle: async (client, events) => {
      const result = await projector.handle(client, events);
      pendingBatches.set(formatPosition(events.at(-1)!.position), events.map((e) => formatPosition(e.position)));
      return result;
    },
  });
  const group = startProjectors(store, pool, [timed(ticketsProjector), timed(timelineProjector)], {
    onBatch: (info) => {
      if (info.projector !== ticketsProjector.name) return;
      const now = performance.now();
      const key = formatPosition(info.to);
      for (const position of pendingBatches.get(key) ?? []) {
        const at = appendedAt.get(position);
        if (at !== undefined) lags.push(now - at);
      }
      pendingBatches.delete(key);
    },
  });
  await group.waitFor(await store.headPosition());
  const interval = (writers * 1000) / lagRate; // each writer's pause between appends
  let last: GlobalPosition | null = null;
  const { latencies } = await runFor(writers, seconds * 1000, async (worker, i) => {
    const started = performance.now();
    const ticketId = `TL${worker}x${i % TICKETS_PER_WRITER}`;
    const result = await store.append(`ticket-${ticketId}`, [noteEvent(ticketId, communeOf(worker, i))], revisions.get(ticketId)!);
    appendedAt.set(formatPosition(result.position), performance.now());
    revisions.set(ticketId, result.nextRevision);
    if (last === null || comparePositions(result.position, last) > 0) last = result.position;
    const rest = interval - (performance.now() - started);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  });
  await group.waitFor(last);
  await group.stop();
  return { rate: latencies.length / seconds, lag: summarize(lags) };
}

const TICKETS_PER_WRITER = 20;
const communeOf = (worker: number, i: number) => ((worker * TICKETS_PER_WRITER + (i % TICKETS_PER_WRITER)) % 2 === 0 ? 'soa' : 'dschang');

/** Each writer owns 20 tickets, so writers never contend on a stream. */
async function seedTickets(store: Awaited<ReturnType<typeof createPostgresEventStore>>, prefix: string): Promise<Map<string, number>> {
  const revisions = new Map<string, number>();
  for (let w = 0; w < writers; w++) {
    for (let t = 0; t < TICKETS_PER_WRITER; t++) {
      const ticketId = `${prefix}${w}x${t}`;
      const result = await store.append(`ticket-${ticketId}`, reportEvents(ticketId, w * TICKETS_PER_WRITER + t), 'no_stream');
      revisions.set(ticketId, result.nextRevision);
    }
  }
  return revisions;
}

/** Fills a fresh log with `rebuildEvents` events, then times a full rebuild of the read models. */
async function rebuildThroughput(connectionString: string) {
  const pool = new pg.Pool({ connectionString, max: 8 });
  pool.on('error', () => {});
  try {
    await pool.query('CREATE SCHEMA IF NOT EXISTS rebuild_log');
    const store = await createPostgresEventStore({ pool, schema: 'rebuild_log' });
    const perTransaction = 250; // tickets (2 events each) per fill transaction
    const tickets = rebuildEvents / 2;
    const at = new Date().toISOString();
    for (let first = 0; first < tickets; first += perTransaction) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        for (let n = first; n < Math.min(tickets, first + perTransaction); n++) {
          await store.appendInTransaction(client, `ticket-TR${n}`, reportEvents(`TR${n}`, n, at), 'no_stream');
        }
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }
    const readStarted = performance.now();
    let read = 0;
    for (let from: GlobalPosition | null = null; ; ) {
      const batch = await store.readAll(from, 5000);
      if (batch.length === 0) break;
      read += batch.length;
      from = batch.at(-1)!.position;
    }
    const readPerSecond = read / ((performance.now() - readStarted) / 1000);
    const started = performance.now();
    const result = await rebuild(store, pool);
    const elapsed = (performance.now() - started) / 1000;
    return { eventsPerSecond: result.events / elapsed, readPerSecond };
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
