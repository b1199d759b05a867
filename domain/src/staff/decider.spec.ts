import { describe, expect, it } from 'vitest';
import type { CommandMeta } from '../shared/command.js';
import type { StaffCommand } from './commands.js';
import { decideStaff, initialStaffUser, replayStaff, type StaffGrant } from './decider.js';
import type { StaffEvent } from './events.js';

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

const run = (history: StaffEvent[], command: Omit<StaffCommand, 'meta'> & { meta?: CommandMeta }, grants = nationalAdmin) =>
  decideStaff({ meta: meta(), ...command } as StaffCommand, replayStaff(history), grants);

describe('staff lifecycle', () => {
  it('creates an account, recording who could do what from then on', () => {
    expect(run([], { type: 'CreateStaffUser', data: { userId: 'u1', username: 'dispatcher.soa', communeId: 'soa' } })).toEqual([created]);
  });

  it('refuses to create the same account twice', () => {
    expect(() => run([created], { type: 'CreateStaffUser', data: { userId: 'u1', username: 'dispatcher.soa', communeId: 'soa' } })).toThrow(
      expect.objectContaining({ code: 'staff.already_exists' }),
    );
  });

  it('grants a role once; granting it again changes nothing', () => {
    const grant = { type: 'GrantRole', data: { userId: 'u1', role: 'dispatcher', communeId: 'soa' } } as const;
    expect(run([created], grant)).toEqual([granted]);
    expect(run([created, granted], grant)).toEqual([]);
  });

  it('revokes a held role and refuses to revoke one not held', () => {
    const revoke = { type: 'RevokeRole', data: { userId: 'u1', role: 'dispatcher', communeId: 'soa' } } as const;
    expect(run([created, granted], revoke)).toEqual([
      { type: 'StaffRoleRevoked', data: { userId: 'u1', role: 'dispatcher', communeId: 'soa', revokedAt: now } },
    ]);
    expect(() => run([created], revoke)).toThrow(expect.objectContaining({ code: 'staff.role_not_held' }));
    expect(replayStaff([created, granted, ...run([created, granted], revoke)]).grants).toEqual([]);
  });

  it('a commune admin manages only their commune and never national grants', () => {
    const dschangGrant = { type: 'GrantRole', data: { userId: 'u1', role: 'dispatcher', communeId: 'dschang' } } as const;
    const nationalGrant = { type: 'GrantRole', data: { userId: 'u1', role: 'auditor', communeId: null } } as const;
    expect(run([created], { type: 'GrantRole', data: { userId: 'u1', role: 'field_agent', communeId: 'soa' } }, soaAdmin)).toHaveLength(1);
    expect(() => run([created], dschangGrant, soaAdmin)).toThrow(expect.objectContaining({ code: 'staff.forbidden' }));
    expect(() => run([created], nationalGrant, soaAdmin)).toThrow(expect.objectContaining({ code: 'staff.forbidden' }));
  });

  it('a dispatcher cannot manage staff at all', () => {
    expect(() =>
      run([created], { type: 'GrantRole', data: { userId: 'u1', role: 'admin', communeId: 'soa' } }, [{ role: 'dispatcher', communeId: 'soa' }]),
    ).toThrow(expect.objectContaining({ code: 'staff.forbidden' }));
  });

  it('disables an account, which then cannot receive roles until enabled again', () => {
    expect(run([created, granted], { type: 'DisableStaffUser', data: { userId: 'u1', reason: 'left the commune' } })).toEqual([disabled]);
    expect(() => run([created, disabled], { type: 'GrantRole', data: { userId: 'u1', role: 'auditor', communeId: 'soa' } })).toThrow(
      expect.objectContaining({ code: 'staff.disabled' }),
    );
    expect(run([created, disabled], { type: 'EnableStaffUser', data: { userId: 'u1' } })).toEqual([
      { type: 'StaffUserEnabled', data: { userId: 'u1', enabledAt: now } },
    ]);
  });

  it('an admin cannot disable their own account', () => {
    expect(() =>
      decideStaff({ type: 'DisableStaffUser', data: { userId: 'u1', reason: 'oops' }, meta: meta('u1') }, replayStaff([created]), nationalAdmin),
    ).toThrow(expect.objectContaining({ code: 'staff.self_disable' }));
  });

  it('refuses any command on an account that does not exist', () => {
    expect(() => run([], { type: 'EnableStaffUser', data: { userId: 'u9' } })).toThrow(expect.objectContaining({ code: 'staff.not_found' }));
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
