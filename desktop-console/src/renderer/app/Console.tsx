import { lazy, Suspense, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { Bbox, TicketFilter, TicketOrder } from '../api/tickets.js';
import { defaultOrder, emptyFilter } from '../api/tickets.js';
import type { SessionUser, TicketView } from '../api/types.js';
import { notifyUrgent, onDeepLink, saveExport } from '../bridge.js';
import { Dashboard } from '../dashboard/Dashboard.js';
import { useI18n } from '../i18n/i18n.js';
import { TicketMap } from '../map/TicketMap.js';
import { effectiveStyleUrl, loadMapSettings } from '../map/style.js';
import { ExportTooLarge, fetchView, maxExportRows, ticketsCsv } from '../tickets/export.js';
import { FilterBar } from '../tickets/FilterBar.js';
import { namesFor } from '../tickets/names.js';
import { TicketGrid } from '../tickets/TicketGrid.js';
import { TicketPanel } from '../tickets/TicketPanel.js';
import { HelpDialog, SettingsDialog } from './dialogs.js';
import { LanguageSwitch } from './LanguageSwitch.js';
import { LiveBanner, LiveDot } from './LiveBanner.js';
import { communesOf, useReference, useServices } from './services.js';
import { RetryLine } from './submission.js';

type View = 'tickets' | 'map' | 'dashboard' | 'consultations' | 'proposals';
const views: readonly View[] = ['tickets', 'map', 'dashboard', 'consultations', 'proposals'];
/** Views without the tickets grid and map. */
const ownViews: ReadonlySet<View> = new Set(['dashboard', 'consultations', 'proposals']);
// Loaded when first opened: a dispatcher working tickets never downloads the consultations' or proposals' code.
const ConsultationsView = lazy(() => import('../consultations/ConsultationsView.js'));
const ProposalsView = lazy(() => import('../proposals/ProposalsView.js'));
const finished = new Set(['resolved', 'closed', 'rejected', 'duplicate']);

const isTyping = (target: EventTarget | null) => target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

/** The signed-in console: header, the tickets grid beside the map (or the ticket), the dashboard. */
export function Console({ user, frozen }: { user: SessionUser; frozen: boolean }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, tickets, live } = useServices();
  const [communeId, setCommuneId] = useState<string | null>(user.communes === '*' ? null : (user.communes[0] ?? null));
  const [attempt, setAttempt] = useState(0);
  const reference = useReference(communeId, attempt);
  const [view, setView] = useState<View>('tickets');
  const [filter, setFilter] = useState<TicketFilter>(emptyFilter);
  const [order, setOrder] = useState<TicketOrder>(defaultOrder);
  const [mapArea, setMapArea] = useState(false);
  const [mapBbox, setMapBbox] = useState<Bbox | null>(null);
  const [openTicketId, setOpenTicketId] = useState<string | null>(null);
  const [openTicket, setOpenTicket] = useState<TicketView | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [exporting, setExporting] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [dialog, setDialog] = useState<'help' | 'settings' | null>(null);
  const [mapSettings, setMapSettings] = useState(() => loadMapSettings(localStorage));
  const notified = useRef(new Set<string>());

  const ready = reference.kind === 'ready' ? reference.reference : null;
  const myCommunes = ready ? communesOf(user, ready.communes) : [];
  useEffect(() => {
    if (communeId === null && myCommunes[0]) setCommuneId(myCommunes[0].id);
  }, [communeId, myCommunes]);

  const names = useMemo(() => (ready ? namesFor(ready, i18n) : null), [ready, i18n]);

  // Live updates for as long as the console is open.
  useEffect(() => {
    live.start();
    return () => live.stop();
  }, [live]);

  const open = useCallback((id: string) => {
    setOpenTicketId(id);
    setView((v) => (ownViews.has(v) ? 'tickets' : v));
  }, []);
  const close = useCallback(() => {
    setOpenTicketId(null);
    setOpenTicket(null);
  }, []);

  useEffect(() => onDeepLink(({ ticketId }) => open(ticketId)), [open]);

  // An urgent ticket arriving or escalated: an OS notification, once per ticket.
  useEffect(
    () =>
      live.listen({
        ticket: ({ ticket }) => {
          if (ticket.priority !== 'urgent' || finished.has(ticket.status) || notified.current.has(ticket.id)) return;
          notified.current.add(ticket.id);
          void notifyUrgent(
            { title: `${t('priority.urgent')} — ${ticket.reference}`, body: `${names?.category(ticket.category) ?? ticket.category} · ${names?.quartier(ticket.quartierId) ?? ''}\n${ticket.description.slice(0, 200)}`, ticketId: ticket.id },
            open,
          ).catch(() => undefined);
        },
      }),
    [live, names, open, t],
  );

  const gridQuery = useMemo(() => (communeId ? { communeId, filter, bbox: mapArea ? mapBbox : null } : null), [communeId, filter, mapArea, mapBbox]);

  const exportView = useCallback(async () => {
    if (!gridQuery || !names || exporting !== null) return;
    setExporting(t('grid.exporting', { count: 0 }));
    setMessage(null);
    try {
      const rows = await fetchView(tickets, { ...gridQuery, order }, (n) => setExporting(t('grid.exporting', { count: n })));
      const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
      const result = await saveExport({ suggestedName: `palabre-${gridQuery.communeId}-${stamp}.csv`, kind: 'csv', content: ticketsCsv(rows, names, i18n) });
      if (result.saved) setMessage(t('grid.exported', { path: result.path }));
    } catch (e) {
      setMessage(e instanceof ExportTooLarge ? t('grid.exportTooLarge', { count: e.total, max: maxExportRows }) : i18n.problem(e));
    } finally {
      setExporting(null);
    }
  }, [gridQuery, names, exporting, tickets, order, i18n, t]);

  // Console-wide shortcuts (the panel adds its own one-key actions).
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.altKey && /^[1-9]$/.test(e.key) && Number(e.key) <= views.length) {
        e.preventDefault();
        setView(views[Number(e.key) - 1]!);
      } else if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'e') {
        e.preventDefault();
        void exportView();
      } else if (!isTyping(e.target) && !e.ctrlKey && !e.metaKey && !e.altKey) {
        if (e.key === '/') {
          e.preventDefault();
          setView((v) => (ownViews.has(v) ? 'tickets' : v));
          setTimeout(() => document.getElementById('ticket-search')?.focus(), 0);
        } else if (e.key === '?') setDialog('help');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [exportView]);

  useEffect(() => {
    document.title = `${t('app.name')} — ${t(`nav.${view}`)}`;
  }, [t, view]);

  const styleUrl = ready ? effectiveStyleUrl(mapSettings, ready.config.mapStyleUrl) : null;

  return (
    <div className={`console view-${view}`} aria-hidden={frozen || undefined} inert={frozen || undefined}>
      <header className="app-header">
        <strong className="brand">{t('app.name')}</strong>
        <nav className="views" aria-label={t('app.console')}>
          {views.map((v, i) => (
            <button key={v} type="button" className={view === v ? 'active' : ''} aria-current={view === v ? 'page' : undefined} onClick={() => setView(v)} title={`Alt+${i + 1}`}>
              {t(`nav.${v}`)}
            </button>
          ))}
        </nav>
        {myCommunes.length > 1 ? (
          <select aria-label={t('nav.commune')} value={communeId ?? ''} onChange={(e) => (close(), setCommuneId(e.target.value))}>
            {myCommunes.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        ) : (
          <span className="commune-name" data-testid="commune-name">
            {myCommunes[0]?.name ?? ''}
          </span>
        )}
        <span className="spacer" />
        <LiveDot />
        <span className="muted user">{t('nav.signedInAs', { user: user.username, role: t(`role.${user.role}`) })}</span>
        <LanguageSwitch />
        <button type="button" onClick={() => setDialog('settings')}>
          {t('nav.settings')}
        </button>
        <button type="button" onClick={() => setDialog('help')} aria-label={t('nav.help')} title="?">
          ?
        </button>
        <button type="button" onClick={() => api.logout()}>
          {t('nav.signOut')}
        </button>
      </header>
      <LiveBanner />
      {message && (
        <p className="toast" role="status" onClick={() => setMessage(null)}>
          {message}
        </p>
      )}
      <RetryLine problem={reference.kind === 'failed' ? i18n.problem(reference.error) : null} onRetry={() => setAttempt((a) => a + 1)} />
      {reference.kind === 'loading' && <p className="muted">{t('app.loading')}</p>}
      {ready && names && communeId && gridQuery && (
        <main className="workspace">
          {(view === 'tickets' || view === 'map') && (
            <FilterBar
              communeId={communeId}
              reference={ready}
              filter={filter}
              onFilter={setFilter}
              mapArea={mapArea}
              onMapArea={setMapArea}
              total={total}
              onExport={() => void exportView()}
              exporting={exporting}
            />
          )}
          <div className="panes" hidden={ownViews.has(view)}>
            <div className="grid-pane">
              <TicketGrid query={gridQuery} names={names} openTicketId={openTicketId} onOpen={open} onTotal={setTotal} onOrder={setOrder} randomAccess={ready.config.ticketOffsets === true} />
            </div>
            <div className="side-pane">
              <div className="map-pane" hidden={openTicketId !== null && view === 'tickets'}>
                <TicketMap
                  communeId={communeId}
                  communes={ready.communes}
                  filter={filter}
                  styleUrl={styleUrl}
                  token={mapSettings.token}
                  openTicket={openTicket}
                  onOpen={open}
                  onBounds={setMapBbox}
                  layoutKey={`${view}-${openTicketId !== null}`}
                />
              </div>
              {openTicketId && (
                <TicketPanel key={openTicketId} ticketId={openTicketId} user={user} reference={ready} names={names} onClose={close} onLoaded={setOpenTicket} />
              )}
            </div>
          </div>
          {view === 'dashboard' && <Dashboard communeId={communeId} reference={ready} names={names} />}
          {view === 'consultations' && (
            <Suspense fallback={<p className="muted">{t('app.loading')}</p>}>
              <ConsultationsView communeId={communeId} reference={ready} user={user} map={{ styleUrl, token: mapSettings.token }} />
            </Suspense>
          )}
          {view === 'proposals' && (
            <Suspense fallback={<p className="muted">{t('app.loading')}</p>}>
              <ProposalsView key={communeId} communeId={communeId} reference={ready} user={user} map={{ styleUrl, token: mapSettings.token }} />
            </Suspense>
          )}
        </main>
      )}
      {dialog === 'help' && <HelpDialog onClose={() => setDialog(null)} />}
      {dialog === 'settings' && ready && <SettingsDialog settings={mapSettings} serverStyleUrl={ready.config.mapStyleUrl} onSave={setMapSettings} onClose={() => setDialog(null)} />}
    </div>
  );
}
