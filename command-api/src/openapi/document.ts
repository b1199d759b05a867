import { z } from 'zod';
import { ticketEventDataSchemas } from '@palabre/domain';
import { actionRequestSchemas, actionResponseSchema, createdResponseSchema, reportRequestSchema, ticketActions } from '../tickets/requests.js';

/** zod → JSON Schema (OpenAPI 3.1 uses JSON Schema 2020-12 directly). */
const schema = (s: z.ZodType) => {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(s, { unrepresentable: 'any', io: 'input' }) as Record<string, unknown>;
  return rest;
};

const problem = { $ref: '#/components/schemas/Problem' };
const problemResponse = (description: string) => ({ description, content: { 'application/problem+json': { schema: problem } } });
const errors = (...codes: number[]) =>
  Object.fromEntries(
    codes.map((c) => [
      String(c),
      problemResponse(
        {
          400: 'Invalid input: every bad field is listed in errors[]',
          401: 'No or expired access token',
          403: 'Your role may not do this',
          404: 'Not found, or not in your communes',
          409: 'A rule of the ticket refuses it (stable code)',
          412: 'Stale If-Match: someone changed the ticket meanwhile',
          413: 'Body or file too large',
          415: 'Unsupported media type',
          428: 'Missing If-Match or Idempotency-Key',
          429: 'Too many requests',
        }[c] ?? 'Error',
      ),
    ]),
  );
const json = (s: z.ZodType | object) => ({ content: { 'application/json': { schema: s instanceof z.ZodType ? schema(s) : s } } });
const bearer = [{ bearer: [] }];

/** The API as clients see it, generated from the same zod schemas that validate requests. */
export function openApiDocument() {
  const actionPaths = Object.fromEntries(
    ticketActions.map((action) => [
      `/api/tickets/{id}/${action}`,
      {
        post: {
          tags: ['tickets'],
          summary: `Ticket action: ${action}`,
          security: bearer,
          parameters: [
            { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
            { name: 'If-Match', in: 'header', required: !['confirm', 'confirm-resolution', 'dispute'].includes(action), schema: { type: 'string' }, description: 'ETag (revision) the caller acted on' },
            { name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } },
          ],
          requestBody: { required: false, ...json(actionRequestSchemas[action]) },
          responses: { '200': { description: 'Done; ETag carries the new revision', ...json(actionResponseSchema) }, ...errors(400, 401, 403, 404, 409, 412, 428) },
        },
      },
    ]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Palabre API',
      version: '0.1.0',
      description: 'Accountable ticketing for communes. Every change is an immutable event; every error is RFC 9457 problem+json.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'detail', 'code', 'errors'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            code: { type: 'string', description: 'stable machine-readable code' },
            errors: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } },
          },
        },
        ...Object.fromEntries(Object.entries(ticketEventDataSchemas).map(([type, s]) => [`Event_${type}`, schema(s)])),
      },
    },
    paths: {
      '/api/auth/login': { post: { tags: ['auth'], summary: 'Staff sign-in', requestBody: json({ type: 'object', required: ['username', 'password'], properties: { username: { type: 'string' }, password: { type: 'string' } } }), responses: { '200': { description: 'Tokens and user' }, ...errors(400, 401, 429) } } },
      '/api/auth/refresh': { post: { tags: ['auth'], summary: 'Rotate a refresh token', responses: { '200': { description: 'New tokens' }, ...errors(400, 401) } } },
      '/api/auth/citizen': { post: { tags: ['auth'], summary: 'Anonymous device identity for citizens', requestBody: json({ type: 'object', required: ['deviceId'], properties: { deviceId: { type: 'string' } } }), responses: { '200': { description: 'Tokens and citizen id' }, ...errors(400, 429) } } },
      '/api/communes': { get: { tags: ['reference'], summary: 'Communes with quartiers and GeoJSON boundaries', responses: { '200': { description: 'Communes' } } } },
      '/api/categories': { get: { tags: ['reference'], summary: 'Categories in French and English', responses: { '200': { description: 'Categories' } } } },
      '/api/media': { post: { tags: ['media'], summary: 'Upload a photo (JPEG, PNG, WebP ≤ 10 MB; EXIF stripped, resized)', security: bearer, requestBody: { content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } } } } } }, responses: { '201': { description: '{mediaId, url, thumbnailUrl}' }, ...errors(400, 401, 413, 415, 429) } } },
      '/api/tickets': {
        post: {
          tags: ['tickets'],
          summary: 'Report a problem',
          security: bearer,
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: true, schema: { type: 'string' } }],
          requestBody: { required: true, ...json(reportRequestSchema) },
          responses: { '201': { description: 'Created; ETag carries the revision', ...json(createdResponseSchema) }, ...errors(400, 401, 403, 413, 428, 429) },
        },
        get: { tags: ['tickets'], summary: 'List tickets (filters, sort, cursor pagination, total)', security: bearer, responses: { '200': { description: '{items, total, nextCursor}' }, ...errors(400, 401) } },
      },
      '/api/tickets/{id}': { get: { tags: ['tickets'], summary: 'One ticket (ETag = revision); ?asOf=ISO for its past state', security: bearer, responses: { '200': { description: 'Ticket' }, ...errors(401, 404) } } },
      '/api/tickets/{id}/timeline': { get: { tags: ['tickets'], summary: 'History from events (citizens: public rows)', security: bearer, responses: { '200': { description: '{items, revision}: revision is how far the history goes (it has its own projector and may trail the ticket)' }, ...errors(401, 404) } } },
      '/api/me/tickets': { get: { tags: ['citizen'], summary: "A citizen's own reports", security: bearer, responses: { '200': { description: 'Tickets' } } } },
      '/api/stats': { get: { tags: ['dashboard'], summary: 'Daily KPIs of a commune', security: bearer, responses: { '200': { description: 'Stats' } } } },
      '/api/admin/staff': { get: { tags: ['admin'], summary: 'Staff accounts', security: bearer, responses: { '200': { description: 'Accounts' } } }, post: { tags: ['admin'], summary: 'Create a staff account (event-sourced)', security: bearer, responses: { '200': { description: 'Account' }, ...errors(400, 401, 403, 409) } } },
      '/health': { get: { tags: ['operations'], summary: 'Database, event store and projection lag', responses: { '200': { description: 'Healthy' }, '503': { description: 'Degraded' } } } },
      '/metrics': { get: { tags: ['operations'], summary: 'Prometheus metrics', responses: { '200': { description: 'text/plain' } } } },
      ...actionPaths,
    },
  };
}
