import type { ProjectView } from './projects-api.js';

export type ProjectField = 'status' | 'stage' | 'percent' | 'planned' | 'committed' | 'spent' | 'milestones';

export interface ProjectChange {
  readonly field: ProjectField;
  readonly before: string | number | null;
  readonly after: string | number | null;
}

/** What changed between the project the officer acted on and the fresh one. */
export function projectChanges(before: ProjectView, after: ProjectView): ProjectChange[] {
  const pairs: [ProjectField, string | number | null, string | number | null][] = [
    ['status', before.status, after.status],
    ['stage', before.stage, after.stage],
    ['percent', before.percent, after.percent],
    ['planned', before.budget?.planned ?? null, after.budget?.planned ?? null],
    ['committed', before.budget?.committed ?? null, after.budget?.committed ?? null],
    ['spent', before.budget?.spent ?? null, after.budget?.spent ?? null],
    ['milestones', before.milestones.length, after.milestones.length],
  ];
  return pairs.filter(([, b, a]) => b !== a).map(([field, b, a]) => ({ field, before: b, after: a }));
}
