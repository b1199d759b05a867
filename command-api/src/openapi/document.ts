import { ticketEventDataSchemas } from '@palabre/domain';
import { auditApi } from '../audit/openapi.js';
import { authApi } from '../auth/openapi.js';
import { operationsApi } from '../health/openapi.js';
import { mediaApi } from '../media/openapi.js';
import { referenceApi } from '../reference/openapi.js';
import { staffApi } from '../staff/openapi.js';
import { ticketsApi } from '../tickets/openapi.js';
import { citizensApi } from '../citizens/openapi.js';
import { consultationsApi } from '../consultations/openapi.js';
import { proposalsApi } from '../proposals/openapi.js';
import { projectsApi } from '../projects/openapi.js';
import { erasureApi } from '../vault/openapi.js';
import { type ApiFeature, fileResponse, jsonSchema, type PathItems } from './describe.js';

const docsApi: ApiFeature = {
  tag: { name: 'docs', description: 'This document and Swagger UI' },
  paths: {
    '/openapi.json': { get: { tags: ['docs'], operationId: 'openapi_document', summary: 'This OpenAPI 3.1 document', responses: { '200': { description: 'The document', content: { 'application/json': { schema: { type: 'object' } } } } } } },
    '/docs': { get: { tags: ['docs'], operationId: 'docs_page', summary: 'Swagger UI over this document', responses: { '200': fileResponse('HTML page', ['text/html']) } } },
    '/docs/init.js': { get: { tags: ['docs'], operationId: 'docs_script', summary: "Swagger UI's start script", responses: { '200': fileResponse('Script', ['application/javascript']) } } },
  },
};

/** Every feature's routes: a new module (consultations, grievances…) adds its `ApiFeature` here, one line. */
export const apiFeatures: readonly ApiFeature[] = [authApi, citizensApi, consultationsApi, proposalsApi, projectsApi, ticketsApi, mediaApi, referenceApi, staffApi, erasureApi, auditApi, operationsApi, docsApi];

const problemSchema = {
  type: 'object',
  required: ['type', 'title', 'status', 'detail', 'code', 'errors'],
  description: 'RFC 9457 problem details with a stable code and the bad fields',
  properties: {
    type: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer' },
    detail: { type: 'string', description: 'A sentence for people' },
    code: { type: 'string', description: 'Stable machine-readable code (each answer lists its own in x-problem-codes)' },
    errors: { type: 'array', items: { type: 'object', required: ['path', 'message'], properties: { path: { type: 'string', description: 'body.location.lat, header.if-match, query.limit…' }, message: { type: 'string' } } } },
    instance: { type: 'string' },
  },
};

/** Joins the features' paths; the same method on the same path twice is a mistake, caught here. */
function joinPaths(features: readonly ApiFeature[]): PathItems {
  const paths: PathItems = {};
  for (const feature of features) {
    for (const [path, item] of Object.entries(feature.paths)) {
      const existing = (paths[path] ??= {});
      for (const [method, operation] of Object.entries(item)) {
        if (method in existing) throw new Error(`OpenAPI: ${method.toUpperCase()} ${path} is described twice`);
        existing[method as keyof typeof existing] = operation;
      }
    }
  }
  return paths;
}

/** The API as clients see it, generated from the same zod schemas that validate requests. */
export function openApiDocument() {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Palabre API',
      version: '0.1.0',
      description:
        'Accountable ticketing for communes. Every change is an immutable event; every error is RFC 9457 problem+json with a stable code. ' +
        'Each answer lists the codes it can send in x-problem-codes; besides them, any JSON body may be refused with 400 body.malformed_json, 413 body.too_large or 415 body.unsupported_encoding, ' +
        'an unknown route answers 404 route.not_found, a failure of the server 500 internal (nothing recorded; retry), and any route 503 database.unavailable with Retry-After while the database restarts. Live updates flow over socket.io on the same port (not described here).',
    },
    tags: apiFeatures.map((f) => f.tag),
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } },
      schemas: {
        Problem: problemSchema,
        ...Object.assign({}, ...apiFeatures.map((f) => f.schemas ?? {})),
        ...Object.fromEntries(Object.entries(ticketEventDataSchemas).map(([type, s]) => [`Event_${type}`, jsonSchema(s, 'output')])),
      },
    },
    paths: joinPaths(apiFeatures),
  };
}
