import { IonButton, IonSpinner } from '@ionic/react';
import { Component, lazy, Suspense, type ComponentType, type ReactNode } from 'react';
import { Page } from '../components/Page.tsx';
import { useI18n } from '../i18n/i18n.tsx';

/**
 * A screen whose code is fetched the first time it shows, not before the first screen: on 2G each
 * 30 KB of the first download is a second more. The service worker keeps these files for offline use
 * (they are in its "later" list, build/precache-plugin.ts).
 */
export function lazyPage(load: () => Promise<ComponentType>): ComponentType {
  const Screen = lazy(() => load().then((component) => ({ default: component })));
  return function LazyPage() {
    return (
      <ScreenBoundary>
        <Suspense fallback={<ScreenLoading />}>
          <Screen />
        </Suspense>
      </ScreenBoundary>
    );
  };
}

function ScreenLoading() {
  const { t } = useI18n();
  return (
    <p className="screen-loading" role="status">
      <IonSpinner name="dots" aria-hidden="true" /> <span className="visually-hidden">{t('app.screenLoading')}</span>
    </p>
  );
}

/** Offline before the service worker had kept the screen's code: say so, and try again once there is a network. */
class ScreenBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  override render() {
    return this.state.failed ? <ScreenUnavailable /> : this.props.children;
  }
}

function ScreenUnavailable() {
  const { t } = useI18n();
  return (
    <Page title="Palabre" back="/report">
      <p className="callout callout--warning" role="alert">
        {t('app.screenUnavailable')}
      </p>
      {/* A failed import is remembered by the page: loading it again is the way to retry. */}
      <IonButton expand="block" fill="outline" onClick={() => location.reload()}>
        {t('outbox.retryNow')}
      </IonButton>
    </Page>
  );
}
