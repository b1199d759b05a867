import { changedFields, type FieldChange } from '../app/changes.js';
import type { TicketView, TimelineItem } from '../api/types.js';

export type ChangedField = 'status' | 'priority' | 'category' | 'team' | 'agent' | 'duplicateOf' | 'confirmations' | 'description' | 'landmark';

export type Change = FieldChange<ChangedField>;

/** What someone else changed between the state the dispatcher acted on and the fresh one. */
export function ticketChanges(before: TicketView, after: TicketView): Change[] {
  return changedFields<ChangedField>([
    ['status', before.status, after.status],
    ['priority', before.priority, after.priority],
    ['category', before.category, after.category],
    ['team', before.teamId, after.teamId],
    ['agent', before.agentId, after.agentId],
    ['duplicateOf', before.duplicateOf, after.duplicateOf],
    ['confirmations', before.confirmations, after.confirmations],
    ['description', before.description, after.description],
    ['landmark', before.landmark, after.landmark],
  ]);
}

/** The history entries recorded after the revision the dispatcher decided on. */
export const entriesSince = (timeline: readonly TimelineItem[], revision: number): TimelineItem[] => timeline.filter((e) => e.revision > revision);
