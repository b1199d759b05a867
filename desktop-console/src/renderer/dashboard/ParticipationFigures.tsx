import { defaultProposalPolicy } from '@palabre/domain';
import { useEffect, useMemo, useState } from 'react';
import type { CommuneInfo } from '../api/types.js';
import { useServices } from '../app/services.js';
import { useI18n } from '../i18n/i18n.js';
import { ProjectsApi } from '../projects/projects-api.js';
import { proposalListLimit, ProposalsApi } from '../proposals/proposals-api.js';
import type { Names } from '../tickets/names.js';
import { HorizontalBars, Kpi } from './charts.js';
import { type ParticipationFigures as Figures, participationFigures } from './participation.js';

/**
 * Proposals and projects on the dashboard: proposals per quartier, the commune's answers on time or
 * late, its projects on track or late (each definition said beside its figures). Computed from the
 * API's lists, as they stand now.
 */
export function ParticipationFigures({ commune, names, version }: { commune: CommuneInfo; names: Names; version: number }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  const { api } = useServices();
  const proposals = useMemo(() => new ProposalsApi(api), [api]);
  const projects = useMemo(() => new ProjectsApi(api), [api]);
  const [figures, setFigures] = useState<Figures | null>(null);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const abort = new AbortController();
    Promise.all([proposals.list({ communeId: commune.id, state: null, category: null, quartierId: null, sort: 'newest' }, abort.signal), projects.list(commune.id, abort.signal)]).then(
      ([p, j]) => (setFigures(participationFigures(p, j)), setError(null)),
      (e: unknown) => !abort.signal.aborted && setError(e),
    );
    return () => abort.abort();
  }, [proposals, projects, commune.id, version]);

  const policy = { ...defaultProposalPolicy, ...commune.proposalPolicy };
  return (
    <section className="participation-figures" aria-labelledby="participation-title" data-testid="participation-figures">
      <h3 id="participation-title">{t('participation.title')}</h3>
      <p className="muted">{t('participation.scope', { max: proposalListLimit })}</p>
      {error !== null && <p className="error">{i18n.problem(error)}</p>}
      {!figures && error === null && <p className="muted">{t('app.loading')}</p>}
      {figures && (
        <>
          <div className="kpis participation-kpis">
            <Kpi label={t('participation.proposals')} value={formatNumber(figures.proposals)} testId="kpi-proposals" />
            <Kpi label={t('participation.onTime')} value={formatNumber(figures.answers.onTime)} testId="kpi-answers-on-time" />
            <Kpi label={t('participation.lateAnswers')} value={formatNumber(figures.answers.late)} testId="kpi-answers-late" />
            <Kpi label={t('participation.overdue')} value={formatNumber(figures.answers.overdue)} testId="kpi-answers-overdue" />
            <Kpi label={t('participation.projectsOnTrack')} value={formatNumber(figures.projects.onTrack)} testId="kpi-projects-on-track" />
            <Kpi label={t('participation.projectsLate')} value={formatNumber(figures.projects.late)} testId="kpi-projects-late" />
          </div>
          <p className="muted">{t('participation.answersDefinition', { days: policy.answerDays, threshold: policy.supportThreshold })}</p>
          <p className="muted">
            {t('project.healthDefinition')} {t('participation.projectsCompleted', { n: formatNumber(figures.projects.completed) })}
          </p>
          <div className="charts">
            <section className="chart-card">
              <h3>{t('participation.byQuartier')}</h3>
              <HorizontalBars
                title={t('participation.byQuartier')}
                testId="proposals-by-quartier"
                rows={figures.byQuartier.map((q) => ({ id: q.quartierId ?? 'none', label: names.quartier(q.quartierId), value: q.proposals, part: q.answered, note: t('participation.answered', { n: q.answered }) }))}
              />
            </section>
          </div>
        </>
      )}
    </section>
  );
}
