import { changedFields, type FieldChange } from '../app/changes.js';
import type { ProjectView } from './projects-api.js';

export type ProjectField = 'status' | 'stage' | 'percent' | 'planned' | 'committed' | 'spent' | 'milestones';

export type ProjectChange = FieldChange<ProjectField>;

/** What changed between the project the officer acted on and the fresh one. */
export function projectChanges(before: ProjectView, after: ProjectView): ProjectChange[] {
  return changedFields<ProjectField>([
    ['status', before.status, after.status],
    ['stage', before.stage, after.stage],
    ['percent', before.percent, after.percent],
    ['planned', before.budget?.planned ?? null, after.budget?.planned ?? null],
    ['committed', before.budget?.committed ?? null, after.budget?.committed ?? null],
    ['spent', before.budget?.spent ?? null, after.budget?.spent ?? null],
    ['milestones', before.milestones.length, after.milestones.length],
  ]);
}
