import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { isProblem } from '../api/problem.js';
import { useI18n } from '../i18n/i18n.js';
import type { FieldChange } from './changes.js';

/** The revision the resource is at when the server refused a write decided on an older one (412), else null. */
export function staleRevision(error: unknown): number | null {
  if (!isProblem(error) || error.status !== 412) return null;
  const current = Number(error.body.currentRevision);
  return Number.isInteger(current) ? current : 0;
}

/** A write refused because someone changed the resource meanwhile: the state acted on, the state now, the write to send again. */
export interface Conflict<S> {
  readonly mine: S;
  readonly fresh: S;
  readonly again: (state: S) => Promise<void>;
}

/**
 * Writes decided on a revision (If-Match), for any resource: `attempt(state, write)` sends
 * `write(state)`; when the server answers 412 the resource is read again (at least at the revision the
 * server named) and kept beside the state acted on, so the user sees what changed, then sends the same
 * write again on the fresh state, or drops it. Any other refusal is thrown to the caller.
 */
export function useRevisionedWrites<S>(reload: (atLeast: number) => Promise<S>) {
  const [conflict, setConflict] = useState<Conflict<S> | null>(null);
  const attempt = useCallback(
    async (state: S, write: (state: S) => Promise<void>): Promise<'done' | 'conflict'> => {
      try {
        await write(state);
      } catch (error) {
        const at = staleRevision(error);
        if (at === null) throw error;
        setConflict({ mine: state, fresh: await reload(at), again: write });
        return 'conflict';
      }
      setConflict(null);
      return 'done';
    },
    [reload],
  );
  const dismiss = useCallback(() => setConflict(null), []);
  return { conflict, attempt, dismiss };
}

/** What someone else changed since the revision acted on, and the choice: send again on the fresh state, or drop it. */
export function ConflictNotice<F extends string>({
  title,
  from,
  to,
  changes,
  fieldLabel,
  valueOf,
  busy,
  onAgain,
  onDismiss,
  children,
}: {
  title: string;
  from: number;
  to: number;
  changes: readonly FieldChange<F>[];
  /** A field's name in words. */
  fieldLabel: (field: F) => string;
  /** A value of the field as the panel shows it. */
  valueOf: (field: F, value: string | number | null) => string;
  busy: boolean;
  onAgain: () => void;
  onDismiss: () => void;
  /** What else the resource shows of the change (a ticket's new history entries). */
  children?: ReactNode;
}) {
  const { t } = useI18n();
  // A panel scrolled down to its form still shows why nothing was done.
  const box = useRef<HTMLElement>(null);
  useEffect(() => {
    box.current?.scrollIntoView({ block: 'nearest' });
  }, []);
  return (
    <section className="conflict" role="alert" data-testid="conflict" ref={box}>
      <h3>{title}</h3>
      <p>{t('conflict.intro', { from, to })}</p>
      <ul>
        {changes.map((c) => (
          <li key={c.field}>{t('conflict.field', { field: fieldLabel(c.field), before: valueOf(c.field, c.before), after: valueOf(c.field, c.after) })}</li>
        ))}
      </ul>
      {children}
      <div className="form-buttons">
        <button type="button" className="primary" disabled={busy} onClick={onAgain}>
          {t('conflict.again')}
        </button>
        <button type="button" onClick={onDismiss}>
          {t('conflict.dismiss')}
        </button>
      </div>
    </section>
  );
}
