import type { CommuneInfo } from '../api/types.js';
import type { I18n } from '../i18n/i18n.js';
import { toCsv } from '../tickets/csv.js';
import type { ConsultationDetail, ResultsView } from './consultations-api.js';

/**
 * The results as a spreadsheet: one row per option (or scale value) of each question, for the whole
 * consultation and for each quartier cell the server published (small cells arrive merged or withheld).
 */
export function resultsCsv(consultation: ConsultationDetail, results: ResultsView, commune: CommuneInfo, i18n: Pick<I18n, 'language' | 't'>): string {
  const { language, t } = i18n;
  const questionText = new Map(consultation.questions.map((q) => [q.id, q.text[language]]));
  const optionLabel = new Map(consultation.questions.flatMap((q) => ('options' in q ? q.options.map((o) => [`${q.id}/${o.id}`, o.label[language]] as const) : [])));
  const quartier = (id: string | null) => (id === null ? t('results.unknownQuartier') : (commune.quartiers.find((q) => q.id === id)?.name ?? id));
  const rows: (string | number | null)[][] = [];
  const cells = [{ area: t('consultations.wholeCommune'), voters: results.turnout, questions: results.questions }, ...results.byQuartier.cells.map((c) => ({ area: c.quartierIds.map(quartier).join(' + '), voters: c.voters, questions: c.questions }))];
  for (const cell of cells) {
    for (const q of cell.questions) {
      const text = questionText.get(q.questionId) ?? q.questionId;
      if (q.kind === 'scale') for (const d of q.distribution) rows.push([cell.area, cell.voters, q.questionId, text, String(d.value), String(d.value), d.votes, q.answered, null]);
      else if (q.kind === 'text') rows.push([cell.area, cell.voters, q.questionId, text, null, null, null, q.answered, null]);
      else
        for (const o of q.options) {
          const funded = q.kind === 'budget' ? (q.winners.includes(o.optionId) ? t('results.funded') : '') : null;
          rows.push([cell.area, cell.voters, q.questionId, text, o.optionId, optionLabel.get(`${q.questionId}/${o.optionId}`) ?? o.optionId, o.votes, q.answered, funded]);
        }
    }
  }
  const header = ['area', 'voters', 'question_id', 'question', 'option_id', 'option', 'votes', 'answered', 'funded'].map((h) => t(`results.csv.${h}` as Parameters<typeof t>[0]));
  return toCsv(header, rows);
}
