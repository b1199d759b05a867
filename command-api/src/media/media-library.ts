import { Inject, Injectable } from '@nestjs/common';
import type { Config } from '../config.js';
import { ProblemError } from '../http/problem.js';
import { CONFIG } from '../platform/tokens.js';
import { MediaRejectedError } from './errors.js';
import { type ProcessedMedia, processUpload } from './process.js';
import { hasMedia, isMediaId, type MediaVariant, readMedia, type StoredMedia } from './store.js';

/** The edge's view of MEDIA_DIR: accept uploads, serve them, and check ids a command refers to. */
@Injectable()
export class MediaLibrary {
  constructor(@Inject(CONFIG) private readonly config: Config) {}

  async accept(upload: Uint8Array): Promise<ProcessedMedia> {
    try {
      return await processUpload(upload, { mediaDir: this.config.mediaDir });
    } catch (error) {
      if (error instanceof MediaRejectedError) throw new ProblemError(error.httpStatus, error.code, error.message, [{ path: 'body.file', message: error.message }]);
      throw error;
    }
  }

  read(mediaId: string, variant: MediaVariant): Promise<StoredMedia | null> {
    return isMediaId(mediaId) ? readMedia(this.config.mediaDir, mediaId, variant) : Promise.resolve(null);
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
