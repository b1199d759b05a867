import { z } from 'zod';
import { idSchema, noteVisibilitySchema, prioritySchema, rejectionReasonSchema } from '@palabre/domain';

/** Bodies of the ticket endpoints: what clients send. The domain schemas then check the commands built from them. */

const note = z.object({ note: z.string().trim().max(2000).optional() }).strict();

export const contactSchema = z
  .object({
    name: z.string().trim().min(1).max(120).optional(),
    phone: z.string().trim().min(6).max(30).optional(),
    email: z.email().max(200).optional(),
  })
  .strict();

export const reportRequestSchema = z
  .object({
    category: idSchema,
    subcategory: idSchema.optional(),
    description: z.string().trim().min(1, 'describe the problem in a few words').max(4000),
    location: z
      .object({
        lat: z.number().min(-90).max(90),
        lon: z.number().min(-180).max(180),
        accuracy: z.number().min(0).max(100_000).optional(),
      })
      .strict(),
    landmark: z.string().trim().max(300).optional(),
    mediaIds: z.array(idSchema).max(10).optional(),
    anonymous: z.boolean().optional(),
    confidential: z.boolean().optional(),
    contact: contactSchema.optional(),
    /** When the phone made the report (offline reports are sent later). */
    clientTime: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();
export type ReportRequest = z.infer<typeof reportRequestSchema>;

/** One schema per `POST /api/tickets/{id}/{action}`. */
export const actionRequestSchemas = {
  confirm: z.object({}).strict(),
  triage: z.object({ category: idSchema.optional(), subcategory: idSchema.nullable().optional(), priority: prioritySchema }).strict(),
  assign: z.object({ teamId: idSchema, agentId: idSchema.nullable().optional() }).strict(),
  start: note,
  notes: z.object({ text: z.string().trim().min(1).max(4000), visibility: noteVisibilitySchema }).strict(),
  resolve: z.object({ note: z.string().trim().min(1).max(4000), mediaIds: z.array(idSchema).max(10).optional() }).strict(),
  'confirm-resolution': note,
  dispute: note,
  close: note,
  reject: z.object({ reason: rejectionReasonSchema, note: z.string().trim().max(2000).optional() }).strict(),
  'mark-duplicate': z.object({ duplicateOf: idSchema }).strict(),
} as const;
export type TicketAction = keyof typeof actionRequestSchemas;
export const ticketActions = Object.keys(actionRequestSchemas) as TicketAction[];

/** Actions a citizen takes from a phone: no If-Match, decided again on the fresh state if someone acted meanwhile. */
export const citizenActions: readonly TicketAction[] = ['confirm', 'confirm-resolution', 'dispute'];

export const createdResponseSchema = z.object({ id: z.string(), revision: z.number().int() });
export const actionResponseSchema = z.object({ id: z.string(), revision: z.number().int(), events: z.array(z.string()) });
