import { randomUUID } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizen, type Client, eventCount, type Reply, staff, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
let reporter: Client;
let dispatcher: Client;
let ticket: { id: string; revision: number };
const valid = { category: 'salubrite', description: 'Le bac déborde', location: { lat: 3.98, lon: 11.6 } };

beforeAll(async () => {
  api = await startTestPalabre();
  [reporter, dispatcher] = await Promise.all([citizen(api), staff(api, 'dispatcher.soa')]);
  ticket = (await reporter.report()).body;
  await dispatcher.ticketAt(ticket.id, ticket.revision);
});
afterAll(async () => {
  await api?.close();
});

/** Sends a bad request and checks the problem it earns and that the log did not move. */
async function refused(send: () => Promise<Reply>, status: number, code: string, path?: string): Promise<Reply> {
  const before = await eventCount(api);
  const reply = await send();
  expect(reply.status, JSON.stringify(reply.body)).toBe(status);
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(reply.body).toMatchObject({ status, code, type: expect.stringContaining(code), title: expect.any(String), detail: expect.any(String), errors: expect.any(Array) });
  if (path !== undefined) expect(reply.body.errors.map((e: { path: string }) => e.path)).toContain(path);
  expect(await eventCount(api)).toBe(before);
  return reply;
}

const postRaw = (client: Client, path: string, raw: string, headers: Record<string, string> = {}) =>
  client.request('POST', path, { raw, headers: { 'content-type': 'application/json', 'idempotency-key': randomUUID(), ...headers } });

describe('bad input is refused with problem+json and nothing appended', () => {
  it('malformed JSON', async () => {
    await refused(() => postRaw(reporter, '/api/tickets', '{"category": "salubrite", '), 400, 'body.malformed_json', 'body');
  });

  it('wrong types, naming every bad field', async () => {
    const reply = await refused(() => reporter.report({ description: 42, location: { lat: '3.98', lon: 11.6 }, anonymous: 'yes' }), 400, 'validation.failed');
    expect(reply.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.anonymous', 'body.description', 'body.location.lat']);
    await refused(() => reporter.report({ unexpected: true }), 400, 'validation.failed', 'body');
    await refused(() => dispatcher.act(ticket.id, 'triage', { priority: 'whenever' }, ticket.revision), 400, 'validation.failed', 'body.priority');
  });

  it('coordinates out of range', async () => {
    await refused(() => reporter.report({ location: { lat: 91, lon: 11.6 } }), 400, 'validation.failed', 'body.location.lat');
    await refused(() => reporter.report({ location: { lat: 3.98, lon: -181 } }), 400, 'validation.failed', 'body.location.lon');
  });

  it('a point outside every commune served', async () => {
    await refused(() => reporter.report({ location: { lat: 48.85, lon: 2.35 } }), 400, 'location.outside_communes', 'body.location');
  });

  it('an unknown category or subcategory', async () => {
    await refused(() => reporter.report({ category: 'volcans', subcategory: undefined }), 400, 'category.unknown', 'body.category');
    await refused(() => reporter.report({ subcategory: 'nids-de-poule' }), 400, 'subcategory.unknown', 'body.subcategory');
  });

  it('an oversize body', async () => {
    const huge = JSON.stringify({ ...valid, description: 'x'.repeat(70 * 1024) });
    await refused(() => postRaw(reporter, '/api/tickets', huge), 413, 'body.too_large', 'body');
  });

  it('a text file named .jpg', async () => {
    const mediaDir = api.palabre.infra.config.mediaDir;
    const stored = () => (existsSync(mediaDir) ? readdirSync(mediaDir, { recursive: true }).length : 0);
    const before = stored();
    await refused(() => reporter.upload(new TextEncoder().encode('just some text, not a photo\n'), 'photo.jpg', 'image/jpeg'), 415, 'media.unsupported_type', 'body.file');
    expect(stored()).toBe(before);
  });

  it('a photo id that names no upload', async () => {
    await refused(() => reporter.report({ mediaIds: ['a'.repeat(64)] }), 400, 'media.not_found', 'body.mediaIds.0');
  });

  it('a missing or malformed Idempotency-Key', async () => {
    await refused(() => reporter.post('/api/tickets', valid), 428, 'idempotency_key.missing', 'header.idempotency-key');
    await refused(() => reporter.post('/api/tickets', valid, { 'idempotency-key': 'short' }), 400, 'idempotency_key.invalid', 'header.idempotency-key');
  });

  it('a missing or malformed If-Match on a staff action', async () => {
    await refused(() => dispatcher.act(ticket.id, 'triage', { priority: 'high' }), 428, 'if_match.missing', 'header.if-match');
    await refused(() => dispatcher.post(`/api/tickets/${ticket.id}/triage`, { priority: 'high' }, { 'if-match': 'yesterday' }), 400, 'if_match.invalid', 'header.if-match');
  });

  it('an unknown action or ticket', async () => {
    await refused(() => dispatcher.act(ticket.id, 'explode', {}, ticket.revision), 404, 'route.not_found');
    await refused(() => dispatcher.act('TNOSUCHTICKET', 'triage', { priority: 'high' }, 0), 404, 'ticket.not_found');
    await refused(() => dispatcher.get('/api/tickets/TNOSUCHTICKET'), 404, 'ticket.not_found');
  });

  it('bad list queries', async () => {
    await refused(() => dispatcher.get('/api/tickets?status=lost'), 400, 'validation.failed', 'query.status.0');
    await refused(() => dispatcher.get('/api/tickets?limit=500'), 400, 'validation.failed', 'query.limit');
    await refused(() => dispatcher.get('/api/tickets?bbox=1,2,3'), 400, 'validation.failed', 'query.bbox');
    await refused(() => dispatcher.get('/api/tickets?cursor=not-a-cursor'), 400, 'cursor.invalid', 'query.cursor');
  });

  it('no token', async () => {
    const anonymous = new (reporter.constructor as typeof Client)(api.url);
    const reply = await refused(() => anonymous.report(), 401, 'auth.required');
    expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });
});
