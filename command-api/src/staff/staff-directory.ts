import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import {
  type CommandMeta,
  decideStaff,
  evolveStaff,
  initialStaffUser,
  parseStaffEvent,
  type StaffCommand,
  type StaffGrant,
  type StaffRole,
  type StaffUser,
  staffEventVersions,
  staffStreamId,
} from '@palabre/domain';
import { envelopesFor, type EventStore, WrongExpectedRevisionError } from '@palabre/event-store';
import { currentTraceContext } from '@palabre/observability';
import type { AccessClaims } from '../auth/claims.js';
import type { Principal } from '../platform/principal.js';
import { type Clock, CLOCK, EVENT_STORE, PG_POOL } from '../platform/tokens.js';

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
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async load(userId: string): Promise<StaffAccount> {
    const events = await this.store.readStream(staffStreamId(userId));
    const user = events.reduce((state, e) => evolveStaff(state, parseStaffEvent({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion })), initialStaffUser());
    return { ...user, revision: events.length - 1 };
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

  /** Load, decide with the acting admin's grants, append at the revision decided on. */
  async execute(command: Omit<StaffCommand, 'meta'>, principal: Principal, commandId: string, correlationId: string, expectedRevision?: number): Promise<{ userId: string; revision: number; events: string[] }> {
    const userId = command.data.userId;
    const account = await this.load(userId);
    if (expectedRevision !== undefined && expectedRevision !== account.revision) {
      throw new WrongExpectedRevisionError(staffStreamId(userId), expectedRevision, account.revision < 0 ? 'no_stream' : account.revision);
    }
    const now = this.clock().toISOString();
    const meta: CommandMeta = { commandId, now, actor: { id: principal.id, role: principal.role }, communeId: null };
    const events = decideStaff({ ...command, meta } as StaffCommand, account, await this.grantsOf(principal));
    if (events.length === 0) return { userId, revision: account.revision, events: [] };
    const result = await this.store.append(
      staffStreamId(userId),
      envelopesFor(
        events,
        {
          commandId,
          correlationId,
          actor: meta.actor,
          communeId: account.communeId ?? ('communeId' in command.data ? command.data.communeId : null),
          recordedAt: now,
          ...currentTraceContext(),
        },
        (type) => staffEventVersions[type as keyof typeof staffEventVersions],
      ),
      account.revision < 0 ? 'no_stream' : account.revision,
    );
    return { userId, revision: result.nextRevision, events: events.map((e) => e.type) };
  }
}
