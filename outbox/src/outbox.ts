import { backoffDelay, defaultBackoff, type BackoffPolicy } from './backoff.js';
import type { Failure, OutboxEntry, OutboxEvent, OutboxRequest, OutboxStore, OutboxTransport } from './types.js';

export interface OutboxOptions<R extends OutboxRequest, A> {
  store: OutboxStore<R>;
  transport: OutboxTransport<R, A>;
  classify(error: unknown): Failure;
  isOnline(): boolean;
  newKey(): string;
  now?: () => number;
  random?: () => number;
  /** Runs `task` after `ms`; returns a cancel function. */
  schedule?: (task: () => void, ms: number) => () => void;
  /**
   * Runs `task` unless another tab already drains the same outbox (Web Locks on the phone);
   * resolves to undefined when it skipped. The server's idempotency makes overlaps harmless anyway.
   */
  exclusive?: <T>(task: () => Promise<T>) => Promise<T | undefined>;
  backoff?: BackoffPolicy;
}

const minimumWaitMs = 2_000;

export interface DrainResult {
  sent: number;
  rejected: number;
  /** Entries still waiting after this pass. */
  waiting: number;
}

/**
 * The offline-first outbox: requests (a report, a paper ballot, a tally sheet) are stored first,
 * then delivered oldest first with backoff. Exactly once: the Idempotency-Key is fixed at enqueue
 * time and the API answers a repeated key with what it already made; an entry leaves the store
 * only after that answer. `R` is the app's union of requests, `A` what the API answers.
 */
export class Outbox<R extends OutboxRequest, A = unknown> {
  private readonly options: Required<Omit<OutboxOptions<R, A>, 'backoff'>> & { backoff: BackoffPolicy };
  private readonly listeners = new Set<(event: OutboxEvent<R, A>) => void>();
  private running: Promise<DrainResult> | null = null;
  private rerun: { force: boolean } | null = null;
  private cancelTimer: (() => void) | null = null;
  private stopped = false;
  /** The key being delivered right now, for the "sending…" state. */
  sendingKey: string | null = null;

  constructor(options: OutboxOptions<R, A>) {
    this.options = {
      now: Date.now,
      random: Math.random,
      schedule: (task, ms) => {
        const id = setTimeout(task, ms);
        return () => clearTimeout(id);
      },
      exclusive: (task) => task(),
      backoff: defaultBackoff,
      ...options,
    };
  }

