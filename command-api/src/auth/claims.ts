import { staffRoles } from '@palabre/domain';
import { z } from 'zod';

/** Communes a principal may act in: a list, or '*' for national staff and citizens (public data only). */
const communesSchema = z.union([z.literal('*'), z.array(z.string().min(1).max(60)).max(500)]);
const subjectSchema = z.string().min(1).max(120).regex(/^[A-Za-z0-9._:-]+$/);

/** What an access token says about its bearer; staff carry a staff role, citizens the role 'citizen'. */
export const accessClaimsSchema = z.discriminatedUnion('kind', [
  z.object({ sub: subjectSchema, kind: z.literal('staff'), role: z.enum(staffRoles), communes: communesSchema }),
  z.object({ sub: subjectSchema, kind: z.literal('citizen'), role: z.literal('citizen'), communes: communesSchema }),
]);
export type AccessClaims = z.infer<typeof accessClaimsSchema>;
export type PrincipalKind = AccessClaims['kind'];
