import { type I18n, isMessageKey } from '../i18n/i18n.js';

/** A programme stage in words (a programme of our own naming: its id as is). */
export function stageLabel(stage: string | null, i18n: I18n): string {
  if (stage === null) return i18n.t('project.noStage');
  const key = `stage.${stage}`;
  return isMessageKey(key) ? i18n.t(key) : stage;
}

/** The stage that comes next in the programme (the first before any), or null at the end. */
export function nextStage(stages: readonly { readonly stage: string }[], current: string | null): string | null {
  const at = current === null ? -1 : stages.findIndex((s) => s.stage === current);
  return stages[at + 1]?.stage ?? null;
}
