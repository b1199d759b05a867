import { createHash } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_UPLOAD_BYTES, MediaRejectedError, mediaPath, processUpload, readMedia } from './index.js';
import { exifIfd0Tags, GPS_IFD_POINTER, jpegWithGps, noisyJpeg, pngClaiming, solidImage } from './testing/images.js';

let mediaDir: string;
beforeEach(async () => {
  mediaDir = await mkdtemp(join(tmpdir(), 'palabre-media-'));
});
afterEach(async () => {
  await rm(mediaDir, { recursive: true, force: true });
});

async function rejection(upload: Buffer): Promise<MediaRejectedError> {
  const error = await processUpload(upload, { mediaDir }).then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MediaRejectedError);
  return error as MediaRejectedError;
}

async function storedFiles(): Promise<string[]> {
  const entries = await readdir(mediaDir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => relative(mediaDir, join(e.parentPath, e.name))).sort();
}

describe('processUpload', () => {
  it('turns a sideways JPEG upright and strips its EXIF, GPS included', async () => {
    const upload = await jpegWithGps(800, 600);
    const before = await sharp(upload).metadata();
    expect(before.orientation).toBe(6);
    expect(exifIfd0Tags(before.exif!)).toContain(GPS_IFD_POINTER);

    const media = await processUpload(upload, { mediaDir });

    expect(media).toMatchObject({ sourceType: 'image/jpeg', contentType: 'image/webp', width: 600, height: 800, created: true });
    const stored = await readMedia(mediaDir, media.mediaId, 'full');
    const after = await sharp(stored!.bytes).metadata();
    expect(after).toMatchObject({ format: 'webp', width: 600, height: 800 });
    expect(after.exif).toBeUndefined();
    expect(after.xmp).toBeUndefined();
    expect(after.iptc).toBeUndefined();
    expect(after.orientation).toBeUndefined();
    expect(stored!.bytes.includes('WGS-84')).toBe(false);
    expect(stored!.bytes.includes('Tecno')).toBe(false);
  });

  it('accepts a PNG and a WebP, recognised by their bytes', async () => {
    const png = await processUpload(await solidImage(300, 200, 'png'), { mediaDir });
    const webp = await processUpload(await solidImage(200, 300, 'webp'), { mediaDir });
    expect(png).toMatchObject({ sourceType: 'image/png', width: 300, height: 200 });
    expect(webp).toMatchObject({ sourceType: 'image/webp', width: 200, height: 300 });
  });

  it('fits a 4000×3000 photo within 1600 px and makes a 320 px thumbnail', async () => {
    const media = await processUpload(await solidImage(4000, 3000, 'jpeg'), { mediaDir });
    expect(media).toMatchObject({ width: 1600, height: 1200 });
    expect(media.thumbnail).toMatchObject({ contentType: 'image/webp', width: 320, height: 240 });
    const thumb = await readMedia(mediaDir, media.mediaId, 'thumb');
    expect(await sharp(thumb!.bytes).metadata()).toMatchObject({ format: 'webp', width: 320, height: 240 });
    expect(thumb!.bytes.byteLength).toBe(media.thumbnail.bytes);
  });

  it('never enlarges a small picture', async () => {
    const media = await processUpload(await solidImage(200, 100, 'png'), { mediaDir });
    expect(media).toMatchObject({ width: 200, height: 100, thumbnail: { width: 200, height: 100 } });
  });

  it('names the media after the sha256 of its stored bytes, under ab/cd/', async () => {
    const media = await processUpload(await solidImage(640, 480, 'jpeg'), { mediaDir });
    const bytes = await readFile(mediaPath(mediaDir, media.mediaId, 'full'));
    expect(media.mediaId).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(media.bytes).toBe(bytes.byteLength);
    const id = media.mediaId;
    expect(await storedFiles()).toEqual([
      join(id.slice(0, 2), id.slice(2, 4), `${id}.thumb.webp`),
      join(id.slice(0, 2), id.slice(2, 4), `${id}.webp`),
    ]);
  });

  it('stores the same photo once: a second upload returns the same id and writes nothing', async () => {
    const upload = await solidImage(1024, 768, 'jpeg');
    const first = await processUpload(upload, { mediaDir });
    const filesAfterFirst = await storedFiles();
    const second = await processUpload(Buffer.from(upload), { mediaDir });
    expect(second.mediaId).toBe(first.mediaId);
    expect(first.created).toBe(true);
    expect(second.created).toBe(false);
    expect(await storedFiles()).toEqual(filesAfterFirst);
  });

  it('refuses a text file whatever it is called', async () => {
    const error = await rejection(Buffer.from('IMG_2026.jpg: definitely a photo, trust me\n'));
    expect(error).toMatchObject({ code: 'media.unsupported_type', httpStatus: 415 });
  });

  it('refuses image formats other than JPEG, PNG and WebP', async () => {
    const error = await rejection(await solidImage(50, 50, 'gif'));
    expect(error.code).toBe('media.unsupported_type');
  });

  it('refuses a JPEG cut short in transit', async () => {
    const jpeg = await noisyJpeg(800, 600);
    const error = await rejection(jpeg.subarray(0, Math.floor(jpeg.length * 0.7)));
    expect(error).toMatchObject({ code: 'media.unreadable', httpStatus: 400 });
    expect(await storedFiles()).toEqual([]);
  });

  it('refuses a JPEG header followed by garbage', async () => {
    const error = await rejection(Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 0x41)]));
    expect(error.code).toBe('media.unreadable');
  });

  it('refuses uploads over 10 MB before looking at them', async () => {
    const upload = Buffer.concat([await solidImage(100, 100, 'jpeg'), Buffer.alloc(11 * 1024 * 1024)]);
    expect(upload.byteLength).toBeGreaterThan(MAX_UPLOAD_BYTES);
    const error = await rejection(upload);
    expect(error).toMatchObject({ code: 'media.too_large', httpStatus: 413 });
  });

  it('refuses a small file that claims an enormous picture (decompression bomb)', async () => {
    const error = await rejection(pngClaiming(20_000, 20_000));
    expect(error.code).toBe('media.too_large');
  });
});
