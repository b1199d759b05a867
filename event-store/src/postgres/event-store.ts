import pg from 'pg';
import type {
  AppendResult,
  CanonicalText,
  EventStore,
  ExpectedRevision,
  GlobalPosition,
  NewEvent,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
  Subscription,
} from '../port.js';
import { InvalidEventError } from '../port.js';
import { validateAppend } from '../validation.js';
import { appendInTransaction } from './append.js';
import { migrate } from './schema.js';
import { positionParams, statements, toRecordedEvent, WAKEUP_CHANNEL, type EventRow } from './statements.js';
import { PostgresSubscription } from './subscription.js';
import { RecentEvents } from './recent-events.js';
import { GroupCommit, type GroupCommitOptions } from './group-commit.js';
import { ReadBatch, type ReadBatchOptions } from './read-batch.js';
import { settleOutcome, storedEvents, type AppendOutcome } from './append.js';
import { inTransaction } from './sql.js';
import { outliveRestarts } from './connection-loss.js';

export type PostgresEventStoreOptions = ({ connectionString: string; pool?: never } | { pool: pg.Pool; connectionString?: never }) & {
  /** Schema holding the log (default `event_store`). */
  readonly schema?: string;
  /** NOTIFY subscribers on each append (default true); subscribers still poll without it. */
  readonly notify?: boolean;
  /** Size of the pool the store creates from `connectionString` (default 10). */
  readonly maxConnections?: number;
  /** How concurrent appends share commits (see GroupCommit). */
  readonly groupCommit?: GroupCommitOptions;
  /** How concurrent whole-stream reads share a statement (see ReadBatch). */
  readonly readBatch?: ReadBatchOptions;
};

export interface PostgresEventStore extends EventStore {
  readonly schema: string;
  readonly pool: pg.Pool;
  /**
   * Appends inside the caller's open READ COMMITTED transaction (to commit other writes atomically
   * with the events). Nothing is visible to readers, nor durable, until the caller commits.
   */
  appendInTransaction(client: pg.ClientBase, streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
}

/** Opens the log in PostgreSQL, creating or upgrading its schema first. */
export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
  const schema = options.schema ?? 'event_store';
  const sql = statements(schema);
  const ownsPool = options.pool === undefined;
  const pool = options.pool ?? outliveRestarts(new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 }));
  const notify = options.notify ?? true;
  const subscriptions = new Set<PostgresSubscription>();
  const recent = new RecentEvents();

  /*
   * A NOTIFY inside the append would serialise every commit on PostgreSQL's notify-queue lock,
   * held through the WAL flush, and defeat group commit. So the wake-up goes out after the commit,
   * coalesced: at most one in flight, one more if appends happened meanwhile.
   */
  let wakeInFlight = false;
  let wakeAgain = false;
  const wakeSubscribers = (): void => {
    if (!notify) return;
    if (wakeInFlight) {
      wakeAgain = true;
      return;
    }
    wakeInFlight = true;
    wakeAgain = false;
    pool
      .query('SELECT pg_notify($1, $2)', [WAKEUP_CHANNEL, schema])
      .catch(() => {}) // subscribers poll anyway
      .finally(() => {
        wakeInFlight = false;
        if (wakeAgain) wakeSubscribers();
      });
  };

  let durableByDefault = false;
  try {
    await migrate(pool, schema);
    // Acknowledged means on disk: only 'on' / 'remote_apply' flush the WAL before the commit returns.
    const { rows } = await pool.query<{ mode: string }>("SELECT current_setting('synchronous_commit') AS mode");
    durableByDefault = rows[0]?.mode === 'on' || rows[0]?.mode === 'remote_apply';
  } catch (error) {
    if (ownsPool) await pool.end();
    throw error;
  }

  /** One statement in a durable transaction: acknowledged means on disk, whatever the server or role default says. */
  const runDurably = async (text: string, values: unknown[]): Promise<AppendOutcome[]> =>
    durableByDefault
      ? (await pool.query<AppendOutcome>(text, values)).rows
      : inTransaction(pool, async (client) => (await client.query<AppendOutcome>(text, values)).rows, 'BEGIN; SET LOCAL synchronous_commit TO on');

  /** One append in its own transaction (the path of a lone append, and of a batch that failed as a whole). */
  const appendAlone = async (streamId: string, events: readonly NewEvent[], texts: readonly CanonicalText[], expected: ExpectedRevision): Promise<AppendResult> => {
    const [row] = await runDurably(sql.appendEvents, [streamId, String(expected), storedEvents(events, texts)]);
    const result = await settleOutcome(pool, sql, streamId, events, expected, row!);
    wakeSubscribers();
    return result;
  };

  const groupCommit = new GroupCommit(pool, sql, appendAlone, runDurably, options.groupCommit, wakeSubscribers);
  const readBatch = new ReadBatch(pool, sql, options.readBatch);

  return {
    schema,
    pool,

    appendInTransaction: (client, streamId, events, expected) => appendInTransaction(client, sql, notify, streamId, events, expected),

    async append(streamId, events, expected) {
      const texts = validateAppend(streamId, events, expected); // before queueing
      return groupCommit.append(streamId, events, texts, expected);
    },

    async readStream(streamId: string, { fromRevision = 0, maxCount }: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
      if (maxCount !== undefined && (!Number.isSafeInteger(maxCount) || maxCount < 0)) throw new InvalidEventError(`maxCount must be >= 0, got ${maxCount}`);
      if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) throw new InvalidEventError(`fromRevision must be >= 0, got ${fromRevision}`);
      // The common read, a whole stream to decide on, is shared with concurrent ones.
      const rows = fromRevision === 0 && maxCount === undefined ? await readBatch.read(streamId) : (await pool.query<EventRow>(sql.readStream, [streamId, fromRevision, maxCount ?? null])).rows;
      return rows.map(toRecordedEvent);
    },

    async readAll(from: GlobalPosition | null, limit: number): Promise<RecordedEvent[]> {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidEventError(`limit must be >= 0, got ${limit}`);
      const { rows } = await pool.query<EventRow>(sql.readAll, [...positionParams(from), limit]);
      return rows.map(toRecordedEvent);
    },

    subscribe(from: GlobalPosition | null, subscribeOptions: SubscribeOptions = {}): Subscription {
      const subscription: PostgresSubscription = new PostgresSubscription({ pool, schema, sql, recent }, from, subscribeOptions, () =>
        subscriptions.delete(subscription),
      );
      subscriptions.add(subscription);
      return subscription;
    },

    async headPosition(): Promise<GlobalPosition | null> {
      const { rows } = await pool.query<{ commit: string; prepare: string }>(sql.headPosition);
      return rows[0] ? { commit: BigInt(rows[0].commit), prepare: BigInt(rows[0].prepare) } : null;
    },

    async close(): Promise<void> {
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      if (ownsPool) await pool.end();
    },
  };
}
