import type { TicketView } from '../api/types.js';

/** What the SLA column says about a ticket at `now`. */
export type SlaDisplay =
  | { readonly kind: 'done' }
  | { readonly kind: 'breached'; readonly overdueMs: number }
  | { readonly kind: 'acknowledge' | 'resolve'; readonly remainingMs: number };

const finished = new Set(['resolved', 'closed', 'rejected', 'duplicate']);

export function slaDisplay(ticket: Pick<TicketView, 'status' | 'sla' | 'acknowledgedAt'>, now: number): SlaDisplay {
  const { sla } = ticket;
  if (finished.has(ticket.status) || !sla) return { kind: 'done' };
  const ackBy = sla.acknowledgeBy ? Date.parse(sla.acknowledgeBy) : null;
  const resolveBy = sla.resolveBy ? Date.parse(sla.resolveBy) : null;
  // The deadline that matters now: acknowledgement until it happens, then resolution.
  const deadline = ticket.acknowledgedAt === null && ackBy !== null ? ackBy : resolveBy;
  const breachedAt = [sla.acknowledgeBreached && ackBy, sla.resolveBreached && resolveBy].filter((d): d is number => typeof d === 'number');
  if (sla.breached || (deadline !== null && deadline < now)) {
    const since = breachedAt.length > 0 ? Math.min(...breachedAt) : (deadline ?? now);
    return { kind: 'breached', overdueMs: Math.max(0, now - since) };
  }
  if (deadline === null) return { kind: 'done' };
  return { kind: ticket.acknowledgedAt === null && ackBy !== null ? 'acknowledge' : 'resolve', remainingMs: deadline - now };
}
