import type { QuestionResult } from '@palabre/domain';
import type { CommuneInfo } from '../api/types.js';
import { HorizontalBars } from '../dashboard/charts.js';
import { isMessageKey, useI18n } from '../i18n/i18n.js';
import type { ConsultationDetail, ResultsView } from './consultations-api.js';

/** Turnout (by channel and by quartier), each question's votes as bars, the budget's funded items, and the counting rules in words. */
export function ConsultationResults({ consultation, results, commune }: { consultation: ConsultationDetail; results: ResultsView; commune: CommuneInfo }) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const n = (value: number) => i18n.formatNumber(value);
  const quartier = (id: string | null) => (id === null ? t('results.unknownQuartier') : (commune.quartiers.find((q) => q.id === id)?.name ?? id));
  const question = (id: string) => consultation.questions.find((q) => q.id === id);
  const label = (questionId: string, optionId: string) => {
    const q = question(questionId);
    return (q && 'options' in q ? q.options.find((o) => o.id === optionId)?.label[language] : undefined) ?? optionId;
  };

  const chart = (r: QuestionResult) => {
    const title = question(r.questionId)?.text[language] ?? r.questionId;
    if (r.kind === 'text') return <p className="muted">{t('results.freeText', { n: n(r.answered) })}</p>;
    if (r.kind === 'scale')
      return (
        <>
          <HorizontalBars title={title} testId={`results-${r.questionId}`} rows={r.distribution.map((d) => ({ id: String(d.value), label: String(d.value), value: d.votes }))} />
          <p className="muted">{r.average === null ? t('results.noAnswer') : t('results.average', { average: r.average.toFixed(2) })}</p>
        </>
      );
    const rows =
      r.kind === 'budget'
        ? r.options.map((o) => ({ id: o.optionId, label: label(r.questionId, o.optionId), value: o.votes, note: `${n(o.cost)} FCFA${r.winners.includes(o.optionId) ? ` · ${t('results.funded')}` : ''}` }))
        : r.options.map((o) => ({ id: o.optionId, label: label(r.questionId, o.optionId), value: o.votes }));
    return (
      <>
        <HorizontalBars title={title} testId={`results-${r.questionId}`} rows={rows} />
        {r.kind === 'budget' && <p className="muted">{t('results.spent', { spent: n(r.spent), budget: n(r.budget) })}</p>}
      </>
    );
  };

  return (
    <section className="consultation-results" aria-label={t('results.title')} data-testid="consultation-results">
      <h3>{t('results.title')}</h3>
      <p className="turnout" data-testid="turnout">
        {t('results.turnout', { n: n(results.turnout), online: n(results.byChannel.online), paper: n(results.byChannel.paper) })}
      </p>
      {results.questions.map((r) => (
        <div key={r.questionId} className="question-result">
          <h4>{question(r.questionId)?.text[language] ?? r.questionId}</h4>
          {chart(r)}
        </div>
      ))}
      <h4>{t('results.byQuartier')}</h4>
      {results.byQuartier.withheld ? (
        <p className="muted">{t('results.withheld')}</p>
      ) : (
        <HorizontalBars
          title={t('results.byQuartier')}
          testId="results-by-quartier"
          rows={results.byQuartier.cells.map((c) => ({ id: c.quartierIds.join('+'), label: c.quartierIds.map(quartier).join(' + '), value: c.voters, ...(c.merged ? { note: t('results.merged') } : {}) }))}
        />
      )}
      {Object.keys(results.rules).length > 0 && (
        <details>
          <summary>{t('results.rules')}</summary>
          <ul>
            {Object.entries(results.rules).map(([rule, words]) => (
              <li key={rule}>{isMessageKey(`results.rule.${rule}`) ? t(`results.rule.${rule}` as Parameters<typeof t>[0]) : words}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}
