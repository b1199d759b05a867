import { START, excludeSystemEvents, type AllStreamResolvedEvent, type AllStreamSubscription, type KurrentDBClient } from '@kurrent/kurrentdb-client';
import type { GlobalPosition, RecordedEvent, SubscribeOptions, Subscription } from '../port.js';
import { isAfter, isPalabreEvent, toRecordedEvent } from './mapping.js';

const DEFAULT_BATCH_SIZE = 500;

/**
 * `subscribeToAll` regrouped into batches: each batch holds what the server has already pushed
 * (up to `batchSize`), so a consumer catching up gets big batches and a live one small ones.
 * The client's stream buffers only up to its high-water mark, which gives back-pressure.
 */
export class KurrentSubscription implements Subscription {
  readonly #client: KurrentDBClient;
  readonly #from: GlobalPosition | null;
  readonly #batchSize: number;
  #stream: AllStreamSubscription | null = null;
  #iterator: AsyncGenerator<readonly RecordedEvent[], void, undefined> | null = null;
  #failure: Error | null = null;
  #ended = false;
  #closed = false;
  #wake: (() => void) | null = null;
  readonly #onClose: () => void;

  constructor(client: KurrentDBClient, from: GlobalPosition | null, options: SubscribeOptions, onClose: () => void) {
    this.#client = client;
    this.#onClose = onClose;
    this.#from = from;
    this.#batchSize = options.batchSize ?? DEFAULT_BATCH_SIZE;
    if (!Number.isSafeInteger(this.#batchSize) || this.#batchSize <= 0) {
      throw new RangeError(`batchSize must be a positive integer, got ${this.#batchSize}`);
    }
  }

  [Symbol.asyncIterator](): AsyncGenerator<readonly RecordedEvent[], void, undefined> {
    this.#iterator ??= this.#batches();
    return this.#iterator;
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#signal();
    await this.#unsubscribe();
  }

  async *#batches(): AsyncGenerator<readonly RecordedEvent[], void, undefined> {
    if (this.#closed) return;
    const stream = this.#open();
    let checkpoint = this.#from;
    try {
      while (!this.#closed) {
        const batch: RecordedEvent[] = [];
        while (batch.length < this.#batchSize) {
          const resolved = stream.read() as AllStreamResolvedEvent | null;
          if (resolved === null) break;
          if (!isPalabreEvent(resolved)) continue;
          const event = toRecordedEvent(resolved);
          // The server starts after the checkpoint; the guard keeps that promise whatever its version.
          if (isAfter(event, checkpoint)) batch.push(event);
        }
        if (batch.length > 0) {
          checkpoint = batch[batch.length - 1]!.position;
          yield batch;
          continue;
        }
        if (this.#failure && !this.#closed) throw this.#failure;
        if (this.#ended && !this.#closed) throw new Error('KurrentDB subscription ended unexpectedly');
        await new Promise<void>((resolve) => (this.#wake = resolve));
      }
    } finally {
      this.#closed = true;
      await this.#unsubscribe();
    }
  }

  #open(): AllStreamSubscription {
    const stream = this.#client.subscribeToAll(
      { fromPosition: this.#from ?? START, filter: excludeSystemEvents() },
      { highWaterMark: this.#batchSize },
    );
    // A permanent error listener: an error with nobody listening would crash the process.
    stream.on('readable', () => this.#signal());
    stream.on('error', (error: Error) => {
      this.#failure = error;
      this.#signal();
    });
    const ended = () => {
      this.#ended = true;
      this.#signal();
    };
    stream.on('end', ended).on('close', ended);
    this.#stream = stream;
    return stream;
  }

  #signal(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  async #unsubscribe(): Promise<void> {
    const stream = this.#stream;
    this.#stream = null;
    this.#onClose();
    if (stream) await stream.unsubscribe();
  }
}
