import { describe, expect, it } from 'vitest';
import { slaDisplay } from './sla.js';

const now = Date.parse('2026-11-23T12:00:00Z');
const sla = (over: Partial<{ acknowledgeBy: string; resolveBy: string; acknowledgeBreached: boolean; resolveBreached: boolean; breached: boolean }> = {}) => ({
  acknowledgeBy: '2026-11-23T14:00:00Z',
  resolveBy: '2026-11-24T12:00:00Z',
  acknowledgeBreached: false,
  resolveBreached: false,
  breached: false,
  ...over,
});

describe('the SLA column', () => {
  it('counts down to acknowledgement, then to resolution', () => {
    expect(slaDisplay({ status: 'new', acknowledgedAt: null, sla: sla() }, now)).toEqual({ kind: 'acknowledge', remainingMs: 2 * 3_600_000 });
    expect(slaDisplay({ status: 'assigned', acknowledgedAt: '2026-11-23T11:00:00Z', sla: sla() }, now)).toEqual({ kind: 'resolve', remainingMs: 24 * 3_600_000 });
  });

  it('shows how long ago the first missed deadline passed', () => {
    const late = sla({ acknowledgeBy: '2026-11-23T09:00:00Z', acknowledgeBreached: true, breached: true });
    expect(slaDisplay({ status: 'new', acknowledgedAt: null, sla: late }, now)).toEqual({ kind: 'breached', overdueMs: 3 * 3_600_000 });
  });

  it('notices a deadline passed since the row was loaded', () => {
    expect(slaDisplay({ status: 'new', acknowledgedAt: null, sla: sla({ acknowledgeBy: '2026-11-23T11:30:00Z' }) }, now)).toEqual({ kind: 'breached', overdueMs: 30 * 60_000 });
  });

  it('has nothing to count on finished tickets', () => {
    expect(slaDisplay({ status: 'resolved', acknowledgedAt: '2026-11-23T11:00:00Z', sla: sla({ breached: true }) }, now)).toEqual({ kind: 'done' });
    expect(slaDisplay({ status: 'new', acknowledgedAt: null, sla: null }, now)).toEqual({ kind: 'done' });
  });
});
