import { z } from 'zod';
import { flagReasonSchema } from '@palabre/domain';

const id = z.string().min(1).max(120).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : - only');
const point = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict();

export const proposalIdSchema = z.string().regex(/^P[0-9A-HJKMNP-TV-Z]{12}$/, 'a proposal id (P and 12 characters of Crockford base32)');

/** `POST /api/proposals` (issue 16, item 4): a resident proposes; where is a point, a quartier, or both. */
export const createProposalSchema = z
  .object({
    title: z.string().trim().min(5).max(200),
    description: z.string().trim().min(10).max(5000),
    category: id,
    location: point.optional(),
    quartierId: id.optional(),
    mediaIds: z.array(id).max(10).optional(),
    costEstimate: z.number().int().min(0).optional(),
  })
  .strict()
  .refine((b) => b.location !== undefined || b.quartierId !== undefined, { message: 'a location or a quartierId', path: ['location'] });

/** `PUT /api/proposals/{id}`: the author rewrites it whole, until its first support. */
export const editProposalSchema = createProposalSchema;

export const flagSchema = z.object({ reason: flagReasonSchema }).strict();
export const moderationSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export const answerRequestSchema = z
  .object({
    state: id,
    text: z.object({ fr: z.string().trim().min(1).max(4000).optional(), en: z.string().trim().min(1).max(4000).optional() }).strict(),
    cost: z.number().int().min(0).optional(),
  })
  .strict();
export const mergeSchema = z.object({ into: proposalIdSchema }).strict();

export const proposalListQuery = z
  .object({
    communeId: id.optional(),
    quartierId: id.optional(),
    state: id.optional(),
    category: id.optional(),
    sort: z.enum(['newest', 'most_supported']).default('newest'),
    /** `lat,lon`: nearest first, within `radiusM`. */
    near: z
      .string()
      .regex(/^-?\d+(\.\d+)?,-?\d+(\.\d+)?$/, 'lat,lon')
      .optional(),
    radiusM: z.coerce.number().int().min(50).max(50_000).default(2_000),
    /** `minLon,minLat,maxLon,maxLat` */
    bbox: z
      .string()
      .regex(/^-?\d+(\.\d+)?(,-?\d+(\.\d+)?){3}$/, 'minLon,minLat,maxLon,maxLat')
      .optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .strict();

const answerView = z.object({ state: z.string(), text: z.object({ fr: z.string().optional(), en: z.string().optional() }), cost: z.number().nullable(), answeredAt: z.string() }).nullable();
export const proposalSchema = z.object({
  id: z.string(),
  communeId: z.string(),
  /** `open` (no answer yet), the commune's answer state (`under_study`, `accepted`…), `hidden`, `withdrawn` or `merged`. */
  state: z.string(),
  title: z.string(),
  description: z.string(),
  category: z.string(),
  quartierId: z.string().nullable(),
  location: point.nullable(),
  media: z.array(z.object({ id: z.string(), url: z.string(), thumbnailUrl: z.string() })),
  author: z.object({ kind: z.enum(['citizen', 'group']), name: z.string().nullable() }),
  costEstimate: z.number().nullable(),
  supports: z.number().int(),
  /** Supports after which the commune must answer (its rules when this was proposed). */
  supportThreshold: z.number().int(),
  answer: answerView,
  answerBy: z.string().nullable(),
  answerLate: z.boolean(),
  mergedInto: z.string().nullable(),
  submittedAt: z.string(),
  revision: z.number().int(),
  /** For its commune's staff only: flags since the last review (what hides it), flags ever, and why it is hidden. */
  flags: z.number().int().optional(),
  flagsTotal: z.number().int().optional(),
  hidden: z.object({ by: z.string().describe("'flags' or the moderator's id"), reason: z.string(), at: z.string() }).nullable().optional(),
  /** For a resident: whether they wrote it, support it, flagged it (null for anyone else). */
  viewer: z.object({ author: z.boolean(), supporting: z.boolean(), flagged: z.boolean() }).nullable(),
});
export const proposalListSchema = z.object({ items: z.array(proposalSchema) });
export const proposalCreatedSchema = z.object({ id: z.string(), revision: z.number().int() });
export const supportAcceptedSchema = z.object({ proposalId: z.string(), supporting: z.boolean() });
