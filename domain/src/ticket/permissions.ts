import type { ActorRole, CommandMeta } from '../shared/command.js';
import { DomainRuleError } from '../shared/errors.js';
import type { Ticket } from './state.js';

/** Who may do what on a ticket. Auditors only read; `system` is the platform's own automation. */
export const ticketPermissions = {
  report: ['citizen', 'admin', 'dispatcher', 'field_agent', 'system'],
  confirmReport: ['citizen', 'admin', 'dispatcher', 'field_agent', 'system'],
  triage: ['admin', 'dispatcher', 'system'],
  assign: ['admin', 'dispatcher', 'system'],
  work: ['admin', 'dispatcher', 'field_agent'],
  publicNote: ['citizen', 'admin', 'dispatcher', 'field_agent', 'system'],
  internalNote: ['admin', 'dispatcher', 'field_agent', 'system'],
  close: ['admin', 'dispatcher', 'system'],
  reject: ['admin', 'dispatcher'],
} as const satisfies Record<string, readonly ActorRole[]>;

export type TicketPermission = keyof typeof ticketPermissions;

const roleNames: Record<ActorRole, string> = {
  admin: 'An administrator',
  dispatcher: 'A dispatcher',
  field_agent: 'A field agent',
  auditor: 'An auditor',
  citizen: 'A citizen',
  system: 'The system',
};

export function requireRole(meta: CommandMeta, permission: TicketPermission, action: string): void {
  const allowed: readonly ActorRole[] = ticketPermissions[permission];
  if (!allowed.includes(meta.actor.role)) {
    throw new DomainRuleError('ticket.forbidden', `${roleNames[meta.actor.role]} may not ${action}.`);
  }
}

/** Staff attached to a commune work only that commune's tickets; national staff (no commune) work all. */
export function requireSameCommune(meta: CommandMeta, ticket: Ticket): void {
  const staff = meta.actor.role === 'admin' || meta.actor.role === 'dispatcher' || meta.actor.role === 'field_agent';
  if (staff && meta.communeId !== null && ticket.communeId !== null && meta.communeId !== ticket.communeId) {
    throw new DomainRuleError(
      'ticket.forbidden',
      `Ticket ${ticket.ticketId ?? ''} belongs to commune ${ticket.communeId}; you act for commune ${meta.communeId}.`,
    );
  }
}

/** Only the citizen who reported may accept or dispute the fix. */
export function requireReporter(meta: CommandMeta, ticket: Ticket, action: string): void {
  if (ticket.reporterId === null || meta.actor.id !== ticket.reporterId) {
    throw new DomainRuleError('ticket.not_reporter', `Only the citizen who reported this problem may ${action}.`);
  }
}
