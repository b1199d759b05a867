import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import type pg from 'pg';

/** One versioned SQL file of `projections/migrations/`. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/** Read models live here; a rebuild fills `read_next` and renames it. */
export const READ_SCHEMA = 'read';

// Same relative path from src/ (tests) and dist/ (compiled).
const migrationsDir = new URL('../migrations/', import.meta.url);

/** The migration files in version order; throws on a malformed name or a repeated version. */
export function loadMigrations(): Migration[] {
  const files = readdirSync(migrationsDir).filter((f) => f.endsWith('.sql')).sort();
  const migrations = files.map((file) => {
    const match = /^(\d{3})_([a-z0-9_]+)\.sql$/.exec(file);
    if (!match) throw new Error(`Migration file name must look like 001_name.sql: ${file}`);
    const sql = readFileSync(new URL(file, migrationsDir), 'utf8');
    return { version: Number(match[1]), name: match[2]!, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
  migrations.forEach((m, i) => {
    if (i > 0 && m.version === migrations[i - 1]!.version) throw new Error(`Two migrations share version ${m.version}`);
  });
  return migrations;
}

/** Schema names are interpolated into DDL, so they are restricted to plain identifiers. */
export function assertSchemaName(schema: string): void {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new Error(`Not a valid schema name: ${schema}`);
}

/** Runs one migration's SQL against `schema`; the caller owns the transaction. */
export async function applyMigration(client: pg.ClientBase, migration: Migration, schema: string): Promise<void> {
  assertSchemaName(schema);
  await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
  await client.query(`SET LOCAL search_path TO ${schema}, pg_catalog`);
  await client.query(migration.sql);
}
