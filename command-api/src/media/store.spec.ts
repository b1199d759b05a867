import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasMedia, isMediaId, MediaRejectedError, processUpload, readMedia } from './index.js';
import { solidImage } from './testing/images.js';

let mediaDir: string;
beforeAll(async () => {
  mediaDir = await mkdtemp(join(tmpdir(), 'palabre-media-'));
});
afterAll(async () => {
  await rm(mediaDir, { recursive: true, force: true });
});

describe('readMedia', () => {
  it('serves both variants with their content type', async () => {
    const media = await processUpload(await solidImage(800, 600, 'png'), { mediaDir });
    const full = await readMedia(mediaDir, media.mediaId, 'full');
    const thumb = await readMedia(mediaDir, media.mediaId, 'thumb');
    expect(full?.contentType).toBe('image/webp');
    expect(full?.bytes.byteLength).toBe(media.bytes);
    expect(thumb?.bytes.byteLength).toBe(media.thumbnail.bytes);
    expect(await hasMedia(mediaDir, media.mediaId)).toBe(true);
  });

  it('answers null for a well-formed id that was never stored', async () => {
    expect(await readMedia(mediaDir, 'a'.repeat(64), 'full')).toBeNull();
    expect(await hasMedia(mediaDir, 'a'.repeat(64))).toBe(false);
  });

  it.each(['../../../etc/passwd', `${'a'.repeat(62)}/x`, 'A'.repeat(64), 'abc', `${'a'.repeat(64)}.webp`, ''])(
    'refuses the malformed id %j without touching the disk',
    async (id) => {
      expect(isMediaId(id)).toBe(false);
      await expect(readMedia(mediaDir, id, 'full')).rejects.toMatchObject({ code: 'media.invalid_id' });
      await expect(readMedia(mediaDir, id, 'full')).rejects.toBeInstanceOf(MediaRejectedError);
    },
  );

  it('refuses an unknown variant', async () => {
    await expect(readMedia(mediaDir, 'b'.repeat(64), 'original' as 'full')).rejects.toMatchObject({ code: 'media.invalid_id' });
  });
});
