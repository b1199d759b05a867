import { randomBytes } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rateLimits } from '../src/http/rate-limit.js';
import { MAX_UPLOAD_BYTES } from '../src/media/process.js';
import { nginx as nginxProgram, type Nginx, startNginx, throughProxy } from './nginx.js';
import { citizen, connectLive, reportAndTriageLive, staff, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
let nginx: Nginx;

describe('Palabre behind nginx, configured as docs/deploy/nginx.conf says', () => {
  beforeAll(async () => {
    if (nginxProgram.missing) throw new Error(nginxProgram.missing);
    api = await startTestPalabre({ env: { TRUST_PROXY: '1' } });
    nginx = await startNginx(Number(new URL(api.url).port));
  });
  afterAll(async () => {
    await nginx?.stop();
    await api?.close();
  });

  /** A request to nginx over HTTPS from a phone at `from` (nginx itself reaches the API from 127.0.0.1). */
  const fromPhone = (from: string, path: string, options: { method?: string; headers?: Record<string, string>; body?: Buffer | string } = {}) =>
    throughProxy(`${nginx.httpsUrl}${path}`, { ...options, localAddress: from, ca: nginx.ca });

  it('gives the API the phone\'s address, not its own: the access trail keeps it', async () => {
    const dispatcher = await staff(api, 'dispatcher.soa');
    const created = (await (await citizen(api)).report({ confidential: true })).body;
    await dispatcher.ticketAt(created.id, created.revision);
    const looked = await fromPhone('127.0.0.2', `/api/tickets/${created.id}`, { headers: { authorization: `Bearer ${dispatcher.token}`, 'x-access-purpose': 'à travers nginx' } });
    expect(looked.status).toBe(200);
    const trail = await (await staff(api, 'auditor.soa')).get(`/api/audit/access-trail?communeId=soa&resourceId=${created.id}`);
    expect(trail.body.items.find((item: { purpose: string }) => item.purpose === 'à travers nginx')).toMatchObject({ address: '127.0.0.2' });
  });

  it('does not let a phone escape the limit by writing its own X-Forwarded-For', async () => {
    const attempt = (from: string, forwardedFor: string) =>
      fromPhone(from, '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor }, body: JSON.stringify({ username: 'nobody', password: 'wrong' }) });
    for (let i = 1; i <= rateLimits.login.perIp; i++) expect((await attempt('127.0.0.3', `198.51.100.${i}`)).status).toBe(401);
    const limited = await attempt('127.0.0.3', '198.51.100.200');
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate.limited');
    // Another phone behind the same nginx keeps its own allowance.
    expect((await attempt('127.0.0.4', '198.51.100.1')).status).toBe(401);
  });

  it('carries live updates over a websocket upgrade', async () => {
    const dispatcher = await staff(api, 'dispatcher.soa');
    const live = await connectLive(nginx.httpsUrl, { token: dispatcher.token! }, { ca: nginx.ca });
    try {
      expect(live.socket.io.engine.transport.name).toBe('websocket');
      await reportAndTriageLive(live, await citizen(api), dispatcher, 'urgent');
    } finally {
      live.close();
    }
  });

  it('passes a photo of nearly 10 MB, and leaves a larger one to the API to refuse in its own words', async () => {
    const phone = await citizen(api);
    const upload = async (bytes: Uint8Array, type: string) => {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(bytes)], { type }), 'photo.jpg');
      const encoded = new Response(form);
      const body = Buffer.from(await encoded.arrayBuffer());
      return fromPhone('127.0.0.5', '/api/media', { method: 'POST', headers: { authorization: `Bearer ${phone.token}`, 'content-type': encoded.headers.get('content-type')! }, body });
    };
    // Random pixels at full quality: about 3 bytes a pixel, no smaller once compressed.
    const photo = await sharp(randomBytes(2100 * 1500 * 3), { raw: { width: 2100, height: 1500, channels: 3 } }).jpeg({ quality: 100, chromaSubsampling: '4:4:4' }).toBuffer();
    expect(photo.byteLength).toBeGreaterThan(8 * 1024 * 1024);
    expect(photo.byteLength).toBeLessThan(MAX_UPLOAD_BYTES);
    const stored = await upload(photo, 'image/jpeg');
    expect(stored.status, JSON.stringify(stored.body)).toBe(201);
    expect(stored.body.mediaId).toMatch(/^[0-9a-f]{64}$/);

    const tooLarge = await upload(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(MAX_UPLOAD_BYTES)]), 'image/jpeg');
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(tooLarge.body.code).toBe('media.too_large');
  });

  it('moves HTTP to HTTPS, sends HSTS, gzips JSON and keeps /metrics private', async () => {
    const plain = await throughProxy(`${nginx.httpUrl}/app/?lang=fr`);
    expect(plain.status).toBe(301);
    expect(plain.headers.location).toBe('https://127.0.0.1/app/?lang=fr');

    const categories = await fromPhone('127.0.0.6', '/api/categories', { headers: { 'accept-encoding': 'gzip' } });
    expect(categories.status).toBe(200);
    expect(categories.headers['strict-transport-security']).toBe('max-age=63072000');
    expect(categories.headers['content-encoding']).toBe('gzip');
    const direct = await (await fetch(`${api.url}/api/categories`)).json();
    expect(JSON.parse(gunzipSync(categories.body as Buffer).toString('utf8'))).toEqual(direct);

    expect((await fromPhone('127.0.0.6', '/metrics')).status).toBe(404);
    expect((await fetch(`${api.url}/metrics`)).status).toBe(200);
  });
});
