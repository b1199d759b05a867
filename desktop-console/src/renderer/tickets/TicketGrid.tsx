import type { GetRowIdParams, GridApi, GridReadyEvent, IDatasource, IGetRowsParams, RowClassParams, SortModelItem } from 'ag-grid-community';
import { AgGridReact } from 'ag-grid-react';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import { type TicketOrder, type TicketQuery, defaultOrder, queryKey } from '../api/tickets.js';
import type { TicketView } from '../api/types.js';
import { escapeHtml, gridTheme } from '../app/grid.js';
import { useServices } from '../app/services.js';
import { useI18n } from '../i18n/i18n.js';
import { type GridContext, sortableColumns, ticketColumns } from './columns.js';
import type { Names } from './names.js';
import { TicketPager } from './ticket-pager.js';

const blockSize = 100;
/** How long a new or changed row stays highlighted. */
const highlightMs = 4000;

export function orderFromSortModel(sortModel: readonly SortModelItem[]): TicketOrder {
  const first = sortModel[0];
  const column = first ? sortableColumns[first.colId] : undefined;
  if (!first || !column) return defaultOrder;
  const ascending = first.sort === 'asc';
  return { sort: column.sort, order: ascending !== column.invert ? 'asc' : 'desc' };
}

export interface TicketGridProps {
  /** The view without its order: the grid's header sorts decide that. */
  readonly query: Omit<TicketQuery, 'order'>;
  readonly names: Names;
  readonly openTicketId: string | null;
  readonly onOpen: (id: string) => void;
  readonly onTotal: (total: number | null) => void;
  readonly onOrder: (order: TicketOrder) => void;
  /** The server accepts `offset`: far jumps cost one request instead of a walk. */
  readonly randomAccess: boolean;
}

/**
 * The tickets grid: ag-grid's infinite row model over GET /api/tickets, 100 rows per block, only
 * the blocks near the viewport kept. Live updates patch loaded rows in place; new tickets refresh
 * the loaded blocks (the server decides whether they match the filters) and glow for a moment.
 */
