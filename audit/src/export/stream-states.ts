import type { EventStore } from '@palabre/event-store';
import type { EventEnvelope } from '../log/envelope.js';

/** An event as a fold reads it, from the bundle or caught up from the log. */
export interface FoldedEvent {
  readonly type: string;
  readonly data: unknown;
  readonly schemaVersion: number;
  readonly revision: number;
  readonly recordedAt: string;
}

export interface StreamKind<T extends { revision: number }> {
  /** The key a stream's state is kept under (an aggregate id), or null for a stream of another kind. */
  readonly keyOf: (stream: string) => string | null;
  readonly start: (key: string) => T;
  /** Folds one event into the state (parsing it with the domain's own parser and evolve). */
  readonly fold: (tracked: T, event: FoldedEvent) => void;
}

/**
 * One state per stream of a kind, as of the export's last event: tickets, proposals and their
 * supports, projects. A stream first met after its first event (it began before the export's
 * range) is caught up from the log once; an event at or below the revision already folded is skipped.
 */
export class StreamStates<T extends { revision: number }> {
  readonly states = new Map<string, T>();

  constructor(
    private readonly store: EventStore,
    private readonly kind: StreamKind<T>,
  ) {}

  /** The stream's state after the event; null for a stream of another kind. */
  async apply(envelope: EventEnvelope): Promise<T | null> {
    const key = this.kind.keyOf(envelope.stream);
    if (key === null) return null;
    let tracked = this.states.get(key);
    if (tracked === undefined) {
      tracked = this.kind.start(key);
      this.states.set(key, tracked);
      if (envelope.revision > 0) {
        for (const earlier of await this.store.readStream(envelope.stream, { maxCount: envelope.revision })) {
          this.step(tracked, { type: earlier.type, data: earlier.data, schemaVersion: earlier.metadata.schemaVersion, revision: earlier.revision, recordedAt: earlier.metadata.recordedAt });
        }
      }
    }
    if (envelope.revision > tracked.revision) {
      this.step(tracked, { type: envelope.type, data: envelope.data, schemaVersion: envelope.metadata.schemaVersion, revision: envelope.revision, recordedAt: envelope.recordedAt });
    }
    return tracked;
  }

  private step(tracked: T, event: FoldedEvent): void {
    this.kind.fold(tracked, event);
    tracked.revision = event.revision;
  }
}