  subscribe(listener: (event: OutboxEvent<R, A>) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  entries(): Promise<OutboxEntry<R>[]> {
    return this.options.store.all();
  }

  /** Calls `listener` with every entry and the one being sent, now and after each change, until the returned function is called. */
  watch(listener: (snapshot: { entries: OutboxEntry<R>[]; sendingKey: string | null }) => void): () => void {
    let alive = true;
    const read = () =>
      void this.entries().then((entries) => {
        if (alive) listener({ entries, sendingKey: this.sendingKey });
      });
    read();
    const unsubscribe = this.subscribe(read);
    return () => {
      alive = false;
      unsubscribe();
    };
  }

  /** Stores the request (durably, before anything is sent) and starts delivering it. */
  async enqueue(request: R, photos: readonly Blob[] = []): Promise<OutboxEntry<R>> {
    const now = this.options.now();
    const entry: OutboxEntry<R> = {
      key: this.options.newKey(),
      request,
      photos: photos.map((data) => ({ data, mediaId: null })),
      queuedAt: now,
      state: 'waiting',
      attempts: 0,
      nextAttemptAt: now,
      lastError: null,
    };
    await this.options.store.put(entry);
    this.emit({ type: 'changed' });
    void this.drain();
    return entry;
  }

  /** Forgets an entry the person chose to drop (typically one the API rejected). */
  async discard(key: string): Promise<void> {
    await this.options.store.remove(key);
    this.emit({ type: 'changed' });
  }

  /** Delivers what is due. `force` ignores the backoff: the network just came back, or the person asked. */
  drain(options: { force?: boolean } = {}): Promise<DrainResult> {
    const force = options.force ?? false;
    if (this.running) {
      // One pass at a time; a request arriving mid-pass gets one more pass right after.
      this.rerun = { force: force || (this.rerun?.force ?? false) };
      return this.running;
    }
    this.running = (async () => {
      try {
        let result = await this.pass(force);
        while (this.rerun && !this.stopped) {
          const again = this.rerun;
          this.rerun = null;
          result = await this.pass(again.force);
        }
        return result;
      } finally {
        this.running = null;
        await this.scheduleNext();
      }
    })();
    return this.running;
  }

  /** Stops the retry timer (e.g. when the app is torn down in tests). */
  stop(): void {
    this.stopped = true;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private async pass(force: boolean): Promise<DrainResult> {
    const result: DrainResult = { sent: 0, rejected: 0, waiting: 0 };
    if (this.stopped) return result;
    if (!this.options.isOnline()) {
      result.waiting = (await this.options.store.all()).filter((e) => e.state === 'waiting').length;
      return result;
    }
    const outcome = await this.options.exclusive(async () => {
      const waiting = (await this.options.store.all()).filter((e) => e.state === 'waiting');
      for (const [index, entry] of waiting.entries()) {
        if (!force && entry.nextAttemptAt > this.options.now()) {
          result.waiting++;
          continue;
        }
        const delivered = await this.deliver(entry);
        if (delivered === 'sent') result.sent++;
        else if (delivered === 'rejected') result.rejected++;
        else {
          // The network failed for this one; the next ones would fail the same way.
          result.waiting += waiting.length - index;
          break;
        }
      }
      return result;
    });
    return outcome ?? result;
  }

  private async deliver(entry: OutboxEntry<R>): Promise<'sent' | 'rejected' | 'retry'> {
    const { store, transport } = this.options;
    this.sendingKey = entry.key;
    this.emit({ type: 'changed' });
    try {
      for (const photo of [...entry.photos]) {
        if (photo.mediaId) continue;
        try {
          photo.mediaId = await transport.uploadPhoto(photo.data);
        } catch (error) {
          const failure = this.options.classify(error);
          if (failure.retry) throw error;
          // A photo the API will never accept must not hold the request back: send it without.
          entry.photos = entry.photos.filter((p) => p !== photo);
        }
        // Progress is saved so a restart does not upload the same photo again.
        await store.put(entry);
      }
      const mediaIds = entry.photos.map((p) => p.mediaId).filter((id): id is string => id !== null);
      const answer = await transport.send(entry.request, mediaIds, entry.key);
      await store.remove(entry.key);
      this.emit({ type: 'sent', key: entry.key, request: entry.request, answer });
      return 'sent';
    } catch (error) {
      const failure = this.options.classify(error);
      entry.attempts += 1;
      entry.lastError = failure.code;
      if (failure.retry) {
        entry.nextAttemptAt = this.options.now() + backoffDelay(entry.attempts, this.options.random(), this.options.backoff);
        await store.put(entry);
        return 'retry';
      }
      entry.state = 'rejected';
      await store.put(entry);
      this.emit({ type: 'rejected', key: entry.key, request: entry.request, code: failure.code });
      return 'rejected';
    } finally {
      this.sendingKey = null;
      this.emit({ type: 'changed' });
    }
  }

  private async scheduleNext(): Promise<void> {
    this.cancelTimer?.();
    this.cancelTimer = null;
    // Offline, the "online" event wakes the outbox; a timer would only spin.
    if (this.stopped || !this.options.isOnline()) return;
    const waiting = (await this.options.store.all()).filter((e) => e.state === 'waiting');
    if (waiting.length === 0) return;
    const due = Math.min(...waiting.map((e) => e.nextAttemptAt));
    // The floor covers entries left due because another tab held the lock.
    this.cancelTimer = this.options.schedule(() => void this.drain(), Math.max(minimumWaitMs, due - this.options.now()));
  }

  private emit(event: OutboxEvent<R, A>): void {
    for (const listener of this.listeners) listener(event);
  }
}
