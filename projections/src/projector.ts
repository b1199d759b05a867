import type pg from 'pg';
import type { RecordedEvent } from '@palabre/event-store';

/** An aggregate whose read rows changed in a batch (a ticket, a consultation): what live clients need to refresh. */
export interface ProjectedChange {
  /** The kind of aggregate, as its stream is named: `ticket`, `consultation`. */
  readonly kind: string;
  readonly id: string;
  readonly communeId: string | null;
  /** Stream revision of the last event applied to it (for a consultation's ballots, the log position's commit). */
  readonly revision: number;
}

export interface ProjectedBatch {
  readonly changes: readonly ProjectedChange[];
  /**
   * The `tickets` rows the batch wrote, as the tickets projector maps them: a live gateway in the
   * same process pushes them once committed (`projectedTicketDetail`) instead of reading them back.
   */
  readonly tickets?: readonly Record<string, unknown>[];
}

/**
 * Turns a batch of events into rows. `handle` runs inside the runner's transaction with the
 * search_path set to the target schema, so its SQL names tables without a schema.
 */
export interface Projector {
  readonly name: string;
  /** Tables it alone writes: a rebuild builds their indexes as soon as this projector is done. */
  readonly tables?: readonly string[];
  /**
   * The streams whose events it projects (the same test its `handle` applies). A live runner passes
   * over a batch with none of them without a transaction, and stores its checkpoint a little later:
   * five projectors over one busy log otherwise commit five transactions a batch. Omitted: every batch.
   */
  readonly reads?: (streamId: string) => boolean;
  handle(client: pg.ClientBase, events: readonly RecordedEvent[]): Promise<ProjectedBatch>;
}

/** The log holds something a projector cannot apply (gap, duplicate, unknown event): stop rather than guess. */
export class ProjectionError extends Error {
  override readonly name = 'ProjectionError';
}
