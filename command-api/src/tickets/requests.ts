import { z } from 'zod';
import { idSchema, noteVisibilitySchema, prioritySchema, rejectionReasonSchema, ticketStatuses } from '@palabre/domain';

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

/** Queries: `GET /api/tickets`, `/api/tickets/{id}?asOf=`, `/api/stats`, and the contact's `X-Access-Purpose`. */

export const sortNames = { reportedAt: 'reported_at', updatedAt: 'updated_at', priority: 'priority', status: 'status', category: 'category' } as const;
const number = z.string().trim().regex(/^-?\d+(\.\d+)?$/, 'a number').transform(Number);
const list = z.string().transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x.length > 0));

export const listQuerySchema = z
  .object({
    status: list.pipe(z.array(z.enum(ticketStatuses))).optional().describe(`Comma-separated statuses: ${ticketStatuses.join(', ')}`),
    category: list.pipe(z.array(idSchema)).optional().describe('Comma-separated category ids'),
    communeId: idSchema.optional(),
    quartier: idSchema.optional(),
    teamId: idSchema.optional(),
    assignee: idSchema.optional().describe('Field agent id'),
    breached: z.enum(['true', 'false']).transform((v) => v === 'true').optional().describe('Late on an SLA deadline'),
    bbox: list
      .pipe(z.array(number).length(4, 'minLon,minLat,maxLon,maxLat'))
      .transform(([minLon, minLat, maxLon, maxLat]) => ({ minLon: minLon!, minLat: minLat!, maxLon: maxLon!, maxLat: maxLat! }))
      .optional()
      .describe('minLon,minLat,maxLon,maxLat'),
    near: list.pipe(z.array(number).length(2, 'lat,lon')).optional().describe('lat,lon: tickets within `radius` metres'),
    radius: z.coerce.number().min(10).max(50_000).default(1000),
    text: z.string().trim().max(200).optional().describe('Words of the description or landmark'),
    sort: z.enum(Object.keys(sortNames) as [keyof typeof sortNames]).default('reportedAt'),
    order: z.enum(['asc', 'desc']).default('desc'),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().max(500).optional().describe('`nextCursor` of the previous page (same sort)'),
    offset: z.coerce.number().int().min(0).max(1_000_000).optional(),
  })
  .strict();

export const statsQuerySchema = z
  .object({
    communeId: idSchema.optional().describe('Required for national staff; defaults to your commune'),
    from: z.iso.date().optional().describe('Default: 29 days before `to`'),
    to: z.iso.date().optional().describe('Default: today'),
    category: idSchema.optional(),
  })
  .strict();

/** `?asOf=`: the ticket as it was then, replayed from its stream. */
export const asOfSchema = z.iso.datetime({ offset: true });

/** `X-Access-Purpose`: why a staff member reads a reporter's contact (recorded in the access trail). */
export const accessPurposeSchema = z.string().trim().min(3, 'say why you need the contact').max(500);
