import pg from 'pg';
import { type EventStore, type GlobalPosition, type RecordedEvent } from '@palabre/event-store';
import { checkpointStatements, readCheckpoint } from './checkpoints.js';
import { MIGRATION_LOCK, migrate } from './migrate.js';
import { READ_SCHEMA, applyMigration, assertSchemaName, loadMigrations } from './migrations.js';
import type { Projector } from './projector.js';
import { defaultProjectors } from './projectors/index.js';
import { enterReadSchema } from './runner.js';
import { inTransaction } from './transaction.js';

const NEXT_SCHEMA = 'read_next';
const RETIRED_SCHEMA = 'read_retired';
const REBUILD_LOCK = 'palabre.projections.rebuild';
/** Partitions of each batch (lanes per projector), and connections building a projector's indexes. */
const BUILD_CONNECTIONS = 2;

export interface BuildOptions {
  /** Every projector writing to the read schema: a rebuild replaces the whole schema. */
  readonly projectors?: readonly Projector[];
  /** Events per transaction (default 5000). */
  readonly batchSize?: number;
  /** Called after each committed batch with the position reached and the events so far. */
  readonly onProgress?: (position: GlobalPosition, events: number) => void;
}

export interface RebuildResult {
  /** Position of the last event in the swapped-in read models (null: empty log). */
  readonly position: GlobalPosition | null;
  readonly events: number;
}

const DEFAULT_BATCH_SIZE = 5000;

/** Batches read ahead of the slowest lane at most: bounds the memory a fast reader may pin. */
const MAX_BATCHES_AHEAD = 3;

/**
 * Creates `schema` afresh from the migration files and projects the whole log into it, without
 * touching checkpoints or sending notifications. Returns where it stopped.
 *
 * Projectors write disjoint tables, and a stream's rows depend on that stream alone: each batch is
 * split by stream into partitions, and each (projector, partition) lane applies its parts in log
 * order, one transaction per part, independently of the other lanes. Node prepares one lane's rows
 * while PostgreSQL writes another's, and a projector that finishes early (the timeline is lighter
 * than the tickets) builds its indexes while the others still write. A rebuild can always be redone
 * from the log; only the final swap must be durable.
 */
export async function buildReadModels(store: EventStore, pool: pg.Pool, schema: string, options: BuildOptions = {}): Promise<RebuildResult> {
  assertSchemaName(schema);
  if (schema === READ_SCHEMA) throw new Error('buildReadModels writes a fresh schema, never the live one');
  const projectors = options.projectors ?? defaultProjectors;
  const batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
  const deferred = await inTransaction(pool, async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    for (const migration of loadMigrations()) await applyMigration(client, migration, schema);
    return dropSecondaryIndexes(client, schema);
  });

  const lanes = projectors.map(() => Array.from({ length: BUILD_CONNECTIONS }, (): Promise<void> => Promise.resolve()));
  const pending: { done: Promise<unknown>; position: GlobalPosition; events: number }[] = [];
  let position: GlobalPosition | null = null;
  let events = 0;
  let builds: Promise<void>[] = [];
  const settle = async (entry: (typeof pending)[number]) => {
    await entry.done;
    options.onProgress?.(entry.position, entry.events);
  };
  try {
    // Read the next batch while the lanes apply the previous ones.
    const read = (after: GlobalPosition | null) => {
      const batch = store.readAll(after, batchSize);
      batch.catch(() => {}); // awaited below; never an unhandled rejection if a lane fails first
      return batch;
    };
    for (let next = read(null); ; ) {
      const batch = await next;
      if (batch.length === 0) break;
      position = batch[batch.length - 1]!.position;
      events += batch.length;
      next = read(position);
      const parts = partitionByStream(batch, BUILD_CONNECTIONS);
      const applied: Promise<void>[] = [];
      projectors.forEach((projector, p) =>
        parts.forEach((part, k) => {
          if (part.length === 0) return;
          const lane = lanes[p]!;
          lane[k] = lane[k]!.then(() =>
            inTransaction(pool, async (c) => {
              await enterReadSchema(c, schema, { flush: false });
              await projector.handle(c, part);
            }),
          );
          applied.push(lane[k]!);
        }),
      );
      const done = Promise.all(applied);
      done.catch(() => {}); // awaited in order below
      pending.push({ done, position, events });
      while (pending.length > MAX_BATCHES_AHEAD) await settle(pending.shift()!);
    }
    // Each projector's indexes are built once its lanes are done, over its full tables: several
    // times faster than maintaining them row by row. The schema is not live yet: nothing to protect.
    const owned = new Set(projectors.flatMap((p) => p.tables ?? []));
    builds = projectors.map(async (projector, p) => {
      await Promise.all(lanes[p]!);
      await buildIndexes(pool, deferred.filter((d) => projector.tables?.includes(d.table)));
    });
    for (const build of builds) build.catch(() => {}); // awaited below, after the lanes' own errors
    while (pending.length > 0) await settle(pending.shift()!);
    await Promise.all(builds);
    await buildIndexes(pool, deferred.filter((d) => !owned.has(d.table)));
    return { position, events };
  } finally {
    // On failure, no lane nor index build may still run when the caller drops or retries the schema.
    await Promise.allSettled([...lanes.flat(), ...builds]);
  }
}

