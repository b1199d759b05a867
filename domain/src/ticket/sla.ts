import { DomainRuleError } from '../shared/errors.js';
import type { Priority } from './events.js';
import type { Ticket } from './state.js';

/** How long the commune gives itself to acknowledge, then to resolve, a report. */
export interface SlaTarget {
  readonly acknowledgeHours: number;
  readonly resolveHours: number;
}

export interface SlaPolicy {
  readonly byPriority: Readonly<Record<Priority, SlaTarget>>;
  /** Category-specific targets per priority; a priority left out uses `byPriority`. */
  readonly byCategory: Readonly<Record<string, Partial<Record<Priority, SlaTarget>>>>;
}

const day = 24;

export const defaultSlaPolicy: SlaPolicy = {
  byPriority: {
    urgent: { acknowledgeHours: 2, resolveHours: day },
    high: { acknowledgeHours: 8, resolveHours: 3 * day },
    normal: { acknowledgeHours: day, resolveHours: 7 * day },
    low: { acknowledgeHours: 3 * day, resolveHours: 30 * day },
  },
  byCategory: {
    // A leak wastes water every hour and undermines the road around it.
    reseaux: {
      high: { acknowledgeHours: 4, resolveHours: 2 * day },
      normal: { acknowledgeHours: 12, resolveHours: 3 * day },
      low: { acknowledgeHours: day, resolveHours: 7 * day },
    },
    // A dark street is a safety risk from the next nightfall.
    eclairage: {
      high: { acknowledgeHours: 4, resolveHours: 2 * day },
      normal: { acknowledgeHours: 12, resolveHours: 5 * day },
    },
  },
};

export function slaTarget(policy: SlaPolicy, category: string, priority: Priority): SlaTarget {
  const forCategory = Object.hasOwn(policy.byCategory, category) ? policy.byCategory[category] : undefined;
  return forCategory?.[priority] ?? policy.byPriority[priority];
}

export interface SlaDeadlines {
  readonly acknowledgeBy: string;
  readonly resolveBy: string;
}

const addHours = (iso: string, hours: number): string => new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

/** Deadlines counted from the moment the report reached the commune (not the phone's clock). */
export function slaDeadlines(policy: SlaPolicy, ticket: { reportedAt: string; category: string; priority: Priority }): SlaDeadlines {
  const target = slaTarget(policy, ticket.category, ticket.priority);
  return { acknowledgeBy: addHours(ticket.reportedAt, target.acknowledgeHours), resolveBy: addHours(ticket.reportedAt, target.resolveHours) };
}

export interface SlaStatus extends SlaDeadlines {
  readonly acknowledgeBreached: boolean;
  readonly resolveBreached: boolean;
  readonly breached: boolean;
}

const isAfter = (a: string, b: string): boolean => Date.parse(a) > Date.parse(b);

/**
 * Whether the commune kept its promises on this ticket as of `now`: a done step is late if it
 * happened after its deadline; a pending one if `now` is past it. Rejected and duplicate tickets
 * are never counted late for resolution: there was nothing left to resolve.
 */
export function slaStatus(ticket: Ticket, now: string, policy: SlaPolicy = defaultSlaPolicy): SlaStatus {
  if (ticket.reportedAt === null || ticket.category === null) {
    throw new DomainRuleError('ticket.not_found', 'A ticket that was never reported has no deadlines.');
  }
  const deadlines = slaDeadlines(policy, { reportedAt: ticket.reportedAt, category: ticket.category, priority: ticket.priority });
  const acknowledgeBreached = isAfter(ticket.acknowledgedAt ?? now, deadlines.acknowledgeBy);
  const noResolutionDue = ticket.status === 'rejected' || ticket.status === 'duplicate';
  const resolveBreached = !noResolutionDue && isAfter(ticket.resolvedAt ?? now, deadlines.resolveBy);
  return { ...deadlines, acknowledgeBreached, resolveBreached, breached: acknowledgeBreached || resolveBreached };
}
