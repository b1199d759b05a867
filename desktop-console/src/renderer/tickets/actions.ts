import type { StaffRole, TicketView } from '../api/types.js';

/** The panel's actions, in the order of their buttons. */
export const panelActions = ['triage', 'assign', 'start', 'reply', 'note', 'resolve', 'reject', 'duplicate', 'close'] as const;
export type PanelAction = (typeof panelActions)[number];

/** Keyboard shortcut of each action in the panel (documented in the help dialog). */
export const actionKeys: Readonly<Record<PanelAction, string>> = {
  triage: 't',
  assign: 'a',
  start: 'd',
  reply: 'r',
  note: 'n',
  resolve: 'v',
  reject: 'x',
  duplicate: 'u',
  close: 'c',
};

const finished = new Set(['closed', 'rejected', 'duplicate']);
const byRole: Readonly<Record<StaffRole, ReadonlySet<PanelAction>>> = {
  admin: new Set(panelActions),
  dispatcher: new Set(panelActions),
  field_agent: new Set<PanelAction>(['start', 'reply', 'note', 'resolve']),
  auditor: new Set<PanelAction>(),
};

/**
 * What can be done to the ticket now, mirroring the domain's rules so the dispatcher is not offered
 * a button the server would refuse (the server still decides).
 */
export function availableActions(ticket: Pick<TicketView, 'status'>, role: StaffRole): PanelAction[] {
  const { status } = ticket;
  const allowed = (action: PanelAction): boolean => {
    if (finished.has(status)) return action === 'reply' || action === 'note';
    if (status === 'resolved') return action === 'reply' || action === 'note' || action === 'close';
    switch (action) {
      case 'start':
        return status === 'assigned' || status === 'reopened';
      case 'resolve':
        return status === 'assigned' || status === 'in_progress' || status === 'reopened';
      case 'close':
        return false;
      default:
        return true;
    }
  };
  return panelActions.filter((a) => byRole[role].has(a) && allowed(a));
}
