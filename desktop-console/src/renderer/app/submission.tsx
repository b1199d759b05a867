import { useCallback, useState } from 'react';
import { useI18n } from '../i18n/i18n.js';

/**
 * A form's one request at a time: whether it is on its way, and the refusal in words once it failed
 * (`explain` may word some refusals itself, e.g. someone else's change meanwhile).
 */
export function useSubmission() {
  const i18n = useI18n();
  const [sending, setSending] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = useCallback(
    async (task: () => Promise<void>, explain: (error: unknown) => string = i18n.problem): Promise<void> => {
      setSending(true);
      setProblem(null);
      try {
        await task();
      } catch (error) {
        setProblem(explain(error));
      } finally {
        setSending(false);
      }
    },
    [i18n],
  );
  return { sending, problem, submit };
}

/** What went wrong, read out at once by assistive technology. */
export function ProblemLine({ problem }: { problem: string | null }) {
  return problem ? (
    <p className="error" role="alert">
      {problem}
    </p>
  ) : null;
}

/** What could not be loaded, with a way to try again. */
export function RetryLine({ problem, onRetry }: { problem: string | null; onRetry: () => void }) {
  const { t } = useI18n();
  return problem ? (
    <p className="error">
      {problem}{' '}
      <button type="button" onClick={onRetry}>
        {t('app.retry')}
      </button>
    </p>
  ) : null;
}
