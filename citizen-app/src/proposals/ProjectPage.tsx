import { IonButton, IonIcon } from '@ionic/react';
import { checkmarkCircle, ellipseOutline, megaphoneOutline, radioButtonOnOutline } from 'ionicons/icons';
import { useCallback, useRef, useState } from 'react';
import { useParams } from 'react-router-dom';
import type { ProjectView } from '../api/types.ts';
import { useServices, useSubscribed } from '../app/context.tsx';
import { Page } from '../components/Page.tsx';
import { translate } from '../i18n/format.ts';
import { showNotification } from '../live/notify.ts';
import { getProject } from './api.ts';
import { useFollowed } from './followed.ts';
import { isProposalsKey, useProposalsI18n } from './messages.ts';
import { formatMoney, Photos } from './parts.tsx';

const statusColours = { active: '#1f5fa8', suspended: '#8a5300', completed: '#0b6e4f' } as const;

/**
 * A project everyone follows: how far it is (a bar), its programme's stages with the current one
 * marked, its budget, and what was done on site with photos, each new milestone told as it is recorded.
 */
export function ProjectPage() {
  const { id = '' } = useParams();
  const { t, language } = useProposalsI18n();
  const { api, live, notices } = useServices();
  const liveState = useSubscribed(live, () => live.state);
  const [project, setProject] = useState<ProjectView | null>(null);
  // The milestones already shown: one that comes later is news.
  const seen = useRef<Set<string> | null>(null);

  const adopt = useCallback(
    (fresh: ProjectView) => {
      // Every change of a project is a revision of its stream: the higher one is the newer.
      setProject((current) => (current && current.revision > fresh.revision ? current : fresh));
      if (seen.current === null) {
        seen.current = new Set(fresh.milestones.map((m) => m.id));
        return;
      }
      for (const milestone of fresh.milestones) {
        if (seen.current.has(milestone.id)) continue;
        seen.current.add(milestone.id);
        const params = { project: fresh.title, milestone: milestone.title };
        notices.push({ key: 'notify.milestone', params, tone: 'info', link: `/projects/${fresh.id}` });
        void showNotification(`project-${fresh.id}`, translate(language, 'notify.milestone', params), milestone.note ?? '', `${import.meta.env.BASE_URL}projects/${fresh.id}`).catch(() => undefined);
      }
    },
    [notices, language],
  );

  const { missing } = useFollowed('project', id, useCallback(() => getProject(api, id), [api, id]), adopt);

  if (!project) {
    return (
      <Page title={t('project.title')} back="/proposals" ready={missing}>
        {missing && <p className="empty">{t('project.notFound')}</p>}
      </Page>
    );
  }

  const current = project.stage === null ? -1 : project.stages.findIndex((s) => s.stage === project.stage);
  // The default programme's stages in words; a programme's own stage as it is named.
  const stageLabel = (stage: string) => {
    const key = `project.stage.${stage}`;
    return isProposalsKey(key) ? t(key) : stage.replace(/_/g, ' ');
  };
  const money = (amount: number) => formatMoney(amount, project.currency, language);
  const day = (date: string) => new Intl.DateTimeFormat(language, { dateStyle: 'long' }).format(new Date(`${date}T12:00:00`));

  return (
    <Page title={t('project.title')} back="/proposals" className="project-page">
      <div className="detail-head">
        <span className="status-chip" style={{ backgroundColor: statusColours[project.status] }} data-status={project.status}>
          {t(`project.status.${project.status}`)}
        </span>
        <span className={`live-dot live-dot--${liveState}`} title={t('proposal.live')} aria-label={t('proposal.live')} role="img" />
      </div>
      <h1 className="screen-title">{project.title}</h1>
      {project.description && <p className="detail-description">{project.description}</p>}

      <section aria-labelledby="progress-heading">
        <h2 id="progress-heading" className="section-title" data-testid="progress-text">
          {t('project.progress', { percent: project.percent })}
        </h2>
        <div className="meter meter--progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={project.percent} aria-labelledby="progress-heading" data-testid="progress" data-percent={project.percent}>
          <span style={{ width: `${project.percent}%` }} />
        </div>
      </section>

      <section aria-labelledby="stages-heading">
        <h2 id="stages-heading" className="section-title">
          {t('project.stages')}
        </h2>
        {current < 0 && <p className="hint">{t('project.notStarted')}</p>}
        <ol className="stages">
          {project.stages.map((s, i) => {
            const state = i < current ? 'done' : i === current ? 'current' : 'later';
            return (
              <li key={s.stage} className={`stage stage--${state}`} data-stage={s.stage} data-current={i === current} aria-current={i === current ? 'step' : undefined}>
                <IonIcon icon={state === 'done' ? checkmarkCircle : state === 'current' ? radioButtonOnOutline : ellipseOutline} aria-hidden="true" />
                <span>{stageLabel(s.stage)}</span>
                {state !== 'later' && <span className="stage-note">{t(state === 'current' ? 'project.stage.current' : 'project.stage.done')}</span>}
              </li>
            );
          })}
        </ol>
      </section>

      <section aria-labelledby="budget-heading">
        <h2 id="budget-heading" className="section-title">
          {t('project.budget')}
        </h2>
        {project.budget ? (
          <dl className="budget" data-testid="budget">
            <dt>{t('project.planned')}</dt>
            <dd data-budget="planned">{money(project.budget.planned)}</dd>
            <dt>{t('project.committed')}</dt>
            <dd data-budget="committed">{money(project.budget.committed)}</dd>
            <dt>{t('project.spent')}</dt>
            <dd data-budget="spent">{money(project.budget.spent)}</dd>
          </dl>
        ) : (
          <p className="hint">{t('project.noBudget')}</p>
        )}
        {project.budget?.reason && <p className="hint">{project.budget.reason}</p>}
      </section>

      <section aria-labelledby="milestones-heading">
        <h2 id="milestones-heading" className="section-title">
          {t('project.milestones')}
        </h2>
        {project.milestones.length === 0 && <p className="hint">{t('project.noMilestones')}</p>}
        {[...project.milestones].reverse().map((milestone) => (
          <article key={milestone.id} className="milestone" data-testid="milestone" data-milestone-id={milestone.id}>
            <h3>{milestone.title}</h3>
            <p className="hint">{t('project.reachedOn', { date: day(milestone.reachedOn) })}</p>
            {milestone.note && <p>{milestone.note}</p>}
            <Photos media={milestone.media} title={milestone.title} className="proposal-photos milestone-photos" />
          </article>
        ))}
      </section>

      {project.proposalIds.map((proposalId) => (
        <IonButton key={proposalId} fill="outline" expand="block" routerLink={`/proposals/${proposalId}`}>
          <IonIcon slot="start" icon={megaphoneOutline} aria-hidden="true" />
          {t('project.fromProposal')}
        </IonButton>
      ))}
    </Page>
  );
}
