import type { AnswerStateDefinition } from '@palabre/domain';
import { useState } from 'react';
import { isProblem } from '../api/problem.js';
import { ProblemLine } from '../app/submission.js';
import { useI18n } from '../i18n/i18n.js';
import type { AnswerBody } from './proposals-api.js';

type Field = 'state' | 'text' | 'cost';

/** The API's refusals of an answer, each shown at its field. */
const fieldOfProblem: Readonly<Record<string, Field>> = {
  'proposal.unknown_answer_state': 'state',
  'proposal.answer_text_required': 'text',
  'proposal.answer_cost_required': 'cost',
};

/**
 * The commune's public answer: one of its answer states, why in French and English (both read by
 * residents; one is enough), and for a state that asks it (under study), the cost estimate.
 */
export function AnswerForm({ answerStates, busy, onSubmit }: { answerStates: readonly AnswerStateDefinition[]; busy: boolean; onSubmit: (answer: AnswerBody) => Promise<unknown> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [state, setState] = useState('');
  const [fr, setFr] = useState('');
  const [en, setEn] = useState('');
  const [cost, setCost] = useState('');
  const [attempted, setAttempted] = useState(false);
  const [refused, setRefused] = useState<{ field: Field | null; message: string } | null>(null);
  const chosen = answerStates.find((s) => s.id === state);
  const costValue = cost.trim() === '' ? null : Number(cost);

  const mistakes: Partial<Record<Field, string>> = {};
  if (!chosen) mistakes.state = t('answer.error.state');
  if (chosen?.needsText && fr.trim() === '' && en.trim() === '') mistakes.text = t('answer.error.text');
  if (chosen?.needsCost && (costValue === null || !Number.isInteger(costValue) || costValue < 0)) mistakes.cost = t('answer.error.cost');
  const errorOf = (field: Field): string | undefined => (attempted ? mistakes[field] : undefined) ?? (refused?.field === field ? refused.message : undefined);
  const invalid = (field: Field) => (errorOf(field) ? { 'aria-invalid': true as const, 'aria-describedby': `answer-${field}-error` } : {});
  const explain = (field: Field) => {
    const message = errorOf(field);
    return message ? (
      <span className="field-error" id={`answer-${field}-error`} role="alert">
        {message}
      </span>
    ) : null;
  };

  const submit = async () => {
    setAttempted(true);
    setRefused(null);
    if (Object.keys(mistakes).length > 0 || !chosen) return;
    const text = { ...(fr.trim() ? { fr: fr.trim() } : {}), ...(en.trim() ? { en: en.trim() } : {}) };
    try {
      await onSubmit({ state: chosen.id, text, ...(chosen.needsCost && costValue !== null ? { cost: costValue } : {}) });
    } catch (e) {
      const field = isProblem(e) ? (fieldOfProblem[e.code] ?? null) : null;
      setRefused({ field, message: i18n.problem(e) });
    }
  };

  return (
    <form
      className="action-form answer-form"
      aria-label={t('answer.title')}
      data-testid="answer-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <label>
        {t('answer.state')}
        <select name="answerState" value={state} onChange={(e) => setState(e.target.value)} {...invalid('state')}>
          <option value="">{t('answer.choose')}</option>
          {answerStates.map((s) => (
            <option key={s.id} value={s.id}>
              {i18n.label(s.labels, s.id)}
            </option>
          ))}
        </select>
        {explain('state')}
      </label>
      <fieldset className="bilingual">
        <legend>{t('answer.text')}</legend>
        <label>
          <span className="lang-tag">FR</span>
          <textarea name="answerText.fr" lang="fr" rows={3} value={fr} onChange={(e) => setFr(e.target.value)} aria-label={`${t('answer.text')} (${t('language.fr')})`} {...invalid('text')} />
        </label>
        <label>
          <span className="lang-tag">EN</span>
          <textarea name="answerText.en" lang="en" rows={3} value={en} onChange={(e) => setEn(e.target.value)} aria-label={`${t('answer.text')} (${t('language.en')})`} {...invalid('text')} />
        </label>
        {explain('text')}
      </fieldset>
      {chosen?.needsCost && (
        <label>
          {t('answer.cost')}
          <input name="answerCost" type="number" min={0} step={1} inputMode="numeric" value={cost} onChange={(e) => setCost(e.target.value)} {...invalid('cost')} />
          {explain('cost')}
        </label>
      )}
      {refused?.field === null && <ProblemLine problem={refused.message} />}
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={busy}>
          {t('answer.send')}
        </button>
      </div>
    </form>
  );
}
