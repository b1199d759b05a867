export { MediaRejectedError, type MediaRejectionCode } from './errors.js';
export { sniffImageType, type AcceptedImageType } from './sniff.js';
export {
  processUpload,
  MAX_UPLOAD_BYTES,
  MAX_SIDE,
  THUMBNAIL_SIDE,
  MAX_INPUT_PIXELS,
  type ProcessedMedia,
  type ProcessUploadOptions,
  type StoredImage,
} from './process.js';
export { readMedia, hasMedia, mediaPath, isMediaId, STORED_CONTENT_TYPE, type MediaVariant, type StoredMedia } from './store.js';
