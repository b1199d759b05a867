import type pg from 'pg';
import type { GlobalPosition, RecordedEvent, SubscribeOptions, Subscription } from '../port.js';
import { positionParams, toRecordedEvent, WAKEUP_CHANNEL, type EventRow, type Statements } from './statements.js';
import type { RecentEvents } from './recent-events.js';

export const DEFAULT_BATCH_SIZE = 500;
export const DEFAULT_POLL_INTERVAL_MS = 1000;
/**
 * First re-poll delay when a wake-up found nothing: an older transaction is probably still open,
 * and most such transactions (other appends, projector batches) end within milliseconds.
 */
const HELD_BACK_RETRY_MS = 2;

export interface SubscriptionSource {
  readonly pool: pg.Pool;
  readonly schema: string;
  readonly sql: Statements;
  readonly recent: RecentEvents;
}

/**
 * A catch-up subscription on one dedicated connection: it LISTENs for wake-ups and reads batches
 * on the same connection, so it never competes with appends for the pool, and losing that
 * connection ends the iteration with an error instead of a silent hang.
 */
export class PostgresSubscription implements Subscription {
  readonly #source: SubscriptionSource;
  readonly #batchSize: number;
  readonly #pollIntervalMs: number;
  readonly #wakeUp = new WakeUp();
  #checkpoint: GlobalPosition | null;
  #iterator: AsyncGenerator<readonly RecordedEvent[], void, undefined> | null = null;
  #client: pg.PoolClient | null = null;
  #connecting: Promise<pg.PoolClient | null> | null = null;
  #failure: Error | null = null;
  #closed = false;
  readonly #onClose: () => void;

  constructor(source: SubscriptionSource, from: GlobalPosition | null, options: SubscribeOptions, onClose: () => void) {
    this.#source = source;
    this.#onClose = onClose;
    this.#checkpoint = from;
    this.#batchSize = positiveInteger(options.batchSize ?? DEFAULT_BATCH_SIZE, 'batchSize');
    this.#pollIntervalMs = positiveInteger(options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS, 'pollIntervalMs');
  }

  /** One iteration per subscription: iterating again continues the same stream of batches. */
  [Symbol.asyncIterator](): AsyncGenerator<readonly RecordedEvent[], void, undefined> {
    this.#iterator ??= this.#batches();
    return this.#iterator;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#wakeUp.signal();
    await this.#release();
  }

  async *#batches(): AsyncGenerator<readonly RecordedEvent[], void, undefined> {
    try {
      const client = await this.#connect();
      let retryMs: number | null = null;
      while (client && !this.#closed) {
        const cached = this.#source.recent.after(this.#checkpoint, this.#batchSize);
        const rows = cached ?? (await this.#read(client));
        if (this.#closed) return;
        if (rows.length > 0) {
          this.#checkpoint = rows[rows.length - 1]!.position;
          retryMs = null;
          yield rows;
          // Still catching up, or past what another subscription just read: read on at once.
          if (cached !== null || rows.length === this.#batchSize) continue;
        }
        const woken = await this.#wakeUp.wait(retryMs ?? this.#pollIntervalMs);
        this.#throwIfFailed();
        // If the read after this wake-up finds nothing, commits are held back behind an older open
        // transaction: re-poll soon, backing off to the poll interval.
        if (rows.length === 0 && (woken || retryMs !== null)) retryMs = Math.min((retryMs ?? HELD_BACK_RETRY_MS / 2) * 2, this.#pollIntervalMs);
        else retryMs = null;
      }
    } catch (error) {
      if (this.#closed) return;
      throw error;
    } finally {
      // Breaking out of a for-await ends the subscription like close() does.
      this.#closed = true;
      await this.#release();
    }
  }

  /** The next events from the log itself, remembered for the other subscriptions of this process. */
  async #read(client: pg.PoolClient): Promise<RecordedEvent[]> {
    const from = this.#checkpoint;
    const { rows } = await client.query<EventRow>(this.#source.sql.readAll, [...positionParams(from), this.#batchSize]);
    const events = rows.map(toRecordedEvent);
    this.#source.recent.remember(from, events);
    return events;
  }

  /** LISTEN before the first read, so no wake-up between that read and the LISTEN is lost. */
  async #connect(): Promise<pg.PoolClient | null> {
    this.#connecting ??= (async () => {
      const client = await this.#source.pool.connect();
      client.on('error', (error) => {
        this.#failure = error;
        this.#wakeUp.signal();
      });
      client.on('notification', (message) => {
        if (message.channel === WAKEUP_CHANNEL && message.payload === this.#source.schema) this.#wakeUp.signal();
      });
      this.#client = client;
      if (this.#closed) return null;
      await client.query(`SET application_name = 'palabre_event_store_subscription'`);
      await client.query(`LISTEN ${WAKEUP_CHANNEL}`);
      return client;
    })();
    return this.#connecting;
  }

  #throwIfFailed(): void {
    if (this.#failure && !this.#closed) throw this.#failure;
  }

  /** The connection is destroyed, not returned: it holds a LISTEN and may be mid-query. */
  async #release(): Promise<void> {
    if (this.#connecting) await this.#connecting.catch(() => null);
    const client = this.#client;
    this.#client = null;
    this.#onClose();
    if (!client) return;
    client.removeAllListeners('notification');
    client.release(true);
  }
}

/** A wake-up that is never lost: a signal with nobody waiting is kept for the next wait. */
class WakeUp {
  #pending = false;
  #resolve: ((woken: boolean) => void) | null = null;

  signal(): void {
    const resolve = this.#resolve;
    this.#resolve = null;
    if (resolve) resolve(true);
    else this.#pending = true;
  }

  /** Resolves `true` on a signal, `false` after `ms`. */
  wait(ms: number): Promise<boolean> {
    if (this.#pending) {
      this.#pending = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#resolve = null;
        resolve(false);
      }, ms);
      this.#resolve = (woken) => {
        clearTimeout(timer);
        resolve(woken);
      };
    });
  }
}

function positiveInteger(value: number, name: string): number {
  if (!Number.isSafeInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${value}`);
  return value;
}
