import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimits } from '../src/http/rate-limit.js';
import { Client, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
beforeAll(async () => {
  api = await startTestPalabre();
});
afterAll(async () => {
  await api?.close();
});

const anonymous = () => new Client(api.url);

describe('operations endpoints', () => {
  it('/health reports the database, the event store and every projector', async () => {
    const reply = await anonymous().get('/health');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ status: 'ok', database: { ok: true }, eventStore: { ok: true, head: expect.stringMatching(/^\d+\/\d+$/) }, projections: { ok: true } });
    const names = reply.body.projections.projectors.map((p: { name: string }) => p.name);
    expect(names.length).toBeGreaterThan(0);
    expect(names).toEqual(expect.arrayContaining(['tickets']));
  });

  it('/metrics exposes request counts in Prometheus text', async () => {
    await anonymous().get('/api/categories');
    const response = await fetch(`${api.url}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toMatch(/^palabre_http_requests_total\{[^}]*\} \d+/m);
  });

  it('serves public reference data without a token', async () => {
    const communes = await anonymous().get('/api/communes');
    expect(communes.body.map((c: { id: string }) => c.id).sort()).toEqual(['dschang', 'soa']);
    expect(communes.body[0].boundary.type).toMatch(/Polygon$/);
    const categories = await anonymous().get('/api/categories');
    expect(categories.body.map((c: { id: string }) => c.id).sort()).toEqual(['autre', 'eclairage', 'foncier', 'reseaux', 'salubrite', 'voirie']);
  });

  it('answers an unknown route with a problem', async () => {
    const reply = await anonymous().get('/api/nothing-here');
    expect(reply.status).toBe(404);
    expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(reply.body.code).toBe('route.not_found');
  });

  // Last in this file, and the only citizen sessions in it: it spends this server's allowance for the minute.
  it('limits citizen sessions per IP: the one after the allowance in a minute is 429 with Retry-After', async () => {
    const allowance = rateLimits['citizen-session'].perIp;
    const replies = [];
    // Twenty at a time, as many phones behind one carrier address would: exactly one is over the allowance.
    for (let i = 0; i <= allowance; i += 20) {
      const devices = Array.from({ length: Math.min(20, allowance + 1 - i) }, (_, j) => `rate-limit-device-${i + j}`);
      replies.push(...(await Promise.all(devices.map((deviceId) => anonymous().post('/api/auth/citizen', { deviceId })))));
    }
    expect(replies.filter((r) => r.status === 200)).toHaveLength(allowance);
    const limited = replies.find((r) => r.status !== 200)!;
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate.limited');
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Other endpoints keep their own allowance.
    expect((await anonymous().get('/api/categories')).status).toBe(200);
  });
});
