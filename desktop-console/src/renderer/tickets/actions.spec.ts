import { describe, expect, it } from 'vitest';
import type { TicketView, TimelineItem } from '../api/types.js';
import { availableActions } from './actions.js';
import { entriesSince, ticketChanges } from './conflict.js';

describe('actions offered in the ticket panel', () => {
  it('follows the ticket’s life', () => {
    expect(availableActions({ status: 'new' }, 'dispatcher')).toEqual(['triage', 'assign', 'reply', 'note', 'reject', 'duplicate']);
    expect(availableActions({ status: 'assigned' }, 'dispatcher')).toEqual(['triage', 'assign', 'start', 'reply', 'note', 'resolve', 'reject', 'duplicate']);
    expect(availableActions({ status: 'in_progress' }, 'dispatcher')).toContain('resolve');
    expect(availableActions({ status: 'in_progress' }, 'dispatcher')).not.toContain('start');
    expect(availableActions({ status: 'resolved' }, 'dispatcher')).toEqual(['reply', 'note', 'close']);
    expect(availableActions({ status: 'rejected' }, 'dispatcher')).toEqual(['reply', 'note']);
  });

  it('depends on the role', () => {
    expect(availableActions({ status: 'assigned' }, 'field_agent')).toEqual(['start', 'reply', 'note', 'resolve']);
    expect(availableActions({ status: 'new' }, 'auditor')).toEqual([]);
  });
});

describe('what changed meanwhile', () => {
  const before = { status: 'new', priority: 'normal', category: 'voirie', teamId: 'voirie-soa', agentId: null, duplicateOf: null, confirmations: 0, description: 'Trou', landmark: null } as unknown as TicketView;

  it('lists each field someone else changed', () => {
    const after = { ...before, status: 'assigned', teamId: 'reseaux-soa', confirmations: 2 } as TicketView;
    expect(ticketChanges(before, after)).toEqual([
      { field: 'status', before: 'new', after: 'assigned' },
      { field: 'team', before: 'voirie-soa', after: 'reseaux-soa' },
      { field: 'confirmations', before: 0, after: 2 },
    ]);
    expect(ticketChanges(before, before)).toEqual([]);
  });

  it('keeps the history entries after the revision acted on', () => {
    const entry = (revision: number) => ({ revision, summary: 'assigned' }) as TimelineItem;
    expect(entriesSince([entry(1), entry(2), entry(3)], 2).map((e) => e.revision)).toEqual([3]);
  });
});
