import { describe, expect, it } from 'vitest';
import { staffDecider } from '../staff/decider.js';
import { histories, submitReport } from '../testing/given.js';
import { ticketDecider } from '../ticket/decider.js';
import { type Decider, fold } from './decider.js';

describe('every aggregate exports one decider shape', () => {
  it('the ticket decider reads its stream, parses stored events and folds them', () => {
    const decider: Decider<unknown, unknown, unknown> = ticketDecider as unknown as Decider<unknown, unknown, unknown>;
    expect(decider.streamId('T-1')).toBe('ticket-T-1');
    const events = histories.assigned();
    const parsed = events.map((e) => ticketDecider.parseEvent({ type: e.type, data: e.data, schemaVersion: ticketDecider.eventVersions[e.type] }));
    expect(parsed).toEqual(events);
    expect(fold(ticketDecider, parsed)).toMatchObject({ status: 'assigned' });
    expect(ticketDecider.decide(submitReport(), ticketDecider.initialState())).toHaveLength(2);
  });

  it('the staff decider binds the acting admin grants the edge loaded', () => {
    const decider = staffDecider([{ role: 'admin', communeId: null }]);
    expect(decider.streamId('u1')).toBe('staff-u1');
    const meta = { commandId: 'c', now: '2026-11-23T09:00:00.000Z', actor: { id: 'admin', role: 'admin' as const }, communeId: null };
    const events = decider.decide({ type: 'CreateStaffUser', data: { userId: 'u1', username: 'agent.soa', communeId: 'soa' }, meta }, decider.initialState());
    expect(events.map((e) => decider.parseEvent({ ...e, schemaVersion: decider.eventVersions[e.type]! }))).toEqual(events);
    expect(fold(decider, events)).toMatchObject({ status: 'active', username: 'agent.soa' });
    expect(() => staffDecider([]).decide({ type: 'CreateStaffUser', data: { userId: 'u2', username: 'x.soa', communeId: 'soa' }, meta }, decider.initialState())).toThrow(
      expect.objectContaining({ code: 'staff.forbidden' }),
    );
  });
});
