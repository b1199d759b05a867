import { IonButton, IonIcon, IonList, IonListHeader } from '@ionic/react';
import { notificationsOutline, refreshOutline } from 'ionicons/icons';
import { useEffect, useState } from 'react';
import { useServices, useSubscribed } from '../app/context.tsx';
import { Page } from '../components/Page.tsx';
import { useI18n } from '../i18n/i18n.tsx';
import { askNotificationPermission, notificationsAvailable } from '../live/notify.ts';
import { OutboxSection } from './OutboxSection.tsx';
import { TicketItem } from './TicketItem.tsx';
import { useOutboxEntries } from './useOutboxEntries.ts';

/** Reports waiting on the phone first, then those the commune has, with live status. */
export function MyReportsPage() {
  const { t } = useI18n();
  const { outbox, tickets, live, refreshMine } = useServices();
  // Proposals waiting to go out show on their own tab.
  const { entries, sendingKey } = useOutboxEntries(outbox, 'report');
  const mine = useSubscribed(tickets, () => tickets.mineList());
  const [permission, setPermission] = useState(() => (notificationsAvailable() ? Notification.permission : 'denied'));

  useEffect(() => {
    void refreshMine().catch(() => undefined);
    void live.start();
  }, [refreshMine, live]);

  return (
    <Page title={t('mine.title')}>
      <OutboxSection entries={entries} sendingKey={sendingKey} headingId="outbox-heading" />

      {permission === 'default' && (
        <IonButton fill="outline" expand="block" onClick={() => void askNotificationPermission().then(setPermission)}>
          <IonIcon slot="start" icon={notificationsOutline} aria-hidden="true" />
          {t('mine.notifications')}
        </IonButton>
      )}

      {mine.length === 0 && entries.length === 0 ? (
        <p className="empty">{t('mine.empty')}</p>
      ) : (
        <IonList>
          <IonListHeader>
            <h2 className="section-title">{t('mine.title')}</h2>
            <IonButton fill="clear" onClick={() => void refreshMine().catch(() => undefined)} aria-label={t('mine.refresh')}>
              <IonIcon icon={refreshOutline} aria-hidden="true" />
            </IonButton>
          </IonListHeader>
          {mine.map((ticket) => (
            <TicketItem key={ticket.id} ticket={ticket} />
          ))}
        </IonList>
      )}
    </Page>
  );
}