/** Builds index definitions on `BUILD_CONNECTIONS` connections side by side. */
async function buildIndexes(pool: pg.Pool, indexes: readonly DeferredIndex[]): Promise<void> {
  const queue = indexes.map((i) => i.definition);
  await Promise.all(
    Array.from({ length: Math.min(BUILD_CONNECTIONS, queue.length) }, async () => {
      const client = await pool.connect();
      try {
        // GIN and btree builds sort in memory when they may: far faster than spilling to disk.
        await client.query("SET maintenance_work_mem TO '256MB'");
        try {
          for (let definition = queue.shift(); definition !== undefined; definition = queue.shift()) await client.query(definition);
        } finally {
          await client.query('RESET maintenance_work_mem');
        }
      } finally {
        client.release();
      }
    }),
  );
}

interface DeferredIndex {
  readonly table: string;
  readonly definition: string;
}

/** Drops the indexes no constraint needs (ON CONFLICT needs the unique ones) and returns their definitions. */
async function dropSecondaryIndexes(client: pg.ClientBase, schema: string): Promise<DeferredIndex[]> {
  const { rows } = await client.query<{ name: string; table: string; definition: string }>(
    `SELECT i.indexname AS name, i.tablename AS table, i.indexdef AS definition
     FROM pg_indexes i
     WHERE i.schemaname = $1
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_class ic ON ic.oid = c.conindid
                       JOIN pg_namespace n ON n.oid = ic.relnamespace
                       WHERE n.nspname = $1 AND ic.relname = i.indexname)`,
    [schema],
  );
  for (const row of rows) await client.query(`DROP INDEX ${schema}.${pg.escapeIdentifier(row.name)}`);
  return rows.map((r) => ({ table: r.table, definition: r.definition }));
}

/** Applies the events after `from` in `client`'s transaction (the swap's): the last ones since the build. */
async function catchUpIn(
  client: pg.ClientBase,
  store: EventStore,
  schema: string,
  from: GlobalPosition | null,
  eventsSoFar: number,
  options: BuildOptions,
): Promise<RebuildResult> {
  const projectors = options.projectors ?? defaultProjectors;
  let position = from;
  let events = eventsSoFar;
  await enterReadSchema(client, schema);
  for (;;) {
    const batch = await store.readAll(position, options.batchSize ?? DEFAULT_BATCH_SIZE);
    if (batch.length === 0) return { position, events };
    position = batch[batch.length - 1]!.position;
    for (const projector of projectors) await projector.handle(client, batch);
    events += batch.length;
    options.onProgress?.(position, events);
  }
}

