import { z } from 'zod';
import { committeeRoleSchema } from '@palabre/domain';
import { phoneSchema } from '../vault/index.js';

const id = z.string().min(1).max(120).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : - only');
const francs = z.number().int().min(0).max(1e13);
export const projectIdSchema = z.string().regex(/^J[0-9A-HJKMNP-TV-Z]{12}$/, 'a project id (J and 12 characters of Crockford base32)');

/** `POST /api/projects` (issue 16, item 4): from accepted proposals, or a programme's subproject. */
export const createProjectSchema = z
  .object({
    communeId: id,
    title: z.string().trim().min(3).max(200),
    description: z.string().trim().max(5000).optional(),
    proposalIds: z.array(z.string()).max(20).optional(),
    currency: z.enum(['XAF', 'XOF']).optional(),
  })
  .strict();

/** `POST /api/projects/{id}/milestones`: what was reached on site, with photos whose place is kept as evidence. */
export const milestoneSchema = z
  .object({
    title: z.string().trim().min(3).max(200),
    note: z.string().trim().max(2000).optional(),
    mediaIds: z.array(id).max(10).optional(),
    reachedOn: z.iso.date().optional(),
  })
  .strict();
export const stageSchema = z.object({ stage: id }).strict();
export const progressSchema = z.object({ percent: z.number().int().min(0).max(100) }).strict();
export const budgetSchema = z.object({ planned: francs, committed: francs, spent: francs, reason: z.string().trim().min(1).max(500).optional() }).strict();
export const suspendSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();
export const projectListQuery = z.object({ communeId: id.optional(), proposalId: id.optional().describe('Only the projects carrying out this proposal'), limit: z.coerce.number().int().min(1).max(200).default(50) }).strict();

const media = z.object({ id: z.string(), url: z.string(), thumbnailUrl: z.string(), point: z.object({ lat: z.number(), lon: z.number() }).nullable() });
const committee = z.array(
  z.object({
    role: committeeRoleSchema,
    /** For the commune's staff only, from the vault (`erased` once the person was forgotten). */
    name: z.string().nullable().optional(),
    phone: z.string().nullable().optional(),
    erased: z.boolean().optional(),
  }),
);
export const projectSchema = z.object({
  id: z.string(),
  communeId: z.string(),
  status: z.enum(['active', 'suspended', 'completed']),
  title: z.string(),
  description: z.string().nullable(),
  proposalIds: z.array(z.string()),
  currency: z.enum(['XAF', 'XOF']),
  stages: z.array(z.object({ stage: z.string(), enteredAt: z.string().nullable() })),
  stage: z.string().nullable(),
  percent: z.number().int(),
  budget: z.object({ planned: z.number(), committed: z.number(), spent: z.number(), reason: z.string().nullable() }).nullable(),
  milestones: z.array(z.object({ id: z.string(), title: z.string(), note: z.string().nullable(), reachedOn: z.string(), media, recordedAt: z.string() }).extend({ media: z.array(media) })),
  /** The village committee by role; who they are, for the commune's staff only. */
  committee,
  revision: z.number().int(),
});
export const projectListSchema = z.object({ items: z.array(projectSchema.omit({ milestones: true, stages: true })) });
export const projectCreatedSchema = z.object({ id: z.string(), revision: z.number().int() });

/** A resident's comment on a project: it reaches the staff as a ticket linked to the project, placed where the project is unless the phone says where. */
export const commentSchema = z
  .object({
    text: z.string().trim().min(1, 'say something').max(4000),
    mediaIds: z.array(id).max(10).optional(),
    location: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }).strict().optional(),
  })
  .strict();
export const commentAcceptedSchema = z.object({ ticketId: z.string(), projectId: z.string() });

/** A committee member named by role; name and phone go to the vault, never to the log. */
export const committeeMemberSchema = z
  .object({
    role: committeeRoleSchema,
    name: z.string().trim().min(1).max(120),
    phone: phoneSchema.optional(),
  })
  .strict();
