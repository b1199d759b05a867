import type pg from 'pg';

/**
 * The oldest PostgreSQL major version Palabre runs on. 13 brought pg_current_xact_id() and
 * pg_snapshot_xmin() (the log's gap-safe global order); 15 brought security_invoker views (the
 * daily statistics read the tickets under the reader's row-level security).
 */
export const OLDEST_POSTGRES_MAJOR = 15;

/** A server Palabre cannot run on; the message is one sentence with the fix. */
export class UnsupportedPostgresError extends Error {
  override readonly name = 'UnsupportedPostgresError';
}

/**
 * Null when a server answering `server_version_num` (e.g. 150018) and `server_version` (e.g.
 * "15.18 (Debian 15.18-0+deb12u1)") can hold Palabre, else the sentence that says why not.
 */
export function unsupportedPostgres(versionNum: number, version: string): string | null {
  if (versionNum >= OLDEST_POSTGRES_MAJOR * 10_000) return null;
  return (
    `This PostgreSQL server is version ${version.split(' ')[0]}, and Palabre needs PostgreSQL ${OLDEST_POSTGRES_MAJOR} or newer ` +
    `(the log orders events by pg_current_xact_id and the read models rely on security_invoker views): ` +
    `upgrade the server, or leave DATABASE_URL unset to use the embedded PostgreSQL.`
  );
}

/** Refuses, before any migration, a server too old for the log's and the read models' SQL. */
export async function assertSupportedPostgres(db: pg.Pool | pg.ClientBase): Promise<void> {
  const { rows } = await db.query<{ num: string; version: string }>(
    `SELECT current_setting('server_version_num') AS num, current_setting('server_version') AS version`,
  );
  const reason = unsupportedPostgres(Number(rows[0]!.num), rows[0]!.version);
  if (reason !== null) throw new UnsupportedPostgresError(reason);
}
