import type { OutboxEntry, OutboxStore } from './types.ts';

/** An OutboxStore in memory; entries are copied in and out, as a real database would. */
export class MemoryOutboxStore implements OutboxStore {
  private readonly entries = new Map<string, OutboxEntry>();

  async all(): Promise<OutboxEntry[]> {
    return [...this.entries.values()].map(copy).sort((a, b) => a.queuedAt - b.queuedAt);
  }

  async put(entry: OutboxEntry): Promise<void> {
    this.entries.set(entry.key, copy(entry));
  }

  async remove(key: string): Promise<void> {
    this.entries.delete(key);
  }
}

const copy = (entry: OutboxEntry): OutboxEntry => ({
  ...entry,
  report: structuredClone(entry.report),
  photos: entry.photos.map((p) => ({ ...p })),
});
