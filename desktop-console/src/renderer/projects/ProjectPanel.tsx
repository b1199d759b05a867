import { isAgentRole, isOrganiserRole } from '@palabre/domain';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { CommuneInfo, SessionUser } from '../api/types.js';
import { ConflictNotice } from '../app/conflict.js';
import { useFollowedResource } from '../app/followed-resource.js';
import { ProblemLine, useSubmission } from '../app/submission.js';
import { useI18n } from '../i18n/i18n.js';
import { PointsMap } from '../map/PointsMap.js';
import type { Names } from '../tickets/names.js';
import { Photos } from '../tickets/Photos.js';
import { BudgetForm } from './BudgetForm.js';
import { type ProjectField, projectChanges } from './changes.js';
import { projectHealth } from './health.js';
import { MilestoneForm } from './MilestoneForm.js';
import type { ProjectsApi, ProjectView } from './projects-api.js';
import { nextStage, stageLabel } from './stages.js';

const fieldLabels = {
  status: 'grid.status',
  stage: 'project.stage',
  percent: 'project.progress',
  planned: 'budget.plannedShort',
  committed: 'budget.committedShort',
  spent: 'budget.spentShort',
  milestones: 'project.milestones',
} as const;

/**
 * One project as the commune runs it: the programme's stages (entered one after the other), its
 * progress, its budget, its milestones with their photos on the map, suspended, resumed or
 * completed. What agents report on site shows as it is projected (`project.updated`); the budget and
 * the project's status are decided on the revision shown.
 */
