import { useState } from 'react';
import { isProblem } from '../api/problem.js';
import { ProblemLine } from '../app/submission.js';
import { useI18n } from '../i18n/i18n.js';
import type { BudgetBody, Currency, ProjectBudget } from './projects-api.js';

type Amount = 'planned' | 'committed' | 'spent';
const amounts: readonly Amount[] = ['planned', 'committed', 'spent'];

/**
 * The project's budget in whole francs CFA: planned, committed, spent. Committing beyond the plan or
 * spending beyond the commitments is allowed when it says why; the API's refusal of an unexplained
 * one shows at the reason.
 */
export function BudgetForm({ budget, currency, busy, onSubmit }: { budget: ProjectBudget | null; currency: Currency; busy: boolean; onSubmit: (budget: BudgetBody) => Promise<unknown> }) {
  const i18n = useI18n();
  const { t } = i18n;
  const [values, setValues] = useState<Record<Amount, string>>({
    planned: budget ? String(budget.planned) : '',
    committed: budget ? String(budget.committed) : '',
    spent: budget ? String(budget.spent) : '',
  });
  const [reason, setReason] = useState(budget?.reason ?? '');
  const [attempted, setAttempted] = useState(false);
  const [refused, setRefused] = useState<{ atReason: boolean; message: string } | null>(null);
  const parsed = Object.fromEntries(amounts.map((a) => [a, values[a].trim() === '' ? Number.NaN : Number(values[a])])) as Record<Amount, number>;
  const wrong = (a: Amount) => attempted && !(Number.isInteger(parsed[a]) && parsed[a] >= 0);
  const overspent = parsed.committed > parsed.planned || parsed.spent > parsed.committed;
  const reasonError = refused?.atReason ? refused.message : null;

  const submit = async () => {
    setAttempted(true);
    setRefused(null);
    if (amounts.some((a) => !(Number.isInteger(parsed[a]) && parsed[a] >= 0))) return;
    try {
      await onSubmit({ planned: parsed.planned, committed: parsed.committed, spent: parsed.spent, ...(reason.trim() ? { reason: reason.trim() } : {}) });
    } catch (e) {
      setRefused({ atReason: isProblem(e, 'project.overspent_without_reason'), message: i18n.problem(e) });
    }
  };

  return (
    <form
      className="action-form budget-form"
      aria-label={t('budget.title')}
      data-testid="budget-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <div className="editor-row">
        {amounts.map((a) => (
          <label key={a}>
            {t(`budget.${a}`, { currency })}
            <input name={a} type="number" min={0} step={1} inputMode="numeric" value={values[a]} onChange={(e) => setValues((v) => ({ ...v, [a]: e.target.value }))} {...(wrong(a) ? { 'aria-invalid': true } : {})} />
            {wrong(a) && <span className="field-error">{t('budget.error.amount')}</span>}
          </label>
        ))}
      </div>
      <label>
        {t('budget.reason')}
        <textarea name="budgetReason" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} {...(reasonError ? { 'aria-invalid': true, 'aria-describedby': 'budget-reason-error' } : {})} />
        {reasonError ? (
          <span className="field-error" id="budget-reason-error" role="alert">
            {reasonError}
          </span>
        ) : (
          overspent && <span className="muted">{t('budget.reasonHint')}</span>
        )}
      </label>
      {refused && !refused.atReason && <ProblemLine problem={refused.message} />}
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={busy}>
          {t('budget.save')}
        </button>
      </div>
    </form>
  );
}
