import type pg from 'pg';
import type { AppendResult, CanonicalText, ExpectedRevision, NewEvent } from '../port.js';
import { settleOutcome, storedEvents, type AppendOutcome } from './append.js';
import { BatchQueue } from './batch-queue.js';
import type { Statements } from './statements.js';

interface PendingAppend {
  readonly streamId: string;
  readonly events: readonly NewEvent[];
  /** What `validateAppend` returned for `events`. */
  readonly texts: readonly CanonicalText[];
  readonly expected: ExpectedRevision;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

export interface GroupCommitOptions {
  /** Batches in flight at once, each in its own transaction (default 2). */
  readonly maxInFlight?: number;
  /** Appends per batch at most (default 128). */
  readonly maxBatch?: number;
}

/**
 * Group commit. Every append waits for a durable commit (a WAL flush), and a flush costs the same
 * for one append as for a hundred. So while `maxInFlight` batches are being written, new appends
 * queue, and the next free slot writes everything queued in one statement and one transaction.
 * Nothing waits on a timer: a lone append goes out at once, as before; under load the batches
 * grow by themselves. Each append keeps its own expectation and its own answer.
 */
export class GroupCommit {
  readonly #queue: BatchQueue<PendingAppend>;
  readonly #maxBatch: number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly sql: Statements,
    /** One append on its own (its own transaction): the path a failed batch falls back to. */
    private readonly appendAlone: (
      streamId: string,
      events: readonly NewEvent[],
      texts: readonly CanonicalText[],
      expected: ExpectedRevision,
    ) => Promise<AppendResult>,
    /** Runs one statement in a durable transaction and returns its rows. */
    private readonly runDurably: (text: string, values: unknown[]) => Promise<AppendOutcome[]>,
    options: GroupCommitOptions = {},
    private readonly onCommitted: () => void = () => {},
  ) {
    this.#maxBatch = options.maxBatch ?? 128;
    this.#queue = new BatchQueue(options.maxInFlight ?? 2, (queue) => this.#nextBatch(queue), (batch) => this.#write(batch));
  }

  append(streamId: string, events: readonly NewEvent[], texts: readonly CanonicalText[], expected: ExpectedRevision): Promise<AppendResult> {
    return new Promise<AppendResult>((resolve, reject) => {
      this.#queue.push({ streamId, events, texts, expected, resolve, reject });
    });
  }

  /**
   * Takes queued appends in arrival order, each stream at most once: a second append to a stream
   * waits for the next batch, which takes the stream's lock after this one and sees its events.
   */
  #nextBatch(queue: PendingAppend[]): PendingAppend[] {
    const batch: PendingAppend[] = [];
    const streams = new Set<string>();
    const rest: PendingAppend[] = [];
    for (const append of queue) {
      if (batch.length < this.#maxBatch && !streams.has(append.streamId)) {
        streams.add(append.streamId);
        batch.push(append);
      } else {
        rest.push(append);
      }
    }
    queue.splice(0, queue.length, ...rest);
    return batch;
  }

  async #write(batch: PendingAppend[]): Promise<void> {
    if (batch.length === 1) {
      const [only] = batch;
      return this.appendAlone(only!.streamId, only!.events, only!.texts, only!.expected).then(only!.resolve, only!.reject);
    }
    let rows: AppendOutcome[];
    try {
      const payload = `[${batch
        .map((a) => `{"stream":${JSON.stringify(a.streamId)},"expected":${JSON.stringify(String(a.expected))},"events":${storedEvents(a.events, a.texts)}}`)
        .join(',')}]`;
      rows = await this.runDurably(this.sql.appendBatch, [payload]);
      if (rows.length !== batch.length) throw new Error(`append_batch answered ${rows.length} rows for ${batch.length} appends`);
    } catch {
      // Whatever failed the whole batch (a lost connection, a deadlock with a caller's own
      // transaction), each append now runs alone and gets its own answer; one whose batch did
      // commit before the failure is recognised by its event ids and answered as written.
      await Promise.all(batch.map((a) => this.appendAlone(a.streamId, a.events, a.texts, a.expected).then(a.resolve, a.reject)));
      return;
    }
    this.onCommitted();
    await Promise.all(
      rows.map(async (row) => {
        const append = batch[row.idx!]!;
        try {
          append.resolve(await settleOutcome(this.pool, this.sql, append.streamId, append.events, append.expected, row));
        } catch (error) {
          append.reject(error);
        }
      }),
    );
  }
}
