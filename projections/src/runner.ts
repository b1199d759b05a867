import pg from 'pg';
import { type EventStore, type GlobalPosition, type RecordedEvent, type Subscription, comparePositions } from '@palabre/event-store';
import { checkpointStatements, formatNullable, readCheckpoint } from './checkpoints.js';
import { READ_SCHEMA, assertSchemaName } from './migrations.js';
import type { ProjectedBatch, Projector } from './projector.js';

/** What one committed batch did; hand it to tracing or metrics. */
export interface BatchInfo {
  readonly projector: string;
  readonly from: GlobalPosition | null;
  readonly to: GlobalPosition;
  readonly events: number;
  readonly changes: number;
  readonly durationMs: number;
  /** What the projector wrote: its changes, and the ticket rows for a gateway in this process. */
  readonly projected: ProjectedBatch;
}

export interface RunnerOptions {
  /** Events per transaction (default 500). */
  readonly batchSize?: number;
  readonly pollIntervalMs?: number;
  /** Called after each committed batch. */
  readonly onBatch?: (info: BatchInfo) => void;
  /** Called when a batch fails; the runner then retries from its checkpoint. */
  readonly onError?: (error: unknown, projector: string) => void;
  /** Pause before retrying after a failure (default 1000 ms). */
  readonly retryDelayMs?: number;
  /**
   * Shortest time from one batch's start to the next's while the log is busy (default 0: next at
   * once). A batch costs about the same whatever its size (a transaction, its statements, the
   * checkpoint, the notices), so under load a short wait lets events gather into fewer, larger
   * batches; a full batch (`batchSize`) means a backlog and is followed at once.
   */
  readonly minBatchIntervalMs?: number;
  /**
   * Names this process in the batches' notices: a live gateway here pushes the batches `onBatch`
   * hands it, and skips their notices, which other processes' gateways still follow.
   */
  readonly origin?: string;
}

export interface ProjectorHandle {
  readonly name: string;
  /** Last committed position (null before the first event). */
  position(): GlobalPosition | null;
  /** Resolves once the projector has committed `position` or beyond. */
  waitFor(position: GlobalPosition | null): Promise<void>;
  /**
   * Holds the projector before its next batch until the returned function is called (what it has
   * committed stays served). Only projectors of this thread can be held: no transaction waits
   * meanwhile, so the log's visibility for every other reader on the server is untouched.
   */
  hold?(): () => void;
  stop(): Promise<void>;
}

/**
 * Runs one projector: subscribes from its checkpoint and commits each batch's rows, the new
 * checkpoint and its NOTIFY in one transaction, so a crash at any point neither loses nor repeats
 * an effect. If the checkpoint moved under it (a rebuild swapped, another process ran), the batch
 * is rolled back and the subscription restarts from the stored checkpoint.
 */
