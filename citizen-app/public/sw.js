/* Palabre citizen app service worker: the app shell works offline; the API never comes from a cache. */
/* The build fills these four constants (build/precache-plugin.ts). */
const VERSION = 'dev';
const SHELL = [];
// Code the first screen does not need (the other screens, the camera, the map), smallest first.
const LATER = [];
const BASE = '/app/';

const SHELL_CACHE = `palabre-shell-${VERSION}`;
// Hashed chunks loaded later (map, camera) are immutable, so they may outlive one version.
const ASSET_CACHE = 'palabre-assets';
// The app's files are the same for every request: the server's `Vary: Origin` (CORS, for the API) must not
// make a module script, whose request carries an Origin header, miss the copy the install fetched without one.
const SAME_FOR_ALL = { ignoreVary: true };

// The page registers this worker once its first screen is shown and idle; on 2G the downloads below
// then go at low priority, one after another, so a tap's own request is not queued behind them.
self.addEventListener('install', (event) => {
  event.waitUntil(
    precache(SHELL_CACHE, SHELL, { required: true })
      .then(() => precache(ASSET_CACHE, LATER, { required: false }))
      .then(() => self.skipWaiting()),
  );
});

// Each visit asks again (main.tsx): a later file that failed to download (a dropped 2G link) is fetched then.
self.addEventListener('message', (event) => {
  if (event.data === 'precache') event.waitUntil(precache(ASSET_CACHE, LATER, { required: false }));
});

/** The shell must be complete for the app to open offline; later files are cached as they come. */
async function precache(cacheName, urls, { required }) {
  const cache = await caches.open(cacheName);
  for (const url of urls) {
    if (!required && (await cache.match(url, SAME_FOR_ALL))) continue;
    try {
      const response = await fetch(url, { priority: 'low' });
      if (!response.ok) throw new Error(`${url}: ${response.status}`);
      await cache.put(url, response);
    } catch (error) {
      if (required) throw error;
    }
  }
}

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('palabre-shell-') && k !== SHELL_CACHE).map((k) => caches.delete(k))))
      .then(() => trimAssets())
      .then(() => self.clients.claim()),
  );
});

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  // Network only: reports, tickets, tokens and live updates must never be served stale.
  if (url.pathname.startsWith('/api/') || url.pathname.startsWith('/socket.io/')) return;
  if (!url.pathname.startsWith(BASE)) return;

  if (request.mode === 'navigate') {
    event.respondWith(appShell());
    return;
  }
  if (url.pathname.startsWith(`${BASE}assets/`)) {
    event.respondWith(cacheFirst(request, ASSET_CACHE));
    return;
  }
  event.respondWith(caches.match(request, SAME_FOR_ALL).then((cached) => cached || fetch(request)));
});

/** Every route of the single-page app is the same index.html; the cached one loads instantly on 2G. */
async function appShell() {
  const cached = await caches.match(`${BASE}index.html`, SAME_FOR_ALL);
  if (cached) return cached;
  return fetch(`${BASE}index.html`);
}

async function cacheFirst(request, cacheName) {
  const cached = await caches.match(request, SAME_FOR_ALL);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) {
    const cache = await caches.open(cacheName);
    await cache.put(request, response.clone());
  }
  return response;
}

/** Keeps the lazily cached chunks from growing without bound across many deployments. */
async function trimAssets() {
  const cache = await caches.open(ASSET_CACHE);
  const keys = await cache.keys();
  const excess = keys.length - 60;
  for (let i = 0; i < excess; i++) await cache.delete(keys[i]);
}

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const target = event.notification.data && event.notification.data.url ? event.notification.data.url : BASE;
  event.waitUntil(
    self.clients.matchAll({ type: 'window', includeUncontrolled: true }).then((windows) => {
      const open = windows.find((w) => w.url.startsWith(self.location.origin + BASE));
      if (open) return open.focus().then(() => open.navigate(target));
      return self.clients.openWindow(target);
    }),
  );
});
