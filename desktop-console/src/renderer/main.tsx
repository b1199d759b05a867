import { AllCommunityModule, ModuleRegistry } from 'ag-grid-community';
import { setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App.js';
import './styles.css';

ModuleRegistry.registerModules([AllCommunityModule]);
// Bundled MapLibre cannot find its worker by itself; it is a separate asset under /console/.
setWorkerUrl(workerUrl);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
