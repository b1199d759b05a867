import { z } from 'zod';
import { BUNDLE_FILES, exportFormats } from '@palabre/audit';
import { type ApiFeature, bearer, fileResponse, invalid, jsonBody, jsonResponse, pathParam, problems, queryParams, responseHeaders, staffOnly } from '../openapi/describe.js';
import { accessQuery, consistencyQuery, contentTypes, exportRequest, inclusionQuery, treeHeadsQuery } from './requests.js';

/** What the audit endpoints answer (signed tree heads as RFC 9162 describes them, export jobs, the access trail). */
const treeHead = z.object({ treeSize: z.number().int(), rootHash: z.string().describe('Base64 RFC 6962 root'), timestamp: z.string(), signature: z.string().describe('Base64 Ed25519'), keyId: z.string() });
const hashes = z.array(z.string()).describe('Base64 hashes (RFC 9162 §2.1)');

export const publicKeySchema = z.object({
  algorithm: z.literal('Ed25519'),
  keyId: z.string(),
  publicKeyPem: z.string(),
  keys: z.array(z.object({ keyId: z.string(), publicKeyPem: z.string(), firstUsedAt: z.string() })).describe('Every key that ever signed a tree head'),
});
export const treeHeadsSchema = z.object({ items: z.array(treeHead), latest: treeHead.nullable() });
export const inclusionProofSchema = z.object({ leafIndex: z.number().int(), treeSize: z.number().int(), eventId: z.string(), position: z.string(), leafHash: z.string(), inclusionProof: hashes, rootHash: z.string(), treeHead: treeHead.nullable() });
export const consistencyProofSchema = z.object({ fromSize: z.number().int(), toSize: z.number().int(), fromRoot: z.string(), toRoot: z.string(), consistencyProof: hashes, fromHead: treeHead.nullable(), toHead: treeHead.nullable() });
export const accessTrailSchema = z.object({
  communeId: z.string().nullable(),
  items: z.array(z.object({ revision: z.number().int(), viewer: z.object({ id: z.string(), role: z.string() }), resource: z.object({ kind: z.string(), id: z.string() }), purpose: z.string(), address: z.string().nullable().describe("the viewer's network address (the real client's behind a trusted proxy; TRUST_PROXY)"), viewedAt: z.string(), eventId: z.string() })),
  nextRevision: z.number().int().nullable(),
});
const scope = z.object({ communeId: z.string().nullable(), from: z.string().nullable(), to: z.string().nullable(), streamTypes: z.array(z.string()).nullable(), excludedStreamTypes: z.array(z.string()) });
export const exportJobSchema = z.object({
  id: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  scope,
  formats: z.array(z.enum(exportFormats)),
  progress: z.object({ done: z.number().int(), total: z.number().int(), percent: z.number().int() }),
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  downloadUrl: z.string().optional().describe('When done: the whole bundle as one tar'),
  treeHead: treeHead.optional(),
  counts: z.object({ events: z.number().int(), tickets: z.number().int(), proposals: z.number().int().optional(), projects: z.number().int().optional() }).optional(),
  warnings: z.array(z.string()).optional(),
  files: z.array(z.object({ name: z.string(), url: z.string(), sha256: z.string().optional(), bytes: z.number().int().optional(), records: z.number().int().optional() })).optional(),
});

const jobId = pathParam('id', z.string(), 'Export job id (X and 20 hex digits)');
const jobProblems = problems(staffOnly, { 404: ['audit.export_not_found'] });
const auditor = (operationId: string, summary: string, query: z.ZodType, answer: z.ZodType, more: Record<number, string[]> = {}) => ({
  get: { tags: ['audit'], operationId, summary, security: bearer, parameters: queryParams(query), responses: { '200': jsonResponse(summary, answer), ...problems(staffOnly, invalid(), more) } },
});

