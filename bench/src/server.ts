import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@palabre/event-store';
import { startBenchDatabase } from './database.js';
import { stopChild } from './http.js';

const mainJs = fileURLToPath(new URL('../../command-api/dist/main.js', import.meta.url));

/** Waits until the spawned API answers /health (at most 2 minutes), or fails when it exits first. */
export async function waitForHealth(base: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the server exited (code ${child.exitCode}) before it was healthy`);
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {
      /* not up yet */
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error('the server did not become healthy');
}

export interface BenchServer {
  readonly base: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** The bench database's connection string (the server's own). */
  readonly databaseUrl: string;
  stop(): Promise<void>;
}

/**
 * The real API as a child process on a fresh embedded PostgreSQL (rate limits off, logs silent),
 * once it answers /health; `stop()` sends SIGTERM and removes the database.
 */
export async function startBenchServer(name: string, password: string): Promise<BenchServer> {
  const database = await startBenchDatabase(name);
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [mainJs], {
    env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', PALABRE_DATA_DIR: join(database.dir, 'data'), PALABRE_DEMO_PASSWORD: password, PALABRE_RATE_LIMITS: 'off', LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const stop = async () => {
    await stopChild(child);
    await database.stop();
  };
  try {
    await waitForHealth(base, child);
  } catch (error) {
    await stop();
    throw error;
  }
  return { base, port, child, databaseUrl: database.url, stop };
}
