import { IonButton, IonItem, IonList } from '@ionic/react';
import { useCallback, useEffect, useState } from 'react';
import { useParams } from 'react-router-dom';
import { ApiError } from '../api/errors.ts';
import type { TicketHistory, TimelineItem } from '../api/types.ts';
import { useServices, useSubscribed } from '../app/context.tsx';
import { TextField } from '../components/Field.tsx';
import { Page } from '../components/Page.tsx';
import { StatusChip } from '../components/StatusChip.tsx';
import { formatDateTime, translateCode } from '../i18n/format.ts';
import { useI18n } from '../i18n/i18n.tsx';
import { fr, type MessageKey } from '../i18n/messages.ts';
import { followHistory } from '../live/history.ts';
import { useReference } from '../reference/reference.ts';

/** One report: its public timeline, its live status, and the reporter's answer once it is resolved. */
export function ReportDetailPage() {
  const { id = '' } = useParams();
  const { t, language } = useI18n();
  const { api, tickets, live, reference } = useServices();
  const { categories } = useReference(reference);
  const ticket = useSubscribed(tickets, () => tickets.get(id));
  const liveState = useSubscribed(live, () => live.state);
  const [held, setHistory] = useState<TicketHistory & { id: string }>({ id, items: [], revision: null });
  const history = held.id === id ? held : { items: [], revision: null }; // the page may be reused for another report
  const [missing, setMissing] = useState(false);
  const [note, setNote] = useState('');
  const [answer, setAnswer] = useState<'idle' | 'sending' | 'done' | string>('idle');

  useEffect(() => {
    void live.start();
    live.follow([id]);
    api
      .ticket(id)
      .then((fresh) => tickets.upsert(fresh))
      .catch((error) => setMissing(error instanceof ApiError && error.status === 404));
  }, [api, tickets, live, id]);

  // Each new revision (often pushed live) brings new history lines, which have their own projector
  // and may come a moment later: the history follows until it has caught up.
  const revision = ticket?.revision;
  const behind = revision !== undefined && (history.revision ?? -1) < revision;
  const adoptHistory = useCallback(
    (fresh: TicketHistory) => setHistory((h) => (h.id !== id || (fresh.revision ?? -1) > (h.revision ?? -1) ? { id, ...fresh } : h)),
    [id],
  );
  useEffect(() => {
    if (!behind || revision === undefined) return;
    return followHistory(live, id, revision, () => api.timeline(id), adoptHistory);
  }, [api, live, id, behind, revision, adoptHistory]);

  const respond = async (action: 'confirm-resolution' | 'dispute') => {
    setAnswer('sending');
    try {
      await api.act(id, action, note.trim() ? { note: note.trim() } : {});
      setAnswer('done');
      setNote('');
      tickets.upsert(await api.ticket(id));
    } catch (error) {
      setAnswer(error instanceof ApiError ? translateCode(language, error.code) : t('error.network'));
    }
  };

  if (!ticket) {
    return (
      <Page title={t('detail.title')} back="/reports">
        {missing && <p className="empty">{t('detail.notFound')}</p>}
      </Page>
    );
  }

  const category = categories?.find((c) => c.id === ticket.category);
  const subcategory = category?.subcategories.find((s) => s.id === ticket.subcategory);
  return (
    <Page title={ticket.reference} back="/reports">
      <div className="detail-head">
        <StatusChip status={ticket.status} />
        <span className={`live-dot live-dot--${liveState}`} title={t('detail.live')} aria-label={t('detail.live')} role="img" />
      </div>
      <h1 className="screen-title">
        {category?.labels[language] ?? ticket.category}
        {subcategory && ` — ${subcategory.labels[language]}`}
      </h1>
      {ticket.media[0] && <img className="detail-photo" src={ticket.media[0].url} alt="" loading="lazy" />}
      <p className="detail-description">{ticket.description}</p>
      <p className="hint">
        {ticket.landmark && `${ticket.landmark} · `}
        {ticket.plusCode}
        {ticket.confirmations > 0 && ` · ${t('detail.confirmations', { n: ticket.confirmations })}`}
      </p>

      {ticket.status === 'resolved' && ticket.mine && answer !== 'done' && (
        <section className="callout callout--question" aria-labelledby="resolved-question">
          <h2 id="resolved-question" className="section-title">
            {t('detail.resolvedQuestion')}
          </h2>
          {ticket.resolution?.note && <blockquote>{ticket.resolution.note}</blockquote>}
          <IonList>
            <IonItem>
              <TextField label={t('detail.notePlaceholder')} labelHidden placeholder={t('detail.notePlaceholder')} value={note} multiline maxLength={2000} onChange={setNote} testId="note" />
            </IonItem>
          </IonList>
          <div className="answer-buttons">
            <IonButton color="success" disabled={answer === 'sending'} onClick={() => void respond('confirm-resolution')} data-testid="confirm-resolution">
              {t('detail.confirmFix')}
            </IonButton>
            <IonButton color="danger" fill="outline" disabled={answer === 'sending'} onClick={() => void respond('dispute')} data-testid="dispute">
              {t('detail.dispute')}
            </IonButton>
          </div>
          {answer !== 'idle' && answer !== 'sending' && (
            <p role="alert" className="callout callout--warning">
              {answer}
            </p>
          )}
        </section>
      )}
      {answer === 'done' && <p role="status" className="callout">{t('detail.thanks')}</p>}

      <h2 className="section-title">{t('detail.timeline')}</h2>
      <ol className="timeline" data-testid="timeline">
        {history.items.map((item) => (
          <li key={item.revision} data-summary={item.summary}>
            <span className="timeline-what">{timelineLabel(item, t)}</span>
            <time dateTime={item.at}>{formatDateTime(item.at, language)}</time>
            {typeof item.data.text === 'string' && <p>{item.data.text}</p>}
            {typeof item.data.note === 'string' && item.data.note && <p>{item.data.note}</p>}
          </li>
        ))}
      </ol>
    </Page>
  );
}

/** Known summaries are translated; a summary this version does not know yet is shown as it comes. */
function timelineLabel(item: TimelineItem, t: (key: MessageKey) => string): string {
  const summary = item.summary.replace(/^ticket\./, '');
  const key = `timeline.${summary}`;
  return key in fr ? t(key as MessageKey) : summary.replace(/_/g, ' ');
}
