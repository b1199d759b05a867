import { describe, expect, it } from 'vitest';
import type { CommandMeta } from '../shared/command.js';
import type { StaffCommand } from './commands.js';
import { scenariosOf } from '../testing/scenario.js';
import { initialStaffUser, type StaffGrant, staffDecider } from './decider.js';
import type { StaffEvent, StaffRole } from './events.js';

const now = '2026-11-23T09:00:00.000Z';
const meta = (actorId = 'admin', role: CommandMeta['actor']['role'] = 'admin'): CommandMeta => ({
  commandId: 'cmd-1',
  now,
  actor: { id: actorId, role },
  communeId: null,
});
const nationalAdmin: StaffGrant[] = [{ role: 'admin', communeId: null }];
const soaAdmin: StaffGrant[] = [{ role: 'admin', communeId: 'soa' }];

const created: StaffEvent = { type: 'StaffUserCreated', data: { userId: 'u1', username: 'dispatcher.soa', communeId: 'soa', createdAt: now } };
const granted: StaffEvent = { type: 'StaffRoleGranted', data: { userId: 'u1', role: 'dispatcher', communeId: 'soa', grantedAt: now } };
const disabled: StaffEvent = { type: 'StaffUserDisabled', data: { userId: 'u1', reason: 'left the commune', disabledAt: now } };

/** given(history).when(command) for a staff account, the acting admin holding `grants`. */
const given = (history: StaffEvent[], grants = nationalAdmin) => scenariosOf(staffDecider(grants))(history);
const command = (c: Omit<StaffCommand, 'meta'>, m = meta()) => ({ ...c, meta: m }) as StaffCommand;
const grant = (role: StaffRole, communeId: string | null) => command({ type: 'GrantRole', data: { userId: 'u1', role, communeId } });
const create = command({ type: 'CreateStaffUser', data: { userId: 'u1', username: 'dispatcher.soa', communeId: 'soa' } });

describe('staff lifecycle', () => {
  it('creates an account, recording who could do what from then on', () => {
    given([]).when(create).then([created]);
  });

  it('refuses to create the same account twice', () => {
    given([created]).when(create).thenThrows('staff.already_exists');
  });

  it('grants a role once; granting it again changes nothing', () => {
    given([created]).when(grant('dispatcher', 'soa')).then([granted]);
    given([created, granted]).when(grant('dispatcher', 'soa')).then([]);
  });

  it('revokes a held role and refuses to revoke one not held', () => {
    const revoke = command({ type: 'RevokeRole', data: { userId: 'u1', role: 'dispatcher', communeId: 'soa' } });
    given([created, granted])
      .when(revoke)
      .then([{ type: 'StaffRoleRevoked', data: { userId: 'u1', role: 'dispatcher', communeId: 'soa', revokedAt: now } }]);
    given([created]).when(revoke).thenThrows('staff.role_not_held');
    expect(given([created, granted]).when(revoke).thenState().grants).toEqual([]);
  });

  it('a commune admin manages only their commune and never national grants', () => {
    expect(given([created], soaAdmin).when(grant('field_agent', 'soa')).thenState().grants).toHaveLength(1);
    given([created], soaAdmin).when(grant('dispatcher', 'dschang')).thenThrows('staff.forbidden');
    given([created], soaAdmin).when(grant('auditor', null)).thenThrows('staff.forbidden');
  });

  it('a dispatcher cannot manage staff at all', () => {
    given([created], [{ role: 'dispatcher', communeId: 'soa' }]).when(grant('admin', 'soa')).thenThrows('staff.forbidden');
  });

  it('disables an account, which then cannot receive roles until enabled again', () => {
    given([created, granted]).when(command({ type: 'DisableStaffUser', data: { userId: 'u1', reason: 'left the commune' } })).then([disabled]);
    given([created, disabled]).when(grant('auditor', 'soa')).thenThrows('staff.disabled');
    given([created, disabled])
      .when(command({ type: 'EnableStaffUser', data: { userId: 'u1' } }))
      .then([{ type: 'StaffUserEnabled', data: { userId: 'u1', enabledAt: now } }]);
  });

  it('an admin cannot disable their own account', () => {
    given([created]).when(command({ type: 'DisableStaffUser', data: { userId: 'u1', reason: 'oops' } }, meta('u1'))).thenThrows('staff.self_disable');
  });

  it('refuses any command on an account that does not exist', () => {
    given([]).when(command({ type: 'EnableStaffUser', data: { userId: 'u9' } })).thenThrows('staff.not_found');
    expect(initialStaffUser().status).toBe('none');
  });
});

describe('reading staff events back', () => {
  it('validates stored events and refuses unknown ones', async () => {
    const { parseStaffEvent } = await import('./events.js');
    expect(parseStaffEvent({ type: created.type, data: created.data, schemaVersion: 1 })).toEqual(created);
    expect(() => parseStaffEvent({ type: 'StaffUserPromoted', data: {}, schemaVersion: 1 })).toThrow(/Unknown event type/);
    expect(() => parseStaffEvent({ type: 'StaffRoleGranted', data: { userId: 'u1', role: 'mayor' }, schemaVersion: 1 })).toThrow(/Invalid StaffRoleGranted/);
  });
});
