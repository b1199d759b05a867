import { IonToast } from '@ionic/react';
import { useIonRouter } from '@ionic/react';
import { useServices, useSubscribed } from '../app/context.tsx';
import { useI18n } from '../i18n/i18n.tsx';

/** Shows in-app notices one at a time, as toasts above the tab bar. */
export function Notices() {
  const { notices } = useServices();
  const { t } = useI18n();
  const router = useIonRouter();
  const notice = useSubscribed(notices, () => notices.current);
  if (!notice) return null;
  return (
    <IonToast
      key={notice.id}
      isOpen
      message={t(notice.key, notice.params)}
      duration={notice.link ? 6000 : 4000}
      position="top"
      color={notice.tone === 'success' ? 'success' : notice.tone === 'warning' ? 'warning' : 'dark'}
      buttons={notice.link ? [{ text: 'OK', role: 'info', handler: () => router.push(notice.link!, 'forward') }] : undefined}
      onDidDismiss={() => notices.dismiss(notice.id)}
      data-testid="notice"
    />
  );
}
