import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createPostgresEventStore, type PostgresEventStore, type PostgresEventStoreOptions } from '../postgres/event-store.js';
import { createTestDatabase } from './database.js';

let database: Promise<string> | undefined;

/** One database per test file (modules are per file), created on first use. */
export const testDatabaseUrl = (): Promise<string> => (database ??= createTestDatabase('event_store'));

export const freshSchema = (): string => `es_${randomBytes(4).toString('hex')}`;

type StoreOptions = Partial<Pick<PostgresEventStoreOptions, 'schema' | 'notify' | 'maxConnections' | 'groupCommit'>>;

/** A store on its own schema (unless one is given), so tests never see each other's events. */
export async function openTestStore(options: StoreOptions = {}): Promise<PostgresEventStore> {
  return createPostgresEventStore({ connectionString: await testDatabaseUrl(), schema: options.schema ?? freshSchema(), ...options });
}

/** A plain connection, e.g. to hold a transaction open or to look behind the adapter's back. */
export async function connect(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: await testDatabaseUrl() });
  await client.connect();
  return client;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
