import type { AnswerStateDefinition } from '@palabre/domain';
import { useCallback, useEffect, useMemo, useRef } from 'react';
import type { CommuneInfo } from '../api/types.js';
import { ConflictNotice } from '../app/conflict.js';
import { useFollowedResource } from '../app/followed-resource.js';
import { useI18n } from '../i18n/i18n.js';
import { PointsMap } from '../map/PointsMap.js';
import type { Names } from '../tickets/names.js';
import { Photos } from '../tickets/Photos.js';
import { AnswerForm } from './AnswerForm.js';
import { type ProposalField, proposalChanges } from './changes.js';
import { ModerationForm } from './ModerationForm.js';
import type { AnswerBody, ProposalsApi, ProposalView } from './proposals-api.js';
import { proposalStateLabel } from './states.js';

/** A push is the public view: what only staff reads say (flags, why hidden) is kept from the last read. */
const keepStaffFields = (shown: ProposalView, pushed: ProposalView): ProposalView => ({
  ...pushed,
  ...(pushed.flags === undefined && shown.flags !== undefined ? { flags: shown.flags } : {}),
  ...(pushed.hidden === undefined && shown.hidden !== undefined ? { hidden: shown.hidden } : {}),
});

const fieldLabels = {
  state: 'grid.status',
  supports: 'proposals.column.supports',
  flags: 'proposals.column.flags',
  answer: 'proposal.answer',
  hidden: 'proposals.column.reason',
  title: 'proposals.column.title',
  description: 'panel.description',
} as const;

/**
 * One proposal for the commune's staff: what residents proposed (text, photos, place on the map),
 * its supports and deadline, the commune's answer form and the moderator's hide or restore, each sent
 * on the revision read; someone else's change meanwhile is shown before anything is sent again.
 */
