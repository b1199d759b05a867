import { comparePositions, type GlobalPosition, type RecordedEvent } from '../port.js';

const same = (a: GlobalPosition | null, b: GlobalPosition | null): boolean =>
  a === null || b === null ? a === b : comparePositions(a, b) === 0;

/**
 * The latest events read from the log, shared by the subscriptions of one process. Several
 * projectors follow the same tail a few milliseconds apart; the first to ask reads from
 * PostgreSQL, the others get the same events (the same objects) from memory.
 *
 * Sound because a read returns a contiguous run of the log: readers only see transactions older
 * than every running one, so no event can later appear between two events already read.
 */
export class RecentEvents {
  #events: RecordedEvent[] = [];
  /** Position right before `#events[0]` (null: the start of the log). */
  #after: GlobalPosition | null = null;

  constructor(private readonly capacity = 5_000) {}

  /** Up to `limit` events right after `from`, or null when this cache cannot say (ask the log). */
  after(from: GlobalPosition | null, limit: number): RecordedEvent[] | null {
    if (this.#events.length === 0) return null;
    let start: number;
    if (same(from, this.#after)) start = 0;
    else if (from === null) return null;
    else {
      const index = this.#indexOf(from);
      if (index < 0) return null;
      start = index + 1;
    }
    if (start >= this.#events.length) return null; // at the end of what is known: the log may have more
    return this.#events.slice(start, start + limit);
  }

  /** Records a read from the log: `events` are the ones right after `from`, in order. */
  remember(from: GlobalPosition | null, events: readonly RecordedEvent[]): void {
    if (events.length === 0) return;
    const last = this.#events.at(-1);
    if (last !== undefined && from !== null && comparePositions(from, last.position) === 0) {
      this.#events.push(...events);
    } else {
      this.#events = [...events];
      this.#after = from;
    }
    const excess = this.#events.length - this.capacity;
    if (excess > 0) {
      this.#after = this.#events[excess - 1]!.position;
      this.#events = this.#events.slice(excess);
    }
  }

  #indexOf(position: GlobalPosition): number {
    let low = 0;
    let high = this.#events.length - 1;
    while (low <= high) {
      const middle = (low + high) >> 1;
      const order = comparePositions(this.#events[middle]!.position, position);
      if (order === 0) return middle;
      if (order < 0) low = middle + 1;
      else high = middle - 1;
    }
    return -1;
  }
}
