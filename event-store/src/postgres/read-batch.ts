import type pg from 'pg';
import type { EventRow, Statements } from './statements.js';

interface PendingRead {
  readonly resolve: (rows: EventRow[]) => void;
  readonly reject: (error: unknown) => void;
}

export interface ReadBatchOptions {
  /** Batched reads in flight at once (default 2). */
  readonly maxInFlight?: number;
  /** Streams per read at most (default 256). */
  readonly maxBatch?: number;
}

/**
 * Whole-stream reads shared, as group commit shares appends. Under load every command reads its
 * stream first (a voter's citizen record, a ticket), and each read is a round trip and a planned
 * statement on the server. While `maxInFlight` reads are out, new ones queue, and the next free
 * slot reads every queued stream in one statement. A lone read goes out at once; nothing waits on
 * a timer. Each read still sees every event committed before it was asked for: the statement runs
 * after the request.
 */
export class ReadBatch {
  #queue = new Map<string, PendingRead[]>();
  readonly #maxInFlight: number;
  readonly #maxBatch: number;
  #inFlight = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly sql: Statements,
    options: ReadBatchOptions = {},
  ) {
    this.#maxInFlight = options.maxInFlight ?? 2;
    this.#maxBatch = options.maxBatch ?? 256;
  }

  /** Every event of the stream, in revision order. */
  read(streamId: string): Promise<EventRow[]> {
    return new Promise<EventRow[]>((resolve, reject) => {
      const waiting = this.#queue.get(streamId);
      // Two reads of one stream asked before either went out are the same read.
      if (waiting) waiting.push({ resolve, reject });
      else this.#queue.set(streamId, [{ resolve, reject }]);
      this.#drain();
    });
  }

  #drain(): void {
    while (this.#inFlight < this.#maxInFlight && this.#queue.size > 0) {
      const batch = new Map<string, PendingRead[]>();
      for (const [streamId, waiting] of this.#queue) {
        if (batch.size >= this.#maxBatch) break;
        batch.set(streamId, waiting);
      }
      for (const streamId of batch.keys()) this.#queue.delete(streamId);
      this.#inFlight++;
      void this.#run(batch).finally(() => {
        this.#inFlight--;
        this.#drain();
      });
    }
  }

  async #run(batch: Map<string, PendingRead[]>): Promise<void> {
    try {
      const ids = [...batch.keys()];
      const rows = ids.length === 1 ? (await this.pool.query<EventRow>(this.sql.readStream, [ids[0], 0, null])).rows : (await this.pool.query<EventRow>(this.sql.readStreams, [ids])).rows;
      const byStream = new Map<string, EventRow[]>(ids.map((id) => [id, []]));
      for (const row of rows) byStream.get(row.stream_id)!.push(row);
      for (const [streamId, waiting] of batch) for (const read of waiting) read.resolve(byStream.get(streamId)!);
    } catch (error) {
      for (const waiting of batch.values()) for (const read of waiting) read.reject(error);
    }
  }
}
