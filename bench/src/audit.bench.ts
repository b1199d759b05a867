/**
 * `npm run bench:audit`: the transparency log over a synthetic log of BENCH_AUDIT_EVENTS events
 * (default 1,000,000 ticket events, 5 per ticket, two communes): building the tree (the projector,
 * into PostgreSQL), exporting a bundle and verifying it offline. Targets on 2 cores: verify
 * ≥ 100,000 events/s, export ≥ 50,000 events/s. BENCH_AUDIT_KEEP=1 keeps the bundles to inspect.
 * Each measured phase starts settled: fresh tables vacuumed, the previous phase's writes flushed
 * (both printed, neither counted), as a log that grew over months and an auditor's later check are.
 */
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
import { createPostgresEventStore, type EventStore } from '@palabre/event-store';
import { migrate, startProjector } from '@palabre/projections';
import { flush, settle, startBenchDatabase } from './database.js';
import { seedTicketLog } from './fixtures.js';
import { fmt, gaugeLine, printTable, speedGauge } from './stats.js';

const total = Number(process.env.BENCH_AUDIT_EVENTS ?? 1_000_000);

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
    await seedTicketLog(pool, total);
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


main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
