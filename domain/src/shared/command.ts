import { z } from 'zod';

export const staffRoles = ['admin', 'dispatcher', 'field_agent', 'auditor'] as const;
export const actorRoles = [...staffRoles, 'citizen', 'system'] as const;
/** Staff who run their commune's consultations (draft, open, close, publish) and see the count as it moves. */
export const organiserRoles = ['admin', 'dispatcher'] as const;
/** Staff who meet residents: check identity documents, record paper ballots at a polling table. */
export const agentRoles = ['admin', 'dispatcher', 'field_agent'] as const;
export const isOrganiserRole = (role: string): boolean => (organiserRoles as readonly string[]).includes(role);
export const isAgentRole = (role: string): boolean => (agentRoles as readonly string[]).includes(role);
export const actorRoleSchema = z.enum(actorRoles);
export type ActorRole = z.infer<typeof actorRoleSchema>;

export const actorSchema = z.object({
  id: z.string().min(1).max(120),
  role: actorRoleSchema,
});
export type Actor = z.infer<typeof actorSchema>;

/**
 * What the edge adds to every command: identity, tenancy and time come from there, never from a
 * decider (which stays pure and replayable).
 */
export const commandMetaSchema = z.object({
  commandId: z.string().min(1).max(200),
  now: z.iso.datetime({ offset: true }),
  actor: actorSchema,
  /** Commune the actor acts in; null for national staff or citizens before routing. */
  communeId: z.string().min(1).max(60).nullable(),
});
export type CommandMeta = z.infer<typeof commandMetaSchema>;

export const idSchema = z.string().min(1).max(120).regex(/^[A-Za-z0-9._:-]+$/, 'letters, digits, . _ : - only');
