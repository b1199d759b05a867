import { isAgentRole } from '@palabre/domain';
import { useEffect, useState } from 'react';
import type { SessionUser } from '../api/types.js';
import { useServices } from '../app/services.js';
import { ProblemLine, useSubmission } from '../app/submission.js';
import { useI18n } from '../i18n/i18n.js';
import { answersFrom, type Marks, toggled } from './answers.js';
import type { ConsultationDetail } from './consultations-api.js';
import { CitizenCodeInput } from './CitizenCodeInput.js';

const tableKey = 'palabre.pollingTable';

const tableChanged = 'palabre-polling-table';

/** The polling table this PC serves, remembered from one ballot to the next and shared with the tally sheet's form. */
export function usePollingTable(): [string, (table: string) => void] {
  const [table, setTable] = useState(() => localStorage.getItem(tableKey) ?? '');
  useEffect(() => {
    const follow = () => setTable(localStorage.getItem(tableKey) ?? '');
    window.addEventListener(tableChanged, follow);
    return () => window.removeEventListener(tableChanged, follow);
  }, []);
  const change = (next: string) => {
    setTable(next);
    localStorage.setItem(tableKey, next.trim());
    window.dispatchEvent(new Event(tableChanged));
  };
  return [table, change];
}

/**
 * Polling table mode: the agent types (or scans) the resident's code from their app, marks the
 * paper ballot's answers and records it. The ballot goes to this PC's outbox first (IndexedDB),
 * then to the API as soon as there is a network, exactly once; offline, the table keeps working.
 * A paper ballot is final for that resident: a refusal (already voted on paper, out of scope)
 * comes back with the API's answer and stays listed until the agent discards it.
 */
export function PaperBallotForm({ consultation, user }: { consultation: ConsultationDetail; user: SessionUser }) {
  const i18n = useI18n();
  const { t, language } = i18n;
  const { outbox } = useServices();
  const [table, setTable] = usePollingTable();
  const [citizenId, setCitizenId] = useState('');
  const [marks, setMarks] = useState<Marks>({});
  const { sending, problem, submit } = useSubmission();
  // The last ballot's news: kept on this PC, then its receipt once the API has it.
  const [last, setLast] = useState<{ kind: 'kept' } | { kind: 'sent'; receipt: string } | null>(null);
  const [sent, setSent] = useState(0);

  // Each ballot of this consultation the API acknowledges: its receipt, for the resident.
  useEffect(
    () =>
      outbox.subscribe((event) => {
        if (event.type !== 'sent' || event.request.kind !== 'paper-ballot' || event.request.consultationId !== consultation.id || !('receipt' in event.answer)) return;
        const { receipt } = event.answer;
        setSent((n) => n + 1);
        setLast({ kind: 'sent', receipt });
      }),
    [outbox, consultation.id],
  );
  if (!isAgentRole(user.role)) return null;

  const mark = (questionId: string, value: Marks[string]) => setMarks((m) => ({ ...m, [questionId]: value }));

  const record = () =>
    submit(async () => {
      const ballot = { citizenId: citizenId.trim().toUpperCase(), pollingTableId: table.trim(), answers: answersFrom(consultation.questions, marks) };
      // Stored durably before anything is sent: from here the ballot cannot be lost, and its key never changes.
      await outbox.enqueue({ kind: 'paper-ballot', consultationId: consultation.id, ballot });
      setLast({ kind: 'kept' });
      setCitizenId('');
      setMarks({});
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
        <CitizenCodeInput value={citizenId} onChange={setCitizenId} />
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
      {last?.kind === 'kept' && (
        <p className="muted" role="status" data-testid="paper-kept">
          {t('paper.kept')}
        </p>
      )}
      {last?.kind === 'sent' && (
        <p className="success" role="status" data-testid="paper-recorded">
          {t('paper.recorded', { receipt: last.receipt, count: sent })}
        </p>
      )}
      <button type="submit" className="primary" disabled={sending || citizenId.trim() === '' || table.trim() === ''}>
        {sending ? t('editor.saving') : t('paper.record')}
      </button>
    </form>
  );
}
