import { apiOrigin } from './api/origin.ts';
import { showWaitingScreen } from './app/waiting-screen.ts';
import './first-screen.css';
import { storedLanguage } from './i18n/language.ts';

// The category tiles show from this small entry while the app's code (Preact, Ionic, the screens) arrives.
void showWaitingScreen(storedLanguage(), apiOrigin).then(() => import('./app/boot.tsx'));
