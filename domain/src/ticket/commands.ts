import { z } from 'zod';
import { commandMetaSchema, idSchema } from '../shared/command.js';
import { channelSchema, locationSchema, noteVisibilitySchema, prioritySchema, rejectionReasonSchema, ticketAboutSchema } from './events.js';

const note = z.string().trim().max(2000).nullable().default(null);

/** The routing policy's answer, computed at the edge from the boundaries in force and recorded in TicketRouted. */
export const routingDecisionSchema = z.object({
  communeId: idSchema,
  quartierId: idSchema.nullable(),
  teamId: idSchema.nullable(),
  rule: z.object({ boundary: z.string(), team: z.string().nullable() }),
});
export type RoutingDecision = z.infer<typeof routingDecisionSchema>;

export const ticketCommandDataSchemas = {
  SubmitReport: z.object({
    ticketId: idSchema,
    category: idSchema,
    subcategory: idSchema.nullable().default(null),
    description: z.string().trim().min(1).max(4000),
    location: locationSchema,
    landmark: z.string().trim().max(300).nullable().default(null),
    mediaIds: z.array(idSchema).max(10).default([]),
    reporterId: idSchema.nullable(),
    contactSubjectId: idSchema.nullable().default(null),
    anonymous: z.boolean().default(false),
    confidential: z.boolean().default(false),
    channel: channelSchema,
    clientTime: z.iso.datetime({ offset: true }).nullable().default(null),
    about: ticketAboutSchema.nullable().default(null),
    routing: routingDecisionSchema,
  }),
  ConfirmReport: z.object({ ticketId: idSchema, citizenId: idSchema }),
  TriageTicket: z.object({
    ticketId: idSchema,
    category: idSchema.optional(),
    subcategory: idSchema.nullable().optional(),
    priority: prioritySchema,
  }),
  AssignTicket: z.object({ ticketId: idSchema, teamId: idSchema, agentId: idSchema.nullable().default(null) }),
  StartWork: z.object({ ticketId: idSchema }),
  AddNote: z.object({
    ticketId: idSchema,
    noteId: idSchema,
    text: z.string().trim().min(1).max(4000),
    visibility: noteVisibilitySchema,
  }),
  ResolveTicket: z.object({ ticketId: idSchema, note: z.string().trim().min(1).max(4000), mediaIds: z.array(idSchema).max(10).default([]) }),
  ConfirmResolution: z.object({ ticketId: idSchema, note }),
  DisputeResolution: z.object({ ticketId: idSchema, note }),
  CloseTicket: z.object({ ticketId: idSchema, note }),
  RejectTicket: z.object({ ticketId: idSchema, reason: rejectionReasonSchema, note }),
  MarkDuplicate: z.object({ ticketId: idSchema, duplicateOf: idSchema }),
} as const;

export type TicketCommandType = keyof typeof ticketCommandDataSchemas;
export const ticketCommandTypes = Object.keys(ticketCommandDataSchemas) as TicketCommandType[];

export type TicketCommandOf<T extends TicketCommandType> = {
  type: T;
  data: z.infer<(typeof ticketCommandDataSchemas)[T]>;
  meta: z.infer<typeof commandMetaSchema>;
};
export type TicketCommand = { [T in TicketCommandType]: TicketCommandOf<T> }[TicketCommandType];

/** Validates a command built at the edge; throws a ZodError listing every bad field. */
export function parseTicketCommand<T extends TicketCommandType>(type: T, data: unknown, meta: unknown): TicketCommandOf<T> {
  return {
    type,
    data: ticketCommandDataSchemas[type].parse(data),
    meta: commandMetaSchema.parse(meta),
  } as TicketCommandOf<T>;
}
