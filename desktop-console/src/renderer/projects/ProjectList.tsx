import { useI18n } from '../i18n/i18n.js';
import { projectHealth } from './health.js';
import type { ProjectSummary } from './projects-api.js';
import { stageLabel } from './stages.js';

/** The commune's projects, newest first, with where each stands. */
export function ProjectList({ projects, openId, onOpen }: { projects: readonly ProjectSummary[]; openId: string | null; onOpen: (id: string) => void }) {
  const i18n = useI18n();
  const { t, formatNumber } = i18n;
  if (projects.length === 0) return <p className="muted">{t('projects.none')}</p>;
  return (
    <table className="plain-table" data-testid="project-list">
      <thead>
        <tr>
          <th>{t('project.title')}</th>
          <th>{t('grid.status')}</th>
          <th>{t('project.stage')}</th>
          <th>{t('project.progress')}</th>
          <th>{t('budget.spentOfPlanned')}</th>
          <th>{t('project.health')}</th>
        </tr>
      </thead>
      <tbody>
        {projects.map((p) => {
          const health = projectHealth(p);
          return (
            <tr key={p.id} data-id={p.id} className={p.id === openId ? 'selected' : ''}>
              <td>
                <button type="button" className="link" onClick={() => onOpen(p.id)}>
                  {p.title}
                </button>
              </td>
              <td>
                <span className={`badge project-${p.status}`}>{t(`project.status.${p.status}`)}</span>
              </td>
              <td>{stageLabel(p.stage, i18n)}</td>
              <td className="num">{p.percent} %</td>
              <td className="num">{p.budget ? `${formatNumber(p.budget.spent)} / ${formatNumber(p.budget.planned)} ${p.currency}` : t('app.none')}</td>
              <td className={`health-${health}`}>{t(`project.health.${health}`)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
