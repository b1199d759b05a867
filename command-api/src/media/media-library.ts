import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../config.js';
import { ProblemError } from '../http/problem.js';
import { CONFIG } from '../platform/tokens.js';
import { MediaRejectedError } from './errors.js';
import { type ProcessedMedia, processUpload } from './process.js';
import { readFile } from 'node:fs/promises';
import { gpsOf } from './gps.js';
import { hasMedia, isMediaId, mediaPath, type MediaVariant, readMedia, type StoredMedia, writeFileAtomically } from './store.js';

export type Point = { readonly lat: number; readonly lon: number };

/** The edge's view of MEDIA_DIR: accept uploads, serve them, and check ids a command refers to. */
@Injectable()
export class MediaLibrary {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  /**
   * Stores a photo without any metadata. With `keepGps` (staff recording evidence), where it was taken
   * is read first and kept beside it, for `evidence()`; a resident's photo never keeps it.
   */
  async accept(upload: Uint8Array, { keepGps = false }: { keepGps?: boolean } = {}): Promise<ProcessedMedia & { point: Point | null }> {
    try {
      const [processed, point] = await Promise.all([processUpload(upload, { mediaDir: this.config.mediaDir }), keepGps ? gpsOf(upload) : null]);
      if (point) await writeFileAtomically(this.gpsPath(processed.mediaId), Buffer.from(JSON.stringify(point)));
      return { ...processed, point };
    } catch (error) {
      if (error instanceof MediaRejectedError) throw new ProblemError(error.httpStatus, error.code, error.message, [{ path: 'body.file', message: error.message }]);
      throw error;
    }
  }

  read(mediaId: string, variant: MediaVariant): Promise<StoredMedia | null> {
    return isMediaId(mediaId) ? readMedia(this.config.mediaDir, mediaId, variant) : Promise.resolve(null);
  }

  /** Each photo with where it was taken, when it was uploaded as evidence (null otherwise). */
  async evidence(mediaIds: readonly string[]): Promise<{ mediaId: string; point: Point | null }[]> {
    return Promise.all(
      mediaIds.map(async (mediaId) => ({
        mediaId,
        point: await readFile(this.gpsPath(mediaId), 'utf8').then((text) => JSON.parse(text) as Point, () => null),
      })),
    );
  }

  private gpsPath(mediaId: string): string {
    return `${mediaPath(this.config.mediaDir, mediaId, 'full')}.gps.json`;
  }

  /** Every id must name an uploaded photo: a report never points at nothing. */
  async requireAll(mediaIds: readonly string[], path: string): Promise<void> {
    const errors = [];
    for (const [i, id] of mediaIds.entries()) {
      if (!isMediaId(id) || !(await hasMedia(this.config.mediaDir, id))) errors.push({ path: `${path}.${i}`, message: 'no uploaded photo with this id' });
    }
    if (errors.length > 0) throw new ProblemError(400, 'media.not_found', 'Upload the photos first (POST /api/media), then refer to their ids.', errors);
  }
}

export const mediaUrls = (mediaId: string) => ({ url: `/api/media/${mediaId}`, thumbnailUrl: `/api/media/${mediaId}/thumb` });
