import { IonButton, IonSpinner } from '@ionic/react';
import { useEffect, useState } from 'react';
import { useServices } from '../app/context.tsx';
import { formatRelative, translateCode } from '../i18n/format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import type { AppOutboxEntry } from '../outbox/api-transport.ts';
import { useReference } from '../reference/reference.ts';

/** A report or proposal still on the phone: waiting, being sent, or refused with the reason. */
export function OutboxCard({ entry, sending }: { entry: AppOutboxEntry; sending: boolean }) {
  const { t, language } = useI18n();
  const { outbox, reference } = useServices();
  const { categories } = useReference(reference);
  const [thumbnail, setThumbnail] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const request = entry.request;
  const what = request.kind === 'proposal' ? request.proposal : request.report;
  const category = categories?.find((c) => c.id === what.category);

  useEffect(() => {
    const photo = entry.photos[0]?.data;
    if (!photo) return;
    const url = URL.createObjectURL(photo);
    setThumbnail(url);
    return () => URL.revokeObjectURL(url);
  }, [entry.photos]);

  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 5_000);
    return () => clearInterval(timer);
  }, []);

  const rejected = entry.state === 'rejected';
  return (
    <article className={`outbox-card ${rejected ? 'outbox-card--rejected' : ''}`} data-testid="outbox-entry" data-kind={request.kind} data-state={sending ? 'sending' : entry.state}>
      {thumbnail && <img src={thumbnail} alt="" className="thumb" loading="lazy" />}
      <div className="outbox-body">
        <p className="outbox-state">
          {sending ? (
            <>
              <IonSpinner name="dots" aria-hidden="true" /> {t('outbox.sending')}
            </>
          ) : rejected ? (
            t('outbox.rejected', { reason: translateCode(language, entry.lastError ?? 'unknown') })
          ) : (
            t('outbox.waiting')
          )}
        </p>
        <p className="outbox-title">
          {request.kind === 'proposal' ? `${t('outbox.proposal')} · ${request.proposal.title}` : (category?.labels[language] ?? request.report.category)}
        </p>
        <p className="outbox-description">{what.description}</p>
        {!sending && !rejected && entry.attempts > 0 && entry.nextAttemptAt > now && (
          <p className="hint">{t('outbox.nextTry', { time: formatRelative(entry.nextAttemptAt, now, language) })}</p>
        )}
        {!sending && !rejected && (
          <IonButton size="small" fill="outline" onClick={() => void outbox.drain({ force: true })}>
            {t('outbox.retryNow')}
          </IonButton>
        )}
        {rejected && entry.lastError === 'proposal.level_too_low' && (
          <>
            <IonButton size="small" fill="outline" routerLink="/me/phone">
              {t('consultations.verifyPhone')}
            </IonButton>
            {/* Once the phone is verified, the same proposal goes out again (queued anew first: nothing lost). */}
            <IonButton size="small" fill="outline" onClick={() => void outbox.enqueue(request, entry.photos.map((p) => p.data)).then(() => outbox.discard(entry.key))}>
              {t('outbox.sendAgain')}
            </IonButton>
          </>
        )}
        {rejected && (
          <IonButton size="small" fill="outline" color="danger" onClick={() => void outbox.discard(entry.key)}>
            {t('outbox.discard')}
          </IonButton>
        )}
      </div>
    </article>
  );
}
