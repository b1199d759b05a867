import type { PageRequest } from '../api/tickets.js';
import type { TicketPage, TicketView } from '../api/types.js';

export type FetchPage = (page: PageRequest) => Promise<TicketPage>;

export interface Rows {
  readonly rows: readonly TicketView[];
  readonly total: number;
}

/** The API's largest page; walking to a far row goes in steps this big. */
export const maxPageSize = 200;

/**
 * Random access over the API's keyset pagination, for the grid's infinite row model.
 * A block whose starting cursor is known is one request. A far jump (the scrollbar dragged to row
 * 60,000) uses `offset` when the server says it supports it (GET /api/config `ticketOffsets`), and
 * otherwise walks from the nearest known cursor, remembering every cursor it passes.
 * One pager serves one query; a new filter or sort gets a new pager.
 */
export class TicketPager {
  /** Start row → cursor that returns rows from there. Row 0 needs none. */
  readonly #cursors = new Map<number, string | null>([[0, null]]);
  #walking: Promise<unknown> = Promise.resolve();
  #total = 0;
  /** Requests sent, for the figures and for tests of the walking strategy. */
  requests = 0;

  constructor(
    private readonly fetchPage: FetchPage,
    private readonly randomAccess = false,
  ) {}

  get total(): number {
    return this.#total;
  }

  async rows(startRow: number, endRow: number): Promise<Rows> {
    const limit = Math.min(endRow - startRow, maxPageSize);
    if (startRow === 0) return this.#fetch(0, { limit });
    const cursor = this.#cursors.get(startRow);
    if (cursor) return this.#fetch(startRow, { limit, cursor });
    if (this.randomAccess) return this.#fetch(startRow, { limit, offset: startRow });
    // Walks run one after another: two walks to neighbouring blocks share most of their steps.
    const walk = this.#walking.then(() => this.#walkTo(startRow, limit));
    this.#walking = walk.catch(() => undefined);
    return walk;
  }

  async #walkTo(startRow: number, limit: number): Promise<Rows> {
    for (;;) {
      const known = this.#cursors.get(startRow);
      if (known !== undefined) return this.#fetch(startRow, known === null ? { limit } : { limit, cursor: known });
      const from = this.#nearestKnownBelow(startRow);
      if (from.row >= this.#total && this.#total > 0) return { rows: [], total: this.#total };
      // Land on multiples of the page size so the cursors passed are block starts for later.
      const step = Math.min(maxPageSize - (from.row % maxPageSize), startRow - from.row);
      const page = await this.#fetch(from.row, from.cursor === null ? { limit: step } : { limit: step, cursor: from.cursor });
      // Past the end: fewer rows than asked, or no cursor to go on with.
      if (page.rows.length < step || !this.#cursors.has(from.row + step)) return { rows: [], total: this.#total };
    }
  }

  #nearestKnownBelow(row: number): { row: number; cursor: string | null } {
    let best = { row: 0, cursor: null as string | null };
    for (const [start, cursor] of this.#cursors) if (start <= row && start >= best.row && (cursor !== null || start === 0)) best = { row: start, cursor };
    return best;
  }

  async #fetch(startRow: number, page: PageRequest): Promise<Rows> {
    this.requests += 1;
    const result = await this.fetchPage(page);
    this.#total = result.total;
    if (result.nextCursor !== null) this.#cursors.set(startRow + result.items.length, result.nextCursor);
    return { rows: result.items, total: result.total };
  }
}
