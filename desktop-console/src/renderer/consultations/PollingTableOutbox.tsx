import { useEffect, useState } from 'react';
import { ApiProblem } from '../api/problem.js';
import { useServices } from '../app/services.js';
import { useI18n } from '../i18n/i18n.js';
import { useOnline, useOutboxEntries } from '../outbox/useOutbox.js';

/**
 * What this PC still holds for one consultation: paper ballots and tally sheets waiting for the
 * network, the one being sent, and those the API refused, with the reason, until the agent
 * discards them. Nothing leaves this list without the API's answer.
 */
export function PollingTableOutbox({ consultationId }: { consultationId: string }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { outbox } = useServices();
  const online = useOnline();
  const { entries, sendingKey } = useOutboxEntries();
  const mine = entries.filter((e) => e.request.consultationId === consultationId);
  const [, tick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => tick((n) => n + 1), 10_000);
    return () => clearInterval(timer);
  }, []);
  const waiting = mine.filter((e) => e.state === 'waiting').length;

  return (
    <section className="table-outbox" aria-labelledby="table-outbox-heading" data-testid="table-outbox">
      <h4 id="table-outbox-heading" data-testid="table-outbox-count">
        {online ? t('tableOutbox.count', { n: waiting }) : t('tableOutbox.offline', { n: waiting })}
      </h4>
      {mine.length > 0 && (
        <ul>
          {mine.map((entry) => {
            const request = entry.request;
            const what = request.kind === 'paper-ballot' ? t('tableOutbox.ballot', { table: request.ballot.pollingTableId }) : t('tableOutbox.sheet', { table: request.sheet.pollingTableId });
            const state = entry.state === 'rejected' ? 'rejected' : entry.key === sendingKey ? 'sending' : 'waiting';
            return (
              <li key={entry.key} data-testid="table-outbox-entry" data-state={state} data-kind={request.kind}>
                <span>{what}</span> <span className="muted">{i18n.formatDateTime(new Date(entry.queuedAt).toISOString())}</span>{' '}
                {state === 'rejected' ? (
                  <>
                    <span className="error" role="alert">
                      {t('tableOutbox.refused', { reason: i18n.problem(new ApiProblem(0, entry.lastError ?? 'unknown', entry.lastError ?? '')) })}
                    </span>{' '}
                    <button type="button" onClick={() => void outbox.discard(entry.key)}>
                      {t('tableOutbox.discard')}
                    </button>
                  </>
                ) : (
                  <span className="muted">{state === 'sending' ? t('tableOutbox.sending') : entry.attempts > 0 ? t('tableOutbox.retrying', { attempts: entry.attempts }) : t('tableOutbox.kept')}</span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {waiting > 0 && online && (
        <button type="button" onClick={() => void outbox.drain({ force: true })}>
          {t('tableOutbox.sendNow')}
        </button>
      )}
    </section>
  );
}