export const auditApi: ApiFeature = {
  tag: { name: 'audit', description: 'The transparency log (signed tree heads, proofs), verifiable export bundles, and the access trail of confidential data' },
  paths: {
    '/api/audit/public-key': {
      get: { tags: ['audit'], operationId: 'audit_public_key', summary: 'The key that signs tree heads (public: pin it before receiving a bundle)', responses: { '200': jsonResponse('Keys', publicKeySchema) } },
    },
    '/api/audit/tree-heads': {
      get: { tags: ['audit'], operationId: 'audit_tree_heads', summary: 'Signed tree heads in size order, and the latest (public)', parameters: queryParams(treeHeadsQuery), responses: { '200': jsonResponse('A window of tree heads', treeHeadsSchema), ...problems(invalid()) } },
    },
    '/api/audit/proofs/inclusion': auditor('audit_inclusion_proof', 'Proof that an event (by eventId or leafIndex) is in the tree of treeSize (default: the latest)', inclusionQuery, inclusionProofSchema, { 400: ['proof.out_of_range'], 404: ['proof.unknown_event', 'proof.no_tree_head'] }),
    '/api/audit/proofs/consistency': auditor('audit_consistency_proof', 'Proof that the tree of size `from` is a prefix of the tree of size `to` (default: the latest)', consistencyQuery, consistencyProofSchema, { 400: ['proof.out_of_range'], 404: ['proof.no_tree_head'] }),
    '/api/audit/access-trail': auditor('audit_access_trail', 'Who looked at confidential data, what and why (admins and auditors)', accessQuery, accessTrailSchema),
    '/api/audit/exports': {
      post: {
        tags: ['audit'],
        operationId: 'audit_export_start',
        summary: 'Start an export bundle (admins and auditors); poll it until done',
        description: 'Staff names appear only for admins who ask (staffNames); auditors get pseudonyms and no staff streams.',
        security: bearer,
        requestBody: jsonBody(exportRequest, false),
        responses: {
          '202': jsonResponse('Queued; Location is the job', exportJobSchema, responseHeaders.location),
          ...problems(staffOnly, invalid(), { 403: ['audit.staff_names_forbidden'] }),
        },
      },
    },
    '/api/audit/exports/{id}': {
      get: { tags: ['audit'], operationId: 'audit_export_get', summary: 'An export job: progress, then its files', security: bearer, parameters: [jobId], responses: { '200': jsonResponse('The job', exportJobSchema), ...jobProblems } },
    },
    '/api/audit/exports/{id}/bundle.tar': {
      get: {
        tags: ['audit'],
        operationId: 'audit_export_bundle',
        summary: 'The whole bundle as one tar, for `palabre-audit verify bundle.tar`',
        security: bearer,
        parameters: [jobId],
        responses: { '200': fileResponse('The bundle', ['application/x-tar'], { 'Content-Disposition': { schema: { type: 'string' } } }), ...problems(staffOnly, { 404: ['audit.export_not_found'], 409: ['audit.export_not_ready'] }) },
      },
    },
    '/api/audit/exports/{id}/files/{name}': {
      get: {
        tags: ['audit'],
        operationId: 'audit_export_file',
        summary: 'One file of the bundle',
        description:
          'events.jsonl holds the events with their inclusion proofs; events.csv, tickets.geojson, proposals.csv, proposals.geojson, projects.csv and projects.geojson are readable views folded from those events (proposals and projects only when the scope may hold their streams), listed in manifest.json with their SHA-256.',
        security: bearer,
        parameters: [jobId, { name: 'name', in: 'path', required: true, schema: { type: 'string', enum: Object.values(BUNDLE_FILES) } }],
        responses: { '200': fileResponse('The file', [...new Set(Object.values(contentTypes).map((type) => type.split(';')[0]!))]), ...problems(staffOnly, { 404: ['audit.export_not_found', 'audit.export_file_not_found'], 409: ['audit.export_not_ready'] }) },
      },
    },
  },
};
