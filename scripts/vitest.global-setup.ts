import { execFileSync } from 'node:child_process';
import { mkdtempSync, chmodSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startPostgres } from '../event-store/src/postgres/server.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresAdminUrl: string;
    postgresEmbedded: boolean;
  }
}

// One PostgreSQL for the whole run (embedded in a temp dir unless DATABASE_URL is set);
// each test file creates its own database on it.
export default async function setup(project: TestProject) {
  // The compiled packages, built once before any test: tests that spawn the server or a CLI would
  // otherwise each run tsc -b, two workers at once writing the same files (a few seconds when up to date).
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  execFileSync(process.execPath, [tsc, '-b'], { cwd: new URL('..', import.meta.url), stdio: 'inherit' });
  const parent = mkdtempSync(join(tmpdir(), 'palabre-test-'));
  chmodSync(parent, 0o755);
  const server = await startPostgres({ dataDir: join(parent, 'pg'), persistent: false });
  // Test files reach the server by inject() only: a server the tests start (npm start, a CLI) must not inherit it.
  delete process.env.DATABASE_URL;
  project.provide('postgresAdminUrl', server.adminUrl);
  project.provide('postgresEmbedded', server.embedded);
  return async () => {
    await server.stop();
    rmSync(parent, { recursive: true, force: true });
  };
}
