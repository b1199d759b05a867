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
/** Partitions of each batch applied side by side (per projector), then connections building indexes. */
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

/**
 * Creates `schema` afresh from the migration files and projects the whole log into it, without
 * touching checkpoints or sending notifications. Returns where it stopped.
 */
export async function buildReadModels(store: EventStore, pool: pg.Pool, schema: string, options: BuildOptions = {}): Promise<RebuildResult> {
  assertSchemaName(schema);
  if (schema === READ_SCHEMA) throw new Error('buildReadModels writes a fresh schema, never the live one');
  const deferred = await inTransaction(pool, async (client) => {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    for (const migration of loadMigrations()) await applyMigration(client, migration, schema);
    return dropSecondaryIndexes(client, schema);
  });
  const built = await catchUp(store, pool, schema, null, 0, options);
  // Building each index once over the full tables is several times faster than maintaining it row
  // by row; two connections build them side by side (the schema is not live yet: nothing to protect).
  const queue = [...deferred];
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
  return built;
}

/** Drops the indexes no constraint needs (ON CONFLICT needs the unique ones) and returns their definitions. */
async function dropSecondaryIndexes(client: pg.ClientBase, schema: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string; definition: string }>(
    `SELECT i.indexname AS name, i.indexdef AS definition
     FROM pg_indexes i
     WHERE i.schemaname = $1
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c JOIN pg_class ic ON ic.oid = c.conindid
                       JOIN pg_namespace n ON n.oid = ic.relnamespace
                       WHERE n.nspname = $1 AND ic.relname = i.indexname)`,
    [schema],
  );
  for (const row of rows) await client.query(`DROP INDEX ${schema}.${pg.escapeIdentifier(row.name)}`);
  return rows.map((r) => r.definition);
}

async function catchUp(
  store: EventStore,
  pool: pg.Pool,
  schema: string,
  from: GlobalPosition | null,
  eventsSoFar: number,
  options: BuildOptions,
  client?: pg.ClientBase,
): Promise<RebuildResult> {
  const projectors = options.projectors ?? defaultProjectors;
  const batchSize = options.batchSize ?? 5000;
  let position = from;
  let events = eventsSoFar;
  // Read the next batch while the current one is applied: node and PostgreSQL work at once.
  const prefetch = (after: GlobalPosition | null) => {
    const read = store.readAll(after, batchSize);
    read.catch(() => {}); // awaited below; never an unhandled rejection if applying fails first
    return read;
  };
  let next = prefetch(position);
  for (;;) {
    const batch = await next;
    if (batch.length === 0) return { position, events };
    position = batch[batch.length - 1]!.position;
    next = prefetch(position);
    if (client) {
      await enterReadSchema(client, schema);
      for (const projector of projectors) await projector.handle(client, batch);
    } else {
      // Projectors write disjoint tables, and a stream's rows depend on that stream alone: the batch
      // is split by stream into partitions, and every projector applies every partition in its own
      // transaction, side by side, so node and both PostgreSQL cores stay busy. A rebuild can
      // always be redone from the log; only the final swap must be durable.
      await Promise.all(
        partitionByStream(batch, BUILD_CONNECTIONS).flatMap((part) =>
          projectors.map((projector) =>
            inTransaction(pool, async (c) => {
              await enterReadSchema(c, schema, { flush: false });
              await projector.handle(c, part);
            }),
          ),
        ),
      );
    }
    events += batch.length;
    options.onProgress?.(position, events);
  }
}

/** Splits a batch into `count` parts, every event of a stream in the same part, each part in log order. */
function partitionByStream(batch: readonly RecordedEvent[], count: number): RecordedEvent[][] {
  const parts: RecordedEvent[][] = Array.from({ length: count }, () => []);
  for (const event of batch) parts[streamHash(event.streamId) % count]!.push(event);
  return parts.filter((part) => part.length > 0);
}

function streamHash(streamId: string): number {
  let hash = 0;
  for (let i = 0; i < streamId.length; i++) hash = (Math.imul(hash, 31) + streamId.charCodeAt(i)) >>> 0;
  return hash;
}

/**
 * Rebuilds the read models from the log into `read_next` while the live ones keep serving, then
 * swaps schemas and checkpoints in one transaction. Live projectors block on their checkpoint row
 * during the swap and afterwards continue from the rebuilt position.
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
        // A migration applied meanwhile would be missing from read_next: refuse rather than lose it.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [MIGRATION_LOCK]);
        const applied = await client.query<{ n: number }>('SELECT count(*)::integer AS n FROM projections.schema_migrations');
        if (applied.rows[0]!.n !== loadMigrations().length) throw new Error('Migrations changed during the rebuild; run it again');
        await client.query('SELECT name FROM projections.checkpoints WHERE name = ANY($1::text[]) FOR UPDATE', [projectors.map((p) => p.name)]);
        // Live projectors now wait on their checkpoints: take the last events, then swap.
        const final = await catchUp(store, pool, NEXT_SCHEMA, built.position, built.events, options, client);
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
