import type { ProjectedChange } from './projector.js';

/** The channel the API's socket gateway LISTENs on. */
export const PROJECTION_CHANNEL = 'palabre_projection';

/**
 * One NOTIFY payload (JSON). A batch sends one or more, all with the same projector and position;
 * `part`/`parts` number them when the changes did not fit in one.
 */
export interface ProjectionNotice {
  readonly projector: string;
  /** Checkpoint after the batch, `commit/prepare`. */
  readonly position: string;
  readonly changes: readonly ProjectedChange[];
  readonly part: number;
  readonly parts: number;
  /** Present (true) on the notice sent when a rebuild swapped in fresh read models: refresh everything. */
  readonly rebuilt?: true;
  /** The process that projected the batch, when it said: it has pushed the batch itself and skips this notice. */
  readonly origin?: string;
}

// PostgreSQL refuses payloads of 8000 bytes or more; keep a margin for the envelope.
const MAX_PAYLOAD_BYTES = 7_500;

/** Splits a batch's changes into payloads that each fit in one NOTIFY. */
export function noticePayloads(projector: string, position: string, changes: readonly ProjectedChange[], rebuilt = false, origin?: string): string[] {
  const chunks: ProjectedChange[][] = [[]];
  const envelope = Buffer.byteLength(JSON.stringify({ projector, position, changes: [], part: 9999, parts: 9999, rebuilt, origin }));
  let size = envelope;
  for (const change of changes) {
    const bytes = Buffer.byteLength(JSON.stringify(change)) + 1;
    if (size + bytes > MAX_PAYLOAD_BYTES && chunks[chunks.length - 1]!.length > 0) {
      chunks.push([]);
      size = envelope;
    }
    chunks[chunks.length - 1]!.push(change);
    size += bytes;
  }
  return chunks.map((chunk, i) =>
    JSON.stringify({ projector, position, changes: chunk, part: i + 1, parts: chunks.length, ...(rebuilt ? { rebuilt: true } : {}), ...(origin === undefined ? {} : { origin }) }),
  );
}
