import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Ticket, slaStatus } from '@palabre/domain';
import { type Fixture, openFixture } from '../testing/fixture.js';
import { appendWorkload } from '../testing/workload.js';
import { defaultProjectors } from '../projectors/index.js';
import { startProjectors } from '../runner.js';
import { withCommuneScope } from '../scope.js';
import { type TicketFilters, type TicketSort, InvalidCursorError, communeBreakdown, communeDays, getTicket, getTickets, getTimeline, listTickets, projectedTicketDetail, ticketSorts, ticketsToBroadcast } from './index.js';

describe('read-model queries', () => {
  let f: Fixture;
  let states: Map<string, Ticket>;
  /** The last row the tickets projector wrote for each ticket, as its batches handed them on. */
  const projected = new Map<string, Record<string, unknown>>();
  const soa = <T>(fn: Parameters<typeof withCommuneScope<T>>[2]) => withCommuneScope(f.pool, ['soa'], fn);

  beforeAll(async () => {
    f = await openFixture('projections_queries');
    const { last } = await appendWorkload(f.store, { tickets: 300, seed: 11 });
    const group = startProjectors(f.store, f.pool, defaultProjectors, {
      batchSize: 200,
      onBatch: (batch) => {
        for (const row of batch.projected.tickets ?? []) projected.set(row.id as string, row);
      },
    });
    await group.waitFor(last);
    await group.stop();
    const { rows } = await f.pool.query('SELECT id, state FROM read.tickets');
    states = new Map(rows.map((r) => [r.id, r.state as Ticket]));
  });
  afterAll(() => f.close());

  /** Every page of a listing, following cursors. */
  async function allPages(filters: TicketFilters) {
    return soa(async (client) => {
      const ids: string[] = [];
      let cursor: string | undefined;
      let total = -1;
      do {
        const page = await listTickets(client, { ...filters, limit: 13, ...(cursor ? { cursor } : {}) });
        ids.push(...page.items.map((t) => t.id));
        total = page.total;
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return { ids, total };
    });
  }

  const soaTickets = () => [...states.values()].filter((t) => t.communeId === 'soa');

  it.each(ticketSorts.flatMap((sort) => (['asc', 'desc'] as const).map((direction) => [sort, direction] as const)))(
    'pages through every Soa ticket sorted by %s %s, without repeats or gaps',
    async (sort: TicketSort, direction) => {
      const { ids, total } = await allPages({ communeId: 'soa', sort, direction });
      const column = { reported_at: 'reported_at', updated_at: 'updated_at', priority: 'priority_rank', status: 'status', category: 'category' }[sort];
      const expected = await f.pool.query(
        `SELECT id FROM read.tickets WHERE commune_id = 'soa' ORDER BY ${column} ${direction}, id ${direction}`,
      );
      expect(ids).toEqual(expected.rows.map((r) => r.id));
      expect(total).toBe(soaTickets().length);
    },
  );

  it('gives live updates, from the rows a batch just wrote, the very detail a read of them gives', async () => {
    const { now, read } = await withCommuneScope(f.pool, '*', async (client) => ({
      now: (await client.query<{ ms: number }>('SELECT extract(epoch FROM now()) * 1000 AS ms')).rows[0]!.ms,
      read: await getTickets(client, [...projected.keys()]),
    }));
    expect(read).toHaveLength(states.size);
    // Tickets whose events span batches were read back before their last row (created_at as text).
    expect(read.filter((t) => t.revision > 1).length).toBeGreaterThan(100);
    expect(read.some((t) => t.breached) && read.some((t) => !t.breached)).toBe(true);
    for (const detail of read) expect(projectedTicketDetail(projected.get(detail.id)!, Number(now))).toEqual(detail);
  });

  it('never lists another commune, even without a commune filter', async () => {
    const { ids, total } = await allPages({});
    expect(total).toBe(soaTickets().length);
    expect(ids.every((id) => states.get(id)!.communeId === 'soa')).toBe(true);
  });

  it('lists every commune of a wider scope', async () => {
    const page = await withCommuneScope(f.pool, ['soa', 'dschang'], (c) => listTickets(c, { limit: 5 }));
    const national = await withCommuneScope(f.pool, '*', (c) => listTickets(c, { limit: 5 }));
    expect(page.total).toBe(states.size);
    expect(national.total).toBe(states.size);
    expect(page.items.map((t) => t.id)).toEqual(national.items.map((t) => t.id));
  });

  it('filters by status, category, team, agent and quartier together', async () => {
    const [sample] = soaTickets().filter((t) => t.agentId !== null);
    const filters = { status: sample!.status, category: sample!.category!, teamId: sample!.teamId!, agentId: sample!.agentId!, quartierId: sample!.quartierId! };
    const { ids } = await allPages(filters);
    const expected = soaTickets().filter(
      (t) => t.status === filters.status && t.category === filters.category && t.teamId === filters.teamId && t.agentId === filters.agentId && t.quartierId === filters.quartierId,
    );
    expect(ids.sort()).toEqual(expected.map((t) => t.ticketId).sort());
    expect(ids).toContain(sample!.ticketId);
  });

  it('filters by several statuses and by map viewport', async () => {
    const bbox = { minLat: 3.95, maxLat: 3.98, minLon: 11.57, maxLon: 11.6 };
    const { ids } = await allPages({ status: ['assigned', 'in_progress'], bbox });
    const expected = soaTickets().filter(
      (t) =>
        ['assigned', 'in_progress'].includes(t.status) &&
        t.location!.lat >= bbox.minLat && t.location!.lat <= bbox.maxLat && t.location!.lon >= bbox.minLon && t.location!.lon <= bbox.maxLon,
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(ids.sort()).toEqual(expected.map((t) => t.ticketId).sort());
  });

  it('finds words of the description or the landmark', async () => {
    const { ids } = await allPages({ text: 'pharmacie' });
    const expected = soaTickets().filter((t) => /pharmacie/.test(`${t.description} ${t.landmark ?? ''}`));
    expect(expected.length).toBeGreaterThan(0);
    expect(ids.sort()).toEqual(expected.map((t) => t.ticketId).sort());
  });

  // Judged after the last event, as live queries are: 1 hour, 3 days and 40 days later.
  it.each([1, 72, 960])(
    'agrees with the domain on which tickets are breached %i hours after the last event',
    async (hours) => {
      const lastEvent = Math.max(...[...states.values()].map((t) => Date.parse(t.updatedAt!)));
      const now = new Date(lastEvent + hours * 3_600_000).toISOString();
      const breached = await allPages({ breached: true, now });
      const onTime = await allPages({ breached: false, now });
      const expected = soaTickets().filter((t) => slaStatus(t, now).breached);
      expect(breached.ids.sort()).toEqual(expected.map((t) => t.ticketId).sort());
      expect(breached.total + onTime.total).toBe(soaTickets().length);
    },
  );

  it('refuses a cursor issued for another sort', async () => {
    const page = await soa((c) => listTickets(c, { sort: 'priority', limit: 2 }));
    await expect(soa((c) => listTickets(c, { sort: 'status', cursor: page.nextCursor! }))).rejects.toThrow(InvalidCursorError);
    await expect(soa((c) => listTickets(c, { cursor: 'not-a-cursor' }))).rejects.toThrow(InvalidCursorError);
  });

  it('returns a ticket of the scope, hides the reporter of an anonymous one, and nothing outside', async () => {
    const anonymous = soaTickets().find((t) => t.anonymous)!;
    const named = soaTickets().find((t) => !t.anonymous)!;
    const dschang = [...states.values()].find((t) => t.communeId === 'dschang')!;
    const [a, n, d] = await soa(async (c) => [
      await getTicket(c, anonymous.ticketId!),
      await getTicket(c, named.ticketId!),
      await getTicket(c, dschang.ticketId!),
    ]);
    expect(a).toMatchObject({ id: anonymous.ticketId, anonymous: true, reporterId: null });
    expect(n).toMatchObject({ id: named.ticketId, reporterId: named.reporterId, confirmations: named.confirmations.length });
    expect(d).toBeNull();
  });

  it('hands the live gateway tickets of every commune with their reporter, anonymous ones included, in the detail others get', async () => {
    const anonymous = soaTickets().find((t) => t.anonymous)!;
    const named = soaTickets().find((t) => !t.anonymous)!;
    const dschang = [...states.values()].find((t) => t.communeId === 'dschang')!;
    const ids = [anonymous.ticketId!, named.ticketId!, dschang.ticketId!, anonymous.ticketId!, 'no-such-ticket'];
    const sent = await ticketsToBroadcast(f.pool, ids);
    const byId = new Map(sent.map((s) => [s.row.id, s]));
    expect([...byId.keys()].sort()).toEqual([anonymous.ticketId, named.ticketId, dschang.ticketId].sort());
    expect(byId.get(anonymous.ticketId!)).toMatchObject({ reporterId: anonymous.reporterId, row: { anonymous: true, reporterId: null } });
    expect(byId.get(named.ticketId!)!.reporterId).toBe(named.reporterId);
    const details = await withCommuneScope(f.pool, '*', (c) => getTickets(c, ids));
    for (const detail of details) expect(byId.get(detail.id)!.row).toEqual(detail);
    expect(await ticketsToBroadcast(f.pool, [])).toEqual([]);
  });

  it('gives citizens the public history and staff the whole one', async () => {
    const ticket = soaTickets().find((t) => t.noteIds.some((id) => id.endsWith('-n1')))!;
    const [publicHistory, wholeHistory] = await soa(async (c) => [
      await getTimeline(c, ticket.ticketId!, { includeInternal: false }),
      await getTimeline(c, ticket.ticketId!, { includeInternal: true }),
    ]);
    const [pub, all] = [publicHistory.items, wholeHistory.items];
    // Both say how far the history goes, internal rows included: a citizen can tell it is complete.
    expect(publicHistory.revision).toBe(all.length - 1);
    expect(wholeHistory.revision).toBe(all.length - 1);
    expect(await soa((c) => getTimeline(c, 'T-not-yet-projected', { includeInternal: true }))).toEqual({ items: [], revision: null });
    expect(all.map((i) => i.summary)).toContain('ticket.routed');
    expect(all.map((i) => i.revision)).toEqual(all.map((_, i) => i));
    expect(pub.map((i) => i.summary)).not.toContain('ticket.routed');
    expect(pub.every((i) => i.visibility === 'public' && i.internal === undefined && i.actorId === undefined)).toBe(true);
    expect(pub.length).toBeLessThan(all.length);
    expect(all[0]).toMatchObject({ summary: 'ticket.reported', eventType: 'TicketReported', actorRole: 'citizen' });
  });

  it('counts each day in Douala time with exact medians', async () => {
    const douala = (iso: string) => new Date(Date.parse(iso) + 3_600_000).toISOString().slice(0, 10);
    const median = (xs: number[]) => {
      if (xs.length === 0) return null;
      const s = [...xs].sort((a, b) => a - b);
      const m = Math.floor(s.length / 2);
      return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
    };
    const expected = new Map<string, { received: number; ack: number[]; res: number[] }>();
    const bucket = (day: string, category: string) => {
      const key = `${day}|${category}`;
      if (!expected.has(key)) expected.set(key, { received: 0, ack: [], res: [] });
      return expected.get(key)!;
    };
    const secondsSince = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;
    for (const t of soaTickets()) {
      bucket(douala(t.reportedAt!), t.category!).received++;
      if (t.acknowledgedAt) bucket(douala(t.acknowledgedAt), t.category!).ack.push(secondsSince(t.reportedAt!, t.acknowledgedAt));
      if (t.resolvedAt) bucket(douala(t.resolvedAt), t.category!).res.push(secondsSince(t.reportedAt!, t.resolvedAt));
    }
    const period = { communeId: 'soa', from: '2026-01-01', to: '2026-12-31' };
    const days = await soa((c) => communeDays(c, period));
    const actual = new Map(days.map((d) => [`${d.day}|${d.category}`, d]));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [key, e] of expected) {
      expect(actual.get(key)).toMatchObject({
        received: e.received,
        acknowledged: e.ack.length,
        resolved: e.res.length,
        medianAckSeconds: median(e.ack),
        medianResolveSeconds: median(e.res),
      });
    }
    // Period medians come from the durations themselves, not from daily medians.
    const voirie = (await soa((c) => communeBreakdown(c, period))).byCategory.find((t) => t.category === 'voirie')!;
    const acks = soaTickets().filter((t) => t.category === 'voirie' && t.acknowledgedAt).map((t) => secondsSince(t.reportedAt!, t.acknowledgedAt!));
    expect(voirie.medianAckSeconds).toBe(median(acks));
    expect(voirie.received).toBe(soaTickets().filter((t) => t.category === 'voirie').length);
  });

  it('sees no Soa statistics from a Dschang scope', async () => {
    const period = { communeId: 'soa', from: '2026-01-01', to: '2026-12-31' };
    expect(await withCommuneScope(f.pool, ['dschang'], (c) => communeDays(c, period))).toEqual([]);
    expect((await withCommuneScope(f.pool, ['dschang'], (c) => communeBreakdown(c, period))).byCategory).toEqual([]);
  });
});
