import type pg from 'pg';
import { assertSupportedPostgres } from './version.js';

/** A schema name safe to splice into SQL (it comes from configuration, never from users). */
export function quoteSchema(schema: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`Invalid event store schema name: ${schema}`);
  return `"${schema}"`;
}

/**
 * Versioned migrations of the log, applied in order; never edit one that has shipped, add the next.
 * Position of an event = (transaction_id, sequence): readers only see transactions older than every
 * transaction still running, so a late commit can never land behind a reader's checkpoint.
 */
const migrations: readonly ((s: string) => string)[] = [
  (s) => `
    CREATE TABLE ${s}.events (
      transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
      sequence bigint GENERATED ALWAYS AS IDENTITY,
      stream_id text NOT NULL,
      revision bigint NOT NULL CHECK (revision >= 0),
      event_id uuid NOT NULL,
      type text NOT NULL,
      data jsonb NOT NULL,
      metadata jsonb NOT NULL,
      recorded_at timestamptz NOT NULL DEFAULT now(),
      CONSTRAINT events_position PRIMARY KEY (transaction_id, sequence),
      CONSTRAINT events_stream_revision UNIQUE (stream_id, revision),
      CONSTRAINT events_stream_event_id UNIQUE (stream_id, event_id)
    );
    CREATE FUNCTION ${s}.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'The event log is append-only: % on %.events is refused', TG_OP, TG_TABLE_SCHEMA
          USING ERRCODE = 'insufficient_privilege';
      END $$;
    CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON ${s}.events
      FOR EACH STATEMENT EXECUTE FUNCTION ${s}.refuse_event_change();
  `,
  // One round trip per append. The stream's revision is read from its last event under a per-stream
  // advisory lock: no streams row to update on every append, the same serialisation per stream.
  (s) => `
    CREATE FUNCTION ${s}.append_events(p_stream text, p_expected text, p_events jsonb)
      RETURNS TABLE (outcome text, revision bigint, commit_id text, last_sequence bigint)
      LANGUAGE plpgsql SET search_path = ${s}, pg_catalog AS $$
    DECLARE
      v_current bigint;
      v_satisfied boolean;
      v_last bigint;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('${s}' || p_stream, 0));
      SELECT e.revision INTO v_current FROM events e WHERE e.stream_id = p_stream ORDER BY e.revision DESC LIMIT 1;
      IF NOT FOUND THEN v_current := -1; END IF;
      v_satisfied := p_expected = 'any'
        OR (p_expected = 'no_stream' AND v_current < 0)
        OR (p_expected = 'exists' AND v_current >= 0)
        OR (p_expected ~ '^[0-9]+$' AND v_current = p_expected::bigint);
      -- Ids already stored mean a retry (or a conflict): the caller sorts it out.
      IF v_current >= 0 AND EXISTS (
        SELECT 1 FROM events e WHERE e.stream_id = p_stream
          AND e.event_id IN (SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_events) AS x)
      ) THEN
        RETURN QUERY SELECT 'retry'::text, v_current, NULL::text, NULL::bigint;
        RETURN;
      END IF;
      IF NOT v_satisfied THEN
        RETURN QUERY SELECT 'conflict'::text, v_current, NULL::text, NULL::bigint;
        RETURN;
      END IF;
      WITH appended AS (
        INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
        SELECT p_stream, v_current + x.n, (x.event->>'id')::uuid, x.event->>'type', x.event->'data', x.event->'metadata'
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(event, n)
        ORDER BY x.n
        RETURNING sequence
      )
      SELECT max(sequence) INTO v_last FROM appended;
      RETURN QUERY SELECT 'ok'::text, v_current + jsonb_array_length(p_events), pg_current_xact_id()::text, v_last;
    END $$;
  `,
  // Group commit: appends from concurrent commands share one statement, one transaction and one WAL
  // flush. Each append keeps its own expectation and outcome (a conflict in one refuses only that
  // one). append_events looks stored ids up one by one (it merged over the whole stream before).
  (s) => `
    CREATE OR REPLACE FUNCTION ${s}.append_events(p_stream text, p_expected text, p_events jsonb)
      RETURNS TABLE (outcome text, revision bigint, commit_id text, last_sequence bigint)
      LANGUAGE plpgsql SET search_path = ${s}, pg_catalog AS $$
    DECLARE
      v_current bigint;
      v_satisfied boolean;
      v_last bigint;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('${s}' || p_stream, 0));
      SELECT e.revision INTO v_current FROM events e WHERE e.stream_id = p_stream ORDER BY e.revision DESC LIMIT 1;
      IF NOT FOUND THEN v_current := -1; END IF;
      v_satisfied := p_expected = 'any'
        OR (p_expected = 'no_stream' AND v_current < 0)
        OR (p_expected = 'exists' AND v_current >= 0)
        OR (p_expected ~ '^[0-9]+$' AND v_current = p_expected::bigint);
      -- Ids already stored mean a retry (or a conflict): the caller sorts it out. Looked up id by id
      -- in the (stream, event id) index: a merge over the whole stream would grow with its length.
      IF v_current >= 0 AND EXISTS (
        SELECT 1 FROM events e WHERE e.stream_id = p_stream
          AND e.event_id = ANY (ARRAY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_events) AS x))
      ) THEN
        RETURN QUERY SELECT 'retry'::text, v_current, NULL::text, NULL::bigint;
        RETURN;
      END IF;
      IF NOT v_satisfied THEN
        RETURN QUERY SELECT 'conflict'::text, v_current, NULL::text, NULL::bigint;
        RETURN;
      END IF;
      WITH appended AS (
        INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
        SELECT p_stream, v_current + x.n, (x.event->>'id')::uuid, x.event->>'type', x.event->'data', x.event->'metadata'
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(event, n)
        ORDER BY x.n
        RETURNING sequence
      )
      SELECT max(sequence) INTO v_last FROM appended;
      RETURN QUERY SELECT 'ok'::text, v_current + jsonb_array_length(p_events), pg_current_xact_id()::text, v_last;
    END $$;

    CREATE FUNCTION ${s}.append_batch(p_appends jsonb)
      RETURNS TABLE (idx integer, outcome text, revision bigint, commit_id text, last_sequence bigint)
      LANGUAGE plpgsql SET search_path = ${s}, pg_catalog AS $$
    BEGIN
      -- Stream locks in one order for every batch; the statement after them takes a fresh snapshot,
      -- so it sees whatever a previous holder of a lock committed.
      PERFORM pg_advisory_xact_lock(hashtextextended('${s}' || l.stream, 0))
      FROM (SELECT a->>'stream' AS stream FROM jsonb_array_elements(p_appends) AS a ORDER BY a->>'stream' COLLATE "C") AS l;
      -- One set-based statement for the whole batch; each stream appears at most once in it.
      RETURN QUERY
      WITH input AS (
        SELECT (a.ordinality - 1)::integer AS idx, a.value->>'stream' AS stream, a.value->>'expected' AS expected, a.value->'events' AS events
        FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS a
      ),
      state AS (
        SELECT i.idx, i.stream, i.expected, i.events, coalesce(cur.revision, -1) AS current,
          EXISTS (SELECT 1 FROM events e WHERE e.stream_id = i.stream
                  AND e.event_id = ANY (ARRAY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(i.events) AS x))) AS seen
        FROM input i
        LEFT JOIN LATERAL (SELECT e.revision FROM events e WHERE e.stream_id = i.stream ORDER BY e.revision DESC LIMIT 1) AS cur ON true
      ),
      decided AS (
        SELECT st.*, CASE
          WHEN st.current >= 0 AND st.seen THEN 'retry'
          WHEN st.expected = 'any' OR (st.expected = 'no_stream' AND st.current < 0) OR (st.expected = 'exists' AND st.current >= 0)
               OR (st.expected ~ '^[0-9]+$' AND st.current = st.expected::bigint) THEN 'ok'
          ELSE 'conflict' END AS outcome
        FROM state st
      ),
      appended AS (
        INSERT INTO events (stream_id, revision, event_id, type, data, metadata)
        SELECT d.stream, d.current + x.n, (x.event->>'id')::uuid, x.event->>'type', x.event->'data', x.event->'metadata'
        FROM decided d CROSS JOIN LATERAL jsonb_array_elements(d.events) WITH ORDINALITY AS x(event, n)
        WHERE d.outcome = 'ok'
        ORDER BY d.idx, x.n
        RETURNING stream_id, sequence
      )
      SELECT d.idx, d.outcome,
             CASE WHEN d.outcome = 'ok' THEN d.current + jsonb_array_length(d.events) ELSE d.current END,
             CASE WHEN d.outcome = 'ok' THEN pg_current_xact_id()::text END,
             w.last_sequence
      FROM decided d
      LEFT JOIN (SELECT ap.stream_id, max(ap.sequence) AS last_sequence FROM appended ap GROUP BY ap.stream_id) AS w ON w.stream_id = d.stream
      ORDER BY d.idx;
    END $$;
  `,
  // The log keeps data and metadata as the text the adapter wrote, its RFC 8785 form: json columns
  // store text as it is (jsonb would rebuild it), so reading hands back the bytes the transparency
  // log hashes and serialising them costs nothing. Rows written before this version hold jsonb's
  // rendering instead: `canonical` tells them apart, and their readers canonicalise them again.
  // The append functions still take jsonb, parsed once, with each event's data and metadata as a
  // string holding that text (a json argument would be lexed again at every operator applied to it).
  (s) => `
    ALTER TABLE ${s}.events
      ALTER COLUMN data TYPE json USING data::json,
      ALTER COLUMN metadata TYPE json USING metadata::json,
      ADD COLUMN canonical boolean NOT NULL DEFAULT false;

    CREATE OR REPLACE FUNCTION ${s}.append_events(p_stream text, p_expected text, p_events jsonb)
      RETURNS TABLE (outcome text, revision bigint, commit_id text, last_sequence bigint)
      LANGUAGE plpgsql SET search_path = ${s}, pg_catalog AS $$
    DECLARE
      v_current bigint;
      v_satisfied boolean;
      v_last bigint;
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('${s}' || p_stream, 0));
      SELECT e.revision INTO v_current FROM events e WHERE e.stream_id = p_stream ORDER BY e.revision DESC LIMIT 1;
      IF NOT FOUND THEN v_current := -1; END IF;
      v_satisfied := p_expected = 'any'
        OR (p_expected = 'no_stream' AND v_current < 0)
        OR (p_expected = 'exists' AND v_current >= 0)
        OR (p_expected ~ '^[0-9]+$' AND v_current = p_expected::bigint);
      -- Ids already stored mean a retry (or a conflict): the caller sorts it out.
      IF v_current >= 0 AND EXISTS (
        SELECT 1 FROM events e WHERE e.stream_id = p_stream
          AND e.event_id = ANY (ARRAY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(p_events) AS x))
      ) THEN
        RETURN QUERY SELECT 'retry'::text, v_current, NULL::text, NULL::bigint;
        RETURN;
      END IF;
      IF NOT v_satisfied THEN
        RETURN QUERY SELECT 'conflict'::text, v_current, NULL::text, NULL::bigint;
        RETURN;
      END IF;
      WITH appended AS (
        INSERT INTO events (stream_id, revision, event_id, type, data, metadata, canonical)
        SELECT p_stream, v_current + x.n, (x.event->>'id')::uuid, x.event->>'type', (x.event->>'data')::json, (x.event->>'metadata')::json, true
        FROM jsonb_array_elements(p_events) WITH ORDINALITY AS x(event, n)
        ORDER BY x.n
        RETURNING sequence
      )
      SELECT max(sequence) INTO v_last FROM appended;
      RETURN QUERY SELECT 'ok'::text, v_current + jsonb_array_length(p_events), pg_current_xact_id()::text, v_last;
    END $$;

    CREATE OR REPLACE FUNCTION ${s}.append_batch(p_appends jsonb)
      RETURNS TABLE (idx integer, outcome text, revision bigint, commit_id text, last_sequence bigint)
      LANGUAGE plpgsql SET search_path = ${s}, pg_catalog AS $$
    BEGIN
      PERFORM pg_advisory_xact_lock(hashtextextended('${s}' || l.stream, 0))
      FROM (SELECT a->>'stream' AS stream FROM jsonb_array_elements(p_appends) AS a ORDER BY a->>'stream' COLLATE "C") AS l;
      RETURN QUERY
      WITH input AS (
        SELECT (a.ordinality - 1)::integer AS idx, a.value->>'stream' AS stream, a.value->>'expected' AS expected, a.value->'events' AS events
        FROM jsonb_array_elements(p_appends) WITH ORDINALITY AS a
      ),
      state AS (
        SELECT i.idx, i.stream, i.expected, i.events, coalesce(cur.revision, -1) AS current,
          EXISTS (SELECT 1 FROM events e WHERE e.stream_id = i.stream
                  AND e.event_id = ANY (ARRAY(SELECT (x->>'id')::uuid FROM jsonb_array_elements(i.events) AS x))) AS seen
        FROM input i
        LEFT JOIN LATERAL (SELECT e.revision FROM events e WHERE e.stream_id = i.stream ORDER BY e.revision DESC LIMIT 1) AS cur ON true
      ),
      decided AS (
        SELECT st.*, CASE
          WHEN st.current >= 0 AND st.seen THEN 'retry'
          WHEN st.expected = 'any' OR (st.expected = 'no_stream' AND st.current < 0) OR (st.expected = 'exists' AND st.current >= 0)
               OR (st.expected ~ '^[0-9]+$' AND st.current = st.expected::bigint) THEN 'ok'
          ELSE 'conflict' END AS outcome
        FROM state st
      ),
      appended AS (
        INSERT INTO events (stream_id, revision, event_id, type, data, metadata, canonical)
        SELECT d.stream, d.current + x.n, (x.event->>'id')::uuid, x.event->>'type', (x.event->>'data')::json, (x.event->>'metadata')::json, true
        FROM decided d CROSS JOIN LATERAL jsonb_array_elements(d.events) WITH ORDINALITY AS x(event, n)
        WHERE d.outcome = 'ok'
        ORDER BY d.idx, x.n
        RETURNING stream_id, sequence
      )
      SELECT d.idx, d.outcome,
             CASE WHEN d.outcome = 'ok' THEN d.current + jsonb_array_length(d.events) ELSE d.current END,
             CASE WHEN d.outcome = 'ok' THEN pg_current_xact_id()::text END,
             w.last_sequence
      FROM decided d
      LEFT JOIN (SELECT ap.stream_id, max(ap.sequence) AS last_sequence FROM appended ap GROUP BY ap.stream_id) AS w ON w.stream_id = d.stream
      ORDER BY d.idx;
    END $$;
  `,
];