export function ProjectPanel({
  projectId,
  api,
  commune,
  names,
  user,
  map,
  onClose,
  onChanged,
}: {
  projectId: string;
  api: ProjectsApi;
  commune: CommuneInfo;
  names: Names;
  user: SessionUser;
  map: { styleUrl: string | null; token: string };
  onClose: () => void;
  onChanged: (project: ProjectView) => void;
}) {
  const i18n = useI18n();
  const { t, formatDateTime, formatNumber } = i18n;
  const get = useCallback(() => api.get(projectId), [api, projectId]);
  const resource = useFollowedResource('project', projectId, get, { others: 'adopt' });
  const { shown: project, conflict, busy } = resource;
  const [percent, setPercent] = useState('');
  const [suspendReason, setSuspendReason] = useState('');
  const { problem: statusProblem, submit: submitStatus } = useSubmission();
  const { problem: fieldProblem, submit: submitField } = useSubmission();

  // The list beside it follows what the panel learns (the latest callback, called once per state shown).
  const changed = useRef(onChanged);
  changed.current = onChanged;
  useEffect(() => {
    if (project) changed.current(project);
  }, [project]);
  useEffect(() => {
    setPercent(project ? String(project.percent) : '');
  }, [project?.percent]);

  const points = useMemo(
    () =>
      (project?.milestones ?? []).flatMap((m) => m.media.flatMap((photo, i) => (photo.point ? [{ id: `${m.id}-${i}`, lat: photo.point.lat, lon: photo.point.lon, label: m.title }] : []))),
    [project?.milestones],
  );

  if (!project)
    return (
      <aside className="ticket-panel project-panel" data-testid="project-panel">
        {resource.error !== null ? <p className="error">{i18n.problem(resource.error)}</p> : <p className="muted">{t('app.loading')}</p>}
      </aside>
    );

  const organiser = isOrganiserRole(user.role);
  const agent = isAgentRole(user.role);
  const running = project.status === 'active';
  const upcoming = nextStage(project.stages, project.stage);
  const health = projectHealth(project);
  const money = (amount: number) => t('money.amount', { amount: formatNumber(amount), currency: project.currency });
  const done = (message: string) => (outcome: 'done' | 'conflict') => {
    if (outcome === 'done') resource.setNotice(message);
  };
  const value = (field: ProjectField, v: string | number | null): string => {
    if (v === null) return t('app.none');
    if (field === 'status') return t(`project.status.${v as ProjectView['status']}`);
    if (field === 'stage') return stageLabel(String(v), i18n);
    if (field === 'percent') return `${v} %`;
    if (field === 'milestones') return String(v);
    return money(Number(v));
  };

  return (
    <aside className="ticket-panel project-panel" aria-label={project.title} data-testid="project-panel" data-revision={project.revision} data-following={resource.following}>
      <header className="panel-header">
        <h2>{project.title}</h2>
        <span className={`badge project-${project.status}`} data-testid="project-status">
          {t(`project.status.${project.status}`)}
        </span>
        <button type="button" className="icon" onClick={onClose} aria-label={t('project.close')}>
          ×
        </button>
      </header>
      <div className="panel-body">
        {conflict && (
          <ConflictNotice
            title={t('project.conflict.title')}
            from={conflict.mine.revision}
            to={conflict.fresh.revision}
            changes={projectChanges(conflict.mine, conflict.fresh)}
            fieldLabel={(field) => t(fieldLabels[field])}
            valueOf={value}
            busy={busy}
            onAgain={() => void resource.again()}
            onDismiss={resource.drop}
          />
        )}
        {resource.notice && (
          <p className="notice" role="status" data-testid="project-notice">
            {resource.notice}
          </p>
        )}
        <dl className="facts">
          <dt>{t('nav.commune')}</dt>
          <dd>{names.commune(project.communeId)}</dd>
          <dt>{t('project.health')}</dt>
          <dd className={`health-${health}`} data-testid="project-health">
            {t(`project.health.${health}`)}
          </dd>
          <dt>{t('project.fromProposals')}</dt>
          <dd>{project.proposalIds.length === 0 ? t('project.direct') : project.proposalIds.join(', ')}</dd>
        </dl>
        {project.description && <p className="description">{project.description}</p>}
        <p className="muted">{t('panel.revision', { revision: project.revision })}</p>
        <ProblemLine problem={fieldProblem} />

        <h3>{t('project.stages')}</h3>
        <ol className="stages" data-testid="project-stages">
          {project.stages.map((s) => (
            <li key={s.stage} className={s.stage === project.stage ? 'current' : s.enteredAt ? 'passed' : ''} data-stage={s.stage}>
              {stageLabel(s.stage, i18n)}
              {s.enteredAt && <span className="muted"> · {formatDateTime(s.enteredAt)}</span>}
            </li>
          ))}
        </ol>
        {agent && running && upcoming && (
          <button
            type="button"
            disabled={busy}
            onClick={() => void submitField(() => resource.write(() => api.enterStage(projectId, upcoming, crypto.randomUUID())).then(done(t('project.stageEntered'))))}
          >
            {t('project.enterStage', { stage: stageLabel(upcoming, i18n) })}
          </button>
        )}

        <h3>{t('project.progress')}</h3>
        <div className="progress" role="progressbar" aria-valuenow={project.percent} aria-valuemin={0} aria-valuemax={100} aria-label={t('project.progress')}>
          <span style={{ width: `${project.percent}%` }} />
        </div>
        <p data-testid="project-percent">{t('project.percent', { percent: project.percent })}</p>
        {agent && running && (
          <form
            className="inline-form"
            onSubmit={(e) => {
              e.preventDefault();
              const n = Number(percent);
              if (!Number.isInteger(n) || n < 0 || n > 100) return;
              void submitField(() => resource.write(() => api.reportProgress(projectId, n, crypto.randomUUID())).then(done(t('project.progressSaved'))));
            }}
          >
            <label>
              {t('project.percentField')} <input name="percent" type="number" min={0} max={100} step={1} value={percent} onChange={(e) => setPercent(e.target.value)} />
            </label>
            <button type="submit" disabled={busy}>
              {t('project.saveProgress')}
            </button>
          </form>
        )}

        <h3>{t('budget.title')}</h3>
        {project.budget ? (
          <dl className="facts" data-testid="project-budget">
            <dt>{t('budget.plannedShort')}</dt>
            <dd>{money(project.budget.planned)}</dd>
            <dt>{t('budget.committedShort')}</dt>
            <dd>{money(project.budget.committed)}</dd>
            <dt>{t('budget.spentShort')}</dt>
            <dd>{money(project.budget.spent)}</dd>
            {project.budget.reason && (
              <>
                <dt>{t('budget.reasonShort')}</dt>
                <dd>{project.budget.reason}</dd>
              </>
            )}
          </dl>
        ) : (
          <p className="muted">{t('budget.none')}</p>
        )}
        {organiser && running && (
          <BudgetForm
            key={`budget-${project.budget?.planned}-${project.budget?.committed}-${project.budget?.spent}`}
            budget={project.budget}
            currency={project.currency}
            busy={busy}
            onSubmit={(budget) => resource.write((decided) => api.reportBudget(projectId, budget, decided.revision)).then(done(t('budget.saved')))}
          />
        )}

        <h3>{t('project.milestones')}</h3>
        {project.milestones.length === 0 && <p className="muted">{t('milestone.none')}</p>}
        <ul className="milestones" data-testid="project-milestones">
          {project.milestones.map((m) => (
            <li key={m.id} data-id={m.id}>
              <strong>{m.title}</strong> <span className="muted">· {m.reachedOn}</span>
              {m.note && <p className="description">{m.note}</p>}
              {m.media.length > 0 && <Photos media={m.media} />}
              {m.media.map((photo, i) =>
                photo.point ? (
                  <p key={photo.id} className="muted mono">
                    {t('milestone.photoAt', { n: i + 1, lat: photo.point.lat.toFixed(5), lon: photo.point.lon.toFixed(5) })}
                  </p>
                ) : null,
              )}
            </li>
          ))}
        </ul>
        {points.length > 0 && (
          <div className="panel-map">
            <PointsMap commune={commune} points={points} styleUrl={map.styleUrl} token={map.token} testId="milestone-map" />
          </div>
        )}
        {agent && running && <MilestoneForm busy={busy} onSubmit={(milestone, key) => resource.write(() => api.recordMilestone(projectId, milestone, key)).then(done(t('milestone.recorded')))} />}

        {organiser && project.status !== 'completed' && (
          <>
            <h3>{t('project.statusTitle')}</h3>
            <div className="project-status-actions">
              {running ? (
                <form
                  className="inline-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    const reason = suspendReason.trim();
                    if (!reason) return;
                    void submitStatus(() => resource.write((decided) => api.suspend(projectId, reason, decided.revision)).then(done(t('project.suspended'))));
                  }}
                >
                  <input name="suspendReason" aria-label={t('project.suspendReason')} placeholder={t('project.suspendReason')} value={suspendReason} maxLength={500} onChange={(e) => setSuspendReason(e.target.value)} />
                  <button type="submit" disabled={busy || suspendReason.trim() === ''}>
                    {t('project.suspend')}
                  </button>
                </form>
              ) : (
                <button type="button" disabled={busy} onClick={() => void submitStatus(() => resource.write((decided) => api.resume(projectId, decided.revision)).then(done(t('project.resumed'))))}>
                  {t('project.resume')}
                </button>
              )}
              <button
                type="button"
                disabled={busy}
                onClick={() => {
                  if (window.confirm(t('project.confirmComplete', { title: project.title }))) void submitStatus(() => resource.write((decided) => api.complete(projectId, decided.revision)).then(done(t('project.completedNotice'))));
                }}
              >
                {t('project.complete')}
              </button>
            </div>
            <ProblemLine problem={statusProblem} />
          </>
        )}
      </div>
    </aside>
  );
}
