import type pg from 'pg';
import { InvalidCursorError, decodeCursor, encodeCursor } from './cursor.js';
import { type TicketDetail, type TicketSummary, toTicketDetail, toTicketSummary } from './ticket-row.js';
import { readOnceInScope, scopeOf, textArrayLiteral } from '../scope.js';

/** Sortable columns: the only identifiers ever placed in the SQL, each with the type of its cursor value. */
const SORTS = {
  reported_at: { column: 't.reported_at', type: 'timestamptz' },
  updated_at: { column: 't.updated_at', type: 'timestamptz' },
  priority: { column: 't.priority_rank', type: 'smallint' },
  status: { column: 't.status', type: 'text' },
  category: { column: 't.category', type: 'text' },
} as const;
export type TicketSort = keyof typeof SORTS;
export const ticketSorts = Object.keys(SORTS) as TicketSort[];

export interface BoundingBox {
  readonly minLat: number;
  readonly minLon: number;
  readonly maxLat: number;
  readonly maxLon: number;
}

export interface TicketFilters {
  readonly communeId?: string;
  readonly status?: string | readonly string[];
  readonly category?: string | readonly string[];
  readonly quartierId?: string;
  readonly teamId?: string;
  /** Agent the ticket is assigned to. */
  readonly agentId?: string;
  /** The citizen who filed the ticket ("my reports"). */
  readonly reporterId?: string;
  /** A citizen's view: public tickets plus their own confidential ones; never another's confidential report. */
  readonly visibleToCitizen?: string;
  /** true: only tickets past an SLA deadline; false: only those within. */
  readonly breached?: boolean;
  readonly bbox?: BoundingBox;
  /** Words searched in description and landmark (`simple` config: no stemming, any language). */
  readonly text?: string;
  readonly sort?: TicketSort;
  readonly direction?: 'asc' | 'desc';
  /** Page size, 1..500 (default 50). */
  readonly limit?: number;
  readonly cursor?: string;
  /** Rows to skip when there is no cursor: a scrollbar jump in the console's grid (0..1,000,000). */
  readonly offset?: number;
  /** Instant breaches are judged at (default: the database clock). */
  readonly now?: string;
}

export interface TicketPage {
  readonly items: TicketSummary[];
  /** Tickets matching the filters, over all pages. */
  readonly total: number;
  readonly nextCursor: string | null;
}

/**
 * Breach is computed here, never stored: `breach_at` (projected from the deadlines and milestones)
 * compared with now, which matches the domain's `slaStatus(ticket, now).breached`.
 */
export const BREACHED_SQL = (now: string) => `coalesce(t.breach_at < ${now}, false)`;

// What a grid row shows: not the folded state nor the search vector, which only weigh the page down.
const SUMMARY_COLUMNS = [
  'id', 'commune_id', 'quartier_id', 'category', 'subcategory', 'status', 'priority', 'team_id', 'agent_id', 'lat', 'lon',
  'accuracy', 'landmark', 'description', 'confirmations', 'anonymous', 'confidential', 'channel', 'reported_at',
  'acknowledged_at', 'resolved_at', 'closed_at', 'ack_due_at', 'resolve_due_at', 'breach_at', 'duplicate_of', 'created_at',
  'updated_at', 'revision',
].map((c) => `t.${c}`).join(', ');

/** The console grid: filters, one whitelisted sort, keyset pagination and the total count. */
export async function listTickets(client: pg.ClientBase, filters: TicketFilters = {}): Promise<TicketPage> {
  const sortKey = filters.sort ?? 'reported_at';
  const sort = SORTS[sortKey];
  if (!sort) throw new RangeError(`Unknown sort: ${String(sortKey)}`);
  const direction = filters.direction ?? 'desc';
  if (direction !== 'asc' && direction !== 'desc') throw new RangeError(`Unknown direction: ${String(direction)}`);
  const limit = filters.limit ?? 50;
  if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new RangeError('limit must be between 1 and 500');

  // Without a commune filter, the caller's scope becomes one, so the commune indexes serve the query.
  const scope = filters.communeId === undefined ? await scopedCommunes(client) : null;
  const page = new SqlParams();
  const where = filterClauses(filters, page, scope);
  const filtered = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  if (filters.cursor !== undefined) {
    const cursor = decodeCursor(filters.cursor);
    if (cursor.sort !== sortKey || cursor.direction !== direction) throw new InvalidCursorError();
    const op = direction === 'desc' ? '<' : '>';
    where.push(`(${sort.column}, t.id) ${op} (${page.add(cursor.value)}::${sort.type}, ${page.add(cursor.id)}::text)`);
  }
  const order = `${sort.column} ${direction.toUpperCase()}, t.id ${direction.toUpperCase()}`;
  // The total rides along in the same statement, so page and count come from one snapshot.
  const pageSql = `
    SELECT ${SUMMARY_COLUMNS}, ${sort.column}::text AS sort_value, ${BREACHED_SQL(page.now(filters.now))} AS breached,
           (SELECT count(*)::integer FROM read.tickets t ${filtered}) AS total
    FROM read.tickets t
    ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
    ORDER BY ${order}
    LIMIT ${page.add(limit + 1)}${filters.cursor === undefined && filters.offset ? ` OFFSET ${page.add(filters.offset)}` : ''}`;
  if (filters.offset !== undefined && (!Number.isInteger(filters.offset) || filters.offset < 0 || filters.offset > 1_000_000)) {
    throw new RangeError('offset must be between 0 and 1,000,000');
  }
  const pageResult = await client.query(pageSql, page.values);
  let total: number | undefined = pageResult.rows[0]?.total;
  if (total === undefined) {
    // An empty page (e.g. past the last row) still reports how many tickets match.
    const count = new SqlParams();
    const countWhere = filterClauses(filters, count, scope);
    const countSql = `SELECT count(*)::integer AS total FROM read.tickets t ${countWhere.length > 0 ? `WHERE ${countWhere.join(' AND ')}` : ''}`;
    total = (await client.query<{ total: number }>(countSql, count.values)).rows[0]!.total;
  }
  const rows = pageResult.rows.slice(0, limit);
  const last = rows[rows.length - 1];
  return {
    items: rows.map(toTicketSummary),
    total,
    nextCursor:
      pageResult.rows.length > limit && last ? encodeCursor({ sort: sortKey, direction, value: String(last.sort_value), id: String(last.id) }) : null,
  };
}

