import { z } from 'zod';
import { idSchema } from '../shared/command.js';

export const priorities = ['low', 'normal', 'high', 'urgent'] as const;
export const prioritySchema = z.enum(priorities);
export type Priority = z.infer<typeof prioritySchema>;

export const channels = ['app', 'web', 'agent', 'sms'] as const;
export const channelSchema = z.enum(channels);
export type Channel = z.infer<typeof channelSchema>;

export const rejectionReasons = [
  'out_of_scope', // not a municipal competence
  'insufficient_information',
  'already_fixed',
  'abusive',
  'not_reproducible',
  'other',
] as const;
export const rejectionReasonSchema = z.enum(rejectionReasons);
export type RejectionReason = z.infer<typeof rejectionReasonSchema>;

export const noteVisibilitySchema = z.enum(['public', 'internal']);
export type NoteVisibility = z.infer<typeof noteVisibilitySchema>;
export const noteAuthorSchema = z.enum(['staff', 'citizen']);
export type NoteAuthor = z.infer<typeof noteAuthorSchema>;

export const locationSchema = z.object({
  lat: z.number().min(-90).max(90),
  lon: z.number().min(-180).max(180),
  /** Horizontal accuracy in metres reported by the device, when known. */
  accuracy: z.number().min(0).max(100_000).nullable(),
});
export type Location = z.infer<typeof locationSchema>;

const at = z.iso.datetime({ offset: true });
const text = (max: number) => z.string().trim().min(1).max(max);

/**
 * What a report is about besides a place: a resident's comment on a commune project reaches the
 * staff as a ticket linked to that project. Added with a default: reports written before read as
 * about nothing, so no new version is needed.
 */
export const ticketAboutSchema = z.object({ kind: z.literal('project'), id: idSchema });
export type TicketAbout = z.infer<typeof ticketAboutSchema>;

export const ticketEventDataSchemas = {
  TicketReported: z.object({
    ticketId: idSchema,
    category: idSchema,
    subcategory: idSchema.nullable(),
    description: text(4000),
    location: locationSchema,
    /** Free text such as "near carrefour Total": many streets have no name. */
    landmark: z.string().trim().max(300).nullable(),
    mediaIds: z.array(idSchema).max(10),
    /** Pseudonymous citizen (device) id; null when filed by an agent for someone unidentified. */
    reporterId: idSchema.nullable(),
    /** Vault subject holding optional contact details; never the details themselves. */
    contactSubjectId: idSchema.nullable(),
    /** Hide the reporter from staff. */
    anonymous: z.boolean(),
    /** Hide the report from other citizens. */
    confidential: z.boolean(),
    channel: channelSchema,
    /** Time on the device when the report was made (offline phones send later). */
    clientTime: at.nullable(),
    about: ticketAboutSchema.nullable().default(null),
    reportedAt: at,
  }),
  TicketRouted: z.object({
    ticketId: idSchema,
    communeId: idSchema,
    quartierId: idSchema.nullable(),
    teamId: idSchema.nullable(),
    /** Which rules decided, so a replay never re-routes and people can see why. */
    rule: z.object({ boundary: z.string(), team: z.string().nullable() }),
    routedAt: at,
  }),
  TicketConfirmed: z.object({ ticketId: idSchema, citizenId: idSchema, confirmedAt: at }),
  TicketTriaged: z.object({
    ticketId: idSchema,
    category: idSchema,
    subcategory: idSchema.nullable(),
    priority: prioritySchema,
    triagedAt: at,
  }),
  TicketAssigned: z.object({ ticketId: idSchema, teamId: idSchema, agentId: idSchema.nullable(), assignedAt: at }),
  TicketReassigned: z.object({
    ticketId: idSchema,
    teamId: idSchema,
    agentId: idSchema.nullable(),
    previousTeamId: idSchema.nullable(),
    previousAgentId: idSchema.nullable(),
    reassignedAt: at,
  }),
  TicketWorkStarted: z.object({ ticketId: idSchema, agentId: idSchema.nullable(), startedAt: at }),
  TicketNoteAdded: z.object({
    ticketId: idSchema,
    noteId: idSchema,
    text: text(4000),
    visibility: noteVisibilitySchema,
    /** Staff notes acknowledge a ticket; a citizen's public comment does not (older events: staff). */
    author: noteAuthorSchema.default('staff'),
    addedAt: at,
  }),
  TicketResolved: z.object({ ticketId: idSchema, note: text(4000), mediaIds: z.array(idSchema).max(10), resolvedAt: at }),
  TicketResolutionConfirmed: z.object({ ticketId: idSchema, note: z.string().trim().max(2000).nullable(), confirmedAt: at }),
  TicketResolutionDisputed: z.object({ ticketId: idSchema, note: z.string().trim().max(2000).nullable(), disputedAt: at }),
  TicketClosed: z.object({ ticketId: idSchema, note: z.string().trim().max(2000).nullable(), closedAt: at }),
  TicketRejected: z.object({ ticketId: idSchema, reason: rejectionReasonSchema, note: z.string().trim().max(2000).nullable(), rejectedAt: at }),
  TicketMarkedDuplicate: z.object({ ticketId: idSchema, duplicateOf: idSchema, markedAt: at }),
} as const;

export type TicketEventType = keyof typeof ticketEventDataSchemas;
export const ticketEventTypes = Object.keys(ticketEventDataSchemas) as TicketEventType[];

/** Current schema version per event type; bump it and register an upcaster when a shape changes. */
export const ticketEventVersions: Record<TicketEventType, number> = Object.fromEntries(
  ticketEventTypes.map((t) => [t, 1]),
) as Record<TicketEventType, number>;

export type TicketEventOf<T extends TicketEventType> = { type: T; data: z.infer<(typeof ticketEventDataSchemas)[T]> };
export type TicketEvent = { [T in TicketEventType]: TicketEventOf<T> }[TicketEventType];

export const ticketEventSchema = z.discriminatedUnion(
  'type',
  ticketEventTypes.map((t) => z.object({ type: z.literal(t), data: ticketEventDataSchemas[t] })) as unknown as [
    z.ZodObject<{ type: z.ZodLiteral<TicketEventType>; data: z.ZodTypeAny }>,
  ],
);

export const ticketStreamId = (ticketId: string): string => `ticket-${ticketId}`;
export const ticketIdFromStream = (streamId: string): string | null =>
  streamId.startsWith('ticket-') ? streamId.slice('ticket-'.length) : null;
