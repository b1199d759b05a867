import { isAgentRole } from '@palabre/domain';
import { useEffect, useState } from 'react';
import type { SessionUser } from '../api/types.js';
import { useServices } from '../app/services.js';
import { ProblemLine, useSubmission } from '../app/submission.js';
import { useI18n } from '../i18n/i18n.js';
import { usePollingTable } from './PaperBallotForm.js';

const maxPhotos = 5;

/**
 * Closing a polling table: the agent photographs the table's tally sheet and types the number of
 * ballots written on it. Like the ballots, it goes through this PC's outbox (photos included), so
 * a table in a village without network closes all the same and is sent later, once.
 */
export function TallySheetForm({ consultationId, user }: { consultationId: string; user: SessionUser }) {
  const { t } = useI18n();
  const { outbox } = useServices();
  const [table, setTable] = usePollingTable();
  const [photos, setPhotos] = useState<File[]>([]);
  const [count, setCount] = useState('');
  const [note, setNote] = useState('');
  const [state, setState] = useState<'idle' | 'kept' | 'sent'>('idle');
  const [attempted, setAttempted] = useState(false);
  const { sending, problem, submit } = useSubmission();

  useEffect(
    () =>
      outbox.subscribe((event) => {
        if (event.type === 'sent' && event.request.kind === 'tally-sheet' && event.request.consultationId === consultationId) setState('sent');
      }),
    [outbox, consultationId],
  );
  if (!isAgentRole(user.role)) return null;

  const ballots = /^\d{1,6}$/.test(count.trim()) ? Number(count.trim()) : null;
  const errors = {
    table: /^[A-Za-z0-9._:-]+$/.test(table.trim()) ? null : t('sheet.error.table'),
    photos: photos.length === 0 ? t('sheet.error.photo') : photos.length > maxPhotos ? t('sheet.error.tooMany', { n: maxPhotos }) : null,
    count: ballots === null ? t('sheet.error.count') : null,
  };
  const shown = (error: string | null) => (attempted ? error : null);

  const attach = () => {
    setAttempted(true);
    if (errors.table || errors.photos || errors.count) return;
    return submit(async () => {
      const sheet = { pollingTableId: table.trim(), ballotsOnSheet: ballots!, ...(note.trim() ? { note: note.trim() } : {}) };
      await outbox.enqueue({ kind: 'tally-sheet', consultationId, sheet }, photos);
      setState('kept');
      setPhotos([]);
      setCount('');
      setNote('');
      setAttempted(false);
    });
  };

  return (
    <form
      className="tally-sheet"
      aria-label={t('sheet.title')}
      data-testid="tally-sheet"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        void attach();
      }}
    >
      <h3>{t('sheet.title')}</h3>
      <p className="muted">{t('sheet.hint')}</p>
      <div className="editor-row">
        <label>
          {t('paper.table')}
          <input type="text" name="sheetTable" value={table} aria-invalid={Boolean(shown(errors.table))} onChange={(e) => setTable(e.target.value)} />
          {shown(errors.table) && <span className="field-error">{errors.table}</span>}
        </label>
        <label>
          {t('sheet.count')}
          <input type="text" inputMode="numeric" name="ballotsOnSheet" value={count} aria-invalid={Boolean(shown(errors.count))} onChange={(e) => setCount(e.target.value)} />
          {shown(errors.count) && <span className="field-error">{errors.count}</span>}
        </label>
      </div>
      <label>
        {t('sheet.photos')}
        <input type="file" name="sheetPhotos" accept="image/*" capture="environment" multiple aria-invalid={Boolean(shown(errors.photos))} onChange={(e) => setPhotos([...(e.target.files ?? [])])} />
        {shown(errors.photos) && <span className="field-error">{errors.photos}</span>}
      </label>
      <label>
        {t('sheet.note')}
        <textarea name="sheetNote" rows={2} maxLength={1000} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <ProblemLine problem={problem} />
      {state !== 'idle' && (
        <p className={state === 'sent' ? 'success' : 'muted'} role="status" data-testid="sheet-state">
          {t(state === 'sent' ? 'sheet.sent' : 'sheet.kept')}
        </p>
      )}
      <button type="submit" disabled={sending}>
        {t('sheet.attach')}
      </button>
    </form>
  );
}
