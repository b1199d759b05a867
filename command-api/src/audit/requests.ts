import { z } from 'zod';
import { BUNDLE_FILES, exportFormats } from '@palabre/audit';
import { idSchema } from '@palabre/domain';

/** Queries and bodies of the audit endpoints, validated by the controllers and shown by the OpenAPI document. */

const count = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const size = z.coerce.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

export const treeHeadsQuery = z.object({ fromSize: count.optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }).strict();
export const inclusionQuery = z
  .object({ eventId: z.string().min(1).max(100).optional(), leafIndex: count.optional(), treeSize: size.optional() })
  .strict()
  .refine((q) => (q.eventId === undefined) !== (q.leafIndex === undefined), { message: 'give eventId or leafIndex, not both', path: ['eventId'] });
export const consistencyQuery = z.object({ from: size, to: size.optional() }).strict();
export const accessQuery = z
  .object({ communeId: idSchema.optional(), fromRevision: count.default(0), limit: z.coerce.number().int().min(1).max(500).default(100), resourceId: idSchema.optional() })
  .strict();

export const exportRequest = z
  .object({
    communeId: idSchema.nullable().optional(),
    from: z.string().max(40).optional(),
    to: z.string().max(40).optional(),
    streamTypes: z.array(z.string().regex(/^[a-z][a-z0-9_]{0,39}$/)).max(20).optional(),
    formats: z.array(z.enum(exportFormats)).min(1).default([...exportFormats]),
    /** Staff by username in the readable files, and staff streams allowed: admins only. */
    staffNames: z.boolean().default(false),
  })
  .strict();

/** How each file of a bundle is served (`GET /api/audit/exports/{id}/files/{name}`). */
export const contentTypes: Record<string, string> = {
  [BUNDLE_FILES.jsonl]: 'application/jsonl; charset=utf-8',
  [BUNDLE_FILES.csv]: 'text/csv; charset=utf-8',
  [BUNDLE_FILES.geojson]: 'application/geo+json',
  [BUNDLE_FILES.proposalsCsv]: 'text/csv; charset=utf-8',
  [BUNDLE_FILES.proposalsGeojson]: 'application/geo+json',
  [BUNDLE_FILES.projectsCsv]: 'text/csv; charset=utf-8',
  [BUNDLE_FILES.projectsGeojson]: 'application/geo+json',
  [BUNDLE_FILES.manifest]: 'application/json',
  [BUNDLE_FILES.treeHeads]: 'application/json',
  [BUNDLE_FILES.readme]: 'text/markdown; charset=utf-8',
  [BUNDLE_FILES.publicKey]: 'application/x-pem-file',
};
