import { z } from 'zod';
import { commandMetaSchema, idSchema } from '../shared/command.js';
import { staffRoleSchema, usernameSchema } from './events.js';

export const staffCommandDataSchemas = {
  CreateStaffUser: z.object({ userId: idSchema, username: usernameSchema, communeId: idSchema.nullable() }),
  GrantRole: z.object({ userId: idSchema, role: staffRoleSchema, communeId: idSchema.nullable() }),
  RevokeRole: z.object({ userId: idSchema, role: staffRoleSchema, communeId: idSchema.nullable() }),
  DisableStaffUser: z.object({ userId: idSchema, reason: z.string().trim().min(1).max(500) }),
  EnableStaffUser: z.object({ userId: idSchema }),
} as const;

export type StaffCommandType = keyof typeof staffCommandDataSchemas;
export type StaffCommandOf<T extends StaffCommandType> = {
  type: T;
  data: z.infer<(typeof staffCommandDataSchemas)[T]>;
  meta: z.infer<typeof commandMetaSchema>;
};
export type StaffCommand = { [T in StaffCommandType]: StaffCommandOf<T> }[StaffCommandType];
