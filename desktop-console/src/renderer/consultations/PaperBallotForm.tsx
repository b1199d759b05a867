import { isAgentRole } from '@palabre/domain';
import { useRef, useState } from 'react';
import type { SessionUser } from '../api/types.js';
import { ProblemLine, useSubmission } from '../app/submission.js';
import { useI18n } from '../i18n/i18n.js';
import { answersFrom, type Marks, toggled } from './answers.js';
import type { ConsultationDetail, ConsultationsApi } from './consultations-api.js';
import { CitizenCodeInput } from './CitizenCodeInput.js';

const tableKey = 'palabre.pollingTable';

/**
 * Polling table mode: the agent types (or scans) the resident's code from their app, marks the
 * paper ballot's answers and records it. A paper ballot is final for that resident. The key is kept
 * until the server has answered, so pressing again after a lost answer records it once.
 */
export function PaperBallotForm({ consultation, api, user }: { consultation: ConsultationDetail; api: ConsultationsApi; user: SessionUser }) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const [table, setTable] = useState(() => localStorage.getItem(tableKey) ?? '');
  const [citizenId, setCitizenId] = useState('');
  const [marks, setMarks] = useState<Marks>({});
  const { sending, problem, submit } = useSubmission();
  const [recorded, setRecorded] = useState<{ receipt: string; count: number } | null>(null);
  const key = useRef(crypto.randomUUID());
  if (!isAgentRole(user.role)) return null;

  const mark = (questionId: string, value: Marks[string]) => {
    setMarks((m) => ({ ...m, [questionId]: value }));
    // A change is another ballot: it gets its own key.
    key.current = crypto.randomUUID();
  };

  const record = () =>
    submit(async () => {
      localStorage.setItem(tableKey, table.trim());
      const { receipt } = await api.recordPaperBallot(consultation.id, { citizenId: citizenId.trim().toUpperCase(), pollingTableId: table.trim(), answers: answersFrom(consultation.questions, marks) }, key.current);
      setRecorded((r) => ({ receipt, count: (r?.count ?? 0) + 1 }));
      setCitizenId('');
      setMarks({});
      key.current = crypto.randomUUID();
    });

  return (
    <form
      className="paper-ballot"
      aria-label={t('paper.title')}
      data-testid="paper-ballot"
      onSubmit={(e) => {
        e.preventDefault();
        void record();
      }}
    >
      <h3>{t('paper.title')}</h3>
      <p className="muted">{t('paper.hint')}</p>
      <div className="editor-row">
        <label>
          {t('paper.table')}
          <input type="text" name="pollingTableId" required pattern="[A-Za-z0-9._:\-]+" value={table} onChange={(e) => setTable(e.target.value)} />
        </label>
        <CitizenCodeInput value={citizenId} onChange={(value) => (setCitizenId(value), (key.current = crypto.randomUUID()))} />
      </div>
      {consultation.questions.map((q) => (
        <fieldset key={q.id} className="paper-question">
          <legend>{q.text[language]}</legend>
          {q.kind === 'single' &&
            q.options.map((o) => (
              <label key={o.id}>
                <input type="radio" name={`paper-${q.id}`} checked={marks[q.id] === o.id} onChange={() => mark(q.id, o.id)} /> {o.label[language]}
              </label>
            ))}
          {(q.kind === 'multiple' || q.kind === 'budget') &&
            q.options.map((o) => (
              <label key={o.id}>
                <input type="checkbox" name={`paper-${q.id}`} checked={Array.isArray(marks[q.id]) && (marks[q.id] as string[]).includes(o.id)} onChange={(e) => mark(q.id, toggled(marks[q.id], o.id, e.target.checked))} />{' '}
                {o.label[language]}
                {q.kind === 'budget' && o.cost !== undefined ? ` — ${i18n.formatNumber(o.cost)} FCFA` : ''}
              </label>
            ))}
          {q.kind === 'scale' &&
            [1, 2, 3, 4, 5].map((n) => (
              <label key={n} className="scale-mark">
                <input type="radio" name={`paper-${q.id}`} checked={marks[q.id] === n} onChange={() => mark(q.id, n)} /> {n}
              </label>
            ))}
          {q.kind === 'text' && <textarea rows={2} name={`paper-${q.id}`} value={typeof marks[q.id] === 'string' ? (marks[q.id] as string) : ''} onChange={(e) => mark(q.id, e.target.value)} />}
        </fieldset>
      ))}
      <ProblemLine problem={problem} />
      {recorded && (
        <p className="success" role="status" data-testid="paper-recorded">
          {t('paper.recorded', { receipt: recorded.receipt, count: recorded.count })}
        </p>
      )}
      <button type="submit" className="primary" disabled={sending || citizenId.trim() === '' || table.trim() === ''}>
        {sending ? t('editor.saving') : t('paper.record')}
      </button>
    </form>
  );
}
