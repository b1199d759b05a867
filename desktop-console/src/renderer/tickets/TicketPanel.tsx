import { useCallback, useEffect, useRef, useState } from 'react';
import { readAtLeast } from '../api/projected.js';
import type { TicketActionBody } from '../api/tickets.js';
import type { SessionUser, TicketView, TimelineItem } from '../api/types.js';
import { ConflictNotice, useRevisionedWrites } from '../app/conflict.js';
import { type Reference, useServices } from '../app/services.js';
import { type MessageKey, useI18n } from '../i18n/i18n.js';
import { followHistory } from '../live/history.js';
import { ActionForm } from './ActionForm.js';
import { type PanelAction, actionKeys, availableActions } from './actions.js';
import { type Change, entriesSince, ticketChanges } from './conflict.js';
import type { Names } from './names.js';
import { Photos } from './Photos.js';
import { Timeline } from './Timeline.js';

interface Loaded {
  readonly ticket: TicketView;
  /** The revision every action is decided on: what the dispatcher sees. */
  readonly revision: number;
  readonly timeline: readonly TimelineItem[];
  /** The revision the history has reached: it has its own projector and may trail the ticket. */
  readonly historyRevision: number | null;
}

const actionLabels: Readonly<Record<PanelAction, MessageKey>> = {
  triage: 'action.triage',
  assign: 'action.assign',
  start: 'action.start',
  reply: 'action.reply',
  note: 'action.note',
  resolve: 'action.resolve',
  reject: 'action.reject',
  duplicate: 'action.duplicate',
  close: 'action.close',
};

const changeLabels: Readonly<Record<Change['field'], MessageKey>> = {
  status: 'grid.status',
  priority: 'grid.priority',
  category: 'grid.category',
  team: 'action.team',
  agent: 'change.agent',
  duplicateOf: 'change.duplicateOf',
  confirmations: 'grid.confirmations',
  description: 'panel.description',
  landmark: 'panel.landmark',
};

