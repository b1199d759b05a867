import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimits } from '../src/http/rate-limit.js';
import { citizen, Client, eventCount, staff, startTestPalabre, type TestPalabre } from './support.js';

/** A confidential report looked at by a dispatcher (`headers` on the look): the address the trail kept for that look. */
async function trailAddressOfLook(api: TestPalabre, headers: Record<string, string>): Promise<string | null> {
  const dispatcher = await staff(api, 'dispatcher.soa');
  const created = (await (await citizen(api)).report({ confidential: true })).body;
  await dispatcher.ticketAt(created.id, created.revision);
  const looked = await dispatcher.request('GET', `/api/tickets/${created.id}`, { headers: { 'x-access-purpose': 'vérifier le signalement', ...headers } });
  expect(looked.status).toBe(200);
  const trail = await (await staff(api, 'auditor.soa')).get(`/api/audit/access-trail?communeId=soa&resourceId=${created.id}`);
  const look = trail.body.items.find((item: { purpose: string }) => item.purpose === 'vérifier le signalement');
  expect(look).toBeDefined();
  return look.address;
}

/** Sign-in attempts until the first refusal by the login limit; `headers` per attempt. */
async function loginsUntilLimited(api: TestPalabre, headers: (attempt: number) => Record<string, string>): Promise<number> {
  const anonymous = new Client(api.url);
  for (let attempt = 1; attempt <= rateLimits.login.perIp + 5; attempt++) {
    const reply = await anonymous.post('/api/auth/login', { username: 'nobody', password: 'wrong' }, headers(attempt));
    if (reply.status === 429) return attempt;
    expect(reply.status).toBe(401);
  }
  return Infinity;
}

describe('without TRUST_PROXY', () => {
  let api: TestPalabre;
  beforeAll(async () => {
    api = await startTestPalabre();
  });
  afterAll(async () => {
    await api?.close();
  });

  it('ignores X-Forwarded-For: the access trail keeps the socket peer', async () => {
    expect(await trailAddressOfLook(api, { 'x-forwarded-for': '203.0.113.9' })).toBe('127.0.0.1');
  });

  it('ignores X-Forwarded-For: a new address in it on every attempt does not escape the login limit', async () => {
    // Believed, 35 addresses would each have their own allowance; the staff sign-ins above share this one.
    expect(await loginsUntilLimited(api, (attempt) => ({ 'x-forwarded-for': `198.51.100.${attempt}` }))).toBeLessThanOrEqual(rateLimits.login.perIp + 1);
  });

  it('answers replays of accepted reports from the log without using the device quota; a new report is still refused', async () => {
    const phone = await citizen(api);
    const quota = rateLimits.report.perPrincipal;
    const keys = Array.from({ length: quota }, () => randomUUID());
    const accepted = [];
    for (const key of keys) accepted.push(await phone.report({}, key));
    expect(accepted.map((r) => r.status)).toEqual(keys.map(() => 201));
    expect((await phone.report()).status).toBe(429);

    const before = await eventCount(api);
    for (const [i, key] of keys.entries()) {
      const replay = await phone.report({}, key);
      expect(replay.status, JSON.stringify(replay.body)).toBe(201);
      expect(replay.body).toEqual(accepted[i]!.body);
      expect(replay.headers.get('etag')).toBe(accepted[i]!.headers.get('etag'));
      expect(replay.headers.get('location')).toBe(accepted[i]!.headers.get('location'));
    }
    expect(await eventCount(api)).toBe(before);
    const fresh = await phone.report();
    expect(fresh.status).toBe(429);
    expect(fresh.body.code).toBe('rate.limited');
  });
});

describe('TRUST_PROXY names the proxies', () => {
  let api: TestPalabre;
  beforeAll(async () => {
    // The list form: a peer on the loopback is a proxy, and the client is the first untrusted hop from the right.
    api = await startTestPalabre({ env: { TRUST_PROXY: 'loopback' } });
  });
  afterAll(async () => {
    await api?.close();
  });

  it('keeps the client address from X-Forwarded-For in the access trail', async () => {
    expect(await trailAddressOfLook(api, { 'x-forwarded-for': '203.0.113.7' })).toBe('203.0.113.7');
    expect(await trailAddressOfLook(api, { 'x-forwarded-for': '198.51.100.1, 203.0.113.8, 127.0.0.1' })).toBe('203.0.113.8');
  });

  it('limits each client address on its own', async () => {
    expect(await loginsUntilLimited(api, () => ({ 'x-forwarded-for': '203.0.113.20' }))).toBe(rateLimits.login.perIp + 1);
    const other = await new Client(api.url).post('/api/auth/login', { username: 'nobody', password: 'wrong' }, { 'x-forwarded-for': '203.0.113.21' });
    expect(other.status).toBe(401);
  });
});