export const SCHEMA_VERSION = migrations.length;

/**
 * Creates or upgrades the schema (to `upTo`, by default the latest version: an earlier one is for
 * testing upgrades). One transaction under an advisory lock keyed by the schema, so processes
 * starting together wait for each other instead of racing on CREATE TABLE.
 */
export async function migrate(pool: pg.Pool, schema: string, upTo = migrations.length): Promise<void> {
  const s = quoteSchema(schema);
  const client = await pool.connect();
  try {
    await assertSupportedPostgres(client);
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`palabre.event_store.${schema}`]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${s}`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${s}.schema_version (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number | null }>(`SELECT max(version) AS version FROM ${s}.schema_version`);
    const current = rows[0]?.version ?? 0;
    if (current > migrations.length) {
      throw new Error(`Event store schema ${schema} is at version ${current}, newer than this code (${migrations.length})`);
    }
    for (let version = current + 1; version <= upTo; version++) {
      await client.query(migrations[version - 1]!(s));
      await client.query(`INSERT INTO ${s}.schema_version (version) VALUES ($1)`, [version]);
    }
    await client.query('COMMIT');
    client.release();
  } catch (error) {
    // Destroy rather than reuse: the connection may be mid-transaction or broken.
    client.release(true);
    throw error;
  }
}
