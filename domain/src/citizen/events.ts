import { z } from 'zod';
import { idSchema } from '../shared/command.js';
import { createEventParser, firstVersions, type StoredEventData, UpcasterRegistry } from '../shared/upcasting.js';

const at = z.iso.datetime({ offset: true });
/** A keyed digest (HMAC-SHA-256, hex) the edge computes: the number or document itself never enters the log. */
const digestSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a 64-character hex digest');

export const citizenEventDataSchemas = {
  /** The citizen typed back the code sent to this number. */
  PhoneVerified: z.object({ citizenId: idSchema, phoneDigest: digestSchema, verifiedAt: at }),
  /** A commune agent checked an identity document; `censusMatch` says whether the commune's census list has it. */
  VerifiedInPerson: z.object({
    citizenId: idSchema,
    documentDigest: digestSchema,
    communeId: idSchema,
    quartierId: idSchema.nullable(),
    censusMatch: z.boolean(),
    agentId: idSchema,
    verifiedAt: at,
  }),
  /** The citizen says where they live (self-declared: an agent's in-person check is what confirms it). */
  ResidenceDeclared: z.object({ citizenId: idSchema, communeId: idSchema, quartierId: idSchema.nullable(), declaredAt: at }),
  /** Another device now acts as this citizen (a new phone recovered through the verified number). */
  DeviceLinked: z.object({ citizenId: idSchema, deviceCitizenId: idSchema, via: z.literal('phone'), linkedAt: at }),
  /** An admin withdrew an in-person check (a document found to belong to someone else). */
  InPersonVerificationRevoked: z.object({ citizenId: idSchema, reason: z.string().trim().min(1).max(500), revokedBy: idSchema, revokedAt: at }),
} as const;

export type CitizenEventType = keyof typeof citizenEventDataSchemas;
export type CitizenEventOf<T extends CitizenEventType> = { type: T; data: z.infer<(typeof citizenEventDataSchemas)[T]> };
export type CitizenEvent = { [T in CitizenEventType]: CitizenEventOf<T> }[CitizenEventType];

export const citizenEventVersions = firstVersions(citizenEventDataSchemas);

/** One stream per citizen: how sure the commune is of who they are. */
export const citizenStreamId = (citizenId: string): string => `citizen-${citizenId}`;

/** Register here when a citizen event's shape changes (and bump its version). */
export const citizenUpcasters = new UpcasterRegistry();

export const parseCitizenEvent = createEventParser({
  schemas: citizenEventDataSchemas,
  versions: citizenEventVersions,
  upcasters: citizenUpcasters,
}) as (raw: StoredEventData) => CitizenEvent;
