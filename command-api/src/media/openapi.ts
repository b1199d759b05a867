import { z } from 'zod';
import { type ApiFeature, bearer, fileResponse, jsonResponse, pathParam, problems, responseHeaders, signedIn } from '../openapi/describe.js';
import { MAX_UPLOAD_BYTES } from './process.js';
import { STORED_CONTENT_TYPE } from './store.js';

export const mediaUploadedSchema = z.object({
  mediaId: z.string(),
  url: z.string(),
  thumbnailUrl: z.string(),
  width: z.number().int(),
  height: z.number().int(),
  bytes: z.number().int(),
  /** Where a staff member's photo was taken (its EXIF GPS, kept as evidence); never given or kept for a resident's photo. */
  point: z.object({ lat: z.number(), lon: z.number() }).optional(),
});

const id = pathParam('id', z.string(), 'SHA-256 (hex) of the stored photo; an unknown or malformed id is 404');
const served = {
  ETag: { description: 'Fixed per id and variant', schema: { type: 'string' } },
  'Cache-Control': { description: 'public, max-age=31536000, immutable: content-addressed', schema: { type: 'string' } },
};
const read = (operationId: string, summary: string) => ({
  get: { tags: ['media'], operationId, summary, parameters: [id], responses: { '200': fileResponse('The photo (WebP)', [STORED_CONTENT_TYPE], served), ...problems({ 404: ['media.not_found'] }) } },
});

export const mediaApi: ApiFeature = {
  tag: { name: 'media', description: 'Photos: upload (EXIF stripped, resized, stored as WebP), then public reads by content id' },
  paths: {
    '/api/media': {
      post: {
        tags: ['media'],
        operationId: 'media_upload',
        summary: `Upload a photo (JPEG, PNG or WebP up to ${MAX_UPLOAD_BYTES / 1024 / 1024} MB) as the form field "file"`,
        security: bearer,
        requestBody: { required: true, content: { 'multipart/form-data': { schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', contentMediaType: 'application/octet-stream' } } } } } },
        responses: {
          '201': jsonResponse('Stored; Location is the photo', mediaUploadedSchema, responseHeaders.location),
          ...problems(signedIn, { 400: ['media.bad_form', 'media.missing_file', 'media.unreadable'], 403: ['auth.forbidden'], 413: ['media.too_large'], 415: ['media.not_multipart', 'media.unsupported_type'], 429: ['rate.limited'] }),
        },
      },
    },
    '/api/media/{id}': read('media_get', 'A photo, without a token (ids are unguessable)'),
    '/api/media/{id}/thumb': read('media_thumbnail', 'Its thumbnail'),
  },
};
