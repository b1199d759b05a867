import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../event-store/src/postgres/server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
  }
}

// One PostgreSQL for the whole run (embedded in a temp dir unless DATABASE_URL is set);
// each test file creates its own database on it.
export default async function setup(project: TestProject) {
  const parent = mkdtempSync(join(tmpdir(), 'palabre-test-'));
  chmodSync(parent, 0o755);
  const server = await startPostgres({ dataDir: join(parent, 'pg'), persistent: false });
  project.provide('postgresAdminUrl', server.adminUrl);
  return async () => {
    await server.stop();
    rmSync(parent, { recursive: true, force: true });
  };
}
