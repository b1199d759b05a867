import { z } from 'zod';
import { idSchema, staffRoles } from '../shared/command.js';
import { createEventParser, type StoredEventData, UpcasterRegistry } from '../shared/upcasting.js';

export const staffRoleSchema = z.enum(staffRoles);
export type StaffRole = z.infer<typeof staffRoleSchema>;

/** Lower-case dotted account names such as `dispatcher.soa`; an identifier, not a person's name. */
export const usernameSchema = z
  .string()
  .min(3)
  .max(60)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash or underscore');

/** A commune id, or null for a national grant (all communes). */
const scope = idSchema.nullable();
const at = z.iso.datetime({ offset: true });

export const staffEventDataSchemas = {
  StaffUserCreated: z.object({ userId: idSchema, username: usernameSchema, communeId: scope, createdAt: at }),
  StaffRoleGranted: z.object({ userId: idSchema, role: staffRoleSchema, communeId: scope, grantedAt: at }),
  StaffRoleRevoked: z.object({ userId: idSchema, role: staffRoleSchema, communeId: scope, revokedAt: at }),
  StaffUserDisabled: z.object({ userId: idSchema, reason: z.string().trim().min(1).max(500), disabledAt: at }),
  StaffUserEnabled: z.object({ userId: idSchema, enabledAt: at }),
} as const;

export type StaffEventType = keyof typeof staffEventDataSchemas;
export const staffEventTypes = Object.keys(staffEventDataSchemas) as StaffEventType[];
export const staffEventVersions: Record<StaffEventType, number> = Object.fromEntries(
  staffEventTypes.map((t) => [t, 1]),
) as Record<StaffEventType, number>;

export type StaffEventOf<T extends StaffEventType> = { type: T; data: z.infer<(typeof staffEventDataSchemas)[T]> };
export type StaffEvent = { [T in StaffEventType]: StaffEventOf<T> }[StaffEventType];

export const staffStreamId = (userId: string): string => `staff-${userId}`;

/** Upcasters for staff events; register here when a staff event's shape changes. */
export const staffUpcasters = new UpcasterRegistry();

/** Reads a stored staff event: upcast to the current version, then validate. */
export const parseStaffEvent = createEventParser({
  schemas: staffEventDataSchemas,
  versions: staffEventVersions,
  upcasters: staffUpcasters,
}) as (raw: StoredEventData) => StaffEvent;
