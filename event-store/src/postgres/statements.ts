import type { EventMetadata, GlobalPosition, RecordedEvent } from '../port.js';
import { quoteSchema } from './schema.js';

/** Channel on which appends NOTIFY (payload: schema name); a wake-up only, never the data path. */
export const WAKEUP_CHANNEL = 'palabre_events';

/** Readers see only transactions older than every transaction still running (gap-free order). */
const VISIBLE = 'transaction_id < pg_snapshot_xmin(pg_current_snapshot())';
// Data and metadata come as text and are parsed here, so rows stored in canonical form hand that text on as it is.
const COLUMNS =
  'transaction_id::text AS commit, sequence::text AS prepare, stream_id, revision::text AS revision, type, data::text AS data, metadata::text AS metadata, canonical';

export interface EventRow {
  commit: string;
  prepare: string;
  stream_id: string;
  revision: string;
  type: string;
  data: string;
  metadata: string;
  canonical: boolean;
}

export function toRecordedEvent(row: EventRow): RecordedEvent {
  const streamId = row.stream_id;
  const revision = Number(row.revision);
  const position = { commit: BigInt(row.commit), prepare: BigInt(row.prepare) };
  const metadata = JSON.parse(row.metadata) as EventMetadata;
  if (!row.canonical) return { streamId, revision, position, type: row.type, data: JSON.parse(row.data) as unknown, metadata };
  // Readers that only copy or hash the event (exports, the transparency log) never look inside
  // `data`: it is parsed on first use, once, and an ordinary (enumerable) property to everyone else.
  const text = row.data;
  let data: unknown;
  let parsed = false;
  return {
    streamId,
    revision,
    position,
    type: row.type,
    get data() {
      if (!parsed) {
        data = JSON.parse(text);
        parsed = true;
      }
      return data;
    },
    metadata,
    canonical: { data: text, metadata: row.metadata },
  };
}

/** The first position, before any event: xid 0 is never assigned. */
export const positionParams = (from: GlobalPosition | null): [string, string] =>
  from ? [from.commit.toString(), from.prepare.toString()] : ['0', '0'];

/** Every SQL statement of the adapter, for one schema. */
export function statements(schema: string) {
  const s = quoteSchema(schema);
  return {
    schema,
    wakeupChannel: WAKEUP_CHANNEL,
    /** $1 stream, $2 expected ('any' | 'no_stream' | 'exists' | revision), $3 JSON array of {id, type, data, metadata} (see `storedEvents`). */
    appendEvents: `SELECT outcome, revision::text AS revision, commit_id, last_sequence::text AS last_sequence FROM ${s}.append_events($1, $2, $3::jsonb)`,
    /** $1 JSON array of {stream, expected, events: [{id, type, data, metadata}]}; one row per append, by index. */
    appendBatch: `SELECT idx, outcome, revision::text AS revision, commit_id, last_sequence::text AS last_sequence FROM ${s}.append_batch($1::jsonb)`,
    findEventIds: `
      SELECT event_id::text AS event_id, revision::text AS revision, transaction_id::text AS commit, sequence::text AS prepare
      FROM ${s}.events WHERE stream_id = $1 AND event_id = ANY($2::uuid[]) ORDER BY revision`,
    // Qualified: a bare `revision` in ORDER BY would sort by the text output column.
    readStream: `
      SELECT ${COLUMNS} FROM ${s}.events AS e
      WHERE e.stream_id = $1 AND e.revision >= $2 ORDER BY e.revision LIMIT $3`,
    /** $1 text[] of streams: every event of each, by stream then revision (ReadBatch). */
    readStreams: `
      SELECT ${COLUMNS} FROM ${s}.events AS e
      WHERE e.stream_id = ANY($1::text[]) ORDER BY e.stream_id, e.revision`,
    readAll: `
      SELECT ${COLUMNS} FROM ${s}.events
      WHERE (transaction_id, sequence) > ($1::xid8, $2::bigint) AND ${VISIBLE}
      ORDER BY transaction_id, sequence LIMIT $3`,
    headPosition: `
      SELECT transaction_id::text AS commit, sequence::text AS prepare FROM ${s}.events
      WHERE ${VISIBLE} ORDER BY transaction_id DESC, sequence DESC LIMIT 1`,
  };
}

export type Statements = ReturnType<typeof statements>;
