import { z } from 'zod';
import { commandMetaSchema, idSchema } from '../shared/command.js';

const digestSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a 64-character hex digest');
type Meta = z.infer<typeof commandMetaSchema>;

/** What the edge asks of a citizen's stream once it has checked the code, the document or the census. */
export const citizenCommandDataSchemas = {
  VerifyPhone: z.object({ citizenId: idSchema, phoneDigest: digestSchema }),
  VerifyInPerson: z.object({ citizenId: idSchema, documentDigest: digestSchema, communeId: idSchema, quartierId: idSchema.nullable(), censusMatch: z.boolean() }),
  LinkDevice: z.object({ citizenId: idSchema, deviceCitizenId: idSchema }),
  DeclareResidence: z.object({ citizenId: idSchema, communeId: idSchema, quartierId: idSchema.nullable() }),
  RevokeInPersonVerification: z.object({ citizenId: idSchema, reason: z.string().trim().min(1).max(500) }),
} as const;

export type CitizenCommandType = keyof typeof citizenCommandDataSchemas;
export type CitizenCommandOf<T extends CitizenCommandType> = { type: T; data: z.infer<(typeof citizenCommandDataSchemas)[T]>; meta: Meta };
export type CitizenCommand = { [T in CitizenCommandType]: CitizenCommandOf<T> }[CitizenCommandType];

export function parseCitizenCommand<T extends CitizenCommandType>(type: T, data: unknown, meta: unknown): CitizenCommandOf<T> {
  return { type, data: citizenCommandDataSchemas[type].parse(data), meta: commandMetaSchema.parse(meta) } as CitizenCommandOf<T>;
}
