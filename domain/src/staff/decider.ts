import { assertNever, DomainRuleError } from '../shared/errors.js';
import type { CommandMeta } from '../shared/command.js';
import type { Decider } from '../shared/decider.js';
import type { StaffCommand } from './commands.js';
import { parseStaffEvent, type StaffEvent, type StaffRole, staffEventVersions, staffStreamId } from './events.js';

export interface StaffGrant {
  readonly role: StaffRole;
  /** null: every commune. */
  readonly communeId: string | null;
}

export interface StaffUser {
  readonly status: 'none' | 'active' | 'disabled';
  readonly userId: string | null;
  readonly username: string | null;
  /** Home commune; null for national staff. */
  readonly communeId: string | null;
  readonly grants: readonly StaffGrant[];
}

export const initialStaffUser = (): StaffUser => ({ status: 'none', userId: null, username: null, communeId: null, grants: [] });

const sameGrant = (a: StaffGrant, b: StaffGrant) => a.role === b.role && a.communeId === b.communeId;

/**
 * Who may manage staff: a national admin anything; a commune admin only users and grants of
 * their own commune, never national grants. The edge passes the acting admin's grants in `meta`
 * via `actorGrants` because deciders never look anything up.
 */
function assertMayManage(meta: CommandMeta, actorGrants: readonly StaffGrant[], communeId: string | null): void {
  const national = actorGrants.some((g) => g.role === 'admin' && g.communeId === null);
  if (national) return;
  const local = communeId !== null && actorGrants.some((g) => g.role === 'admin' && g.communeId === communeId);
  if (!local || meta.actor.role !== 'admin') {
    throw new DomainRuleError(
      'staff.forbidden',
      communeId === null ? 'Only a national administrator can manage national accounts and grants.' : `Only an administrator of ${communeId} can manage its staff.`,
    );
  }
}

export function decideStaff(command: StaffCommand, user: StaffUser, actorGrants: readonly StaffGrant[]): StaffEvent[] {
  const now = command.meta.now;
  if (command.type !== 'CreateStaffUser' && user.status === 'none') {
    throw new DomainRuleError('staff.not_found', 'This staff account does not exist.');
  }
  switch (command.type) {
    case 'CreateStaffUser': {
      assertMayManage(command.meta, actorGrants, command.data.communeId);
      if (user.status !== 'none') throw new DomainRuleError('staff.already_exists', 'This staff account already exists.');
      return [{ type: 'StaffUserCreated', data: { ...command.data, createdAt: now } }];
    }
    case 'GrantRole': {
      assertMayManage(command.meta, actorGrants, command.data.communeId);
      if (user.status === 'disabled') throw new DomainRuleError('staff.disabled', 'A disabled account cannot receive a role; enable it first.');
      const grant = { role: command.data.role, communeId: command.data.communeId };
      if (user.grants.some((g) => sameGrant(g, grant))) return [];
      return [{ type: 'StaffRoleGranted', data: { ...command.data, grantedAt: now } }];
    }
    case 'RevokeRole': {
      assertMayManage(command.meta, actorGrants, command.data.communeId);
      const grant = { role: command.data.role, communeId: command.data.communeId };
      if (!user.grants.some((g) => sameGrant(g, grant))) {
        throw new DomainRuleError('staff.role_not_held', `This account does not hold the role ${grant.role} there.`);
      }
      return [{ type: 'StaffRoleRevoked', data: { ...command.data, revokedAt: now } }];
    }
    case 'DisableStaffUser': {
      assertMayManage(command.meta, actorGrants, user.communeId);
      if (command.meta.actor.id === user.userId) throw new DomainRuleError('staff.self_disable', 'You cannot disable your own account.');
      if (user.status === 'disabled') return [];
      return [{ type: 'StaffUserDisabled', data: { ...command.data, disabledAt: now } }];
    }
    case 'EnableStaffUser': {
      assertMayManage(command.meta, actorGrants, user.communeId);
      if (user.status === 'active') return [];
      return [{ type: 'StaffUserEnabled', data: { ...command.data, enabledAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveStaff(user: StaffUser, event: StaffEvent): StaffUser {
  switch (event.type) {
    case 'StaffUserCreated':
      return { ...user, status: 'active', userId: event.data.userId, username: event.data.username, communeId: event.data.communeId };
    case 'StaffRoleGranted':
      return { ...user, grants: [...user.grants, { role: event.data.role, communeId: event.data.communeId }] };
    case 'StaffRoleRevoked': {
      const revoked = { role: event.data.role, communeId: event.data.communeId };
      return { ...user, grants: user.grants.filter((g) => !sameGrant(g, revoked)) };
    }
    case 'StaffUserDisabled':
      return { ...user, status: 'disabled' };
    case 'StaffUserEnabled':
      return { ...user, status: 'active' };
    default:
      return assertNever(event);
  }
}

export const replayStaff = (events: readonly StaffEvent[]): StaffUser => events.reduce(evolveStaff, initialStaffUser());

/**
 * The staff aggregate as the engine sees it, for one acting admin: deciders never look grants up,
 * so the edge binds the grants it loaded before deciding.
 */
export function staffDecider(actorGrants: readonly StaffGrant[]): Decider<StaffCommand, StaffEvent, StaffUser> {
  return {
    streamId: staffStreamId,
    initialState: initialStaffUser,
    decide: (command, user) => decideStaff(command, user, actorGrants),
    evolve: evolveStaff,
    parseEvent: parseStaffEvent,
    eventVersions: staffEventVersions,
  };
}
