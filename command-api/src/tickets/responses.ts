import { z } from 'zod';
import { channels, priorities, ticketStatuses } from '@palabre/domain';
import { storedContactSchema } from '../vault/contact.js';

/** What the ticket endpoints answer, as the OpenAPI document shows it (views.ts builds these bodies). */

const maybe = z.string().nullable();
const at = z.string().describe('ISO 8601 instant');
const when = at.nullable();

const slaSchema = z.object({
  acknowledgeBy: when,
  resolveBy: when,
  acknowledgeBreached: z.boolean(),
  resolveBreached: z.boolean(),
  breached: z.boolean(),
});

export const ticketViewSchema = z
  .object({
    id: z.string(),
    reference: z.string().describe('Read over the phone: commune prefix and the first characters of the id'),
    communeId: maybe,
    quartierId: maybe,
    category: maybe,
    subcategory: maybe,
    status: z.enum(ticketStatuses),
    priority: z.enum(priorities),
    teamId: maybe,
    agentId: maybe.describe('Staff only (null for citizens)'),
    location: z.object({ lat: z.number(), lon: z.number(), accuracy: z.number().nullable() }).nullable(),
    plusCode: maybe,
    landmark: maybe,
    description: maybe,
    media: z.array(z.object({ id: z.string(), url: z.string(), thumbnailUrl: z.string() })),
    anonymous: z.boolean(),
    confidential: z.boolean(),
    channel: z.enum(channels).nullable(),
    confirmations: z.number().int(),
    reportedAt: when,
    acknowledgedAt: when,
    resolvedAt: when,
    closedAt: when,
    updatedAt: at,
    sla: slaSchema,
    duplicateOf: maybe,
    resolution: z.object({ note: z.string(), mediaIds: z.array(z.string()) }).nullable(),
    about: z.object({ kind: z.literal('project'), id: z.string() }).nullable().describe('The project a resident’s comment is about'),
    rejection: z.object({ reason: z.string() }).nullable(),
    revision: z.number().int().describe('The value for If-Match'),
    asOf: at.optional().describe('Present when read with ?asOf: the ticket as it was then'),
    reporter: z.object({ citizenId: z.string() }).nullable().optional().describe('Staff only; null on anonymous or confidential reports'),
    hasContact: z.boolean().optional().describe('Staff only: the reporter left contact details staff may read'),
    mine: z.boolean().optional().describe('Citizens only: your own report'),
    confirmedByMe: z.boolean().optional().describe('Citizens only: you said "me too"'),
  })
  .describe('A ticket as its reader may see it');


export const timelineSchema = z.object({
  items: z.array(
    z.object({
      revision: z.number().int(),
      type: z.string().describe('Event type'),
      summary: z.string().describe('Stable key such as ticket.assigned, translated by clients'),
      data: z.record(z.string(), z.unknown()),
      actor: z.object({ id: z.string().nullable().optional(), role: z.string() }),
      at,
      visibility: z.enum(['public', 'internal']),
    }),
  ),
  revision: z.number().int().nullable().describe('How far the history has got (internal lines included), null before its first line: the timeline has its own projector and may trail the ticket'),
});

export const contactViewSchema = z.union([z.object({ erased: z.literal(true) }), storedContactSchema.extend({ erased: z.literal(false) })]);

export const confirmationsSchema = z.object({ items: z.array(z.object({ ticketId: z.string(), communeId: z.string().nullable(), confirmedAt: at })) });

const statsGroup = {
  received: z.number().int(),
  acknowledged: z.number().int(),
  resolved: z.number().int(),
  medianAckSeconds: z.number().nullable(),
  medianResolveSeconds: z.number().nullable(),
};
const group = { ...statsGroup, breachRate: z.number().nullable() };

export const statsSchema = z.object({
  communeId: z.string(),
  from: z.string(),
  to: z.string(),
  days: z.array(z.object({ day: z.string(), category: z.string(), ...statsGroup })),
  totals: z.object(group),
  byCategory: z.array(z.object({ ...group, category: z.string() })),
  byQuartier: z.array(z.object({ ...group, quartierId: z.string().nullable() })),
});