/** Splits a batch into `count` parts (some maybe empty), every event of a stream in the same part, each part in log order. */
function partitionByStream(batch: readonly RecordedEvent[], count: number): RecordedEvent[][] {
  const parts: RecordedEvent[][] = Array.from({ length: count }, () => []);
  for (const event of batch) parts[streamHash(event.streamId) % count]!.push(event);
  return parts;
}

function streamHash(streamId: string): number {
  let hash = 0;
  for (let i = 0; i < streamId.length; i++) hash = (Math.imul(hash, 31) + streamId.charCodeAt(i)) >>> 0;
  return hash;
}

/** The longest the swap's transaction may sit idle (waiting on a read) before PostgreSQL ends it. */
const SWAP_IDLE_LIMIT = '60s';

/**
 * Rebuilds the read models from the log into `read_next` while the live ones keep serving, then
 * swaps schemas and checkpoints in one transaction. Live projectors wait while the swap holds their
 * checkpoint rows (retrying, without a connection) and afterwards continue from the rebuilt position.
 */
export async function rebuild(store: EventStore, pool: pg.Pool, options: BuildOptions = {}): Promise<RebuildResult> {
  const projectors = options.projectors ?? defaultProjectors;
  await migrate(pool);
  const lock = await pool.connect();
  try {
    const { rows } = await lock.query<{ locked: boolean }>('SELECT pg_try_advisory_lock(hashtext($1)) AS locked', [REBUILD_LOCK]);
    if (!rows[0]!.locked) throw new Error('Another rebuild of the read models is running');
    try {
      const built = await buildReadModels(store, pool, NEXT_SCHEMA, options);
      for (const projector of projectors) await readCheckpoint(lock, projector.name);
      await lock.query(`DROP SCHEMA IF EXISTS ${RETIRED_SCHEMA} CASCADE`);
      const result = await inTransaction(pool, async (client) => {
        // This transaction holds back the whole server's log visibility (every database's subscriptions
        // wait for it): if it ever stalls, PostgreSQL ends it and the rebuild fails, to be run again.
        await client.query(`SET LOCAL idle_in_transaction_session_timeout = '${SWAP_IDLE_LIMIT}'`);
        // A migration applied meanwhile would be missing from read_next: refuse rather than lose it.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK]);
        const applied = await client.query<{ n: number }>('SELECT count(*)::integer AS n FROM projections.schema_migrations');
        if (applied.rows[0]!.n !== loadMigrations().length) throw new Error('Migrations changed during the rebuild; run it again');
        await client.query('SELECT name FROM projections.checkpoints WHERE name = ANY($1::text[]) FOR UPDATE', [projectors.map((p) => p.name)]);
        // Live projectors now find their checkpoints taken and wait, holding no connection (the reads
        // below need one from the same pool): take the last events, then swap.
        const final = await catchUpIn(client, store, NEXT_SCHEMA, built.position, built.events, options);
        await client.query('SET LOCAL search_path TO pg_catalog');
        await client.query(`ALTER SCHEMA ${READ_SCHEMA} RENAME TO ${RETIRED_SCHEMA}`);
        await client.query(`ALTER SCHEMA ${NEXT_SCHEMA} RENAME TO ${READ_SCHEMA}`);
        if (final.position !== null) {
          for (const projector of projectors) await client.query(checkpointStatements(projector.name, final.position, [], true));
        }
        return final;
      });
      // Queries that started before the swap may still read the retired tables; dropping waits for them.
      await lock.query(`DROP SCHEMA IF EXISTS ${RETIRED_SCHEMA} CASCADE`);
      return result;
    } finally {
      await lock.query('SELECT pg_advisory_unlock(hashtext($1))', [REBUILD_LOCK]);
    }
  } finally {
    lock.release();
  }
}
