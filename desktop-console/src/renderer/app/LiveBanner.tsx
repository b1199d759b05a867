import { useI18n } from '../i18n/i18n.js';
import { useLiveStatus } from './services.js';

/** Says when live updates are lost or catching up; silent when all is well. */
export function LiveBanner() {
  const { t } = useI18n();
  const status = useLiveStatus();
  if (status === 'live') return null;
  const message = status === 'lost' ? t('live.lost') : status === 'catching-up' ? t('live.catchingUp') : t('live.connecting');
  return (
    <div className={`live-banner live-${status}`} role="status" aria-live="polite" data-testid="live-banner" data-status={status}>
      {message}
    </div>
  );
}

export function LiveDot() {
  const { t } = useI18n();
  const status = useLiveStatus();
  return (
    <span className={`live-dot live-${status}`} data-testid="live-status" data-status={status} title={status === 'live' ? t('live.live') : t('live.lost')}>
      {status === 'live' ? t('live.live') : '…'}
    </span>
  );
}
