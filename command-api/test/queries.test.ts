import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizen, type Client, staff, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
let dispatcher: Client;
const ids: string[] = [];

beforeAll(async () => {
  api = await startTestPalabre();
  dispatcher = await staff(api, 'dispatcher.soa');
  const reporter = await citizen(api);
  const reports = [
    { category: 'voirie', subcategory: 'nids-de-poule', description: 'Nid-de-poule route de Nkolfoulou', location: { lat: 3.985, lon: 11.605 } },
    { category: 'eclairage', subcategory: undefined, description: 'Lampadaire éteint près de la mairie', location: { lat: 3.99, lon: 11.59 } },
    { description: 'Bac plein au marché' },
    { description: 'Ordures au carrefour' },
    { description: 'Caniveau bouché par les ordures' },
  ];
  // One after another so that reportedAt orders them.
  for (const r of reports) {
    const { body } = await reporter.report(r);
    ids.push(body.id);
    await dispatcher.ticketAt(body.id, body.revision);
  }
  const triaged = await dispatcher.act(ids[0]!, 'triage', { priority: 'urgent' }, 1);
  await dispatcher.ticketAt(ids[0]!, triaged.body.revision);
});
afterAll(async () => {
  await api?.close();
});

describe('ticket lists', () => {
  it('jumps to any row with an offset, as the grid scrollbar does', async () => {
    const all = await dispatcher.get('/api/tickets?limit=5');
    const jumped = await dispatcher.get('/api/tickets?limit=2&offset=3');
    expect(jumped.body.items.map((t: { id: string }) => t.id)).toEqual(all.body.items.slice(3, 5).map((t: { id: string }) => t.id));
    expect(jumped.body.total).toBe(5);
    const config = await dispatcher.get('/api/config');
    expect(config.body.ticketOffsets).toBe(true);
  });

  it('pages with an opaque cursor through every ticket exactly once', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const reply = await dispatcher.get(`/api/tickets?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      expect(reply.status).toBe(200);
      expect(reply.body.total).toBe(5);
      seen.push(...reply.body.items.map((t: { id: string }) => t.id));
      cursor = reply.body.nextCursor;
      pages++;
    } while (cursor !== null);
    expect(pages).toBe(3);
    expect(seen).toEqual([...ids].reverse());
    const ascending = await dispatcher.get('/api/tickets?order=asc&limit=5');
    expect(ascending.body.items.map((t: { id: string }) => t.id)).toEqual(ids);
  });

  it('filters by status, category, box and words, and sorts by priority', async () => {
    const get = async (query: string) => (await dispatcher.get(`/api/tickets?${query}`)).body.items.map((t: { id: string }) => t.id);
    expect(await get('status=triaged')).toEqual([ids[0]]);
    expect(await get('status=new,triaged&category=voirie,eclairage')).toEqual([ids[1], ids[0]]);
    expect(await get('bbox=11.58,3.985,11.595,3.995')).toEqual([ids[1]]);
    expect((await get('text=ordures')).sort()).toEqual([ids[3], ids[4]].sort());
    expect((await get('sort=priority&order=desc'))[0]).toBe(ids[0]);
  });

  it('gives a citizen the public tickets near a point', async () => {
    const neighbour = await citizen(api);
    const near = await neighbour.get('/api/tickets?near=3.99,11.59&radius=300');
    expect(near.body.items.map((t: { id: string }) => t.id)).toEqual([ids[1]]);
    expect(near.body.items[0]).toMatchObject({ mine: false, agentId: null });
  });

  it('counts received and acknowledged tickets per day and category', async () => {
    // The daily statistics have their own projector, which the ticket reads above did not wait for.
    await api.palabre.projectors!.waitFor(await api.palabre.infra.store.headPosition());
    const reply = await dispatcher.get('/api/stats?communeId=soa');
    expect(reply.status).toBe(200);
    const received = reply.body.days.reduce((n: number, d: { received: number }) => n + d.received, 0);
    const acknowledged = reply.body.days.reduce((n: number, d: { acknowledged: number }) => n + d.acknowledged, 0);
    expect([received, acknowledged]).toEqual([5, 1]);
    expect(reply.body.totals).toMatchObject({ received: 5, acknowledged: 1 });
    expect(reply.body.byCategory.reduce((n: number, c: { received: number }) => n + c.received, 0)).toBe(5);
    expect(reply.body.byQuartier.reduce((n: number, c: { received: number }) => n + c.received, 0)).toBe(5);
    expect(reply.body.totals.breachRate).toBeGreaterThanOrEqual(0);
    const elsewhere = await dispatcher.get('/api/stats?communeId=dschang');
    expect(elsewhere.status).toBe(403);
    const backwards = await dispatcher.get('/api/stats?communeId=soa&from=2026-02-01&to=2026-01-01');
    expect(backwards.status).toBe(400);
  });
});
