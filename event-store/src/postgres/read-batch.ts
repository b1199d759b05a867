import type pg from 'pg';
import { BatchQueue } from './batch-queue.js';
import type { EventRow, Statements } from './statements.js';

interface PendingRead {
  readonly streamId: string;
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
 * statement on the server; queued reads go out together in one statement. Each read still sees
 * every event committed before it was asked for: the statement runs after the request.
 */
export class ReadBatch {
  readonly #queue: BatchQueue<PendingRead>;
  readonly #maxBatch: number;

  constructor(
    private readonly pool: pg.Pool,
    private readonly sql: Statements,
    options: ReadBatchOptions = {},
  ) {
    this.#maxBatch = options.maxBatch ?? 256;
    this.#queue = new BatchQueue(options.maxInFlight ?? 2, (queue) => this.#nextBatch(queue), (batch) => this.#run(batch));
  }

  /** Every event of the stream, in revision order. */
  read(streamId: string): Promise<EventRow[]> {
    return new Promise<EventRow[]>((resolve, reject) => this.#queue.push({ streamId, resolve, reject }));
  }

  /** The first `maxBatch` streams asked for, with every read of them queued (reads of one stream are one read). */
  #nextBatch(queue: PendingRead[]): PendingRead[] {
    const streams = new Set<string>();
    for (const read of queue) {
      if (streams.size >= this.#maxBatch) break;
      streams.add(read.streamId);
    }
    const batch = queue.filter((read) => streams.has(read.streamId));
    queue.splice(0, queue.length, ...queue.filter((read) => !streams.has(read.streamId)));
    return batch;
  }

  async #run(batch: PendingRead[]): Promise<void> {
    try {
      const ids = [...new Set(batch.map((read) => read.streamId))];
      const rows = ids.length === 1 ? (await this.pool.query<EventRow>(this.sql.readStream, [ids[0], 0, null])).rows : (await this.pool.query<EventRow>(this.sql.readStreams, [ids])).rows;
      const byStream = new Map<string, EventRow[]>(ids.map((id) => [id, []]));
      for (const row of rows) byStream.get(row.stream_id)!.push(row);
      for (const read of batch) read.resolve(byStream.get(read.streamId)!);
    } catch (error) {
      for (const read of batch) read.reject(error);
    }
  }
}
