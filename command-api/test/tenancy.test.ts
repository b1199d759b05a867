import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withCommuneScope } from '@palabre/projections';
import { citizen, type Client, eventCount, staff, startTestPalabre, type TestPalabre } from './support.js';

const DSCHANG = { lat: 5.45, lon: 10.05, accuracy: 10 };

let api: TestPalabre;
let soa: Client;
let dschang: Client;
let national: Client;
let soaTicket: { id: string; revision: number };
let dschangTicket: { id: string; revision: number };

beforeAll(async () => {
  api = await startTestPalabre();
  [soa, dschang, national] = await Promise.all([staff(api, 'dispatcher.soa'), staff(api, 'dispatcher.dschang'), staff(api, 'admin')]);
  const reporter = await citizen(api);
  const [a, b] = await Promise.all([reporter.report(), reporter.report({ location: DSCHANG, landmark: 'rue du lycée' })]);
  soaTicket = a.body;
  dschangTicket = b.body;
  await national.ticketAt(soaTicket.id, soaTicket.revision);
  await national.ticketAt(dschangTicket.id, dschangTicket.revision);
});
afterAll(async () => {
  await api?.close();
});

describe('tenancy', () => {
  it('routes each report to the commune its point lies in', async () => {
    expect((await national.get(`/api/tickets/${soaTicket.id}`)).body.communeId).toBe('soa');
    expect((await national.get(`/api/tickets/${dschangTicket.id}`)).body).toMatchObject({ communeId: 'dschang', reference: expect.stringMatching(/^DSC-/) });
  });

  it('hides another commune’s tickets from reads as if they did not exist', async () => {
    const direct = await soa.get(`/api/tickets/${dschangTicket.id}`);
    expect(direct.status).toBe(404);
    expect(direct.body.code).toBe('ticket.not_found');
    expect((await soa.get(`/api/tickets/${dschangTicket.id}/timeline`)).status).toBe(404);

    const list = await soa.get('/api/tickets?limit=200');
    expect(list.body.items.every((t: any) => t.communeId === 'soa')).toBe(true);
    expect(list.body.items.map((t: any) => t.id)).toContain(soaTicket.id);
    const asked = await soa.get('/api/tickets?communeId=dschang');
    expect(asked.body).toMatchObject({ items: [], total: 0 });

    const both = await national.get('/api/tickets?limit=200');
    expect(both.body.items.map((t: any) => t.id)).toEqual(expect.arrayContaining([soaTicket.id, dschangTicket.id]));
  });

  it('refuses actions on another commune’s ticket and appends nothing', async () => {
    const before = await eventCount(api);
    const refused = await Promise.all([
      soa.act(dschangTicket.id, 'triage', { priority: 'high' }, dschangTicket.revision),
      soa.act(dschangTicket.id, 'assign', { teamId: 'soa-voirie' }, dschangTicket.revision),
      soa.act(dschangTicket.id, 'reject', { reason: 'abusive' }, dschangTicket.revision),
    ]);
    for (const r of refused) {
      expect(r.status, JSON.stringify(r.body)).toBe(404);
      expect(r.body.code).toBe('ticket.not_found');
    }
    expect(await eventCount(api)).toBe(before);
  });

  it('lists only the teams and agents of the caller’s communes', async () => {
    const teams = await soa.get('/api/teams');
    expect(teams.body.length).toBeGreaterThan(0);
    expect(teams.body.every((t: any) => t.communeId === 'soa')).toBe(true);
    const agents = await soa.get('/api/agents?communeId=dschang');
    expect(agents.body).toEqual([]);
    expect((await soa.get('/api/agents')).body.map((a: any) => a.username)).toEqual(['agent.soa']);
  });

  it('is enforced by row-level security in the database, not only by the controllers', async () => {
    const pool = new pg.Pool({ connectionString: api.palabre.infra.databaseUrl, max: 2 });
    try {
      const ids = async (scope: '*' | string[]) =>
        withCommuneScope(pool, scope, async (client) => (await client.query<{ id: string; commune_id: string }>('SELECT id, commune_id FROM read.tickets')).rows);
      const soaRows = await ids(['soa']);
      expect(soaRows.map((r) => r.id)).toContain(soaTicket.id);
      expect(soaRows.filter((r) => r.commune_id !== 'soa')).toEqual([]);
      const timeline = await withCommuneScope(pool, ['soa'], async (client) => (await client.query('SELECT DISTINCT ticket_id FROM read.ticket_timeline WHERE ticket_id = $1', [dschangTicket.id])).rows);
      expect(timeline).toEqual([]);
      expect((await ids([])).length).toBe(0);
      expect((await ids('*')).map((r) => r.id)).toEqual(expect.arrayContaining([soaTicket.id, dschangTicket.id]));
      // The scope's role only reads: even a query that forgot its filter cannot write.
      await expect(withCommuneScope(pool, ['soa'], (client) => client.query(`UPDATE read.tickets SET status = 'closed'`))).rejects.toThrow();
    } finally {
      await pool.end();
    }
  });
});

