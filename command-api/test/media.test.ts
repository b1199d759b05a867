import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegWithGps, solidImage } from '../src/media/testing/images.js';
import { citizen, type Client, eventCount, staff, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
let reporter: Client;
beforeAll(async () => {
  api = await startTestPalabre();
  reporter = await citizen(api);
});
afterAll(async () => {
  await api?.close();
});

const fetchBytes = async (path: string) => {
  const response = await fetch(`${api.url}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), bytes: Buffer.from(await response.arrayBuffer()) };
};

describe('photos', () => {
  it('stores a phone photo upright, without EXIF or GPS, at most 1600 px, with a thumbnail', async () => {
    const photo = await jpegWithGps(2400, 1800);
    expect((await sharp(photo).metadata()).exif).toBeDefined();
    const uploaded = await reporter.upload(photo, 'IMG_2031.jpg', 'image/jpeg');
    expect(uploaded.status, JSON.stringify(uploaded.body)).toBe(201);
    const { mediaId, url, thumbnailUrl } = uploaded.body;
    expect(url).toBe(`/api/media/${mediaId}`);
    expect(uploaded.headers.get('location')).toBe(url);

    const full = await fetchBytes(url);
    expect(full.status).toBe(200);
    expect(full.type).toBe('image/webp');
    const meta = await sharp(full.bytes).metadata();
    expect(meta.format).toBe('webp');
    expect(meta.exif).toBeUndefined();
    expect(meta.xmp).toBeUndefined();
    // EXIF orientation 6 was applied: the landscape sensor image is stored as a portrait.
    expect([meta.width, meta.height]).toEqual([1200, 1600]);
    expect(full.bytes.includes(Buffer.from('Tecno'))).toBe(false);

    const thumb = await fetchBytes(thumbnailUrl);
    const thumbMeta = await sharp(thumb.bytes).metadata();
    expect(Math.max(thumbMeta.width, thumbMeta.height)).toBe(320);
    expect(thumbMeta.exif).toBeUndefined();
  });

  it('attaches uploaded photos to a report and shows them on the ticket', async () => {
    const a = (await reporter.upload(await solidImage(800, 600, 'png'), 'a.png', 'image/png')).body.mediaId;
    const b = (await reporter.upload(await solidImage(640, 480, 'webp'), 'b.webp', 'image/webp')).body.mediaId;
    const created = await reporter.report({ mediaIds: [a, b] });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ticket = await reporter.ticketAt(created.body.id, created.body.revision);
    expect(ticket.media).toEqual([
      { id: a, url: `/api/media/${a}`, thumbnailUrl: `/api/media/${a}/thumb` },
      { id: b, url: `/api/media/${b}`, thumbnailUrl: `/api/media/${b}/thumb` },
    ]);
  });

  it('refuses a text file named .jpg with 415', async () => {
    const reply = await reporter.upload(Buffer.from('<html>not a photo</html>'), 'photo.jpg', 'image/jpeg');
    expect(reply.status).toBe(415);
    expect(reply.body.code).toBe('media.unsupported_type');
    const gif = await reporter.upload(await solidImage(10, 10, 'gif'), 'anim.gif', 'image/gif');
    expect(gif.status).toBe(415);
  });

  it('refuses a file over 10 MB with 413', async () => {
    const big = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), randomBytes(10 * 1024 * 1024)]);
    const reply = await reporter.upload(big, 'huge.jpg', 'image/jpeg');
    expect(reply.status).toBe(413);
    expect(reply.body.code).toBe('media.too_large');
  });

  it('refuses a form without the file, a non-multipart body, and damaged image data', async () => {
    const empty = await reporter.request('POST', '/api/media', { raw: new FormData() });
    expect(empty.status).toBe(400);
    expect(empty.body.code).toBe('media.missing_file');
    const json = await reporter.post('/api/media', { file: 'base64...' });
    expect(json.status).toBe(415);
    expect(json.body.code).toBe('media.not_multipart');
    const cut = (await jpegWithGps(400, 300)).subarray(0, 200);
    const damaged = await reporter.upload(cut, 'cut.jpg', 'image/jpeg');
    expect(damaged.status).toBe(400);
    expect(damaged.body.code).toBe('media.unreadable');
  });

  it('requires every photo a report or a resolution names to exist', async () => {
    const before = await eventCount(api);
    const report = await reporter.report({ mediaIds: ['f'.repeat(64)] });
    expect(report.status).toBe(400);
    expect(report.body.code).toBe('media.not_found');

    const { body } = await reporter.report();
    const dispatcher = await staff(api, 'dispatcher.soa');
    await dispatcher.ticketAt(body.id, body.revision);
    const assigned = await dispatcher.act(body.id, 'assign', { teamId: 'soa-salubrite' }, body.revision);
    const resolve = await dispatcher.act(body.id, 'resolve', { note: 'Fait', mediaIds: ['0'.repeat(64)] }, assigned.body.revision);
    expect(resolve.status).toBe(400);
    expect(resolve.body.errors).toEqual([{ path: 'body.mediaIds.0', message: expect.any(String) }]);
    // The report (2 events) and the assignment (1) only.
    expect((await eventCount(api)) - before).toBe(3);
  });

  it('answers 404 for a photo that does not exist and refuses auditors’ uploads', async () => {
    expect((await fetchBytes(`/api/media/${'e'.repeat(64)}`)).status).toBe(404);
    expect((await fetchBytes('/api/media/..%2F..%2Fetc%2Fpasswd')).status).toBe(404);
    const auditor = await staff(api, 'auditor.soa');
    const refused = await auditor.upload(await solidImage(10, 10, 'png'), 'a.png', 'image/png');
    expect(refused.status).toBe(403);
  });
});
