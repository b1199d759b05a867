import { describe, expect, it } from 'vitest';
import type { PageRequest } from '../api/tickets.js';
import type { TicketPage, TicketView } from '../api/types.js';
import { TicketPager } from './ticket-pager.js';

/** An in-memory list paged the way the API pages: opaque cursors, optionally offsets. */
function keysetServer(count: number, honoursOffset: boolean) {
  const rows = Array.from({ length: count }, (_, i) => ({ id: `T${String(i).padStart(6, '0')}`, reference: `SOA-${i}` }) as unknown as TicketView);
  const seen: PageRequest[] = [];
  const fetchPage = async (page: PageRequest): Promise<TicketPage> => {
    seen.push(page);
    let start = 0;
    if (page.cursor !== undefined) start = rows.findIndex((r) => r.id === Buffer.from(page.cursor!, 'base64url').toString()) + 1;
    else if (honoursOffset && page.offset !== undefined) start = page.offset;
    const items = rows.slice(start, start + page.limit);
    const last = items.at(-1);
    const nextCursor = start + page.limit < rows.length && last ? Buffer.from(last.id).toString('base64url') : null;
    return { items, total: rows.length, nextCursor, ...(honoursOffset && page.offset !== undefined && page.cursor === undefined ? { offset: start } : {}) };
  };
  return { fetchPage, seen };
}

const ids = (rows: readonly TicketView[]) => rows.map((r) => r.id);

describe('paging the grid over keyset pagination', () => {
  it('follows cursors block after block while the dispatcher scrolls', async () => {
    const server = keysetServer(1000, false);
    const pager = new TicketPager(server.fetchPage);
    expect(ids((await pager.rows(0, 100)).rows)).toHaveLength(100);
    const second = await pager.rows(100, 200);
    expect(second.total).toBe(1000);
    expect(ids(second.rows)[0]).toBe('T000100');
    expect(server.seen.at(-1)?.cursor).toBeDefined();
    expect(pager.requests).toBe(2);
  });

  it('jumps straight to a far block with an offset when the server supports it', async () => {
    const server = keysetServer(100_000, true);
    const pager = new TicketPager(server.fetchPage, true);
    const far = await pager.rows(60_000, 60_100);
    expect(ids(far.rows)[0]).toBe('T060000');
    expect(pager.requests).toBe(1);
    const next = await pager.rows(60_100, 60_200);
    expect(ids(next.rows)[0]).toBe('T060100');
    expect(server.seen.at(-1)?.cursor).toBeDefined();
  });

  it('walks in the largest pages to a far block when offsets are not honoured, and reuses the path', async () => {
    const server = keysetServer(10_000, false);
    const pager = new TicketPager(server.fetchPage);
    const far = await pager.rows(3000, 3100);
    expect(ids(far.rows)[0]).toBe('T003000');
    expect(server.seen.some((p) => p.offset !== undefined)).toBe(false);
    expect(server.seen.filter((p) => p.limit === 200)).toHaveLength(15); // rows 0 to 3000 in steps of 200
    const before = pager.requests;
    expect(ids((await pager.rows(2800, 2900)).rows)[0]).toBe('T002800');
    expect(pager.requests).toBe(before + 1);
  });

  it('shares one walk between neighbouring blocks requested together', async () => {
    const server = keysetServer(10_000, false);
    const pager = new TicketPager(server.fetchPage);
    const [a, b] = await Promise.all([pager.rows(4000, 4100), pager.rows(4100, 4200)]);
    expect(ids(a.rows)[0]).toBe('T004000');
    expect(ids(b.rows)[0]).toBe('T004100');
    expect(pager.requests).toBe(22); // 20 steps of 200 to row 4000, then the two blocks
  });

  it('returns no rows past the end instead of walking forever', async () => {
    const server = keysetServer(250, false);
    const pager = new TicketPager(server.fetchPage);
    expect(await pager.rows(400, 500)).toEqual({ rows: [], total: 250 });
    expect(ids((await pager.rows(200, 300)).rows)).toHaveLength(50);
  });
});
