import { z } from 'zod';
import { actorSchema, idSchema, staffRoleSchema, usernameSchema } from '@palabre/domain';

/** Bodies of the staff admin endpoints, and what they answer. */
export const createSchema = z
  .object({ username: usernameSchema, password: z.string().min(8).max(256), communeId: idSchema.nullable(), role: staffRoleSchema })
  .strict();
export const grantSchema = z.object({ role: staffRoleSchema, communeId: idSchema.nullable().describe('null: a national grant') }).strict();
export const disableSchema = z.object({ reason: z.string().trim().min(1).max(500) }).strict();

export const staffAccountSchema = z.object({
  id: z.string().nullable(),
  username: z.string().nullable(),
  communeId: z.string().nullable(),
  status: z.enum(['none', 'active', 'disabled']),
  grants: z.array(z.object({ role: staffRoleSchema, communeId: z.string().nullable() })).readonly(),
  revision: z.number().int(),
});
export type StaffAccountView = z.output<typeof staffAccountSchema>;
export const staffListSchema = z.object({ items: z.array(staffAccountSchema) });
export const staffOutcomeSchema = z.object({ userId: z.string(), revision: z.number().int(), events: z.array(z.string()).describe('Event types appended (empty: nothing changed)') });
export const staffHistorySchema = z.object({
  items: z.array(z.object({ revision: z.number().int(), type: z.string(), data: z.record(z.string(), z.unknown()), actor: actorSchema, at: z.string() })),
});
