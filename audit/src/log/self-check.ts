import type { EventStore, GlobalPosition } from '@palabre/event-store';
import { eventLeafHash } from './envelope.js';
import type { Queryable } from './tree-store.js';
import { storedTreeSize } from './tree-store.js';

export interface LogCheckResult {
  readonly ok: boolean;
  readonly treeSize: number;
  /** Leaves compared against the events now in the store. */
  readonly checked: number;
  readonly firstMismatch: { readonly leafIndex: number; readonly reason: string } | null;
}

/**
 * Recomputes every leaf from the log as it is now and compares it with the leaf recorded when the
 * event was appended: an event altered, removed or reordered in the store shows at its index.
 */
export async function checkLogAgainstTree(store: EventStore, db: Queryable, options: { pageSize?: number; onProgress?: (done: number, total: number) => void } = {}): Promise<LogCheckResult> {
  const pageSize = options.pageSize ?? 5000;
  const treeSize = await storedTreeSize(db);
  let from: GlobalPosition | null = null;
  let index = 0;
  while (index < treeSize) {
    const events = await store.readAll(from, Math.min(pageSize, treeSize - index));
    if (events.length === 0) {
      return { ok: false, treeSize, checked: index, firstMismatch: { leafIndex: index, reason: `The store ends after ${index} events; the tree recorded ${treeSize}` } };
    }
    const { rows } = await db.query<{ leaf_index: string; event_id: string; leaf_hash: Buffer }>(
      'SELECT l.leaf_index::text AS leaf_index, l.event_id, l.leaf_hash FROM audit.leaves l WHERE l.leaf_index >= $1 AND l.leaf_index < $2 ORDER BY l.leaf_index',
      [index, index + events.length],
    );
    for (let i = 0; i < events.length; i++, index++) {
      const event = events[i]!;
      const leaf = rows[i];
      if (!leaf || Number(leaf.leaf_index) !== index) return { ok: false, treeSize, checked: index, firstMismatch: { leafIndex: index, reason: `The tree has no leaf ${index}` } };
      if (!eventLeafHash(event).equals(leaf.leaf_hash)) {
        const reason =
          leaf.event_id === event.metadata.eventId
            ? `Event ${event.metadata.eventId} (${event.streamId}@${event.revision}) no longer hashes to its recorded leaf: it was altered`
            : `Leaf ${index} recorded event ${leaf.event_id}; the store now has ${event.metadata.eventId} there: an event was removed or reordered`;
        return { ok: false, treeSize, checked: index, firstMismatch: { leafIndex: index, reason } };
      }
    }
    from = events[events.length - 1]!.position;
    options.onProgress?.(index, treeSize);
  }
  return { ok: true, treeSize, checked: index, firstMismatch: null };
}
