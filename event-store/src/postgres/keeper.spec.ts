import { chmodSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDatabaseUnavailable, outliveRestarts } from './connection-loss.js';
import { type PostgresServer, startPostgres } from './server.js';

/** Polls `check` every 50 ms until it holds, for `ms` at most (a busy machine gets a minute). */
async function until(check: () => boolean | Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const postmasterOf = (pgDir: string) => Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

/** The embedded server under a running API: killed, it comes back in place, and pools carry on. */
describe.skipIf(Boolean(process.env.DATABASE_URL))('the embedded server, killed under its pools', () => {
  let parent: string;
  let pgDir: string;
  let server: PostgresServer;
  let pool: pg.Pool;
  const said: string[] = [];

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'palabre-keeper-'));
    chmodSync(parent, 0o755);
    pgDir = join(parent, 'pg');
    server = await startPostgres({
      dataDir: pgDir,
      persistent: true,
      onDown: (reason) => said.push(`down: ${reason}`),
      onBack: () => said.push('back'),
      onLost: (reason) => said.push(`lost: ${reason}`),
    });
    pool = outliveRestarts(new pg.Pool({ connectionString: server.adminUrl, max: 4 }));
    await pool.query('CREATE TABLE kept (note text)');
    await pool.query('INSERT INTO kept VALUES ($1)', ['acquitté avant']);
  }, 120_000);
  afterAll(async () => {
    await pool?.end().catch(() => {});
    await server?.stop();
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  it('a postmaster killed with -9 is started again on the same data dir and port; a checked-out connection fails, the pool reconnects', async () => {
    const held = await pool.connect(); // as a projector's batch or a request's transaction holds one, between two statements
    const ended = new Promise((resolve) => held.once('end', resolve));
    const before = postmasterOf(pgDir);
    process.kill(before, 'SIGKILL');
    // Its backend leaves with the postmaster. Nobody listens for this client's 'error' (a checked-out
    // client has no pool listener): without outliveRestarts that event would end this process.
    await ended;
    const lost = await held.query('SELECT 1').then(() => null, (error: unknown) => error);
    held.release(lost as Error);
    expect(isDatabaseUnavailable(lost), String(lost)).toBe(true);

    await until(() => said.includes('back'), 'the server to come back');
    expect(said).toEqual(['down: killed by SIGKILL', 'back']);
    expect(postmasterOf(pgDir)).not.toBe(before);
    // The same connection string (port, socket) reaches it, and the committed row survived.
    await until(async () => (await pool.query('SELECT note FROM kept').catch(() => null))?.rows[0]?.note === 'acquitté avant', 'the pool to reconnect');
  }, 120_000);

  it('a backend killed with -9: the postmaster resets every connection and recovers by itself, the keeper has nothing to do', async () => {
    said.length = 0;
    const held = await pool.connect();
    const backend = (await held.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
    const postmaster = postmasterOf(pgDir);
    process.kill(backend, 'SIGKILL');
    const lost = await held.query('SELECT pg_sleep(30)').then(() => null, (error: unknown) => error);
    held.release(lost as Error);
    expect(isDatabaseUnavailable(lost), String(lost)).toBe(true);
    // While it recovers, a new connection is refused with a SQLSTATE the API answers 503 for (57P03).
    const during = await pool.query('SELECT 1').then(() => null, (error: unknown) => error);
    if (during) expect(isDatabaseUnavailable(during), String(during)).toBe(true);
    await until(async () => (await pool.query('SELECT note FROM kept').catch(() => null))?.rows[0]?.note === 'acquitté avant', 'the pool to reconnect');
    expect(postmasterOf(pgDir)).toBe(postmaster);
    expect(said).toEqual([]);
  }, 120_000);

  it('tells apart a server out of reach from a failed statement', async () => {
    expect(isDatabaseUnavailable(await pool.query('SELEC 1').catch((error: unknown) => error))).toBe(false);
    expect(isDatabaseUnavailable(await pool.query('SELECT 1/0').catch((error: unknown) => error))).toBe(false);
    expect(isDatabaseUnavailable(await readFile(join(parent, 'missing')).catch((error: unknown) => error))).toBe(false);
    const nowhere = new pg.Client({ connectionString: `postgres://postgres@localhost/postgres?host=${encodeURIComponent(join(parent, 'nowhere'))}` });
    nowhere.on('error', () => {});
    expect(isDatabaseUnavailable(await nowhere.connect().catch((error: unknown) => error))).toBe(true);
  });

  it('gives up when the server cannot come back within the limit, saying why', async () => {
    const dir = join(parent, 'limited');
    const lost: string[] = [];
    const limited = await startPostgres({ dataDir: dir, persistent: true, restartLimitMs: 3_000, onLost: (reason) => lost.push(reason) });
    try {
      const pid = postmasterOf(dir);
      // Its data dir gone from under it (a disk unplugged): every try to start it again fails.
      renameSync(dir, `${dir}.away`);
      process.kill(pid, 'SIGKILL');
      await until(() => lost.length > 0, 'the keeper to give up');
      expect(lost[0]).toMatch(/^killed by SIGKILL; it could not be started again: /);
    } finally {
      await limited.stop();
      rmSync(`${dir}.away`, { recursive: true, force: true });
    }
  }, 120_000);
});