/** Positional parameters of one statement; user input only ever travels here. */
class SqlParams {
  readonly values: unknown[] = [];
  #now: string | null = null;
  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  /** The instant breaches are judged at: the caller's, or the database clock. */
  now(at: string | undefined): string {
    if (at === undefined) return 'now()';
    this.#now ??= `${this.add(at)}::timestamptz`;
    return this.#now;
  }
}

/** The communes of the current scope (null: all of them), as set by `withCommuneScope`. */
async function scopedCommunes(client: pg.ClientBase): Promise<string[] | null> {
  const known = scopeOf(client);
  if (known !== undefined) return known === '*' ? null : [...known];
  const { rows } = await client.query<{ scope: string | null }>(`SELECT current_setting('palabre.communes', true) AS scope`);
  const scope = rows[0]?.scope ?? '';
  return scope === '*' ? null : scope.split(',').filter((id) => id !== '');
}

function filterClauses(filters: TicketFilters, params: SqlParams, scope: string[] | null): string[] {
  const where: string[] = [];
  // A single commune as a plain equality, so the (commune_id, sort) indexes also give the order.
  if (scope !== null && scope.length === 1) where.push(`t.commune_id = ${params.add(scope[0])}`);
  else if (scope !== null) where.push(`t.commune_id = ANY(${params.add(scope)}::text[])`);
  const list = (v: string | readonly string[]) => (typeof v === 'string' ? [v] : [...v]);
  if (filters.communeId !== undefined) where.push(`t.commune_id = ${params.add(filters.communeId)}`);
  if (filters.status !== undefined) where.push(`t.status = ANY(${params.add(list(filters.status))}::text[])`);
  if (filters.category !== undefined) where.push(`t.category = ANY(${params.add(list(filters.category))}::text[])`);
  if (filters.quartierId !== undefined) where.push(`t.quartier_id = ${params.add(filters.quartierId)}`);
  if (filters.teamId !== undefined) where.push(`t.team_id = ${params.add(filters.teamId)}`);
  if (filters.agentId !== undefined) where.push(`t.agent_id = ${params.add(filters.agentId)}`);
  if (filters.reporterId !== undefined) where.push(`t.reporter_id = ${params.add(filters.reporterId)}`);
  if (filters.visibleToCitizen !== undefined) where.push(`(NOT t.confidential OR t.reporter_id = ${params.add(filters.visibleToCitizen)})`);
  if (filters.bbox !== undefined) {
    const { minLon, minLat, maxLon, maxLat } = filters.bbox;
    where.push(`t.lat BETWEEN ${params.add(minLat)}::float8 AND ${params.add(maxLat)}::float8`);
    where.push(`t.lon BETWEEN ${params.add(minLon)}::float8 AND ${params.add(maxLon)}::float8`);
  }
  if (filters.text !== undefined && filters.text.trim() !== '') {
    // Through the GIN index (see migration 003); RLS on `tickets` still applies to the rows returned.
    where.push(`t.id IN (SELECT s.id FROM read.search_ticket_ids(${params.add(filters.text)}) s)`);
  }
  if (filters.breached !== undefined) {
    const now = params.now(filters.now);
    where.push(filters.breached ? `t.breach_at < ${now}` : `(t.breach_at IS NULL OR t.breach_at >= ${now})`);
  }
  return where;
}

/** One ticket with everything staff may see; null when missing or outside the caller's communes. */
export async function getTicket(client: pg.ClientBase, id: string): Promise<TicketDetail | null> {
  return (await getTickets(client, [id]))[0] ?? null;
}

/** A ticket's whole row, and whether it is breached now (`toTicketDetail` reads both). */
const DETAIL_SELECT = `SELECT t.*, ${BREACHED_SQL('now()')} AS breached FROM read.tickets t`;

/**
 * Tickets with their reporter, anonymous ones included, across every commune in one round trip:
 * the live gateway reads them for each projected batch. The reporter is only for reaching their
 * phone and telling them "this one is yours"; the detail itself withholds it where it must.
 */
export async function ticketsToBroadcast(pool: pg.Pool, ids: readonly string[]): Promise<{ row: TicketDetail; reporterId: string | null }[]> {
  if (ids.length === 0) return [];
  const rows = await readOnceInScope(pool, '*', `${DETAIL_SELECT} WHERE t.id = ANY(${textArrayLiteral([...new Set(ids)])})`);
  return rows.map((r) => ({ row: toTicketDetail(r), reporterId: (r.reporter_id as string | null) ?? null }));
}

/** Several tickets in one statement (live updates fan out a whole projected batch). */
export async function getTickets(client: pg.ClientBase, ids: readonly string[]): Promise<TicketDetail[]> {
  if (ids.length === 0) return [];
  const { rows } = await client.query(`${DETAIL_SELECT} WHERE t.id = ANY($1::text[])`, [[...new Set(ids)]]);
  return rows.map(toTicketDetail);
}
