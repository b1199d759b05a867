import 'reflect-metadata';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@palabre/event-store/testing/database';
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
 * would: its next batch waits, while other projectors and every read go on, until the returned
 * function releases it. Tests run the API's projectors in their own thread, where the runner can hold a
 * projector without a transaction waiting (a waiting one would hold back every log reader of the
 * server, other test files' included).
 */
export async function holdProjector(api: TestPalabre, name: string): Promise<() => Promise<void>> {
  const handle = api.palabre.projectors?.handles.find((h) => h.name === name);
  if (!handle?.hold) throw new Error(`No projector named ${name} runs in this thread`);
  const release = handle.hold();
  return async () => release();
}
