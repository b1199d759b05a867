import type pg from 'pg';
import { assertSupportedPostgres } from '@palabre/event-store';
import { READ_SCHEMA, applyMigration, loadMigrations } from './migrations.js';

/** Serialises migrations (and rebuild swaps) of one database across processes. */
export const MIGRATION_LOCK = 'palabre.projections.migrate';

// Bookkeeping must exist before any migration can be recorded, so it is created here.
const BOOKKEEPING = `
  CREATE SCHEMA IF NOT EXISTS projections;
  CREATE TABLE IF NOT EXISTS projections.schema_migrations (
    version integer PRIMARY KEY,
    name text NOT NULL,
    checksum text NOT NULL,
    applied_at timestamptz NOT NULL DEFAULT now()
  );
  CREATE TABLE IF NOT EXISTS projections.checkpoints (
    name text PRIMARY KEY,
    position text,
    updated_at timestamptz NOT NULL DEFAULT now()
  );
`;

export interface MigrateResult {
  /** Versions applied by this call, in order. */
  readonly applied: number[];
}

/**
 * Applies pending migrations in order, each in its own transaction, under an advisory lock so
 * concurrent starts queue instead of racing. Refuses to run if an applied file was edited.
 */
export async function migrate(pool: pg.Pool): Promise<MigrateResult> {
  const client = await pool.connect();
  try {
    await assertSupportedPostgres(client);
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [MIGRATION_LOCK]);
    try {
      await client.query(BOOKKEEPING);
      const { rows } = await client.query<{ version: number; checksum: string }>(
        'SELECT version, checksum FROM projections.schema_migrations',
      );
      const applied = new Map(rows.map((r) => [r.version, r.checksum]));
      const done: number[] = [];
      for (const migration of loadMigrations()) {
        const checksum = applied.get(migration.version);
        if (checksum !== undefined) {
          if (checksum !== migration.checksum) {
            throw new Error(`Migration ${migration.version}_${migration.name} was edited after being applied; add a new one instead`);
          }
          continue;
        }
        await client.query('BEGIN');
        try {
          await applyMigration(client, migration, READ_SCHEMA);
          await client.query('INSERT INTO projections.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
            migration.version,
            migration.name,
            migration.checksum,
          ]);
          await client.query('COMMIT');
        } catch (error) {
          await client.query('ROLLBACK');
          throw new Error(`Migration ${migration.version}_${migration.name} failed: ${(error as Error).message}`, { cause: error });
        }
        done.push(migration.version);
      }
      return { applied: done };
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtext($1))', [MIGRATION_LOCK]);
    }
  } finally {
    client.release();
  }
}
