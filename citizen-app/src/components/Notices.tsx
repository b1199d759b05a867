import { useIonRouter } from '@ionic/react';
import { useEffect } from 'react';
import { useServices, useSubscribed } from '../app/context.tsx';
import { useI18n } from '../i18n/i18n.tsx';

/** Shows in-app notices one at a time at the top of the screen (plain markup: Ionic's toast weighs 5 KB on 2G). */
export function Notices() {
  const { notices } = useServices();
  const { t } = useI18n();
  const router = useIonRouter();
  const notice = useSubscribed(notices, () => notices.current);
  useEffect(() => {
    if (!notice) return;
    const timer = setTimeout(() => notices.dismiss(notice.id), notice.link ? 6000 : 4000);
    return () => clearTimeout(timer);
  }, [notice, notices]);
  if (!notice) return null;
  return (
    <div key={notice.id} className={`notice notice--${notice.tone}`} role="status" data-testid="notice">
      <span>{t(notice.key, notice.params)}</span>
      {notice.link && (
        <button
          type="button"
          onClick={() => {
            notices.dismiss(notice.id);
            router.push(notice.link!, 'forward');
          }}
        >
          OK
        </button>
      )}
    </div>
  );
}
