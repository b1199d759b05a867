import { useState } from 'react';
import { ProblemLine, useSubmission } from '../app/submission.js';
import { useI18n } from '../i18n/i18n.js';

/** A moderator hides a published proposal, or restores a hidden one, always saying why (kept in the log). */
export function ModerationForm({ action, busy, onSubmit }: { action: 'hide' | 'restore'; busy: boolean; onSubmit: (reason: string) => Promise<unknown> }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const [attempted, setAttempted] = useState(false);
  const { problem, submit } = useSubmission();
  const missing = attempted && reason.trim() === '';
  return (
    <form
      className="action-form moderation-form"
      aria-label={t(`moderation.${action}`)}
      data-testid="moderation-form"
      onSubmit={(e) => {
        e.preventDefault();
        setAttempted(true);
        if (reason.trim() === '') return;
        void submit(async () => {
          await onSubmit(reason.trim());
          setReason('');
          setAttempted(false);
        });
      }}
    >
      <label>
        {t('moderation.reason')}
        <textarea name="moderationReason" rows={2} maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} {...(missing ? { 'aria-invalid': true, 'aria-describedby': 'moderation-reason-error' } : {})} />
        {missing && (
          <span className="field-error" id="moderation-reason-error" role="alert">
            {t('moderation.reasonRequired')}
          </span>
        )}
      </label>
      <ProblemLine problem={problem} />
      <div className="form-buttons">
        <button type="submit" className={action === 'restore' ? 'primary' : ''} disabled={busy}>
          {t(`moderation.${action}`)}
        </button>
      </div>
    </form>
  );
}
