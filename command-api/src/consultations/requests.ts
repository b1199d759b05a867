import { z } from 'zod';
import { identityLevelSchema, localizedTextSchema, questionSchema, resultsVisibilitySchema } from '@palabre/domain';

const at = z.iso.datetime({ offset: true });
const id = z.string().min(1).max(120).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : - only');

/** `POST /api/consultations`: the shape other clients are written against (issue 15, item 9). */
export const createConsultationSchema = z
  .object({
    communeId: id,
    quartierIds: z.array(id).min(1).optional(),
    title: localizedTextSchema,
    description: localizedTextSchema.optional(),
    mediaIds: z.array(id).max(20).optional(),
    requiredLevel: identityLevelSchema,
    adultsOnly: z.boolean().optional(),
    opensAt: at,
    closesAt: at,
    resultsVisibility: resultsVisibilitySchema,
    questions: z.array(questionSchema).min(1).max(30),
  })
  .strict();

export const consultationIdSchema = z.string().regex(/^K[0-9A-HJKMNP-TV-Z]{12}$/, 'a consultation id (K and 12 characters of Crockford base32)');
export const closeConsultationSchema = z.object({}).strict();
export const cancelConsultationSchema = z.object({ reason: z.string().trim().min(3, 'say why, residents will read it').max(500) }).strict();

export const createdSchema = z.object({ id: z.string(), revision: z.number().int() });
export const transitionedSchema = z.object({ id: z.string(), revision: z.number().int(), status: z.string() });
export const consultationSchema = createConsultationSchema.omit({ quartierIds: true, description: true, mediaIds: true, adultsOnly: true }).extend({
  id: z.string(),
  status: z.enum(['draft', 'open', 'closed', 'cancelled', 'published']),
  quartierIds: z.array(z.string()).nullable(),
  description: localizedTextSchema.nullable(),
  mediaIds: z.array(z.string()),
  adultsOnly: z.boolean(),
  openedAt: z.string().nullable(),
  closedAt: z.string().nullable(),
  publishedAt: z.string().nullable(),
  revision: z.number().int(),
});
