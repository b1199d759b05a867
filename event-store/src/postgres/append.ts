import type pg from 'pg';
import {
  WrongExpectedRevisionError,
  type AppendResult,
  type ExpectedRevision,
  type GlobalPosition,
  type NewEvent,
} from '../port.js';
import { validateAppend } from '../validation.js';
import type { Statements } from './statements.js';

const UNIQUE_VIOLATION = '23505';

interface StoredId {
  event_id: string;
  revision: string;
  commit: string;
  prepare: string;
}

/**
 * Appends inside the caller's open transaction (READ COMMITTED), which it must commit or roll
 * back. The stream row is locked first, so concurrent writers of one stream queue up and each
 * re-reads the revision its predecessor committed.
 */
export async function appendInTransaction(
  client: pg.ClientBase,
  sql: Statements,
  notify: boolean,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  validateAppend(streamId, events, expected);
  return appendValidated(client, sql, notify, streamId, events, expected);
}

/** The append itself, for callers that have already run `validateAppend`. */
export async function appendValidated(
  client: pg.ClientBase,
  sql: Statements,
  notify: boolean,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const current = await lockStream(client, sql, streamId, expected);
  const ids = events.map((event) => event.metadata.eventId.toLowerCase());
  const meetsExpectation = satisfies(expected, current);

  // Only a retry can carry ids already stored; exact/no_stream retries always miss the expectation.
  if (!meetsExpectation || expected === 'any' || expected === 'exists') {
    const stored = current < 0 ? [] : await storedIds(client, sql, streamId, ids);
    if (stored.length > 0) return replayOf(streamId, expected, current, ids, stored);
    if (!meetsExpectation) throw new WrongExpectedRevisionError(streamId, expected, actual(current));
  }

  const batch = JSON.stringify(
    events.map((event) => ({ id: event.metadata.eventId, type: event.type, data: event.data, metadata: event.metadata })),
  );
  try {
    const { rows } = await client.query<{ commit: string; prepare: string }>(sql.insertEvents(notify), [
      streamId,
      current,
      batch,
      events.length,
    ]);
    const row = rows[0]!;
    return { nextRevision: current + events.length, position: { commit: BigInt(row.commit), prepare: BigInt(row.prepare) } };
  } catch (error) {
    // Ids of older events of this stream reused at a fresh revision: a retry that came too late.
    if ((error as { code?: string }).code === UNIQUE_VIOLATION && (error as { constraint?: string }).constraint === 'events_stream_event_id') {
      throw new WrongExpectedRevisionError(streamId, expected, actual(current));
    }
    throw error;
  }
}

/** Locks the stream row and returns its revision (-1: no stream). */
async function lockStream(client: pg.ClientBase, sql: Statements, streamId: string, expected: ExpectedRevision): Promise<number> {
  // Only modes that may create the stream insert a row; the others never leave one behind.
  const creates = expected === 'any' || expected === 'no_stream';
  const { rows } = await client.query<{ revision: string }>(creates ? sql.lockOrCreateStream : sql.lockStream, [streamId]);
  return rows[0] ? Number(rows[0].revision) : -1;
}

function satisfies(expected: ExpectedRevision, current: number): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return current < 0;
    case 'exists':
      return current >= 0;
    default:
      return current === expected;
  }
}

const actual = (current: number): number | 'no_stream' => (current < 0 ? 'no_stream' : current);

async function storedIds(client: pg.ClientBase, sql: Statements, streamId: string, ids: string[]): Promise<StoredId[]> {
  const { rows } = await client.query<StoredId>(sql.findEventIds, [streamId, ids]);
  return rows;
}

/**
 * EventStoreDB's idempotency: the very same events, in order, written where this expectation would
 * have put them, answer with the original result; any other overlap is a conflict.
 */
function replayOf(
  streamId: string,
  expected: ExpectedRevision,
  current: number,
  ids: readonly string[],
  stored: readonly StoredId[],
): AppendResult {
  const first = Number(stored[0]!.revision);
  const sameEvents = stored.length === ids.length && stored.every((row, i) => row.event_id === ids[i] && Number(row.revision) === first + i);
  if (!sameEvents || !satisfies(expected, first - 1)) throw new WrongExpectedRevisionError(streamId, expected, actual(current));
  const last = stored[stored.length - 1]!;
  const position: GlobalPosition = { commit: BigInt(last.commit), prepare: BigInt(last.prepare) };
  return { nextRevision: Number(last.revision), position };
}
