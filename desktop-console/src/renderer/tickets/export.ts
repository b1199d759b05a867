import type { TicketQuery, TicketsApi } from '../api/tickets.js';
import type { TicketView } from '../api/types.js';
import type { I18n } from '../i18n/i18n.js';
import { toCsv } from './csv.js';
import type { Names } from './names.js';
import { slaDisplay } from './sla.js';

/** Larger views are refused: the dispatcher narrows the filters, or an auditor uses the audit exports. */
export const maxExportRows = 50_000;

export class ExportTooLarge extends Error {
  constructor(readonly total: number) {
    super(`export of ${total} rows refused`);
  }
}

/** Every row of the view, in the grid's order, following cursors in the largest pages. */
export async function fetchView(tickets: TicketsApi, query: TicketQuery, progress: (loaded: number) => void, signal?: AbortSignal): Promise<TicketView[]> {
  const rows: TicketView[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await tickets.list(query, cursor === undefined ? { limit: 200 } : { limit: 200, cursor }, signal);
    if (page.total > maxExportRows) throw new ExportTooLarge(page.total);
    rows.push(...page.items);
    progress(rows.length);
    if (page.nextCursor === null || page.items.length === 0) return rows;
    cursor = page.nextCursor;
  }
}

/** The grid's columns as the dispatcher sees them, plus what a spreadsheet needs (ids, dates, coordinates). */
export function ticketsCsv(rows: readonly TicketView[], names: Names, i18n: I18n, now = Date.now()): string {
  const { t } = i18n;
  const header = [
    t('grid.reference'),
    t('grid.category'),
    t('grid.quartier'),
    t('grid.status'),
    t('grid.priority'),
    t('panel.reported', { when: '' }).trim(),
    t('grid.sla'),
    t('action.team'),
    t('action.agent'),
    t('grid.confirmations'),
    t('panel.landmark'),
    t('panel.description'),
    'lat',
    'lon',
    t('panel.plusCode'),
    'id',
  ];
  const body = rows.map((r) => {
    const sla = slaDisplay(r, now);
    return [
      r.reference,
      names.category(r.category),
      names.quartier(r.quartierId),
      t(`status.${r.status}`),
      t(`priority.${r.priority}`),
      r.reportedAt,
      sla.kind === 'breached' ? 'breached' : sla.kind === 'done' ? 'done' : 'on time',
      r.teamId,
      r.agentId,
      r.confirmations,
      r.landmark,
      r.description,
      r.location?.lat,
      r.location?.lon,
      r.plusCode,
      r.id,
    ];
  });
  return toCsv(header, body);
}
