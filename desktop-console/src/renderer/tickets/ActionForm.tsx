import { type Priority, type RejectionReason, priorities, rejectionReasons } from '@palabre/domain';
import { type FormEvent, useEffect, useState } from 'react';
import type { TicketActionBody } from '../api/tickets.js';
import { defaultOrder, emptyFilter } from '../api/tickets.js';
import type { TicketView } from '../api/types.js';
import type { Reference } from '../app/services.js';
import { useServices } from '../app/services.js';
import { useI18n } from '../i18n/i18n.js';
import type { PanelAction } from './actions.js';
import { openStatuses } from './FilterBar.js';
import type { Names } from './names.js';

export interface ActionFormProps {
  readonly action: PanelAction;
  readonly ticket: TicketView;
  readonly reference: Reference;
  readonly names: Names;
  readonly busy: boolean;
  /** Builds the command (uploading a photo first when there is one) and sends it. */
  readonly onSubmit: (build: () => Promise<TicketActionBody>) => void;
  readonly onCancel: () => void;
}

/** Metres between two points (equirectangular: exact enough at a few hundred metres). */
export function distanceMetres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const x = (b.lon - a.lon) * rad * Math.cos(((a.lat + b.lat) / 2) * rad);
  const y = (b.lat - a.lat) * rad;
  return Math.sqrt(x * x + y * y) * 6_371_000;
}

function NearbyTickets({ ticket, value, onChange }: { ticket: TicketView; value: string; onChange: (id: string) => void }) {
  const { t } = useI18n();
  const { tickets } = useServices();
  const [nearby, setNearby] = useState<TicketView[] | null>(null);
  useEffect(() => {
    const at = ticket.location;
    if (!at) return setNearby([]);
    const abort = new AbortController();
    // About 500 m around the report, open tickets only, nearest first.
    const d = 0.0045;
    tickets
      .list(
        { communeId: ticket.communeId, filter: { ...emptyFilter, statuses: openStatuses }, order: defaultOrder, bbox: { minLon: at.lon - d, minLat: at.lat - d, maxLon: at.lon + d, maxLat: at.lat + d } },
        { limit: 50 },
        abort.signal,
      )
      .then(
        (page) =>
          setNearby(
            page.items
              .filter((i) => i.id !== ticket.id && i.location)
              .sort((a, b) => distanceMetres(at, a.location!) - distanceMetres(at, b.location!))
              .slice(0, 12),
          ),
        () => undefined,
      );
    return () => abort.abort();
  }, [tickets, ticket]);
  if (nearby === null) return <p className="muted">{t('app.loading')}</p>;
  if (nearby.length === 0) return <p className="muted">{t('action.noNearby')}</p>;
  return (
    <fieldset className="nearby">
      <legend>{t('action.duplicateOf')}</legend>
      {nearby.map((n) => (
        <label key={n.id} className="nearby-item">
          <input type="radio" name="duplicateOf" value={n.id} checked={value === n.id} onChange={() => onChange(n.id)} />
          <span className="mono">{n.reference}</span> <span>{n.description.slice(0, 60)}</span>{' '}
          <span className="muted">{Math.round(distanceMetres(ticket.location!, n.location!))} m · {t(`status.${n.status}`)}</span>
        </label>
      ))}
    </fieldset>
  );
}

