/**
 * The log's port. Every adapter (PostgreSQL, EventStoreDB/KurrentDB) implements it and passes the
 * same contract suite (`src/testing/contract.ts`).
 */

/** Where an event sits in the global log. PostgreSQL: (transaction id, sequence); KurrentDB: ($all commit, prepare). */
export interface GlobalPosition {
  readonly commit: bigint;
  readonly prepare: bigint;
}

/** `no_stream`: the stream must not exist; `exists`: it must; `any`: no check; a number: the exact current revision. */
export type ExpectedRevision = 'no_stream' | 'exists' | 'any' | number;

/** Who acted, as the edge authenticated them. */
export interface Actor {
  readonly id: string;
  readonly role: string;
}

/** Carried by every event; set at the edge, never by a decider. */
export interface EventMetadata {
  readonly eventId: string;
  readonly commandId: string;
  readonly correlationId: string;
  readonly causationId: string;
  readonly actor: Actor;
  readonly communeId: string | null;
  /** ISO-8601 time the edge accepted the command. */
  readonly recordedAt: string;
  /** W3C trace context of the command that produced the event. */
  readonly traceparent?: string;
  readonly tracestate?: string;
  readonly schemaVersion: number;
}

export interface NewEvent {
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
}

export interface RecordedEvent {
  readonly streamId: string;
  /** 0-based position of the event in its stream. */
  readonly revision: number;
  readonly position: GlobalPosition;
  readonly type: string;
  readonly data: unknown;
  readonly metadata: EventMetadata;
  /**
   * `data` and `metadata` in RFC 8785 form, exactly as stored, when the store keeps them so (the
   * PostgreSQL log does for every event appended since its schema version 4). Readers that hash or
   * copy events out use it instead of writing the canonical form again.
   */
  readonly canonical?: CanonicalText;
}

/** An event's data and metadata as RFC 8785 JSON text. */
export interface CanonicalText {
  readonly data: string;
  readonly metadata: string;
}

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  readonly nextRevision: number;
  /** Global position of the last appended event. */
  readonly position: GlobalPosition;
}

export interface ReadStreamOptions {
  /** First revision to read (default 0). */
  readonly fromRevision?: number;
  readonly maxCount?: number;
}

export interface SubscribeOptions {
  /** Largest batch handed to the consumer at once (default 500). */
  readonly batchSize?: number;
  /** Poll interval when no wake-up arrives (default 1000 ms for PostgreSQL). */
  readonly pollIntervalMs?: number;
}

/**
 * A catch-up subscription: yields batches in global order, strictly after the checkpoint, first
 * from history, then live. Never skips an event committed late by a slow writer.
 */
export interface Subscription extends AsyncIterable<readonly RecordedEvent[]> {
  close(): Promise<void>;
}

export interface EventStore {
  append(streamId: string, events: readonly NewEvent[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of one stream in revision order; `[]` when the stream does not exist. */
  readStream(streamId: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;
  /**
   * Events after `from` (exclusive; `null` = from the start) in global order. May trail appends
   * committed a moment ago: an event shows only once no earlier position can still commit
   * (PostgreSQL: while an older transaction is open), so pages never have gaps.
   */
  readAll(from: GlobalPosition | null, limit: number): Promise<RecordedEvent[]>;
  subscribe(from: GlobalPosition | null, options?: SubscribeOptions): Subscription;
  /** Position of the last event visible to readers, `null` when the log is empty. */
  headPosition(): Promise<GlobalPosition | null>;
  close(): Promise<void>;
}

export class WrongExpectedRevisionError extends Error {
  override readonly name = 'WrongExpectedRevisionError';
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    /** Current revision, or `no_stream` when the stream does not exist. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${streamId}: expected revision ${String(expected)}, actual ${String(actual)}`);
  }
}

export class InvalidEventError extends Error {
  override readonly name = 'InvalidEventError';
}

export function comparePositions(a: GlobalPosition, b: GlobalPosition): number {
  if (a.commit !== b.commit) return a.commit < b.commit ? -1 : 1;
  if (a.prepare !== b.prepare) return a.prepare < b.prepare ? -1 : 1;
  return 0;
}

/** Text form used for checkpoints and HTTP: `commit/prepare`. */
export const formatPosition = (p: GlobalPosition): string => `${p.commit}/${p.prepare}`;

export function parsePosition(text: string): GlobalPosition {
  const match = /^(\d+)\/(\d+)$/.exec(text);
  if (!match) throw new InvalidEventError(`Not a log position: ${text}`);
  return { commit: BigInt(match[1]!), prepare: BigInt(match[2]!) };
}
