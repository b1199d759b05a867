import { createHash } from 'node:crypto';
import sharp, { type WebpOptions } from 'sharp';
import { MediaRejectedError } from './errors.js';
import { sniffImageType, type AcceptedImageType } from './sniff.js';
import { fileExists, mediaPath, STORED_CONTENT_TYPE, writeFileAtomically } from './store.js';

/** Largest upload accepted: a full-resolution photo from a 50 MP phone camera fits comfortably. */
export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Longest side of the stored photo: sharp enough to read a street sign, light on 3G. */
export const MAX_SIDE = 1600;
export const THUMBNAIL_SIDE = 320;
/** Refuses decompression bombs before decoding; 120 MP still admits 108 MP phone sensors. */
export const MAX_INPUT_PIXELS = 120_000_000;

// WebP: a third smaller than JPEG at the same visual quality (citizens pay for mobile data), and
// decoded by every client we ship (Chromium in Electron, Android WebView, iOS 14+ WKWebView).
const FULL_WEBP = { quality: 80, effort: 4 } as const;
const THUMB_WEBP = { quality: 70, effort: 4 } as const;

export interface StoredImage {
  readonly contentType: string;
  readonly width: number;
  readonly height: number;
  /** Size of the stored file. */
  readonly bytes: number;
}

export interface ProcessedMedia extends StoredImage {
  /** Full sha256 (hex) of the stored full-size bytes. */
  readonly mediaId: string;
  /** What the citizen sent, recognised by its magic bytes. */
  readonly sourceType: AcceptedImageType;
  readonly thumbnail: StoredImage;
  /** False when the same photo was already stored (the upload was a no-op). */
  readonly created: boolean;
}

export interface ProcessUploadOptions {
  readonly mediaDir: string;
}

/**
 * Turns an untrusted upload into a clean, content-addressed WebP: upright (EXIF orientation applied),
 * without any metadata (no GPS, camera or owner tags leak), at most 1600 px, plus a 320 px thumbnail.
 */
export async function processUpload(upload: Uint8Array, { mediaDir }: ProcessUploadOptions): Promise<ProcessedMedia> {
  if (upload.byteLength > MAX_UPLOAD_BYTES) {
    throw new MediaRejectedError('media.too_large', `A photo may be at most ${MAX_UPLOAD_BYTES / (1024 * 1024)} MB.`);
  }
  const sourceType = sniffImageType(upload);
  if (sourceType === null) {
    throw new MediaRejectedError('media.unsupported_type', 'Only JPEG, PNG and WebP photos are accepted.');
  }

  const [full, thumbnail] = await Promise.all([render(upload, MAX_SIDE, FULL_WEBP), render(upload, THUMBNAIL_SIDE, THUMB_WEBP)]);
  const mediaId = createHash('sha256').update(full.data).digest('hex');

  const fullPath = mediaPath(mediaDir, mediaId, 'full');
  // The full file is written last, so its presence means both variants are complete.
  const created = !(await fileExists(fullPath));
  if (created) {
    await writeFileAtomically(mediaPath(mediaDir, mediaId, 'thumb'), thumbnail.data);
    await writeFileAtomically(fullPath, full.data);
  }

  return { mediaId, sourceType, ...describe(full), thumbnail: describe(thumbnail), created };
}

interface Rendered {
  readonly data: Buffer;
  readonly width: number;
  readonly height: number;
}

async function render(upload: Uint8Array, side: number, webp: WebpOptions): Promise<Rendered> {
  try {
    // failOn 'error': refuses truncated or corrupt pixel data yet tolerates the harmless warnings
    // that cheap phone encoders trigger. Without withMetadata/keepExif sharp writes no EXIF, XMP or
    // IPTC and converts to sRGB.
    const { data, info } = await sharp(upload, { autoOrient: true, failOn: 'error', limitInputPixels: MAX_INPUT_PIXELS })
      .resize({ width: side, height: side, fit: 'inside', withoutEnlargement: true })
      .webp(webp)
      .toBuffer({ resolveWithObject: true });
    return { data, width: info.width, height: info.height };
  } catch (error) {
    if (error instanceof Error && /pixel limit/i.test(error.message)) {
      throw new MediaRejectedError('media.too_large', `A photo may have at most ${MAX_INPUT_PIXELS / 1_000_000} megapixels.`, { cause: error });
    }
    throw new MediaRejectedError('media.unreadable', 'The photo could not be read; it may be damaged or incompletely sent.', { cause: error });
  }
}

function describe(image: Rendered): StoredImage {
  return { contentType: STORED_CONTENT_TYPE, width: image.width, height: image.height, bytes: image.data.byteLength };
}
