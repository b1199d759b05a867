/**
 * `npm run bench:audit`: the transparency log over a synthetic log of BENCH_AUDIT_EVENTS events
 * (default 1,000,000 ticket events, 5 per ticket, two communes): building the tree (the projector,
 * into PostgreSQL), exporting a bundle and verifying it offline. Targets on 2 cores: verify
 * ≥ 100,000 events/s, export ≥ 50,000 events/s. BENCH_AUDIT_KEEP=1 keeps the bundles to inspect.
 * Each measured phase starts settled: fresh tables vacuumed, the previous phase's writes flushed
 * (both printed, neither counted), as a log that grew over months and an auditor's later check are.
 */
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import {
  ensureAuditSchema,
  eventLeafHash,
  exportBundle,
  MemoryTree,
  normaliseScope,
  rootHash,
  signerFromSeed,
  storedTreeSize,
  transparencyLogProjector,
  verifyBundle,
} from '@palabre/audit';
import { type TicketEvent, ticketEventVersions } from '@palabre/domain';
import { canonicalJson, createPostgresEventStore, type EventStore } from '@palabre/event-store';
import { migrate, startProjector } from '@palabre/projections';
import { startBenchDatabase } from './database.js';
import { fmt, gaugeLine, printTable, speedGauge } from './stats.js';

const total = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);
const EVENTS_PER_TICKET = 5;

async function main() {
  const gaugeBefore = speedGauge();
  const database = await startBenchDatabase('audit');
  const parent = database.dir;
  const pool = new pg.Pool({ connectionString: database.url, max: 8 });
  try {
    const store = await createPostgresEventStore({ pool });
    await migrate(pool);
    await ensureAuditSchema(pool);
    console.log(`Events: ${total.toLocaleString('en-US')}, cores: ${availableParallelism()}, ${process.version}`);

    let t0 = performance.now();
    await seedLog(pool, total);
    const seedSeconds = (performance.now() - t0) / 1000;
    console.log(`Seeded the log in ${fmt(seedSeconds)} s`);
    // A log written over months has long been vacuumed; a million rows written in seconds have not,
    // and autovacuum would otherwise scan them in the middle of a measured phase.
    await settle(pool, 'event_store.events');

    // 1. The projector: read the log, hash each canonical envelope, store leaves and nodes, sign heads.
    const signer = signerFromSeed(Buffer.alloc(32, 1));
    t0 = performance.now();
    const handle = startProjector(store, pool, transparencyLogProjector({ signer, policy: { everyEvents: 10_000, everyMs: 3_600_000 } }), { batchSize: 5000, pollIntervalMs: 50 });
    await handle.waitFor(await store.headPosition());
    await handle.stop();
    const projectSeconds = (performance.now() - t0) / 1000;
    if ((await storedTreeSize(pool)) !== total) throw new Error('the tree does not hold every event');
    await settle(pool, 'audit.leaves, audit.nodes, audit.tree_heads');

    // 1b. The same hashing in memory only (each envelope put together around its stored canonical text): the CPU share of tree building.
    const memory = await hashInMemory(store, Math.min(total, 200_000));

    // 2. Exports of the whole log.
    const jsonlDir = join(parent, 'bundle-jsonl');
    t0 = performance.now();
    const jsonl = await exportBundle({ store, pool, scope: normaliseScope({}), formats: ['jsonl'], outDir: jsonlDir, signer, pageSize: 5000 });
    const exportSeconds = (performance.now() - t0) / 1000;
    const allDir = join(parent, 'bundle-all');
    await flush(pool);
    t0 = performance.now();
    await exportBundle({ store, pool, scope: normaliseScope({}), formats: ['jsonl', 'csv', 'geojson'], outDir: allDir, signer, pageSize: 5000 });
    const exportAllSeconds = (performance.now() - t0) / 1000;

    // 3. Offline verification of the JSONL bundle.
    await flush(pool);
    t0 = performance.now();
    const report = await verifyBundle(jsonlDir, { publicKeyPem: signer.publicKeyPem });
    const verifySeconds = (performance.now() - t0) / 1000;
    if (!report.ok) throw new Error(`the bundle did not verify: ${report.firstFailure?.message}`);

    const gaugeAfter = speedGauge();
    const rate = (events: number, seconds: number) => fmt(events / seconds, 0);
    const mb = statSync(join(jsonlDir, 'events.jsonl')).size / 1e6;
    printTable(`Palabre audit bench (${total.toLocaleString('en-US')} events)`, ['measure', 'events/s', 'seconds', 'target'], [
      ['tree building: projector into PostgreSQL (read, canonicalise, hash, store leaves + nodes)', rate(total, projectSeconds), fmt(projectSeconds), ''],
      [`tree building: hashing in memory only (${memory.events.toLocaleString('en-US')} events)`, rate(memory.events, memory.seconds), fmt(memory.seconds), ''],
      [`export, JSONL with inclusion proofs (${fmt(mb, 0)} MB)`, rate(jsonl.counts.events, exportSeconds), fmt(exportSeconds), '≥ 50,000'],
      ['export, JSONL + CSV + GeoJSON', rate(total, exportAllSeconds), fmt(exportAllSeconds), ''],
      ['verify (offline: leaves, every proof, signatures, digests)', rate(report.events, verifySeconds), fmt(verifySeconds), '≥ 100,000'],
    ]);
    console.log(gaugeLine(gaugeBefore, gaugeAfter));
  } finally {
    await pool.end();
    await database.stop({ keep: Boolean(process.env.BENCH_AUDIT_KEEP) });
    if (process.env.BENCH_AUDIT_KEEP) console.log(`Bundles kept in ${parent}`);
  }
}

