import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { createKurrentEventStore, createPostgresEventStore, type EventStore, type KeeperEvents, outliveRestarts, type PostgresServer, startPostgres } from '@palabre/event-store';
import { ensureAuditSchema } from '@palabre/audit';
import { migrate } from '@palabre/projections';
import { loadCitizenSecret } from '../auth/citizen.js';
import { ensureAuthSchema } from '../auth/schema.js';
import { ensureCitizenSchema } from '../citizens/schema.js';
import { loadJwtSecret } from '../auth/tokens.js';
import type { Config } from '../config.js';
import { ensureReferenceSchema } from '../reference/reference-catalog.js';
import { ensureVaultSchema } from '../vault/schema.js';
import { loadMasterKey } from '../vault/keys.js';

/** What the API stands on: PostgreSQL (log, read models, vault), the event store and the keys. */
export interface Infrastructure {
  readonly config: Config;
  readonly databaseUrl: string;
  readonly pool: pg.Pool;
  readonly store: EventStore;
  readonly storeKind: 'postgres' | 'kurrentdb';
  readonly masterKey: Buffer;
  readonly jwtSecret: Buffer;
  readonly citizenSecret: Buffer;
  close(): Promise<void>;
}

/** Starts or connects to PostgreSQL, opens the log and applies every migration; idempotent. */
export async function openInfrastructure(config: Config, override: { databaseUrl?: string; embedded?: KeeperEvents } = {}): Promise<Infrastructure> {
  let server: PostgresServer | null = null;
  let databaseUrl = override.databaseUrl ?? config.databaseUrl;
  if (!databaseUrl) {
    server = await startPostgres({ dataDir: join(config.dataDir, 'pg'), persistent: true, ...override.embedded });
    databaseUrl = await ensureDatabase(server, 'palabre');
    // `npm run start:projections` reads it to reach the same embedded server.
    mkdirSync(config.dataDir, { recursive: true });
    writeFileSync(join(config.dataDir, 'database.url'), `${databaseUrl}\n`, { mode: 0o600 });
  }
  const pool = outliveRestarts(new pg.Pool({ connectionString: databaseUrl, max: 40 }));
  try {
    const store = config.eventStoreUrl ? await createKurrentEventStore({ connectionString: config.eventStoreUrl }) : await createPostgresEventStore({ pool });
    await prepareSchemas(pool);
    const keyFile = (name: string) => join(config.dataDir, name);
    return {
      config,
      databaseUrl,
      pool,
      store,
      storeKind: config.eventStoreUrl ? 'kurrentdb' : 'postgres',
      masterKey: loadMasterKey({ env: config.masterKey, fallbackFile: keyFile('master.key') }),
      jwtSecret: loadJwtSecret({ env: config.jwtSecret, fallbackFile: keyFile('jwt.key') }),
      citizenSecret: loadCitizenSecret({ env: process.env.PALABRE_CITIZEN_SECRET, fallbackFile: keyFile('citizen.key') }),
      async close() {
        await store.close().catch(() => {});
        await pool.end().catch(() => {});
        await server?.stop();
      },
    };
  } catch (error) {
    await pool.end().catch(() => {});
    await server?.stop();
    throw error;
  }
}

/** Every schema beside the log's (read models, vault, auth, reference, audit); idempotent. */
export async function prepareSchemas(pool: pg.Pool): Promise<void> {
  await migrate(pool);
  await ensureVaultSchema(pool);
  await ensureAuthSchema(pool);
  await ensureCitizenSchema(pool);
  await ensureReferenceSchema(pool);
  await ensureAuditSchema(pool);
}

export async function ensureDatabase(server: PostgresServer, name: string): Promise<string> {
  const admin = new pg.Client({ connectionString: server.adminUrl });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount === 0) await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return server.urlFor(name);
}