const isTyping = (target: EventTarget | null) =>
  target instanceof HTMLElement && (target.isContentEditable || ['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName));

export interface TicketPanelProps {
  readonly ticketId: string;
  readonly user: SessionUser;
  readonly reference: Reference;
  readonly names: Names;
  readonly onClose: () => void;
  readonly onLoaded: (ticket: TicketView | null) => void;
}

export function TicketPanel({ ticketId, user, reference, names, onClose, onLoaded }: TicketPanelProps) {
  const i18n = useI18n();
  const { t, formatDateTime, problem } = i18n;
  const { tickets, live } = useServices();
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [action, setAction] = useState<PanelAction | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [newer, setNewer] = useState<TicketView | null>(null);
  const panel = useRef<HTMLElement>(null);
  const loadedRef = useRef(loaded);
  loadedRef.current = loaded;
  /** The revision the dispatcher's own last action made: its push is no news from someone else. */
  const acted = useRef(-1);

  /** Reads the ticket and its history; after an action, until the projection shows at least `atLeast`. */
  const fetchState = useCallback(
    (atLeast = 0): Promise<Loaded> =>
      readAtLeast(
        async () => {
          const [{ ticket, revision }, history] = await Promise.all([tickets.get(ticketId), tickets.timeline(ticketId)]);
          return { ticket, revision, timeline: history.items, historyRevision: history.revision };
        },
        (state) => state.revision,
        atLeast,
      ),
    [tickets, ticketId],
  );
  const { conflict, attempt, dismiss: dismissConflict } = useRevisionedWrites(fetchState);

  const adopt = useCallback(
    (state: Loaded) => {
      // Reads may cross: one of an older revision arriving last never replaces a newer one.
      if ((loadedRef.current?.revision ?? -1) > state.revision) return;
      loadedRef.current = state;
      setLoaded(state);
      setNewer(null);
      onLoaded(state.ticket);
    },
    [onLoaded],
  );

  useEffect(() => {
    setLoaded(null);
    setError(null);
    setAction(null);
    dismissConflict();
    setNotice(null);
    setNewer(null);
    let cancelled = false;
    fetchState().then(
      (state) => !cancelled && adopt(state),
      (e: unknown) => {
        if (!cancelled) {
          setError(e);
          onLoaded(null);
        }
      },
    );
    return () => {
      cancelled = true;
    };
  }, [fetchState, adopt, onLoaded, dismissConflict]);

  // Someone else acted: say so, but keep deciding on what the dispatcher has seen. The dispatcher's
  // own action, when the panel gave up waiting for its projection, is taken once it is pushed.
  useEffect(
    () =>
      live.listen({
        ticket: ({ ticket, revision }) => {
          if (ticket.id !== ticketId || revision <= (loadedRef.current?.revision ?? Number.MAX_SAFE_INTEGER)) return;
          if (revision <= acted.current) void fetchState(revision).then(adopt, () => undefined);
          else setNewer(ticket);
        },
      }),
    [live, ticketId, fetchState, adopt],
  );

  // A history behind the ticket shown follows it as soon as it has caught up.
  const shown = loaded?.revision;
  const behind = loaded !== null && (loaded.historyRevision ?? -1) < loaded.revision;
  useEffect(() => {
    if (!behind || shown === undefined) return;
    return followHistory(live, ticketId, shown, () => tickets.timeline(ticketId), (history) =>
      setLoaded((l) => (l && (history.revision ?? -1) > (l.historyRevision ?? -1) ? { ...l, timeline: history.items, historyRevision: history.revision } : l)),
    );
  }, [behind, shown, live, tickets, ticketId]);

  /** Sends `write` decided on `state`; someone else's change meanwhile shows as a conflict to resolve. */
  const run = useCallback(
    async (state: Loaded, write: (decided: Loaded) => Promise<void>, sent: PanelAction | null) => {
      setBusy(true);
      setNotice(null);
      try {
        await attempt(state, write);
        // Only the form that was sent closes: the dispatcher may open the next one before this answer is shown.
        setAction((open) => (open === sent ? null : open));
      } catch (e) {
        setNotice(problem(e));
      } finally {
        setBusy(false);
      }
    },
    [attempt, problem],
  );

  const send = useCallback(
    (build: () => Promise<TicketActionBody>, state: Loaded, sent: PanelAction) =>
      run(
        state,
        async (decided) => {
          const command = await build();
          const result = await tickets.act(ticketId, decided.revision, command, crypto.randomUUID());
          acted.current = result.revision;
          adopt(await fetchState(result.revision));
          setNotice(t('action.done'));
        },
        sent,
      ),
    [run, tickets, ticketId, fetchState, adopt, t],
  );

  const actions = loaded ? availableActions(loaded.ticket, user.role) : [];

  // One-key shortcuts while the panel has focus and the dispatcher is not typing.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' && !isTyping(e.target)) {
        if (action) setAction(null);
        else onClose();
        return;
      }
      if (e.ctrlKey || e.metaKey || e.altKey || isTyping(e.target) || !panel.current?.contains(document.activeElement)) return;
      const chosen = actions.find((a) => actionKeys[a] === e.key.toLowerCase());
      if (chosen) {
        e.preventDefault();
        setAction(chosen);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions, action, onClose]);

  useEffect(() => {
    panel.current?.focus();
  }, [ticketId]);

  const value = (field: Change['field'], v: string | number | null): string => {
    if (v === null) return t('app.none');
    if (field === 'status') return t(`status.${v as TicketView['status']}`);
    if (field === 'priority') return t(`priority.${v as TicketView['priority']}`);
    if (field === 'category') return names.category(String(v));
    if (field === 'team') return names.team(String(v));
    if (field === 'agent') return names.agent(String(v));
    return String(v);
  };

  const ticket = loaded?.ticket;
  return (
    <aside className="ticket-panel" ref={panel} tabIndex={-1} aria-label={ticket ? t('panel.title', { reference: ticket.reference }) : t('app.loading')} data-testid="ticket-panel">
      <header className="panel-header">
        <h2>{ticket ? t('panel.title', { reference: ticket.reference }) : t('app.loading')}</h2>
        {ticket && (
          <span className={`badge status-${ticket.status}`} data-testid="panel-status">
            {t(`status.${ticket.status}`)}
          </span>
        )}
        <button type="button" className="icon" onClick={onClose} aria-label={t('panel.close')} title={`${t('panel.close')} (Esc)`}>
          ×
        </button>
      </header>
      {error !== null && <p className="error">{problem(error)}</p>}
      {!ticket && error === null && <p className="muted">{t('app.loading')}</p>}
      {ticket && loaded && (
        <div className="panel-body">
          {conflict && (
            <ConflictNotice
              title={t('conflict.title')}
              from={conflict.mine.revision}
              to={conflict.fresh.revision}
              changes={ticketChanges(conflict.mine.ticket, conflict.fresh.ticket)}
              fieldLabel={(field) => t(changeLabels[field])}
              valueOf={value}
              busy={busy}
              onAgain={() => void run(conflict.fresh, conflict.again, null)}
              onDismiss={() => {
                adopt(conflict.fresh);
                dismissConflict();
              }}
            >
              {entriesSince(conflict.fresh.timeline, conflict.mine.revision).length > 0 && (
                <>
                  <p>{t('conflict.events')}</p>
                  <Timeline items={entriesSince(conflict.fresh.timeline, conflict.mine.revision)} names={names} />
                </>
              )}
            </ConflictNotice>
          )}
          {newer && !conflict && (
            <p className="notice" role="status">
              {t('panel.updatedMeanwhile', { status: t(`status.${newer.status}`) })}{' '}
              <button type="button" className="link" onClick={() => void fetchState().then(adopt)}>
                {t('panel.showLatest')}
              </button>
            </p>
          )}
          {notice && (
            <p className="notice" role="status">
              {notice}
            </p>
          )}
          <nav className="panel-actions" aria-label={t('panel.actions')}>
            {actions.length === 0 && <span className="muted">{t('action.unavailable', { status: t(`status.${ticket.status}`) })}</span>}
            {actions.map((a) => (
              <button key={a} type="button" className={action === a ? 'active' : ''} aria-pressed={action === a} onClick={() => setAction(action === a ? null : a)} title={actionKeys[a].toUpperCase()}>
                {t(actionLabels[a])} <kbd>{actionKeys[a].toUpperCase()}</kbd>
              </button>
            ))}
          </nav>
          {action && (
            <ActionForm key={`${action}-${loaded.revision}`} action={action} ticket={ticket} reference={reference} names={names} busy={busy} onSubmit={(build) => void send(build, loaded, action)} onCancel={() => setAction(null)} />
          )}
          <dl className="facts">
            <dt>{t('grid.category')}</dt>
            <dd>
              {names.category(ticket.category)}
              {ticket.subcategory && ` · ${names.subcategory(ticket.category, ticket.subcategory)}`}
            </dd>
            <dt>{t('grid.priority')}</dt>
            <dd className={`priority priority-${ticket.priority}`}>{t(`priority.${ticket.priority}`)}</dd>
            <dt>{t('grid.assignee')}</dt>
            <dd data-testid="panel-assignee">
              {names.team(ticket.teamId)}
              {ticket.agentId && ` · ${names.agent(ticket.agentId)}`}
            </dd>
            <dt>{t('grid.quartier')}</dt>
            <dd>
              {names.quartier(ticket.quartierId)} ({names.commune(ticket.communeId)})
            </dd>
            <dt>{t('panel.location')}</dt>
            <dd>
              {ticket.location ? (
                <>
                  {ticket.location.lat.toFixed(5)}, {ticket.location.lon.toFixed(5)}
                  {ticket.location.accuracy !== null && ` (${t('panel.accuracy', { metres: Math.round(ticket.location.accuracy) })})`}
                </>
              ) : (
                t('app.none')
              )}
            </dd>
            <dt>{t('panel.plusCode')}</dt>
            <dd className="mono" data-testid="plus-code">
              {ticket.plusCode ?? t('app.none')}
            </dd>
            <dt>{t('panel.landmark')}</dt>
            <dd>{ticket.landmark ?? t('app.none')}</dd>
            <dt>{t('grid.confirmations')}</dt>
            <dd>{ticket.confirmations}</dd>
          </dl>
          <p className="muted">
            {t('panel.reported', { when: formatDateTime(ticket.reportedAt) })}
            {ticket.channel && ` · ${t('panel.channel', { channel: ticket.channel })}`}
            {ticket.anonymous && ` · ${t('panel.anonymous')}`}
            {ticket.confidential && ` · ${t('panel.confidential')}`}
            {` · ${t('panel.revision', { revision: loaded.revision })}`}
          </p>
          {ticket.duplicateOf && <p className="notice">{t('panel.duplicateOf', { reference: ticket.duplicateOf })}</p>}
          {ticket.rejection && <p className="notice">{t('panel.rejected', { reason: t(`reason.${ticket.rejection.reason}`) })}</p>}
          {ticket.resolution && <p className="notice">{t('panel.resolution', { note: ticket.resolution.note })}</p>}
          <h3>{t('panel.description')}</h3>
          <p className="description">{ticket.description}</p>
          <h3>{t('panel.photos')}</h3>
          <Photos media={ticket.media} />
          <h3>{t('panel.timeline')}</h3>
          <Timeline items={loaded.timeline} names={names} />
        </div>
      )}
    </aside>
  );
}