export function startProjector(store: EventStore, pool: pg.Pool, projector: Projector, options: RunnerOptions = {}): ProjectorHandle {
  const { batchSize = 500, pollIntervalMs, onBatch, onError = () => {}, retryDelayMs = 1000, origin, minBatchIntervalMs = 0 } = options;
  let stopped = false;
  let subscription: Subscription | null = null;
  let current: GlobalPosition | null = null;
  let loaded = false;
  let waiters: { target: GlobalPosition; resolve: () => void }[] = [];
  let wakeRetry: (() => void) | null = null;
  let wakePause: (() => void) | null = null;
  let held: { gate: Promise<void>; release: () => void } | null = null;
  // The checkpoint as this runner last stored or read it; `current` runs ahead of it over batches
  // passed by (nothing this projector reads), and a flush stores it within CHECKPOINT_EVERY_MS.
  let persisted: GlobalPosition | null = null;
  let persistedAt = 0;
  let flushTimer: ReturnType<typeof setTimeout> | null = null;
  let moved = false;
  let exclusive: Promise<unknown> = Promise.resolve();
  const oneAtATime = <T>(work: () => Promise<T>): Promise<T> => {
    const run = exclusive.then(work);
    exclusive = run.catch(() => {});
    return run;
  };
  const stored = (to: GlobalPosition | null) => {
    persisted = to;
    persistedAt = performance.now();
  };

  /** Stores the position passed over batches with nothing to project (a transaction of the checkpoint alone). */
  const flush = () =>
    oneAtATime(async () => {
      if (moved || current === null || (persisted !== null && comparePositions(persisted, current) >= 0)) return;
      const to = current;
      const result = await projectInOneTransaction(pool, { name: projector.name, handle: async () => ({ changes: [] }) }, [], persisted, to, origin);
      if (result === CHECKPOINT_BUSY) scheduleFlush();
      else if (result === null) moved = true; // a rebuild swapped: the next batch restarts from the stored checkpoint
      else stored(to);
    });

  function scheduleFlush(): void {
    if (flushTimer !== null || stopped) return;
    flushTimer = setTimeout(() => {
      flushTimer = null;
      if (!stopped) flush().catch((error) => onError(error, projector.name));
    }, CHECKPOINT_EVERY_MS);
  }

  const reached = (target: GlobalPosition) => current !== null && comparePositions(current, target) >= 0;
  const settleWaiters = () => {
    if (!loaded) return;
    waiters = waiters.filter((w) => (reached(w.target) ? (w.resolve(), false) : true));
  };

  async function applyBatch(batch: readonly RecordedEvent[]): Promise<boolean> {
    const started = performance.now();
    const from = current;
    const to = batch[batch.length - 1]!.position;
    if (moved) {
      moved = false;
      return false;
    }
    const reads = projector.reads;
    if (reads && !batch.some((e) => reads(e.streamId)) && started - persistedAt < CHECKPOINT_EVERY_MS) {
      // Nothing it projects: on without a transaction; the checkpoint follows within CHECKPOINT_EVERY_MS.
      current = to;
      settleWaiters();
      scheduleFlush();
      onBatch?.({ projector: projector.name, from, to, events: batch.length, changes: 0, durationMs: performance.now() - started, projected: { changes: [] } });
      return true;
    }
    const project = () => oneAtATime(() => projectInOneTransaction(pool, projector, batch, persisted, to, origin));
    let projected = await project();
    // A rebuild is swapping the read models: wait for it without holding a connection, then try again.
    while (projected === CHECKPOINT_BUSY && !stopped) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, CHECKPOINT_BUSY_RETRY_MS);
        wakePause = () => (clearTimeout(timer), resolve());
      });
      wakePause = null;
      projected = stopped ? null : await project();
    }
    if (projected === null || projected === CHECKPOINT_BUSY) return false;
    stored(to);
    current = to;
    settleWaiters();
    onBatch?.({ projector: projector.name, from, to, events: batch.length, changes: projected.changes.length, durationMs: performance.now() - started, projected });
    return true;
  }

  async function run(): Promise<void> {
    while (!stopped) {
      try {
        const client = await pool.connect();
        try {
          current = await readCheckpoint(client, projector.name);
          stored(current);
          moved = false;
        } finally {
          client.release();
        }
        loaded = true;
        settleWaiters();
        subscription = store.subscribe(current, { batchSize, ...(pollIntervalMs === undefined ? {} : { pollIntervalMs }) });
        if (stopped) break;
        for await (const batch of subscription) {
          if (stopped) break;
          if (batch.length === 0) continue;
          while (held && !stopped) await held.gate;
          if (stopped) break;
          const started = performance.now();
          if (!(await applyBatch(batch))) break;
          const rest = started + minBatchIntervalMs - performance.now();
          if (rest > 0 && batch.length < batchSize && !stopped) {
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, rest);
              wakePause = () => (clearTimeout(timer), resolve());
            });
            wakePause = null;
          }
        }
      } catch (error) {
        if (stopped) break;
        onError(error, projector.name);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, retryDelayMs);
          wakeRetry = () => (clearTimeout(timer), resolve());
        });
        wakeRetry = null;
      } finally {
        await subscription?.close().catch(() => {});
        subscription = null;
      }
    }
  }

  const done = run();

  return {
    name: projector.name,
    position: () => current,
    waitFor(target) {
      if (target === null) return Promise.resolve();
      return new Promise<void>((resolve) => {
        waiters.push({ target, resolve });
        settleWaiters();
      });
    },
    hold() {
      if (!held) {
        let release = () => {};
        const gate = new Promise<void>((resolve) => (release = resolve));
        held = { gate, release };
      }
      const mine = held;
      return () => {
        if (held !== mine) return;
        held = null;
        mine.release();
      };
    },
    async stop() {
      stopped = true;
      if (flushTimer !== null) clearTimeout(flushTimer);
      flushTimer = null;
      held?.release();
      wakeRetry?.();
      wakePause?.();
      await subscription?.close().catch(() => {});
      await done;
      // A clean stop stores how far it got, batches passed over included.
      await flush().catch((error) => onError(error, projector.name));
    },
  };
}

/** How long a checkpoint may trail over batches a projector passes by (nothing it reads) before it is stored. */
const CHECKPOINT_EVERY_MS = 500;

