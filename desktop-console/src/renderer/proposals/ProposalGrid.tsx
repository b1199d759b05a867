import type { AnswerStateDefinition } from '@palabre/domain';
import type { ColDef, GetRowIdParams, GridApi, RowClassParams } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { escapeHtml, gridTheme } from '../app/grid.js';
import { type I18n, useI18n } from '../i18n/i18n.js';
import type { Names } from '../tickets/names.js';
import type { ProposalView } from './proposals-api.js';
import { proposalStateLabel } from './states.js';

/** ag-grid's own column of row checkboxes: a click there selects, it does not open. */
const selectionColumn = 'ag-Grid-SelectionColumn';

function columns(mode: 'all' | 'queue', i18n: I18n, names: Names, answerStates: readonly AnswerStateDefinition[]): ColDef<ProposalView>[] {
  const { t, formatDateTime } = i18n;
  const title: ColDef<ProposalView> = { colId: 'title', headerName: t('proposals.column.title'), field: 'title', flex: 1, minWidth: 200, tooltipField: 'title' };
  const quartier: ColDef<ProposalView> = { colId: 'quartier', headerName: t('grid.quartier'), width: 120, valueGetter: (p) => (p.data ? names.quartier(p.data.quartierId) : '') };
  const submitted: ColDef<ProposalView> = { colId: 'submitted', headerName: t('proposals.column.submitted'), width: 128, valueGetter: (p) => (p.data ? formatDateTime(p.data.submittedAt) : '') };
  if (mode === 'queue')
    return [
      title,
      quartier,
      { colId: 'flags', headerName: t('proposals.column.flags'), width: 116, type: 'rightAligned', valueGetter: (p) => p.data?.flags ?? t('app.none') },
      {
        colId: 'hiddenBy',
        headerName: t('proposals.column.hiddenBy'),
        width: 130,
        valueGetter: (p) => (!p.data?.hidden ? t('app.none') : p.data.hidden.by === 'flags' ? t('proposals.hiddenByFlags') : t('proposals.hiddenByModerator')),
      },
      { colId: 'reason', headerName: t('proposals.column.reason'), width: 200, tooltipValueGetter: (p) => p.data?.hidden?.reason ?? '', valueGetter: (p) => p.data?.hidden?.reason ?? t('app.none') },
      { colId: 'hiddenAt', headerName: t('proposals.column.hiddenAt'), width: 128, valueGetter: (p) => (p.data?.hidden ? formatDateTime(p.data.hidden.at) : t('app.none')) },
      submitted,
    ];
  return [
    title,
    quartier,
    { colId: 'category', headerName: t('grid.category'), width: 120, valueGetter: (p) => (p.data ? names.category(p.data.category) : '') },
    { colId: 'supports', headerName: t('proposals.column.supports'), field: 'supports', width: 90, type: 'rightAligned' },
    {
      colId: 'state',
      headerName: t('grid.status'),
      width: 120,
      cellRenderer: ({ data }: { data?: ProposalView }) => (data ? <span className={`badge proposal-${data.state}`}>{proposalStateLabel(data.state, answerStates, i18n)}</span> : null),
    },
    {
      colId: 'answerBy',
      headerName: t('proposals.column.answerBy'),
      width: 170,
      cellRenderer: ({ data }: { data?: ProposalView }) =>
        !data ? null : (
          <span className={data.answerLate ? 'sla-breached' : ''}>
            {data.answerBy ? formatDateTime(data.answerBy) : t('app.none')}
            {data.answerLate && ` · ${t('proposals.late')}`}
          </span>
        ),
    },
    submitted,
  ];
}

/**
 * The commune's proposals (or, in the moderation queue, the hidden ones with why), as the API lists
 * them: the server filters and sorts. Accepted proposals can be ticked, to carry them out in a project.
 */
export function ProposalGrid({
  rows,
  mode,
  names,
  answerStates,
  openId,
  onOpen,
  onSelection,
}: {
  rows: readonly ProposalView[] | null;
  mode: 'all' | 'queue';
  names: Names;
  answerStates: readonly AnswerStateDefinition[];
  openId: string | null;
  onOpen: (id: string) => void;
  onSelection?: (selected: readonly ProposalView[]) => void;
}) {
  const i18n = useI18n();
  const columnDefs = useMemo(() => columns(mode, i18n, names, answerStates), [mode, i18n, names, answerStates]);
  const gridApi = useRef<GridApi<ProposalView> | null>(null);
  const openRef = useRef(openId);
  const getRowClass = useCallback((p: RowClassParams<ProposalView>) => (p.data?.id === openRef.current ? ['row-open'] : []), []);
  useEffect(() => {
    const previous = openRef.current;
    openRef.current = openId;
    const nodes = [previous, openId].flatMap((id) => (id ? [gridApi.current?.getRowNode(id)] : [])).filter((n) => n !== undefined);
    if (nodes.length > 0) gridApi.current?.redrawRows({ rowNodes: nodes });
  }, [openId]);
  return (
    <div className="ticket-grid proposal-grid" data-testid={mode === 'queue' ? 'moderation-grid' : 'proposal-grid'}>
      <AgGridReact<ProposalView>
        theme={gridTheme}
        columnDefs={columnDefs}
        defaultColDef={{ sortable: false, resizable: true, suppressHeaderMenuButton: true }}
        rowData={rows === null ? null : [...rows]}
        getRowId={(p: GetRowIdParams<ProposalView>) => p.data.id}
        getRowClass={getRowClass}
        onGridReady={(event) => (gridApi.current = event.api)}
        {...(onSelection
          ? {
              rowSelection: { mode: 'multiRow', checkboxes: true, headerCheckbox: false, enableClickSelection: false, isRowSelectable: (node) => node.data?.state === 'accepted' },
              onSelectionChanged: (event) => onSelection(event.api.getSelectedRows()),
            }
          : {})}
        onCellClicked={(event) => {
          if (event.data && event.column.getColId() !== selectionColumn) onOpen(event.data.id);
        }}
        onCellKeyDown={(event) => {
          const key = (event.event as KeyboardEvent | null)?.key;
          if (key === 'Enter' && event.data) onOpen(event.data.id);
        }}
        overlayNoRowsTemplate={`<span class="grid-empty">${escapeHtml(i18n.t(mode === 'queue' ? 'moderation.empty' : 'proposals.empty'))}</span>`}
        localeText={{ loadingOoo: i18n.t('app.loading') }}
        animateRows={false}
        tooltipShowDelay={400}
      />
    </div>
  );
}
