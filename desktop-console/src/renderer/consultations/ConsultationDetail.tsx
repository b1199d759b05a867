import { isAgentRole } from '@palabre/domain';
import { useCallback, useEffect, useState } from 'react';
import { ApiProblem } from '../api/problem.js';
import type { CommuneInfo, SessionUser } from '../api/types.js';
import { useServices } from '../app/services.js';
import { ProblemLine, useSubmission } from '../app/submission.js';
import { saveExport } from '../bridge.js';
import { useI18n } from '../i18n/i18n.js';
import { Photos } from '../tickets/Photos.js';
import { ConsultationResults } from './ConsultationResults.js';
import type { ConsultationDetail, ConsultationsApi, ResultsView, Transition } from './consultations-api.js';
import { PaperBallotForm } from './PaperBallotForm.js';
import { PollingTableOutbox } from './PollingTableOutbox.js';
import { PollingTables } from './PollingTables.js';
import { TallySheetForm } from './TallySheetForm.js';
import { resultsCsv } from './results-csv.js';

const actionsFor: Record<ConsultationDetail['status'], readonly Transition[]> = {
  draft: ['open', 'cancel'],
  open: ['close', 'cancel'],
  closed: ['publish'],
  cancelled: [],
  published: [],
};

/**
 * One consultation: what it asks, where it stands, the organiser's next step (open, close, publish,
 * cancel, each at the revision shown), the count as it moves, and for agents the polling table: paper
 * ballots, the tally sheet at the close, what this PC still holds, and each table's count beside its sheet.
 */
export function ConsultationDetailPanel({
  id,
  commune,
  api,
  user,
  organiser,
  onChanged,
  onEdit,
}: {
  id: string;
  commune: CommuneInfo;
  api: ConsultationsApi;
  user: SessionUser;
  organiser: boolean;
  onChanged: () => void;
  onEdit: (consultation: ConsultationDetail) => void;
}) {
  const i18n = useI18n();
  const { t } = i18n;
  const { live } = useServices();
  const [consultation, setConsultation] = useState<ConsultationDetail | null>(null);
  const [results, setResults] = useState<ResultsView | null>(null);
  const [loadProblem, setLoadProblem] = useState<string | null>(null);
  const { sending: busy, problem: actionProblem, submit } = useSubmission();
  const problem = actionProblem ?? loadProblem;
  const [reload, setReload] = useState(0);

  useEffect(() => {
    const abort = new AbortController();
    api.get(id, abort.signal).then(
      (c) => (setConsultation(c), setLoadProblem(null)),
      (e: unknown) => !abort.signal.aborted && setLoadProblem(i18n.problem(e)),
    );
    return () => abort.abort();
  }, [api, id, reload, i18n]);

  // The figures: fetched once, then as the server pushes each new count (organisers hear it whatever residents see).
  useEffect(() => {
    const abort = new AbortController();
    api.results(id, abort.signal).then(setResults, () => undefined);
    const stop = live.follow('consultation', id, (pushed) => setResults(pushed as unknown as ResultsView));
    return () => (abort.abort(), stop());
  }, [api, live, id, reload]);

  const act = useCallback(
    async (transition: Transition) => {
      if (!consultation) return;
      let reason: string | undefined;
      if (transition === 'cancel') {
        reason = window.prompt(t('consultation.cancelReason')) ?? undefined;
        if (!reason) return;
      } else if (!window.confirm(t(`consultation.confirm.${transition}`, { title: consultation.title[i18n.language] }))) return;
      await submit(
        async () => {
          await api.transition(id, transition, consultation.revision, reason);
          onChanged();
        },
        // Someone else changed it meanwhile: show what it is now, and why nothing was done.
        (e) => (e instanceof ApiProblem && e.status === 412 ? t('consultation.changedMeanwhile') : i18n.problem(e)),
      );
      setReload((n) => n + 1);
    },
    [api, consultation, i18n, id, onChanged, submit, t],
  );

  const exportResults = useCallback(async () => {
    if (!consultation || !results) return;
    const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
    await saveExport({ suggestedName: `palabre-consultation-${consultation.id}-${stamp}.csv`, kind: 'csv', content: resultsCsv(consultation, results, commune, i18n) });
  }, [consultation, results, commune, i18n]);

  if (!consultation) return problem ? <p className="error">{problem}</p> : <p className="muted">{t('app.loading')}</p>;
  const title = consultation.title[i18n.language];
  const quartierName = (qid: string) => commune.quartiers.find((q) => q.id === qid)?.name ?? qid;
  return (
    <article className="consultation-detail" data-testid="consultation-detail" data-status={consultation.status} aria-label={title}>
      <header className="toolbar">
        <h2>{title}</h2>
        <span className={`status-chip consultation-${consultation.status}`} data-testid="consultation-status">
          {t(`consultation.status.${consultation.status}`)}
        </span>
        <span className="spacer" />
        {organiser && consultation.status === 'draft' && (
          <button type="button" onClick={() => onEdit(consultation)}>
            {t('consultation.action.edit')}
          </button>
        )}
        {organiser &&
          actionsFor[consultation.status].map((transition) => (
            <button key={transition} type="button" className={transition === 'cancel' ? '' : 'primary'} disabled={busy} onClick={() => void act(transition)}>
              {t(`consultation.action.${transition}`)}
            </button>
          ))}
        {results && (
          <button type="button" onClick={() => void exportResults()}>
            {t('grid.export')}
          </button>
        )}
      </header>
      <ProblemLine problem={problem} />
      <dl className="facts">
        <dt>{t('consultations.column.scope')}</dt>
        <dd>{consultation.quartierIds ? consultation.quartierIds.map(quartierName).join(', ') : t('consultations.wholeCommune')}</dd>
        <dt>{t('editor.field.level')}</dt>
        <dd>
          {t(`level.${consultation.requiredLevel}`)}
          {consultation.adultsOnly ? ` · ${t('editor.field.adultsOnly')}` : ''}
        </dd>
        <dt>{t('editor.field.opensAt')}</dt>
        <dd>{i18n.formatDateTime(consultation.opensAt)}</dd>
        <dt>{t('editor.field.closesAt')}</dt>
        <dd>{i18n.formatDateTime(consultation.closesAt)}</dd>
        <dt>{t('editor.field.results')}</dt>
        <dd>{t(`editor.results.${consultation.resultsVisibility}`)}</dd>
      </dl>
      {consultation.description && <p>{consultation.description[i18n.language]}</p>}
      {consultation.mediaIds.length > 0 && <Photos media={consultation.mediaIds.map((m) => ({ id: m, url: `/api/media/${m}`, thumbnailUrl: `/api/media/${m}/thumb` }))} />}
      {results ? <ConsultationResults consultation={consultation} results={results} commune={commune} /> : <p className="muted">{t('results.none')}</p>}
      {isAgentRole(user.role) && results && <PollingTables consultationId={consultation.id} api={api} results={results} />}
      {consultation.status === 'open' && <PaperBallotForm consultation={consultation} user={user} />}
      {isAgentRole(user.role) && consultation.status !== 'draft' && consultation.status !== 'cancelled' && <TallySheetForm consultationId={consultation.id} user={user} />}
      {isAgentRole(user.role) && <PollingTableOutbox consultationId={consultation.id} />}
    </article>
  );
}
