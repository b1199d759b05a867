import 'reflect-metadata';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@palabre/event-store/testing/database';
import { defaultProjectors } from '@palabre/projections';
import { loadConfig } from '../config.js';
import { startPalabre, type Palabre } from '../palabre.js';

export interface TestPalabre {
  readonly url: string;
  readonly demoPassword: string;
  readonly palabre: Palabre;
  close(): Promise<void>;
}

export interface TestPalabreOptions {
  readonly demoPassword?: string;
  readonly demoTickets?: boolean;
  /** Extra environment (e.g. PALABRE_RATE_LIMITS). */
  readonly env?: Record<string, string>;
}

/** The whole API on a fresh database of the test PostgreSQL, on a free port, with demo staff. */
export async function startTestPalabre(options: TestPalabreOptions = {}): Promise<TestPalabre> {
  const demoPassword = options.demoPassword ?? 'palabre-demo-password';
  const dataDir = mkdtempSync(join(tmpdir(), 'palabre-api-'));
  chmodSync(dataDir, 0o755);
  const databaseUrl = await createTestDatabase('api');
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    PALABRE_DATA_DIR: dataDir,
    PALABRE_DEMO_PASSWORD: demoPassword,
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const palabre = await startPalabre(config, { databaseUrl, demoTickets: options.demoTickets ?? false });
  return {
    url: palabre.url,
    demoPassword,
    palabre,
    async close() {
      await palabre.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Holds back one read-model projector (`tickets`, `timeline`), as a machine loaded beyond its means
 * would: a lock on its tables makes its next batch wait, while other projectors and every read go on,
 * until the returned function releases it. Keep holds to seconds: the waiting batch's transaction
 * holds back what every log reader of the server sees, other test files' included.
 */
export async function holdProjector(api: TestPalabre, name: string): Promise<() => Promise<void>> {
  const projector = defaultProjectors.find((p) => p.name === name);
  if (!projector) throw new Error(`No projector named ${name}`);
  const client = await api.palabre.infra.pool.connect();
  await client.query(`BEGIN; LOCK TABLE ${projector.tables.map((table) => `read.${table}`).join(', ')} IN EXCLUSIVE MODE`);
  return async () => {
    await client.query('COMMIT');
    client.release();
  };
}
