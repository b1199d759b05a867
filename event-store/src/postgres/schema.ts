import type pg from 'pg';

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
    CREATE TABLE ${s}.streams (
      stream_id text PRIMARY KEY,
      -- Last revision of the stream; -1 only inside the transaction that creates it.
      revision bigint NOT NULL CHECK (revision >= -1)
    );
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
];

export const SCHEMA_VERSION = migrations.length;

/**
 * Creates or upgrades the schema. One transaction under an advisory lock keyed by the schema, so
 * processes starting together wait for each other instead of racing on CREATE TABLE.
 */
export async function migrate(pool: pg.Pool, schema: string): Promise<void> {
  const s = quoteSchema(schema);
  const client = await pool.connect();
  try {
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
    for (let version = current + 1; version <= migrations.length; version++) {
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
