import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresEventStore, type EventStore, freePort } from '@palabre/event-store';
import { createTestDatabase } from '@palabre/event-store/testing/database';
import { buildReadModels, PROJECTOR_THREAD_APPLICATION } from '@palabre/projections';
import { readModelContents } from '@palabre/projections/testing/compare';
import { Client, connectLive, eventually, reportAndTriageLive } from './support.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const entry = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const PASSWORD = 'crash-test-demo-password';
const CITIZENS = 8;
const ACKNOWLEDGED_BEFORE_KILL = 40;

interface Attempt {
  readonly citizen: Client;
  readonly key: string;
  id?: string;
  answered: boolean;
}

/**
 * The compiled server, as production runs it, is killed with SIGKILL during a burst of reports and
 * started again: every acknowledged report must exist, retries of unanswered ones must be harmless,
 * and the read models must equal a clean build from the log.
 */
describe('kill -9 during a burst of reports', () => {
  let databaseUrl: string;
  let dataDir: string;
  let port: number;
  let pool: pg.Pool;
  let store: EventStore;
  let server: ChildProcess | null = null;
  let output = '';

  beforeAll(async () => {
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    execFileSync(process.execPath, [tsc, '-b'], { cwd: root, stdio: 'pipe' });
    [databaseUrl, port] = await Promise.all([createTestDatabase('api_crash'), freePort()]);
    dataDir = mkdtempSync(join(tmpdir(), 'palabre-crash-'));
    pool = new pg.Pool({ connectionString: databaseUrl, max: 4 });
    store = await createPostgresEventStore({ pool });
  });
  afterAll(async () => {
    server?.kill('SIGKILL');
    await store?.close();
    await pool?.end();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const url = () => `http://127.0.0.1:${port}`;

  /** `npm start` on the test database; the demo password is set once, as an operator would. */
  async function start(options: { setPassword: boolean }): Promise<ChildProcess> {
    const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), HOST: '127.0.0.1', PALABRE_DATA_DIR: dataDir, PALABRE_RATE_LIMITS: 'off', LOG_LEVEL: 'silent' };
    if (options.setPassword) env.PALABRE_DEMO_PASSWORD = PASSWORD;
    else delete env.PALABRE_DEMO_PASSWORD;
    const child = spawn(process.execPath, [entry], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server = child;
    await eventually(
      async () => {
        if (child.exitCode !== null) throw new Error(`The server exited (${child.exitCode}): ${output.slice(-2000)}`);
        return (await fetch(`${url()}/health`).catch(() => null))?.status === 200;
      },
      'the server to be healthy',
      60_000,
    );
    return child;
  }

  async function kill(child: ChildProcess): Promise<void> {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
    server = null;
  }

  /** One phone filing reports back to back until the server stops answering. */
  async function fileUntilCut(citizen: Client, n: number, attempts: Attempt[]): Promise<void> {
    for (let i = 0; ; i++) {
      const attempt: Attempt = { citizen, key: `crash-${n}-${i}`, answered: false };
      attempts.push(attempt);
      try {
        const reply = await citizen.report({ description: `Signalement ${n}/${i}` }, attempt.key);
        expect(reply.status, JSON.stringify(reply.body)).toBe(201);
        attempt.answered = true;
        attempt.id = reply.body.id;
      } catch (error) {
        if (error instanceof TypeError) return; // connection refused or reset: the server is gone
        throw error;
      }
    }
  }

  it('keeps every acknowledged report, retries safely, and converges to a clean rebuild', async () => {
    const first = await start({ setPassword: true });
    const citizens = await Promise.all(
      Array.from({ length: CITIZENS }, async () => {
        const c = new Client(url());
        await c.asCitizen();
        return c;
      }),
    );

    const attempts: Attempt[] = [];
    const burst = Promise.all(citizens.map((c, n) => fileUntilCut(c, n, attempts)));
    await eventually(async () => attempts.filter((a) => a.answered).length >= ACKNOWLEDGED_BEFORE_KILL, 'reports acknowledged before the kill', 30_000);
    await kill(first);
    await burst;
    const acknowledged = attempts.filter((a) => a.answered);
    const unanswered = attempts.filter((a) => !a.answered);
    expect(acknowledged.length).toBeGreaterThanOrEqual(ACKNOWLEDGED_BEFORE_KILL);

    await start({ setPassword: false });
    const dispatcher = await new Client(url()).login('dispatcher.soa', PASSWORD);
    for (const a of acknowledged) await dispatcher.ticketAt(a.id!, 1);

    // Phones retry what got no answer with the same key: each lands once, whether or not it was stored.
    for (const a of unanswered) {
      const reply = await a.citizen.report({ description: 'retry' }, a.key);
      expect(reply.status, JSON.stringify(reply.body)).toBe(201);
      a.id = reply.body.id;
    }
    const expected = new Set(attempts.map((a) => a.id!));
    expect(expected.size).toBe(attempts.length);

    // The head is gap-safe (it trails open transactions), so it is read afresh on every check.
    await eventually(async () => {
      const { rows } = await pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM read.tickets WHERE id = ANY($1::text[])', [[...expected]]);
      const health = await dispatcher.get('/health');
      return rows[0]!.n === expected.size && health.body.projections.projectors.every((p: { caughtUp: boolean }) => p.caughtUp);
    }, 'the projectors to catch up with every report');

    // `npm start` also seeds a few demo tickets (TDEMO…); the burst's are all the others.
    const { rows } = await pool.query<{ id: string; revision: number }>(`SELECT id, revision FROM read.tickets WHERE id NOT LIKE 'TDEMO%' ORDER BY id`);
    expect(new Set(rows.map((r) => r.id))).toEqual(expected);
    expect(rows.every((r) => r.revision === 1)).toBe(true);
    const streams = await pool.query<{ n: number }>(`SELECT count(*)::integer AS n FROM event_store.events WHERE type = 'TicketReported' AND data->>'ticketId' NOT LIKE 'TDEMO%'`);
    expect(streams.rows[0]!.n).toBe(expected.size);

    await buildReadModels(store, pool, 'read_check');
    const client = await pool.connect();
    try {
      const [live, clean] = [await readModelContents(client, 'read'), await readModelContents(client, 'read_check')];
      for (const table of Object.keys(clean)) expect(live[table], table).toEqual(clean[table]);
    } finally {
      client.release();
    }
  }, 180_000);

  it('runs the projectors of the compiled server in a thread of their own, and live updates still follow each command', async () => {
    if (!server) await start({ setPassword: false });
    const threads = await pool.query<{ n: number }>(
      'SELECT count(*)::integer AS n FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()',
      [PROJECTOR_THREAD_APPLICATION],
    );
    expect(threads.rows[0]!.n).toBeGreaterThan(0);
    const dispatcher = await new Client(url()).login('dispatcher.soa', PASSWORD);
    const console = await connectLive(url(), { token: dispatcher.token! });
    try {
      const reporter = new Client(url());
      await reporter.asCitizen();
      const { created, reported } = await reportAndTriageLive(console, reporter, dispatcher, 'urgent', { description: 'Lampadaire éteint' });
      expect(reported.ticket).toMatchObject({ id: created.id, status: 'new', description: 'Lampadaire éteint' });
    } finally {
      console.close();
    }
  });
});