export function TicketGrid({ query, names, openTicketId, onOpen, onTotal, onOrder, randomAccess }: TicketGridProps) {
  const i18n = useI18n();
  const { tickets, live } = useServices();
  const gridApi = useRef<GridApi<TicketView> | null>(null);
  const pager = useRef<{ key: string; query: TicketQuery; pager: TicketPager } | null>(null);
  const highlighted = useRef(new Map<string, number>());
  const openId = useRef(openTicketId);
  const queryRef = useRef(query);
  queryRef.current = query;
  const callbacks = useRef({ onTotal, onOrder });
  callbacks.current = { onTotal, onOrder };

  const context = useMemo<GridContext>(() => ({ names, i18n }), [names, i18n]);
  const columnDefs = useMemo(() => ticketColumns(i18n), [i18n]);

  const datasource = useMemo<IDatasource>(
    () => ({
      getRows: (params: IGetRowsParams) => {
        const order = orderFromSortModel(params.sortModel);
        const full: TicketQuery = { ...queryRef.current, order };
        const key = queryKey(full);
        if (pager.current?.key !== key) {
          pager.current = { key, query: full, pager: new TicketPager((page) => tickets.list(full, page), randomAccess) };
          callbacks.current.onOrder(order);
        }
        const current = pager.current.pager;
        current.rows(params.startRow, params.endRow).then(
          ({ rows, total }) => {
            params.successCallback([...rows], total);
            callbacks.current.onTotal(total);
            const overlay = total === 0 ? gridApi.current?.showNoRowsOverlay : gridApi.current?.hideOverlay;
            overlay?.call(gridApi.current);
          },
          () => params.failCallback(),
        );
      },
    }),
    [tickets, randomAccess],
  );

  // A new filter or area: start over from the top with a fresh pager.
  const filterKey = queryKey({ ...query, order: defaultOrder });
  useEffect(() => {
    pager.current = null;
    callbacks.current.onTotal(null);
    gridApi.current?.setGridOption('datasource', datasource);
  }, [filterKey, datasource]);

  useEffect(() => {
    gridApi.current?.refreshCells({ force: true });
  }, [context]);

  useEffect(() => {
    const previous = openId.current;
    openId.current = openTicketId;
    const nodes = [previous, openTicketId].flatMap((id) => (id ? [gridApi.current?.getRowNode(id)] : [])).filter((n) => n !== undefined);
    if (nodes.length > 0) gridApi.current?.redrawRows({ rowNodes: nodes });
  }, [openTicketId]);

  // Refreshes are coalesced: a burst of reports (an SMS gateway catching up) costs one reload.
  const refreshTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const scheduleRefresh = useCallback(() => {
    clearTimeout(refreshTimer.current);
    refreshTimer.current = setTimeout(() => {
      // Rows moved: cursors keyed by row index are stale, so the reload starts a new pager.
      const current = pager.current;
      if (current) pager.current = { ...current, pager: new TicketPager((page) => tickets.list(current.query, page), randomAccess) };
      // An empty grid has no loaded block to refresh: start it over instead.
      if (!current || current.pager.total === 0) gridApi.current?.purgeInfiniteCache();
      else gridApi.current?.refreshInfiniteCache();
    }, 250);
  }, [tickets, randomAccess]);

  useEffect(
    () =>
      live.listen({
        ticket: ({ ticket }) => {
          const api = gridApi.current;
          if (!api || ticket.communeId !== queryRef.current.communeId) return;
          highlighted.current.set(ticket.id, Date.now() + highlightMs);
          const node = api.getRowNode(ticket.id);
          if (node?.data) {
            if (node.data.revision > ticket.revision) return; // an older update arriving late
            node.setData(ticket);
            api.redrawRows({ rowNodes: [node] });
          } else scheduleRefresh();
          setTimeout(() => {
            highlighted.current.delete(ticket.id);
            const stale = gridApi.current?.getRowNode(ticket.id);
            if (stale) gridApi.current?.redrawRows({ rowNodes: [stale] });
          }, highlightMs);
        },
        resynced: () => scheduleRefresh(),
      }),
    [live, scheduleRefresh],
  );

  // Age and SLA countdowns move with the clock.
  useEffect(() => {
    const timer = setInterval(() => gridApi.current?.refreshCells({ columns: ['age', 'sla'], force: true }), 30_000);
    return () => clearInterval(timer);
  }, []);

  const getRowClass = useCallback((p: RowClassParams<TicketView>) => {
    const id = p.data?.id;
    if (!id) return undefined;
    const classes: string[] = [];
    if ((highlighted.current.get(id) ?? 0) > Date.now()) classes.push('row-live');
    if (id === openId.current) classes.push('row-open');
    if (p.data?.priority === 'urgent') classes.push('row-urgent');
    return classes;
  }, []);

  return (
    <div className="ticket-grid" data-testid="ticket-grid">
      <AgGridReact<TicketView>
        theme={gridTheme}
        columnDefs={columnDefs}
        defaultColDef={{ sortable: false, resizable: true, suppressHeaderMenuButton: true }}
        context={context}
        rowModelType="infinite"
        cacheBlockSize={blockSize}
        maxBlocksInCache={60}
        infiniteInitialRowCount={1}
        maxConcurrentDatasourceRequests={2}
        blockLoadDebounceMillis={40}
        getRowId={(p: GetRowIdParams<TicketView>) => p.data.id}
        getRowClass={getRowClass}
        onGridReady={(event: GridReadyEvent<TicketView>) => {
          gridApi.current = event.api;
          event.api.setGridOption('datasource', datasource);
        }}
        onRowClicked={(event) => event.data && onOpen(event.data.id)}
        onCellKeyDown={(event) => {
          const key = (event.event as KeyboardEvent | null)?.key;
          if (key === 'Enter' && event.data) onOpen(event.data.id);
        }}
        overlayNoRowsTemplate={`<span class="grid-empty">${escapeHtml(i18n.t('grid.empty'))}</span>`}
        localeText={{ loadingOoo: i18n.t('app.loading') }}
        animateRows={false}
        suppressCellFocus={false}
        rowBuffer={20}
      />
    </div>
  );
}