export function ProposalPanel({
  proposalId,
  api,
  commune,
  names,
  answerStates,
  map,
  organiser,
  onClose,
  onChanged,
}: {
  proposalId: string;
  api: ProposalsApi;
  commune: CommuneInfo;
  names: Names;
  answerStates: readonly AnswerStateDefinition[];
  map: { styleUrl: string | null; token: string };
  /** Commune staff who answer and moderate (others read). */
  organiser: boolean;
  onClose: () => void;
  onChanged: (proposal: ProposalView) => void;
}) {
  const i18n = useI18n();
  const { t, formatDateTime, formatNumber } = i18n;
  const get = useCallback(() => api.get(proposalId), [api, proposalId]);
  const resource = useFollowedResource('proposal', proposalId, get, { others: 'announce', merge: keepStaffFields });
  const { shown: proposal, conflict, busy } = resource;

  // The list beside it follows what the panel learns (the latest callback, called once per state shown).
  const changed = useRef(onChanged);
  changed.current = onChanged;
  useEffect(() => {
    if (proposal) changed.current(proposal);
  }, [proposal]);

  const stateLabel = useCallback((state: string) => proposalStateLabel(state, answerStates, i18n), [answerStates, i18n]);
  const value = (field: ProposalField, v: string | number | null): string => {
    if (v === null) return t('app.none');
    if (field === 'state' || field === 'answer') return stateLabel(String(v));
    if (field === 'description') return String(v).length > 80 ? `${String(v).slice(0, 80)}…` : String(v);
    return String(v);
  };

  const done = (message: string) => (outcome: 'done' | 'conflict') => {
    if (outcome === 'done') resource.setNotice(message);
  };
  const answer = (body: AnswerBody) => resource.write((decided) => api.answer(proposalId, body, decided.revision)).then(done(t('answer.sent')));
  const moderate = (action: 'hide' | 'restore') => (reason: string) => resource.write((decided) => api.moderate(proposalId, action, reason, decided.revision)).then(done(t(`moderation.done.${action}`)));

  const points = useMemo(() => (proposal?.location ? [{ id: proposal.id, lat: proposal.location.lat, lon: proposal.location.lon, label: proposal.title }] : []), [proposal?.id, proposal?.location, proposal?.title]);

  const finalAnswer = proposal?.answer ? answerStates.find((s) => s.id === proposal.answer!.state)?.final !== false : false;
  const answerable = organiser && proposal !== null && !['hidden', 'withdrawn', 'merged'].includes(proposal.state) && !finalAnswer;
  const moderation = !organiser ? null : proposal?.state === 'hidden' ? 'restore' : proposal && !['withdrawn', 'merged'].includes(proposal.state) ? 'hide' : null;

  return (
    <aside className="ticket-panel proposal-panel" aria-label={proposal?.title ?? t('app.loading')} data-testid="proposal-panel" data-revision={proposal?.revision} data-following={resource.following}>
      <header className="panel-header">
        <h2>{proposal?.title ?? t('app.loading')}</h2>
        {proposal && (
          <span className={`badge proposal-${proposal.state}`} data-testid="proposal-state">
            {stateLabel(proposal.state)}
          </span>
        )}
        <button type="button" className="icon" onClick={onClose} aria-label={t('proposal.close')}>
          ×
        </button>
      </header>
      {resource.error !== null && !proposal && <p className="error">{i18n.problem(resource.error)}</p>}
      {!proposal && resource.error === null && <p className="muted">{t('app.loading')}</p>}
      {proposal && (
        <div className="panel-body">
          {conflict && (
            <ConflictNotice
              title={t('proposal.conflict.title')}
              from={conflict.mine.revision}
              to={conflict.fresh.revision}
              changes={proposalChanges(conflict.mine, conflict.fresh)}
              fieldLabel={(field) => t(fieldLabels[field])}
              valueOf={value}
              busy={busy}
              onAgain={() => void resource.again()}
              onDismiss={resource.drop}
            />
          )}
          {resource.newer && !conflict && (
            <p className="notice" role="status" data-testid="proposal-newer">
              {t('proposal.updatedMeanwhile', { state: stateLabel(resource.newer.state) })}{' '}
              <button type="button" className="link" onClick={resource.showLatest}>
                {t('panel.showLatest')}
              </button>
            </p>
          )}
          {resource.notice && (
            <p className="notice" role="status" data-testid="proposal-notice">
              {resource.notice}
            </p>
          )}
          {proposal.hidden && (
            <p className="notice" data-testid="proposal-hidden">
              {proposal.hidden.by === 'flags' ? t('proposal.hiddenByFlags', { reason: proposal.hidden.reason }) : t('proposal.hiddenByModerator', { reason: proposal.hidden.reason, when: formatDateTime(proposal.hidden.at) })}
            </p>
          )}
          <dl className="facts">
            <dt>{t('grid.quartier')}</dt>
            <dd>
              {names.quartier(proposal.quartierId)} ({names.commune(proposal.communeId)})
            </dd>
            <dt>{t('grid.category')}</dt>
            <dd>{names.category(proposal.category)}</dd>
            <dt>{t('proposals.column.supports')}</dt>
            <dd data-testid="proposal-supports">{formatNumber(proposal.supports)}</dd>
            {proposal.flags !== undefined && (
              <>
                <dt>{t('proposals.column.flags')}</dt>
                <dd data-testid="proposal-flags">{proposal.flags}</dd>
              </>
            )}
            <dt>{t('proposal.author')}</dt>
            <dd>{proposal.author.kind === 'group' ? (proposal.author.name ?? t('proposal.aGroup')) : t('proposal.aResident')}</dd>
            <dt>{t('proposals.column.submitted')}</dt>
            <dd>{formatDateTime(proposal.submittedAt)}</dd>
            <dt>{t('proposals.column.answerBy')}</dt>
            <dd className={proposal.answerLate ? 'sla-breached' : ''}>
              {proposal.answerBy ? formatDateTime(proposal.answerBy) : t('proposal.noDeadline')}
              {proposal.answerLate && ` · ${t('proposals.late')}`}
            </dd>
            {proposal.costEstimate !== null && (
              <>
                <dt>{t('proposal.costEstimate')}</dt>
                <dd>{t('money.fcfa', { amount: formatNumber(proposal.costEstimate) })}</dd>
              </>
            )}
          </dl>
          <p className="muted">{t('panel.revision', { revision: proposal.revision })}</p>
          <h3>{t('panel.description')}</h3>
          <p className="description">{proposal.description}</p>
          <h3>{t('panel.photos')}</h3>
          <Photos media={proposal.media} />
          <h3>{t('proposal.place')}</h3>
          {proposal.location ? (
            <>
              <p className="muted mono" data-testid="proposal-location">
                {proposal.location.lat.toFixed(5)}, {proposal.location.lon.toFixed(5)}
              </p>
              <div className="panel-map">
                <PointsMap commune={commune} points={points} styleUrl={map.styleUrl} token={map.token} testId="proposal-map" />
              </div>
            </>
          ) : (
            <p className="muted">{t('proposal.noPoint', { quartier: names.quartier(proposal.quartierId) })}</p>
          )}
          {proposal.answer && (
            <section className="proposal-answer" data-testid="proposal-answer">
              <h3>{t('proposal.answer')}</h3>
              <p>
                <strong>{stateLabel(proposal.answer.state)}</strong> · {formatDateTime(proposal.answer.answeredAt)}
                {proposal.answer.cost !== null && ` · ${t('money.fcfa', { amount: formatNumber(proposal.answer.cost) })}`}
              </p>
              {proposal.answer.text.fr && <p lang="fr">{proposal.answer.text.fr}</p>}
              {proposal.answer.text.en && <p lang="en">{proposal.answer.text.en}</p>}
            </section>
          )}
          {answerable && (
            <>
              <h3>{t('answer.title')}</h3>
              <AnswerForm key={proposal.answer?.answeredAt ?? 'none'} answerStates={answerStates} busy={busy} onSubmit={answer} />
            </>
          )}
          {moderation && (
            <>
              <h3>{t('moderation.title')}</h3>
              <ModerationForm key={`${moderation}-${proposal.revision}`} action={moderation} busy={busy} onSubmit={moderate(moderation)} />
            </>
          )}
        </div>
      )}
    </aside>
  );
}
