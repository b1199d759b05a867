import { setupIonicReact } from '@ionic/react';
import '@ionic/react/css/core.css';
import '@ionic/react/css/normalize.css';
import '@ionic/react/css/structure.css';
import '@ionic/react/css/typography.css';
import '@ionic/react/css/padding.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from '../App.tsx';
import { I18nProvider } from '../i18n/i18n.tsx';
import { storedLanguage } from '../i18n/language.ts';
import '../theme.css';
import { ServicesProvider } from './context.tsx';
import { afterAppShown } from './first-screen.ts';
import { createServices } from './services.ts';

// One look on every phone (Material); system fonts only, nothing to download.
setupIonicReact({ mode: 'md' });

async function start() {
  const services = await createServices(storedLanguage);
  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <I18nProvider>
        <ServicesProvider services={services}>
          <App />
        </ServicesProvider>
      </I18nProvider>
    </StrictMode>,
  );
  void services.reference.refresh();
  void services.outbox.drain();
  afterAppShown(() => {
    if (services.tickets.mineList().length > 0) void services.live.start();
    // News of the commune's answer to the person's own proposals and those they support.
    for (const id of services.proposals.followed()) services.watchProposal(id);
    registerServiceWorker();
  });
}

/** Production web builds only: the dev server and the native shells serve their files themselves. Its
 * install downloads the rest of the app for offline use, so it starts after the app’s first screen. */
function registerServiceWorker() {
  const native = (window as { Capacitor?: { isNativePlatform?: () => boolean } }).Capacitor?.isNativePlatform?.() ?? false;
  if (!import.meta.env.PROD || native || !('serviceWorker' in navigator)) return;
  const base = import.meta.env.BASE_URL;
  void navigator.serviceWorker
    .register(`${base}sw.js`, { scope: base })
    .then((registration) => registration.active?.postMessage('precache'))
    .catch(() => undefined);
}

void start();
