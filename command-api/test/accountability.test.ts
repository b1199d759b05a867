import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizen, type Client, staff, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
let dispatcher: Client;
let auditor: Client;
let admin: Client;

beforeAll(async () => {
  api = await startTestPalabre();
  dispatcher = await staff(api, 'dispatcher.soa');
  auditor = await staff(api, 'auditor.soa');
  admin = await staff(api, 'admin.soa');
});
afterAll(async () => {
  await api?.close();
});

const trail = async () => (await auditor.get('/api/audit/access-trail?communeId=soa&limit=100')).body;

describe('accountability over HTTP', () => {
  it('shows a ticket as it was at a past instant, replayed from its stream', async () => {
    const reporter = await citizen(api);
    const created = await reporter.report({ description: 'Bac plein rue du marché' });
    await dispatcher.ticketAt(created.body.id, created.body.revision);
    const before = new Date().toISOString();
    await new Promise((r) => setTimeout(r, 20)); // the next event is recorded strictly after `before`
    const triaged = await dispatcher.act(created.body.id, 'triage', { priority: 'urgent' }, created.body.revision);
    expect(triaged.status).toBe(200);
    await dispatcher.ticketAt(created.body.id, triaged.body.revision);

    const past = await dispatcher.get(`/api/tickets/${created.body.id}?asOf=${encodeURIComponent(before)}`);
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ status: 'new', priority: 'normal', revision: created.body.revision, asOf: before });
    expect(past.headers.get('etag')).toBeNull();
    const now = await dispatcher.get(`/api/tickets/${created.body.id}`);
    expect(now.body).toMatchObject({ status: 'triaged', priority: 'urgent' });
    const tooEarly = await dispatcher.get(`/api/tickets/${created.body.id}?asOf=2020-01-01T00:00:00Z`);
    expect(tooEarly.status).toBe(404);
    const bad = await dispatcher.get(`/api/tickets/${created.body.id}?asOf=yesterday`);
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].path).toBe('query.asOf');
  });

  it('records every staff look at a confidential ticket, with who and why, for auditors', async () => {
    const reporter = await citizen(api);
    const created = await reporter.report({ description: 'Occupation illégale signalée en confidence', confidential: true });
    await dispatcher.ticketAt(created.body.id, created.body.revision);
    const looked = await dispatcher.request('GET', `/api/tickets/${created.body.id}`, { headers: { 'x-access-purpose': 'vérifier le signalement' } });
    expect(looked.status).toBe(200);
    const entries = (await trail()).items as { resource: { kind: string; id: string }; purpose: string; viewer: { role: string } }[];
    expect(entries).toContainEqual(expect.objectContaining({ resource: { kind: 'ticket', id: created.body.id }, purpose: 'vérifier le signalement', viewer: expect.objectContaining({ role: 'dispatcher' }) }));
  });

  it('shows a reporter contact only with a purpose, leaves a trace, and shows it erased once forgotten', async () => {
    const reporter = await citizen(api);
    const created = await reporter.report({ description: 'Fuite sur la conduite', category: 'reseaux', subcategory: undefined, contact: { name: 'Awa Ngono', phone: '6 77 12 34 56' } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ticket = await dispatcher.ticketAt(created.body.id, created.body.revision);
    expect(ticket.hasContact).toBe(true);

    const withoutPurpose = await dispatcher.get(`/api/tickets/${created.body.id}/contact`);
    expect(withoutPurpose.status).toBe(400);
    const contact = await dispatcher.request('GET', `/api/tickets/${created.body.id}/contact`, { headers: { 'x-access-purpose': 'rappeler pour localiser la fuite' } });
    expect(contact.status).toBe(200);
    expect(contact.body).toMatchObject({ erased: false, name: 'Awa Ngono', phone: '+237677123456' });
    const entries = (await trail()).items as { resource: { kind: string } }[];
    expect(entries.some((e) => e.resource.kind === 'contact')).toBe(true);

    const { rows } = await api.palabre.infra.pool.query('SELECT contact_subject_id FROM read.tickets WHERE id = $1', [created.body.id]);
    const subjectId = rows[0].contact_subject_id as string;
    const refused = await dispatcher.post(`/api/admin/subjects/${subjectId}/forget`, { reason: 'demande du citoyen' });
    expect(refused.status).toBe(403);
    const forgotten = await admin.post(`/api/admin/subjects/${subjectId}/forget`, { reason: 'demande du citoyen par téléphone' });
    expect(forgotten.status).toBe(200);
    const after = await dispatcher.request('GET', `/api/tickets/${created.body.id}/contact`, { headers: { 'x-access-purpose': 'rappeler' } });
    expect(after.body).toEqual({ erased: true });
    const erasures = await api.palabre.infra.store.readStream('erasure-soa');
    expect(erasures.map((e) => e.type)).toContain('SubjectForgotten');
    expect(JSON.stringify(erasures.map((e) => ({ data: e.data, metadata: e.metadata })))).not.toContain('Awa');
  });

  it('publishes the signing key and signed tree heads over the log', async () => {
    const key = await new (await import('./support.js')).Client(api.url).get('/api/audit/public-key');
    expect(key.status).toBe(200);
    const heads = await auditor.get('/api/audit/tree-heads');
    expect(heads.status).toBe(200);
  });
});
