import type { ActorRole } from '@palabre/domain';

/** Who is calling, as the access token says. */
export interface Principal {
  readonly kind: 'staff' | 'citizen';
  /** Staff user id or pseudonymous citizen id. */
  readonly id: string;
  readonly role: ActorRole;
  /** Communes whose tickets this principal may see and act on; '*' for national staff and citizens (public data only). */
  readonly communes: '*' | readonly string[];
}

export const isStaff = (p: Principal): boolean => p.kind === 'staff';

/** The commune a staff member acts for in commands (null = national). */
export const homeCommune = (p: Principal): string | null =>
  p.kind === 'staff' && p.communes !== '*' && p.communes.length === 1 ? p.communes[0]! : null;

export function canSeeCommune(p: Principal, communeId: string | null): boolean {
  if (p.communes === '*') return true;
  return communeId !== null && p.communes.includes(communeId);
}
