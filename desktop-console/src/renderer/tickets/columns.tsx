import type { ColDef, ICellRendererParams } from 'ag-grid-community';
import type { TicketSort } from '../api/tickets.js';
import type { TicketView } from '../api/types.js';
import { type I18n, formatDuration } from '../i18n/i18n.js';
import type { Names } from './names.js';
import { slaDisplay } from './sla.js';

export interface GridContext {
  readonly names: Names;
  readonly i18n: I18n;
}

type Cell = ICellRendererParams<TicketView, unknown, GridContext>;

function StatusCell({ data, context }: Cell) {
  if (!data) return null;
  return <span className={`badge status-${data.status}`}>{context.i18n.t(`status.${data.status}`)}</span>;
}

function PriorityCell({ data, context }: Cell) {
  if (!data) return null;
  return <span className={`priority priority-${data.priority}`}>{context.i18n.t(`priority.${data.priority}`)}</span>;
}

function SlaCell({ data, context }: Cell) {
  if (!data) return null;
  const { t } = context.i18n;
  const sla = slaDisplay(data, Date.now());
  switch (sla.kind) {
    case 'done':
      return <span className="sla sla-done">{t('sla.done')}</span>;
    case 'breached':
      return <span className="sla sla-breached">{t('sla.breached', { duration: formatDuration(t, sla.overdueMs) })}</span>;
    case 'acknowledge':
      return <span className={`sla ${sla.remainingMs < 3_600_000 ? 'sla-soon' : ''}`}>{t('sla.ackIn', { duration: formatDuration(t, sla.remainingMs) })}</span>;
    case 'resolve':
      return <span className={`sla ${sla.remainingMs < 3_600_000 ? 'sla-soon' : ''}`}>{t('sla.resolveIn', { duration: formatDuration(t, sla.remainingMs) })}</span>;
  }
}

/** Columns the server can sort by, and the API sort each stands for. */
export const sortableColumns: Readonly<Record<string, { sort: TicketSort; invert: boolean }>> = {
  category: { sort: 'category', invert: false },
  status: { sort: 'status', invert: false },
  priority: { sort: 'priority', invert: false },
  // Youngest first is "age ascending", i.e. reported last.
  age: { sort: 'reportedAt', invert: true },
  updated: { sort: 'updatedAt', invert: false },
};

export function ticketColumns(i18n: I18n): ColDef<TicketView>[] {
  const { t } = i18n;
  const sortable = (colId: string) => colId in sortableColumns;
  return [
    { colId: 'reference', headerName: t('grid.reference'), field: 'reference', width: 118, pinned: 'left', cellClass: 'mono' },
    {
      colId: 'category',
      headerName: t('grid.category'),
      width: 130,
      sortable: sortable('category'),
      valueGetter: (p) => (p.data ? (p.context as GridContext).names.category(p.data.category) : ''),
    },
    {
      colId: 'quartier',
      headerName: t('grid.quartier'),
      width: 118,
      valueGetter: (p) => (p.data ? (p.context as GridContext).names.quartier(p.data.quartierId) : ''),
    },
    { colId: 'status', headerName: t('grid.status'), width: 108, sortable: sortable('status'), cellRenderer: StatusCell },
    { colId: 'priority', headerName: t('grid.priority'), width: 92, sortable: sortable('priority'), cellRenderer: PriorityCell },
    {
      colId: 'age',
      headerName: t('grid.age'),
      width: 76,
      sortable: sortable('age'),
      valueGetter: (p) => (p.data ? formatDuration(t, Date.now() - Date.parse(p.data.reportedAt)) : ''),
    },
    { colId: 'sla', headerName: t('grid.sla'), width: 150, cellRenderer: SlaCell },
    {
      colId: 'assignee',
      headerName: t('grid.assignee'),
      width: 150,
      valueGetter: (p) => {
        if (!p.data) return '';
        const names = (p.context as GridContext).names;
        return p.data.agentId ? `${names.team(p.data.teamId)} · ${names.agent(p.data.agentId)}` : names.team(p.data.teamId);
      },
    },
    { colId: 'confirmations', headerName: t('grid.confirmations'), field: 'confirmations', width: 70, type: 'rightAligned', headerTooltip: t('grid.confirmations') },
  ];
}
