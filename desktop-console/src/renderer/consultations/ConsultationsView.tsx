import { isAgentRole, isOrganiserRole } from '@palabre/domain';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SessionUser } from '../api/types.js';
import type { Reference } from '../app/services.js';
import { useServices } from '../app/services.js';
import { RetryLine } from '../app/submission.js';
import { useI18n } from '../i18n/i18n.js';
import { ConsultationDetailPanel } from './ConsultationDetail.js';
import { ConsultationEditor } from './ConsultationEditor.js';
import { type ConsultationDetail, ConsultationsApi, type ConsultationSummary } from './consultations-api.js';
import { VerifyResident } from './VerifyResident.js';

type Pane = { kind: 'none' } | { kind: 'consultation'; id: string } | { kind: 'new' } | { kind: 'edit'; consultation: ConsultationDetail } | { kind: 'verify' };


/** The commune's consultations beside the one open (or the editor, or the identity check). */
export default function ConsultationsView({
  communeId,
  reference,
  user,
  map,
}: {
  communeId: string;
  reference: Reference;
  user: SessionUser;
  /** The map style the console uses (the editor draws the scope and the options' sites on it). */
  map: { styleUrl: string | null; token: string };
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { api, live } = useServices();
  const consultations = useMemo(() => new ConsultationsApi(api), [api]);
  const [items, setItems] = useState<ConsultationSummary[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pane, setPane] = useState<Pane>({ kind: 'none' });
  const [reload, setReload] = useState(0);
  const refresh = useCallback(() => setReload((n) => n + 1), []);

  useEffect(() => {
    const abort = new AbortController();
    consultations.list(communeId, abort.signal).then(
      (list) => (setItems(list), setError(null)),
      (e: unknown) => !abort.signal.aborted && setError(i18n.problem(e)),
    );
    return () => abort.abort();
  }, [consultations, communeId, reload, i18n]);

  // The list is the read side, a moment behind the consultation shown: asked again when that one's
  // figures are pushed with a status the list does not show yet (just saved, opened, closed…).
  const shownId = pane.kind === 'consultation' ? pane.id : null;
  const listed = useRef(items);
  listed.current = items;
  useEffect(() => {
    if (shownId === null) return;
    return live.follow('consultation', shownId, (pushed) => {
      if (listed.current?.find((c) => c.id === shownId)?.status !== pushed.status) refresh();
    });
  }, [live, shownId, refresh]);

  const commune = reference.communes.find((c) => c.id === communeId);
  const quartierName = (id: string) => commune?.quartiers.find((q) => q.id === id)?.name ?? id;
  const organiser = isOrganiserRole(user.role);

  return (
    <div className="panes consultations-view">
      <section className="consultation-list" aria-label={t('consultations.title')}>
        <div className="toolbar">
          <h2>{t('consultations.title')}</h2>
          <span className="spacer" />
          {organiser && (
            <button type="button" className="primary" onClick={() => setPane({ kind: 'new' })}>
              {t('consultations.new')}
            </button>
          )}
          {isAgentRole(user.role) && (
            <button type="button" onClick={() => setPane({ kind: 'verify' })}>
              {t('verify.title')}
            </button>
          )}
        </div>
        <RetryLine problem={error} onRetry={refresh} />
        {items === null && !error && <p className="muted">{t('app.loading')}</p>}
        {items?.length === 0 && <p className="muted">{t('consultations.none')}</p>}
        {items && items.length > 0 && (
          <table className="plain-table" data-testid="consultation-list">
            <thead>
              <tr>
                <th>{t('consultations.column.title')}</th>
                <th>{t('consultations.column.status')}</th>
                <th>{t('consultations.column.scope')}</th>
                <th>{t('consultations.column.closes')}</th>
              </tr>
            </thead>
            <tbody>
              {items.map((c) => (
                <tr key={c.id} className={pane.kind === 'consultation' && pane.id === c.id ? 'selected' : ''} data-id={c.id}>
                  <td>
                    <button type="button" className="link" onClick={() => setPane({ kind: 'consultation', id: c.id })}>
                      {c.title[i18n.language]}
                    </button>
                  </td>
                  <td>
                    <span className={`status-chip consultation-${c.status}`}>{t(`consultation.status.${c.status}`)}</span>
                  </td>
                  <td>{c.quartierIds ? c.quartierIds.map(quartierName).join(', ') : t('consultations.wholeCommune')}</td>
                  <td>{i18n.formatDateTime(c.closesAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section className="consultation-pane">
        {pane.kind === 'none' && <p className="muted placeholder">{t('consultations.pick')}</p>}
        {(pane.kind === 'new' || pane.kind === 'edit') && commune && (
          <ConsultationEditor
            key={pane.kind === 'edit' ? `${pane.consultation.id}@${pane.consultation.revision}` : 'new'}
            commune={commune}
            api={consultations}
            map={map}
            {...(pane.kind === 'edit' ? { editing: pane.consultation } : {})}
            onCancel={() => setPane(pane.kind === 'edit' ? { kind: 'consultation', id: pane.consultation.id } : { kind: 'none' })}
            onSaved={(id) => {
              refresh();
              setPane({ kind: 'consultation', id });
            }}
          />
        )}
        {pane.kind === 'consultation' && commune && (
          <ConsultationDetailPanel
            key={pane.id}
            id={pane.id}
            commune={commune}
            api={consultations}
            user={user}
            organiser={organiser}
            onChanged={refresh}
            onEdit={(consultation) => setPane({ kind: 'edit', consultation })}
          />
        )}
        {pane.kind === 'verify' && commune && <VerifyResident commune={commune} api={consultations} />}
      </section>
    </div>
  );
}
