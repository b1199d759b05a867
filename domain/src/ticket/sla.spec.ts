import { describe, expect, it } from 'vitest';
import { assign, at, defaultNow, historyOf, reject, resolve, submitReport, triage, disputeResolution } from '../testing/given.js';
import { replay } from './decider.js';
import { defaultSlaPolicy, slaDeadlines, slaStatus, slaTarget } from './sla.js';
import { initialState } from './state.js';

describe('slaTarget', () => {
  it('gives municipal defaults by priority', () => {
    expect(slaTarget(defaultSlaPolicy, 'voirie', 'urgent')).toEqual({ acknowledgeHours: 2, resolveHours: 24 });
    expect(slaTarget(defaultSlaPolicy, 'voirie', 'high')).toEqual({ acknowledgeHours: 8, resolveHours: 72 });
    expect(slaTarget(defaultSlaPolicy, 'voirie', 'normal')).toEqual({ acknowledgeHours: 24, resolveHours: 168 });
    expect(slaTarget(defaultSlaPolicy, 'salubrite', 'low')).toEqual({ acknowledgeHours: 72, resolveHours: 720 });
  });

  it('is stricter for a water leak or a dark street', () => {
    expect(slaTarget(defaultSlaPolicy, 'reseaux', 'normal').resolveHours).toBeLessThan(slaTarget(defaultSlaPolicy, 'voirie', 'normal').resolveHours);
    expect(slaTarget(defaultSlaPolicy, 'eclairage', 'normal').acknowledgeHours).toBe(12);
  });

  it('falls back to the priority default where a category says nothing', () => {
    expect(slaTarget(defaultSlaPolicy, 'eclairage', 'urgent')).toEqual(defaultSlaPolicy.byPriority.urgent);
    expect(slaTarget(defaultSlaPolicy, 'constructor', 'normal')).toEqual(defaultSlaPolicy.byPriority.normal);
  });
});

describe('slaDeadlines', () => {
  it('counts from the moment the report was received', () => {
    expect(slaDeadlines(defaultSlaPolicy, { reportedAt: '2026-03-02T09:00:00+01:00', category: 'voirie', priority: 'urgent' })).toEqual({
      acknowledgeBy: '2026-03-02T10:00:00.000Z',
      resolveBy: '2026-03-03T08:00:00.000Z',
    });
  });
});

describe('slaStatus', () => {
  // A pothole reported at defaultNow, normal priority: acknowledge within 24 h, resolve within 7 days.
  const reported = () => replay(historyOf(submitReport()));

  it('is on time while the deadlines are ahead', () => {
    expect(slaStatus(reported(), at(23))).toEqual({
      acknowledgeBy: at(24),
      resolveBy: at(168),
      acknowledgeBreached: false,
      resolveBreached: false,
      breached: false,
    });
  });

  it('breaches acknowledgement when nobody looked within the deadline', () => {
    expect(slaStatus(reported(), at(25))).toMatchObject({ acknowledgeBreached: true, resolveBreached: false, breached: true });
  });

  it('judges a done acknowledgement by when it happened, not by now', () => {
    const lateTriage = replay(historyOf(submitReport(), triage({ priority: 'normal' }, { now: at(30) })));
    expect(slaStatus(lateTriage, at(31)).acknowledgeBreached).toBe(true);
    const promptTriage = replay(historyOf(submitReport(), triage({ priority: 'normal' }, { now: at(2) })));
    expect(slaStatus(promptTriage, at(100)).acknowledgeBreached).toBe(false);
  });

  it('uses the priority set at triage', () => {
    const urgent = replay(historyOf(submitReport(), triage({ priority: 'urgent' }, { now: at(1) })));
    expect(slaStatus(urgent, at(25))).toMatchObject({ resolveBy: at(24), resolveBreached: true });
  });

  it('keeps a resolution made in time on time forever', () => {
    const fixed = replay(historyOf(submitReport(), assign({}, { now: at(1) }), resolve({}, { now: at(100) })));
    expect(slaStatus(fixed, at(1000))).toMatchObject({ acknowledgeBreached: false, resolveBreached: false, breached: false });
  });

  it('counts a disputed resolution as not resolved', () => {
    const disputed = replay(historyOf(submitReport(), assign({}, { now: at(1) }), resolve({}, { now: at(100) }), disputeResolution({}, { now: at(150) })));
    expect(slaStatus(disputed, at(200)).resolveBreached).toBe(true);
  });

  it('does not count a rejected ticket late for resolution', () => {
    const rejected = replay(historyOf(submitReport(), reject({}, { now: at(2) })));
    expect(slaStatus(rejected, at(1000))).toMatchObject({ acknowledgeBreached: false, resolveBreached: false, breached: false });
  });

  it('has no deadlines for a ticket never reported', () => {
    expect(() => slaStatus(initialState(), defaultNow)).toThrow(expect.objectContaining({ code: 'ticket.not_found' }));
  });
});
