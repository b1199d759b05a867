import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MediaRejectedError } from './errors.js';

export type MediaVariant = 'full' | 'thumb';

/** Every stored variant is WebP (see process.ts for why). */
export const STORED_CONTENT_TYPE = 'image/webp';
const EXTENSION = 'webp';

/** A media id is the full sha256 of the stored bytes, so anyone can check a file against its id. */
const MEDIA_ID = /^[0-9a-f]{64}$/;

export const isMediaId = (value: unknown): value is string => typeof value === 'string' && MEDIA_ID.test(value);

/** `MEDIA_DIR/ab/cd/<id>.webp` (thumbnail: `<id>.thumb.webp`): two levels keep directories small. */
export function mediaPath(mediaDir: string, mediaId: string, variant: MediaVariant): string {
  // The id is checked before it touches the file system: no `..`, no separators, nothing else.
  if (!isMediaId(mediaId)) throw new MediaRejectedError('media.invalid_id', 'A media id is 64 lower-case hexadecimal characters.');
  if (variant !== 'full' && variant !== 'thumb') throw new MediaRejectedError('media.invalid_id', `Unknown media variant "${String(variant)}".`);
  const suffix = variant === 'thumb' ? `.thumb.${EXTENSION}` : `.${EXTENSION}`;
  return join(mediaDir, mediaId.slice(0, 2), mediaId.slice(2, 4), `${mediaId}${suffix}`);
}

export interface StoredMedia {
  readonly contentType: string;
  readonly bytes: Buffer;
}

/** The stored bytes of one variant, or null when no such media exists. */
export async function readMedia(mediaDir: string, mediaId: string, variant: MediaVariant): Promise<StoredMedia | null> {
  const path = mediaPath(mediaDir, mediaId, variant);
  try {
    return { contentType: STORED_CONTENT_TYPE, bytes: await readFile(path) };
  } catch (error) {
    if (isNotFound(error)) return null;
    throw error;
  }
}

/** Whether a media id names a stored photo (both variants are written before the full one). */
export async function hasMedia(mediaDir: string, mediaId: string): Promise<boolean> {
  return fileExists(mediaPath(mediaDir, mediaId, 'full'));
}

export async function fileExists(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

/**
 * Writes to a temporary file beside the target, flushes it, then renames: readers see either
 * nothing or the whole file, never a half-written photo after a crash.
 */
export async function writeFileAtomically(path: string, data: Uint8Array): Promise<void> {
  const directory = dirname(path);
  await mkdir(directory, { recursive: true });
  const temporary = join(directory, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const handle = await open(temporary, 'wx', 0o644);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
  await syncDirectory(directory);
}

// Makes the rename itself durable; some platforms (Windows) cannot open a directory, which is fine.
async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // best effort
  } finally {
    await handle?.close();
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof Error && 'code' in error && (error.code === 'ENOENT' || error.code === 'ENOTDIR');
}
