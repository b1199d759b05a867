import type pg from 'pg';
import {
  WrongExpectedRevisionError,
  type CanonicalText,
  type AppendResult,
  type ExpectedRevision,
  type GlobalPosition,
  type NewEvent,
} from '../port.js';
import { validateAppend } from '../validation.js';
import type { Statements } from './statements.js';

interface StoredId {
  event_id: string;
  revision: string;
  commit: string;
  prepare: string;
}

/**
 * Appends inside the caller's open transaction (READ COMMITTED), which it must commit or roll
 * back. The stream's advisory lock is taken first, so concurrent writers of one stream queue up
 * and each re-reads the revision its predecessor committed.
 */
export async function appendInTransaction(
  client: pg.ClientBase,
  sql: Statements,
  notify: boolean,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const texts = validateAppend(streamId, events, expected);
  return appendValidated(client, sql, notify, streamId, events, texts, expected);
}

/**
 * The append itself, for callers that have already run `validateAppend` (`texts` is what it
 * returned): one statement, one round trip.
 */
export async function appendValidated(
  client: pg.ClientBase,
  sql: Statements,
  notify: boolean,
  streamId: string,
  events: readonly NewEvent[],
  texts: readonly CanonicalText[],
  expected: ExpectedRevision,
): Promise<AppendResult> {
  const { rows } = await client.query<AppendOutcome>(sql.appendEvents, [streamId, String(expected), storedEvents(events, texts)]);
  const result = await settleOutcome(client, sql, streamId, events, expected, rows[0]!);
  if (notify) await client.query('SELECT pg_notify($1, $2)', [sql.wakeupChannel, sql.schema]);
  return result;
}

/** What `append_events` (and each row of `append_batch`) answers for one append. */
export interface AppendOutcome {
  /** Index of the append within a batch (`append_batch` only). */
  idx?: number;
  outcome: 'ok' | 'conflict' | 'retry';
  revision: string;
  commit_id: string | null;
  last_sequence: string | null;
}

/**
 * Events as the append functions take them: a JSON array of {id, type, data, metadata}, data and
 * metadata as strings holding their canonical text, which the log keeps byte for byte (its columns are json).
 */
export const storedEvents = (events: readonly NewEvent[], texts: readonly CanonicalText[]): string =>
  `[${events
    .map((event, i) => `{"id":${JSON.stringify(event.metadata.eventId)},"type":${JSON.stringify(event.type)},"data":${JSON.stringify(texts[i]!.data)},"metadata":${JSON.stringify(texts[i]!.metadata)}}`)
    .join(',')}]`;

/** Turns the database's answer into the port's: a result, a typed conflict, or the original result of a retry. */
export async function settleOutcome(
  db: pg.Pool | pg.ClientBase,
  sql: Statements,
  streamId: string,
  events: readonly NewEvent[],
  expected: ExpectedRevision,
  row: AppendOutcome,
): Promise<AppendResult> {
  const current = Number(row.revision);
  switch (row.outcome) {
    case 'ok':
      return { nextRevision: current, position: { commit: BigInt(row.commit_id!), prepare: BigInt(row.last_sequence!) } };
    case 'conflict':
      throw new WrongExpectedRevisionError(streamId, expected, actual(current));
    case 'retry': {
      const ids = events.map((event) => event.metadata.eventId.toLowerCase());
      return replayOf(streamId, expected, current, ids, await storedIds(db, sql, streamId, ids));
    }
  }
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

async function storedIds(db: pg.Pool | pg.ClientBase, sql: Statements, streamId: string, ids: string[]): Promise<StoredId[]> {
  const { rows } = await db.query<StoredId>(sql.findEventIds, [streamId, ids]);
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
