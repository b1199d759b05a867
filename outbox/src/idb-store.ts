import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { OutboxEntry, OutboxRequest, OutboxStore } from './types.js';

interface OutboxDatabase<R extends OutboxRequest> extends DBSchema {
  outbox: { key: string; value: OutboxEntry<R>; indexes: { queuedAt: number } };
}

export interface IndexedDbOutboxOptions<R extends OutboxRequest> {
  /** The database's name: one per app, so the console and the app on one browser never mix entries. */
  name: string;
  /**
   * Turns an entry stored by an older version of the app into today's shape, while the database
   * is upgraded: what a person queued before an update is delivered after it, never dropped.
   */
  upgradeEntry?(stored: unknown): OutboxEntry<R>;
}

/** Version 1 stored a report under `report`; version 2 stores any request under `request`. */
const VERSION = 2;

/** The outbox in IndexedDB: survives reloads, restarts and the device running out of battery. Photos are stored as Blobs. */
export class IndexedDbOutboxStore<R extends OutboxRequest = OutboxRequest> implements OutboxStore<R> {
  private readonly db: IDBPDatabase<OutboxDatabase<R>>;

  private constructor(db: IDBPDatabase<OutboxDatabase<R>>) {
    this.db = db;
  }

  static async open<R extends OutboxRequest>(options: IndexedDbOutboxOptions<R>): Promise<IndexedDbOutboxStore<R>> {
    const db = await openDB<OutboxDatabase<R>>(options.name, VERSION, {
      async upgrade(database, oldVersion, _newVersion, transaction) {
        if (oldVersion < 1) {
          const outbox = database.createObjectStore('outbox', { keyPath: 'key' });
          outbox.createIndex('queuedAt', 'queuedAt');
          return;
        }
        // Entries of an older version are rewritten in the same upgrade transaction: all or nothing.
        const upgradeEntry = options.upgradeEntry ?? ((stored: unknown) => stored as OutboxEntry<R>);
        let cursor = await transaction.objectStore('outbox').openCursor();
        while (cursor) {
          await cursor.update(upgradeEntry(cursor.value));
          cursor = await cursor.continue();
        }
      },
    });
    return new IndexedDbOutboxStore(db);
  }

  all(): Promise<OutboxEntry<R>[]> {
    return this.db.getAllFromIndex('outbox', 'queuedAt');
  }

  async put(entry: OutboxEntry<R>): Promise<void> {
    await this.db.put('outbox', entry);
  }

  async remove(key: string): Promise<void> {
    await this.db.delete('outbox', key);
  }
}
