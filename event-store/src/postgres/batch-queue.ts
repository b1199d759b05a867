/**
 * Work that costs about the same for one item as for a hundred (a WAL flush, a round trip and a
 * planned statement), shared between callers: while `maxInFlight` batches are out, new items queue,
 * and the next free slot takes what `take` chooses of the queue as one batch. Nothing waits on a
 * timer: a lone item goes out at once; under load the batches grow by themselves.
 */
export class BatchQueue<T> {
  #queue: T[] = [];
  #inFlight = 0;

  constructor(
    private readonly maxInFlight: number,
    /** Removes from `queue` (in place) and returns the next batch; never empty for a non-empty queue. */
    private readonly take: (queue: T[]) => T[],
    /** Runs one batch; settles every item's own answer, never rejects. */
    private readonly run: (batch: T[]) => Promise<void>,
  ) {}

  push(item: T): void {
    this.#queue.push(item);
    this.#drain();
  }

  #drain(): void {
    while (this.#inFlight < this.maxInFlight && this.#queue.length > 0) {
      const batch = this.take(this.#queue);
      this.#inFlight++;
      void this.run(batch).finally(() => {
        this.#inFlight--;
        this.#drain();
      });
    }
  }
}