/** What a batch meets when a rebuild holds its checkpoint (the swap): nothing done, try again soon. */
const CHECKPOINT_BUSY = Symbol('checkpoint busy');
const CHECKPOINT_BUSY_RETRY_MS = 100;
/** PostgreSQL's lock_not_available: FOR UPDATE NOWAIT met a row another transaction holds. */
const LOCK_NOT_AVAILABLE = '55P03';

/**
 * One batch: rows, checkpoint and NOTIFY in one transaction. Opening it (and locking the
 * checkpoint) is one round trip, closing it (checkpoint, notices, commit) another: in a busy API
 * process every round trip waits its turn in the event loop, and live updates wait for the commit.
 * Rows and checkpoint commit together, so a crash that loses this commit loses both and the batch
 * is projected again: exactly-once needs atomicity, not a flush. Skipping the flush keeps the
 * transaction short, and every open writer holds back the log's visibility. Returns null (and
 * changes nothing) when the checkpoint is not where this runner left it, and CHECKPOINT_BUSY when a
 * rebuild's swap holds it: a runner never waits on that lock with a pooled connection in hand, or
 * live projectors (one connection each) could take every connection the swap itself still needs.
 */
async function projectInOneTransaction(
  pool: pg.Pool,
  projector: Projector,
  batch: readonly RecordedEvent[],
  from: GlobalPosition | null,
  to: GlobalPosition,
  origin: string | undefined,
): Promise<ProjectedBatch | null | typeof CHECKPOINT_BUSY> {
  const client = await pool.connect();
  try {
    let opened: pg.QueryResult<{ position: string | null }>[];
    try {
      opened = (await client.query(
        `BEGIN; ${readSchemaStatements(READ_SCHEMA, { flush: false })}; ` +
          `SELECT position FROM projections.checkpoints WHERE name = ${pg.escapeLiteral(projector.name)} FOR UPDATE NOWAIT`,
      )) as unknown as pg.QueryResult<{ position: string | null }>[];
    } catch (error) {
      if ((error as { code?: string }).code !== LOCK_NOT_AVAILABLE) throw error;
      await client.query('ROLLBACK');
      client.release();
      return CHECKPOINT_BUSY;
    }
    const checkpoint = opened[opened.length - 1]!.rows;
    if (checkpoint.length === 0) throw new Error(`No checkpoint row for projector ${projector.name}`);
    if (checkpoint[0]!.position !== formatNullable(from)) {
      await client.query('ROLLBACK');
      client.release();
      return null;
    }
    const result = await projector.handle(client, batch);
    await client.query(`${checkpointStatements(projector.name, to, result.changes, false, origin)} COMMIT`);
    client.release();
    return result;
  } catch (error) {
    try {
      await client.query('ROLLBACK');
      client.release();
    } catch (rollbackError) {
      client.release(rollbackError as Error); // a connection that cannot roll back is not reused
    }
    throw error;
  }
}

/**
 * Points unqualified names at the read models and lets the projector see and write every commune,
 * in one round trip. With `flush: false` the transaction's commit does not wait for the WAL flush:
 * for projection batches, whose rows and checkpoint are lost or kept together.
 */
export async function enterReadSchema(client: pg.ClientBase, schema: string, options: { flush?: boolean } = {}): Promise<void> {
  await client.query(readSchemaStatements(schema, options));
}

function readSchemaStatements(schema: string, { flush = true }: { flush?: boolean } = {}): string {
  assertSchemaName(schema);
  return `SET LOCAL search_path TO ${schema}, pg_catalog; SELECT set_config('palabre.communes', '*', true)` + (flush ? '' : '; SET LOCAL synchronous_commit TO off');
}

export interface ProjectorGroup {
  readonly handles: readonly ProjectorHandle[];
  /** Resolves once every projector has committed `position` (e.g. `await store.headPosition()`). */
  waitFor(position: GlobalPosition | null): Promise<void>;
  stop(): Promise<void>;
}

/** Starts several projectors, each with its own checkpoint and subscription. */
export function startProjectors(store: EventStore, pool: pg.Pool, projectors: readonly Projector[], options: RunnerOptions = {}): ProjectorGroup {
  const handles = projectors.map((p) => startProjector(store, pool, p, options));
  return {
    handles,
    waitFor: async (position) => void (await Promise.all(handles.map((h) => h.waitFor(position)))),
    stop: async () => void (await Promise.all(handles.map((h) => h.stop()))),
  };
}
