import { useRef, useState } from 'react';
import { PhotoPicker } from '../app/PhotoPicker.js';
import { ProblemLine, useSubmission } from '../app/submission.js';
import { useI18n } from '../i18n/i18n.js';
import type { MilestoneBody } from './projects-api.js';

const maxPhotos = 10;
/** The server refuses a milestone dated after today as it counts days (UTC). */
const today = () => new Date().toISOString().slice(0, 10);

/** A milestone reached on site: what, when, a note, and photos that keep where they were taken. */
export function MilestoneForm({ busy, onSubmit }: { busy: boolean; onSubmit: (milestone: MilestoneBody, idempotencyKey: string) => Promise<unknown> }) {
  const { t } = useI18n();
  const [title, setTitle] = useState('');
  const [reachedOn, setReachedOn] = useState(today);
  const [note, setNote] = useState('');
  const [mediaIds, setMediaIds] = useState<string[]>([]);
  const [attempted, setAttempted] = useState(false);
  const { problem, submit } = useSubmission();
  // One key per milestone written: a second click, or a retry after a lost answer, records it once.
  const key = useRef(crypto.randomUUID());
  const titleMissing = attempted && title.trim().length < 3;
  return (
    <form
      className="action-form milestone-form"
      aria-label={t('milestone.new')}
      data-testid="milestone-form"
      onSubmit={(e) => {
        e.preventDefault();
        setAttempted(true);
        if (title.trim().length < 3) return;
        void submit(async () => {
          await onSubmit({ title: title.trim(), reachedOn, mediaIds, ...(note.trim() ? { note: note.trim() } : {}) }, key.current);
          key.current = crypto.randomUUID();
          setTitle('');
          setNote('');
          setMediaIds([]);
          setAttempted(false);
        });
      }}
    >
      <div className="editor-row">
        <label>
          {t('milestone.title')}
          <input name="milestoneTitle" value={title} maxLength={200} onChange={(e) => setTitle(e.target.value)} {...(titleMissing ? { 'aria-invalid': true } : {})} />
          {titleMissing && <span className="field-error">{t('milestone.error.title')}</span>}
        </label>
        <label>
          {t('milestone.reachedOn')}
          <input name="reachedOn" type="date" max={today()} value={reachedOn} onChange={(e) => setReachedOn(e.target.value)} />
        </label>
      </div>
      <label>
        {t('milestone.note')}
        <textarea name="milestoneNote" rows={2} maxLength={2000} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <PhotoPicker
        legend={t('milestone.photos', { n: maxPhotos })}
        name="milestonePhotos"
        mediaIds={mediaIds}
        onAdd={(id) => setMediaIds((ids) => [...ids, id])}
        onRemove={(id) => setMediaIds((ids) => ids.filter((m) => m !== id))}
        max={maxPhotos}
        testId="milestone-photos"
      />
      <ProblemLine problem={problem} />
      <div className="form-buttons">
        <button type="submit" className="primary" disabled={busy}>
          {t('milestone.record')}
        </button>
      </div>
    </form>
  );
}
