import { z } from 'zod';
import { idSchema } from '@palabre/domain';

/** The small vocabulary each feature folder uses to describe its routes in OpenAPI 3.1. */

export type JsonSchema = Record<string, unknown>;
export type Operation = Record<string, unknown>;
export type PathItems = Record<string, Partial<Record<'get' | 'post' | 'put' | 'patch' | 'delete', Operation>>>;

/** A feature's part of the document: the document lists features, one registration line each. */
export interface ApiFeature {
  readonly tag: { readonly name: string; readonly description: string };
  readonly paths: PathItems;
  /** Named schemas under `#/components/schemas` (referenced with `ref`). */
  readonly schemas?: Record<string, JsonSchema>;
}

/** zod → JSON Schema 2020-12, the dialect of OpenAPI 3.1: `input` is what a client sends, `output` what it receives. */
export function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, { unrepresentable: 'any', io }) as JsonSchema;
  return rest;
}

const asSchema = (s: z.ZodType | JsonSchema, io: 'input' | 'output') => (s instanceof z.ZodType ? jsonSchema(s, io) : s);

export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });

export const bearer = [{ bearer: [] }];

/** A JSON request body validated by `schema`. */
export const jsonBody = (schema: z.ZodType | JsonSchema, required = true) => ({ required, content: { 'application/json': { schema: asSchema(schema, 'input') } } });

/** A JSON success answer; `headers` from `responseHeaders`. */
export const jsonResponse = (description: string, schema: z.ZodType | JsonSchema, headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: { 'application/json': { schema: asSchema(schema, 'output') } },
});

/** A non-JSON success answer (files, HTML, text). */
export const fileResponse = (description: string, mediaTypes: readonly string[], headers?: Record<string, unknown>) => ({
  description,
  ...(headers ? { headers } : {}),
  content: Object.fromEntries(mediaTypes.map((type) => [type, { schema: { contentMediaType: type } }])),
});

export const pathParam = (name: string, schema: z.ZodType = idSchema, description?: string) => ({
  name,
  in: 'path',
  required: true,
  schema: jsonSchema(schema),
  ...(description ? { description } : {}),
});

/** One query parameter per property of the zod object that validates `?…` (what the server reads, with its limits). */
export function queryParams(schema: z.ZodType): Record<string, unknown>[] {
  const described = jsonSchema(schema) as { properties?: Record<string, JsonSchema>; required?: string[] };
  return Object.entries(described.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property as JsonSchema & { description?: string };
    return { name, in: 'query', required: (described.required ?? []).includes(name) && !('default' in rest), schema: rest, ...(description ? { description } : {}) };
  });
}

export const headers = {
  ifMatch: (required: boolean, what = 'resource') => ({
    name: 'If-Match',
    in: 'header',
    required,
    schema: { type: 'string', pattern: '^(W/)?"?\\d{1,9}"?$' },
    description: `The ETag (revision) of the ${what} the caller acted on; a stale one is refused with 412.`,
  }),
  idempotencyKey: (required: boolean) => ({
    name: 'Idempotency-Key',
    in: 'header',
    required,
    schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{8,200}$' },
    description: 'A retry with the same key answers as the first request did and records nothing twice.',
  }),
  correlationId: { name: 'X-Correlation-Id', in: 'header', required: false, schema: { type: 'string', pattern: '^[A-Za-z0-9._:-]{1,100}$' }, description: 'Carried into the events this request appends, to follow a retry in the logs.' },
};

export const responseHeaders = {
  etag: { ETag: { description: 'The revision, for the next If-Match', schema: { type: 'string' } } },
  location: { Location: { description: 'Where the new resource is read', schema: { type: 'string' } } },
};

const statusMeaning: Record<number, string> = {
  400: 'Invalid input: every bad field is listed in errors[]',
  401: 'No, expired or invalid access token',
  403: 'Your role or commune may not do this',
  404: 'Not found, or not visible to you',
  409: 'A rule refuses it in the current state',
  412: 'Stale If-Match: someone changed it meanwhile (the answer carries the current ETag)',
  413: 'Body or file too large',
  415: 'Unsupported media type',
  422: 'Well-formed but outside what this deployment serves',
  428: 'A required If-Match or Idempotency-Key is missing',
  429: 'Too many requests (Retry-After says when to try again)',
  503: 'Degraded',
};

type ProblemCodes = Partial<Record<number, readonly string[]>>;

/** problem+json answers by status, each naming the stable `code`s the route can send (`x-problem-codes`); groups merge. */
export function problems(...groups: ProblemCodes[]): Record<string, unknown> {
  const byStatus: Record<string, string[]> = {};
  for (const group of groups) for (const [status, codes] of Object.entries(group)) byStatus[status] = [...new Set([...(byStatus[status] ?? []), ...(codes ?? [])])];
  return Object.fromEntries(
    Object.entries(byStatus).map(([status, codes]) => [
      status,
      {
        description: `${statusMeaning[Number(status)] ?? 'Error'}${codes.length > 0 ? `. Codes: ${codes.join(', ')}` : ''}`,
        'x-problem-codes': codes,
        ...(status === '429' ? { headers: { 'Retry-After': { description: 'Seconds to wait', schema: { type: 'integer' } } } } : {}),
        content: { 'application/problem+json': { schema: ref('Problem') } },
      },
    ]),
  );
}

/** Problems shared by every route behind the AuthGuard. */
export const signedIn: ProblemCodes = { 401: ['auth.required', 'auth.invalid', 'auth.expired'] };
export const staffOnly: ProblemCodes = { ...signedIn, 403: ['auth.forbidden'] };
export const invalid = (...more: string[]): ProblemCodes => ({ 400: ['validation.failed', ...more] });