/**
 * Hashes the first `count` events in memory. Its own function, so the events it holds are garbage
 * once it returns: kept alive, they would weigh on every collection of the phases after it.
 */
async function hashInMemory(store: EventStore, count: number): Promise<{ events: number; seconds: number }> {
  const sample = await store.readAll(null, count);
  const t0 = performance.now();
  const leaves = Buffer.allocUnsafe(sample.length * 32);
  sample.forEach((e, i) => eventLeafHash(e).copy(leaves, i * 32));
  rootHash(new MemoryTree(leaves), sample.length);
  return { events: sample.length, seconds: (performance.now() - t0) / 1000 };
}

/** VACUUM (ANALYZE) of freshly written tables, outside the measured phases (printed, not hidden). */
async function settle(pool: pg.Pool, tables: string): Promise<void> {
  const t0 = performance.now();
  await pool.query(`VACUUM (ANALYZE) ${tables}`);
  console.log(`Vacuumed ${tables} in ${fmt((performance.now() - t0) / 1000)} s`);
  await flush(pool);
}

/**
 * Writes still pending from the previous phase (PostgreSQL's dirty buffers, the bundle files in the
 * page cache) are flushed before the next phase starts, so no phase pays for another's writes.
 */
async function flush(pool: pg.Pool): Promise<void> {
  const t0 = performance.now();
  await pool.query('CHECKPOINT');
  spawnSync('sync');
  console.log(`Flushed pending writes in ${fmt((performance.now() - t0) / 1000)} s`);
}

/** Writes the synthetic log straight into the store's tables, 20,000 events per transaction. */
async function seedLog(pool: pg.Pool, count: number): Promise<void> {
  const chunk = 20_000;
  for (let first = 0; first < count; first += chunk) {
    const rows = { stream: [] as string[], revision: [] as number[], id: [] as string[], type: [] as string[], data: [] as string[], metadata: [] as string[] };
    for (let i = first; i < Math.min(first + chunk, count); i++) {
      const ticket = Math.floor(i / EVENTS_PER_TICKET);
      const revision = i % EVENTS_PER_TICKET;
      const ticketId = `B${ticket.toString(36).toUpperCase().padStart(6, '0')}`;
      const communeId = ticket % 2 === 0 ? 'soa' : 'dschang';
      const at = new Date(Date.UTC(2026, 0, 1) + i * 30_000).toISOString();
      const event = ticketEvent(revision, ticketId, communeId, ticket, at);
      const eventId = randomUUID();
      const actor = revision === 0 ? { id: `C${ticket % 5000}`, role: 'citizen' } : revision === 1 ? { id: 'router', role: 'system' } : { id: `U${ticket % 40}`, role: 'dispatcher' };
      rows.stream.push(`ticket-${ticketId}`);
      rows.revision.push(revision);
      rows.id.push(eventId);
      rows.type.push(event.type);
      // As the store's append writes them: canonical text, marked so.
      rows.data.push(canonicalJson(event.data));
      rows.metadata.push(
        canonicalJson({ eventId, commandId: `bench-${i}`, correlationId: `bench-${i}`, causationId: `bench-${i}`, actor, communeId, recordedAt: at, schemaVersion: ticketEventVersions[event.type] }),
      );
    }
    await pool.query(
      `INSERT INTO event_store.events (stream_id, revision, event_id, type, data, metadata, canonical)
       SELECT *, true FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::json[], $6::json[])`,
      [rows.stream, rows.revision, rows.id, rows.type, rows.data, rows.metadata],
    );
  }
}

function ticketEvent(revision: number, ticketId: string, communeId: string, n: number, at: string): TicketEvent {
  switch (revision) {
    case 0:
      return {
        type: 'TicketReported',
        data: {
          ticketId, category: 'salubrite', subcategory: 'bacs-pleins', description: `Bench report ${n}: le bac déborde près du marché`,
          location: { lat: 3.98 + ((n % 100) - 50) * 0.0002, lon: 11.6 + ((n % 97) - 48) * 0.0002, accuracy: 12 }, landmark: 'près du carrefour',
          mediaIds: [], reporterId: `C${n % 5000}`, contactSubjectId: null, anonymous: false, confidential: n % 10 === 0, channel: 'app', clientTime: null, reportedAt: at,
        },
      };
    case 1:
      return { type: 'TicketRouted', data: { ticketId, communeId, quartierId: null, teamId: `${communeId}-salubrite`, rule: { boundary: `commune:${communeId}`, team: 'salubrite' }, routedAt: at } };
    case 2:
      return { type: 'TicketTriaged', data: { ticketId, category: 'salubrite', subcategory: 'bacs-pleins', priority: 'high', triagedAt: at } };
    case 3:
      return { type: 'TicketAssigned', data: { ticketId, teamId: `${communeId}-salubrite`, agentId: `U${n % 40}`, assignedAt: at } };
    default:
      return { type: 'TicketResolved', data: { ticketId, note: 'Bac vidé, zone nettoyée', mediaIds: [], resolvedAt: at } };
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
