import type { ProjectSummary } from './projects-api.js';

/**
 * Where a project stands, in plain terms. No end date is recorded for a project yet, so "late" is
 * read from what is: suspended, or behind (more of the planned budget spent than of the work done,
 * e.g. 60 % of the budget spent for 40 % progress). Completed projects are neither.
 */
export type ProjectHealth = 'on_track' | 'behind' | 'suspended' | 'completed';

export function projectHealth(project: Pick<ProjectSummary, 'status' | 'percent' | 'budget'>): ProjectHealth {
  if (project.status === 'completed') return 'completed';
  if (project.status === 'suspended') return 'suspended';
  const { budget } = project;
  if (budget && budget.planned > 0 && budget.spent / budget.planned > project.percent / 100) return 'behind';
  return 'on_track';
}

export const isLate = (health: ProjectHealth): boolean => health === 'behind' || health === 'suspended';