export function ActionForm({ action, ticket, reference, names, busy, onSubmit, onCancel }: ActionFormProps) {
  const { t, label } = useI18n();
  const { api, tickets } = useServices();
  const [priority, setPriority] = useState<Priority>(ticket.priority);
  const [category, setCategory] = useState(ticket.category);
  const suggestedTeam = reference.teams.find((team) => team.id === ticket.teamId) ?? reference.teams.find((team) => team.categories.includes(ticket.category));
  const [teamId, setTeamId] = useState(suggestedTeam?.id ?? reference.teams[0]?.id ?? '');
  const [agentId, setAgentId] = useState(ticket.agentId ?? '');
  const [text, setText] = useState('');
  const [reason, setReason] = useState<RejectionReason>('out_of_scope');
  const [photo, setPhoto] = useState<File | null>(null);
  const [duplicateOf, setDuplicateOf] = useState('');

  const build = async (): Promise<TicketActionBody> => {
    switch (action) {
      case 'triage':
        return { action: 'triage', body: category === ticket.category ? { priority } : { priority, category } };
      case 'assign':
        return { action: 'assign', body: { teamId, agentId: agentId || null } };
      case 'start':
        return { action: 'start', body: {} };
      case 'reply':
        return { action: 'notes', body: { text: text.trim(), visibility: 'public' } };
      case 'note':
        return { action: 'notes', body: { text: text.trim(), visibility: 'internal' } };
      case 'resolve': {
        const mediaIds = photo ? [(await api.uploadPhoto(photo, photo.name)).mediaId] : [];
        return { action: 'resolve', body: mediaIds.length > 0 ? { note: text.trim(), mediaIds } : { note: text.trim() } };
      }
      case 'reject':
        return { action: 'reject', body: text.trim() ? { reason, note: text.trim() } : { reason } };
      case 'duplicate':
        return { action: 'mark-duplicate', body: { duplicateOf } };
      case 'close':
        return { action: 'close', body: text.trim() ? { note: text.trim() } : {} };
    }
  };

  const needsText = action === 'reply' || action === 'note' || action === 'resolve';
  const invalid = (needsText && text.trim() === '') || (action === 'assign' && !teamId) || (action === 'duplicate' && !duplicateOf);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!invalid && !busy) onSubmit(build);
  };

  return (
    <form className="action-form" onSubmit={submit} data-testid={`form-${action}`} onKeyDown={(e) => e.key === 'Escape' && (e.stopPropagation(), onCancel())}>
      {action === 'triage' && (
        <>
          <label>
            {t('action.priority')}
            <select autoFocus value={priority} onChange={(e) => setPriority(e.target.value as Priority)} name="priority">
              {priorities.map((p) => (
                <option key={p} value={p}>
                  {t(`priority.${p}`)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('action.category')}
            <select value={category} onChange={(e) => setCategory(e.target.value)} name="category">
              {reference.categories.map((c) => (
                <option key={c.id} value={c.id}>
                  {label(c.labels, c.id)}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {action === 'assign' && (
        <>
          <label>
            {t('action.team')}
            <select autoFocus value={teamId} onChange={(e) => setTeamId(e.target.value)} name="teamId">
              {reference.teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('action.agent')}
            <select value={agentId} onChange={(e) => setAgentId(e.target.value)} name="agentId">
              <option value="">{t('action.noAgent')}</option>
              {reference.agents.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.username}
                </option>
              ))}
            </select>
          </label>
        </>
      )}
      {action === 'start' && <p>{t('action.startConfirm')}</p>}
      {action === 'reject' && (
        <label>
          {t('action.reason')}
          <select autoFocus value={reason} onChange={(e) => setReason(e.target.value as RejectionReason)} name="reason">
            {rejectionReasons.map((r) => (
              <option key={r} value={r}>
                {t(`reason.${r}`)}
              </option>
            ))}
          </select>
        </label>
      )}
      {(needsText || action === 'reject' || action === 'close') && (
        <label>
          {t(
            action === 'reply'
              ? 'action.replyText'
              : action === 'note'
                ? 'action.noteText'
                : action === 'resolve'
                  ? 'action.resolveNote'
                  : action === 'close'
                    ? 'action.closeNote'
                    : 'action.rejectNote',
          )}
          <textarea autoFocus={action !== 'reject'} rows={3} maxLength={4000} value={text} onChange={(e) => setText(e.target.value)} name="text" />
        </label>
      )}
      {action === 'resolve' && (
        <label>
          {t('action.resolvePhoto')}
          <input type="file" accept="image/jpeg,image/png,image/webp" onChange={(e) => setPhoto(e.target.files?.[0] ?? null)} name="photo" />
        </label>
      )}
      {action === 'duplicate' && <NearbyTickets ticket={ticket} value={duplicateOf} onChange={setDuplicateOf} />}
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={invalid || busy}>
          {busy ? t('action.busy') : t('action.submit')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('app.cancel')}
        </button>
        <span className="muted">{names.category(ticket.category)}</span>
      </div>
    </form>
  );
}
