import type pg from 'pg';

const ignore = () => {};

/**
 * Lets a pool outlive its server's restart: a connection that breaks, idle or checked out, is
 * dropped and the next query opens a new one. node-postgres emits 'error' on a checked-out client
 * whose server went away, and an 'error' event nobody listens to would end the process.
 */
export function outliveRestarts(pool: pg.Pool): pg.Pool {
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  return pool;
}

/** SQLSTATE classes of a server that is gone or not back yet: connection exceptions, shut down, crashed, starting up or recovering. */
const SERVER_GONE = /^(08...|57P0[1-3])$/;
/** A socket that could not reach the server (its Unix-domain socket is missing while it restarts: ENOENT). */
const NOT_REACHED = new Set(['ECONNREFUSED', 'ENOENT', 'EHOSTUNREACH', 'ETIMEDOUT']);
/** A connection the server dropped. */
const DROPPED = new Set(['ECONNRESET', 'EPIPE']);
/** What node-postgres says of a connection that ended under a query or before one. */
const ENDED = /^(Connection terminated|Client has encountered a connection error and is not queryable|Client was closed and is not queryable)/;

/**
 * Whether `error` means PostgreSQL cannot be reached for the moment (restarting, recovering,
 * unreachable) rather than a failure of the statement: the caller may answer "retry soon".
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; syscall?: unknown; message?: unknown; errors?: unknown; cause?: unknown } | null | undefined;
  if (!e || typeof e !== 'object') return false;
  if (typeof e.code === 'string') {
    if (SERVER_GONE.test(e.code) || DROPPED.has(e.code)) return true;
    if (NOT_REACHED.has(e.code) && e.syscall === 'connect') return true;
  }
  if (typeof e.message === 'string' && ENDED.test(e.message)) return true;
  if (Array.isArray(e.errors) && e.errors.length > 0 && e.errors.every(isDatabaseUnavailable)) return true; // AggregateError of a connect
  return e.cause !== undefined && e.cause !== error && isDatabaseUnavailable(e.cause);
}
