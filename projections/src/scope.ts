import pg from 'pg';
import { inTransaction } from './transaction.js';

/** `'*'`: every commune (national staff); otherwise the communes the caller may see. */
export type CommuneScope = '*' | readonly string[];

/** The value of `palabre.communes` the RLS policies read. */
export function scopeSetting(scope: CommuneScope): string {
  if (scope === '*') return '*';
  for (const id of scope) {
    if (id.length === 0 || id.includes(',') || id === '*') throw new RangeError(`Not a commune id: ${JSON.stringify(id)}`);
  }
  return scope.join(',');
}

// The scope of each client inside withCommuneScope, so queries need not ask the server for it.
const scopes = new WeakMap<pg.ClientBase, CommuneScope>();

/** The scope `withCommuneScope` set on this client (undefined outside it). */
export const scopeOf = (client: pg.ClientBase): CommuneScope | undefined => scopes.get(client);

/** Statements that make the rest of the transaction `palabre_reader`, seeing `scope` alone. */
const asReaderIn = (scope: CommuneScope): string =>
  `SET LOCAL ROLE palabre_reader; SELECT set_config('palabre.communes', ${pg.escapeLiteral(scopeSetting(scope))}, true)`;

/**
 * Runs `fn` in a read-only transaction as `palabre_reader`, limited by row-level security to `scope`.
 * Every query of the API goes through here, so tenancy holds even if a query forgets a filter.
 */
export async function withCommuneScope<T>(pool: pg.Pool, scope: CommuneScope, fn: (client: pg.PoolClient) => Promise<T>): Promise<T> {
  const scoped = asReaderIn(scope); // checks the scope before any connection is taken
  // Read committed on purpose: a repeatable-read snapshot taken before a rebuild's schema swap
  // would see the swapped-in tables without the rows committed after it.
  // Opened in one round trip: every API read starts here, and under load each round trip waits
  // its turn in the event loop.
  return inTransaction(
    pool,
    async (client) => {
      scopes.set(client, scope);
      try {
        return await fn(client);
      } finally {
        scopes.delete(client);
      }
    },
    `BEGIN ISOLATION LEVEL READ COMMITTED READ ONLY; ${scoped}`,
  );
}

/**
 * One statement (its values written into it as escaped literals) run as `palabre_reader` within
 * `scope`, in a single round trip: the role, the scope and the statement go in one simple query,
 * which PostgreSQL runs as one read-only transaction and rolls back as a whole if any part fails.
 * For hot paths that read once: in a busy API every round trip waits its turn in the event loop.
 */
export async function readOnceInScope<R extends pg.QueryResultRow>(pool: pg.Pool, scope: CommuneScope, statement: string): Promise<R[]> {
  const results = (await pool.query(
    `SET TRANSACTION READ ONLY; ${asReaderIn(scope)}; ${statement}`,
  )) as unknown as pg.QueryResult<R>[];
  return results[results.length - 1]!.rows;
}

/** A PostgreSQL text[] literal, escaped for a statement's text. */
export function textArrayLiteral(items: readonly string[]): string {
  return `${pg.escapeLiteral(`{${items.map((item) => `"${item.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`)}::text[]`;
}
