import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { type StaffCommand, staffDecider, type StaffGrant, type StaffRole, type StaffUser } from '@palabre/domain';
import type { AccessClaims } from '../auth/claims.js';
import type { Principal } from '../platform/principal.js';
import { Streams } from '../platform/streams.js';
import { PG_POOL } from '../platform/tokens.js';

export interface StaffAccount extends StaffUser {
  readonly revision: number;
}

/** Most powerful role first: a token carries one role, the strongest the account holds. */
const roleOrder: readonly StaffRole[] = ['admin', 'dispatcher', 'field_agent', 'auditor'];

/** What a staff member may do now, as an access token says it. Null when the account may not sign in. */
export function claimsFor(account: StaffAccount): AccessClaims | null {
  if (account.status !== 'active' || account.userId === null) return null;
  const role: StaffRole | undefined = roleOrder.find((r) => account.grants.some((g) => g.role === r));
  if (!role) return null;
  const grants = account.grants.filter((g) => g.role === role);
  const communes = grants.some((g) => g.communeId === null) ? '*' : [...new Set(grants.map((g) => g.communeId!))];
  return { sub: account.userId, kind: 'staff', role, communes };
}

/** Staff accounts, read from their event streams: the log is the one truth of who could do what, when. */
@Injectable()
export class StaffDirectory {
  constructor(
    private readonly streams: Streams,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {}

  async load(userId: string): Promise<StaffAccount> {
    // Loading needs no grants: they only matter to decide.
    const { state, revision } = await this.streams.load(staffDecider([]), userId);
    return { ...state, revision };
  }

  /** Every account with credentials, in username order (a commune has tens of staff, not thousands). */
  async list(): Promise<StaffAccount[]> {
    const { rows } = await this.pool.query<{ user_id: string }>('SELECT user_id FROM auth.credentials ORDER BY username');
    return Promise.all(rows.map((r) => this.load(r.user_id)));
  }

  async grantsOf(principal: Principal): Promise<readonly StaffGrant[]> {
    if (principal.kind !== 'staff') return [];
    // The platform itself bootstraps the first accounts (demo seed, installation).
    if (principal.role === 'system') return [{ role: 'admin', communeId: null }];
    return (await this.load(principal.id)).grants;
  }

  /** Decides with the acting admin's grants, on the shared executor. */
  async execute(command: Omit<StaffCommand, 'meta'>, principal: Principal, commandId: string, correlationId: string, expectedRevision?: number): Promise<{ userId: string; revision: number; events: string[] }> {
    const grants = await this.grantsOf(principal);
    const outcome = await this.streams.execute(staffDecider(grants), principal, {
      name: command.type,
      id: command.data.userId,
      commandId,
      correlationId,
      expectedRevision,
      // A staff account is national: the commune an admin acts in does not enter the command.
      build: (meta) => ({ ...command, meta: { ...meta, communeId: null } }) as StaffCommand,
      communeOf: (account, built) => account.communeId ?? ('communeId' in built.data ? built.data.communeId : null),
    });
    return { userId: outcome.id, revision: outcome.revision, events: [...outcome.eventTypes] };
  }
}