describe('reporters’ privacy', () => {
  it('never shows staff who filed an anonymous report, in the ticket or its history', async () => {
    const reporter = await citizen(api);
    const { body } = await reporter.report({ anonymous: true, contact: { phone: '+237 690 11 22 33' } });
    const seen = await soa.ticketAt(body.id, body.revision);
    expect(seen).toMatchObject({ anonymous: true, reporter: null, hasContact: false });
    expect(JSON.stringify(seen)).not.toContain(reporter.citizenId);
    const timeline = await soa.timelineAt(body.id, body.revision);
    expect(timeline.body.items[0].actor).toEqual({ id: null, role: 'citizen' });
    expect(JSON.stringify(timeline.body)).not.toContain(reporter.citizenId);

    const named = await reporter.report();
    expect((await soa.ticketAt(named.body.id, named.body.revision)).reporter).toEqual({ citizenId: reporter.citizenId });
  });

  it('never shows staff who filed a confidential report, in the ticket or its history', async () => {
    const reporter = await citizen(api);
    const { body } = await reporter.report({ confidential: true });
    const seen = await soa.ticketAt(body.id, body.revision);
    expect(seen).toMatchObject({ confidential: true, reporter: null });
    const timeline = await soa.timelineAt(body.id, body.revision);
    expect(JSON.stringify(timeline.body)).not.toContain(reporter.citizenId);
  });

  it('keeps a confidential ticket from other citizens: 404 on read and on follow-up actions', async () => {
    const reporter = await citizen(api);
    const other = await citizen(api);
    const { body } = await reporter.report({ confidential: true, description: 'Dépôt sauvage confidentiel' });
    await soa.ticketAt(body.id, body.revision);

    expect((await reporter.get(`/api/tickets/${body.id}`)).body).toMatchObject({ id: body.id, confidential: true, mine: true });
    const read = await other.get(`/api/tickets/${body.id}`);
    expect(read.status).toBe(404);
    expect(read.body.code).toBe('ticket.not_found');
    expect((await other.get(`/api/tickets/${body.id}/timeline`)).status).toBe(404);
    expect((await other.act(body.id, 'confirm', {})).status).toBe(404);
  });

  it('keeps a confidential ticket out of other citizens’ lists and searches', async () => {
    const reporter = await citizen(api);
    const other = await citizen(api);
    const { body } = await reporter.report({ confidential: true, description: 'Dépôt sauvage confidentiel' });
    await soa.ticketAt(body.id, body.revision);
    const nearby = await other.get('/api/tickets?near=3.98,11.6&radius=2000&limit=200');
    expect(nearby.status).toBe(200);
    expect(nearby.body.items.map((t: any) => t.id)).not.toContain(body.id);
    const searched = await other.get('/api/tickets?text=confidentiel');
    expect(searched.body.items.map((t: any) => t.id)).not.toContain(body.id);
    expect(searched.body.total).toBe(0);
  });

  it('still shows an anonymous, confidential reporter their own ticket as theirs', async () => {
    const reporter = await citizen(api);
    const { body } = await reporter.report({ anonymous: true, confidential: true });
    await soa.ticketAt(body.id, body.revision);
    expect((await reporter.get(`/api/tickets/${body.id}`)).body).toMatchObject({ id: body.id, mine: true });
    expect((await reporter.get(`/api/tickets/${body.id}/timeline`)).status).toBe(200);
    expect((await reporter.get('/api/me/tickets')).body.items.map((t: any) => [t.id, t.mine])).toEqual([[body.id, true]]);
    const nearby = await reporter.get('/api/tickets?near=3.98,11.6&radius=2000&limit=200');
    expect(nearby.body.items.find((t: any) => t.id === body.id)?.mine).toBe(true);
    expect(nearby.body.items.filter((t: any) => t.id !== body.id).every((t: any) => t.mine === false)).toBe(true);
  });

  it('never shows a citizen who filed anyone’s report', async () => {
    const reporter = await citizen(api);
    const other = await citizen(api);
    const { body } = await reporter.report();
    await soa.ticketAt(body.id, body.revision);
    const seen = await other.get(`/api/tickets/${body.id}`);
    expect(seen.body).toMatchObject({ mine: false, agentId: null });
    expect(seen.body.reporter).toBeUndefined();
    const list = await other.get('/api/tickets?near=3.98,11.6&radius=2000&limit=200');
    const timeline = await other.get(`/api/tickets/${body.id}/timeline`);
    for (const reply of [seen, list, timeline]) expect(JSON.stringify(reply.body)).not.toContain(reporter.citizenId);
  });
});
