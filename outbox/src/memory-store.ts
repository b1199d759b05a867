import type { OutboxEntry, OutboxRequest, OutboxStore } from './types.js';

/** An OutboxStore in memory; entries are copied in and out, as a real database would. */
export class MemoryOutboxStore<R extends OutboxRequest = OutboxRequest> implements OutboxStore<R> {
  private readonly entries = new Map<string, OutboxEntry<R>>();

  async all(): Promise<OutboxEntry<R>[]> {
    return [...this.entries.values()].map(copy).sort((a, b) => a.queuedAt - b.queuedAt);
  }

  async put(entry: OutboxEntry<R>): Promise<void> {
    this.entries.set(entry.key, copy(entry));
  }

  async remove(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

const copy = <R extends OutboxRequest>(entry: OutboxEntry<R>): OutboxEntry<R> => ({
  ...entry,
  request: structuredClone(entry.request),
  photos: entry.photos.map((p) => ({ ...p })),
});
