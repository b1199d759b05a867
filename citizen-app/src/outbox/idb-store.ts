import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutboxEntry, OutboxStore } from './types.ts';

interface PalabreDatabase extends DBSchema {
  outbox: { key: string; value: OutboxEntry; indexes: { queuedAt: number } };
}

/** The outbox in IndexedDB: survives reloads, restarts and the phone running out of battery. Photos are stored as Blobs. */
export class IndexedDbOutboxStore implements OutboxStore {
  private readonly db: IDBPDatabase<PalabreDatabase>;

  private constructor(db: IDBPDatabase<PalabreDatabase>) {
    this.db = db;
  }

  static async open(name = 'palabre'): Promise<IndexedDbOutboxStore> {
    const db = await openDB<PalabreDatabase>(name, 1, {
      upgrade(database) {
        const outbox = database.createObjectStore('outbox', { keyPath: 'key' });
        outbox.createIndex('queuedAt', 'queuedAt');
      },
    });
    return new IndexedDbOutboxStore(db);
  }

  all(): Promise<OutboxEntry[]> {
    return this.db.getAllFromIndex('outbox', 'queuedAt');
  }

  async put(entry: OutboxEntry): Promise<void> {
    await this.db.put('outbox', entry);
  }

  async remove(key: string): Promise<void> {
    await this.db.delete('outbox', key);
  }
}
