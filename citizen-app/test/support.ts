import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startTestPalabre, type TestPalabre } from '@palabre/command-api/testing/palabre';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { findChromium, required } from '../../scripts/machine.mjs';

export const appRoot = fileURLToPath(new URL('..', import.meta.url));
export const repoRoot = join(appRoot, '..');
export const distDir = join(appRoot, 'dist');
export const artifactsDir = join(repoRoot, 'test-artifacts', 'citizen-app');

/** Dschang centre-ville, where the overridden GPS puts the phone. */
export const dschang = { latitude: 5.4525, longitude: 10.0535, accuracy: 12 };

/**
 * Builds the app when dist/ is missing or older than any source, so the API serves what the tests read.
 * Test files run side by side: on a fresh clone each would build into the same dist/, one emptying
 * it under the other's server. A lock folder makes one build while the others wait, then see it fresh.
 */
export function ensureBuilt(): void {
  const lock = join(appRoot, '.dist-build-lock');
  const deadline = Date.now() + 600_000;
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      // A lock older than any build is a killed run's: take it over.
      if (existsSync(lock) && Date.now() - statSync(lock).mtimeMs > 600_000) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`Another test run has been building the app for 10 minutes (${lock}); remove the folder if none is.`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 250);
    }
  }
  try {
    const built = join(distDir, 'index.html');
    const newestSource = Math.max(...['src', 'public', 'build', 'index.html', 'vite.config.ts', '../domain/src', '../outbox/src'].map((p) => newest(join(appRoot, p))));
    if (existsSync(built) && statSync(built).mtimeMs >= newestSource) return;
    buildApp();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** `vite build` as the tests run it, into dist/ or elsewhere. */
export function buildApp(outDir?: string): void {
  // Vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  const env = { ...process.env, NODE_ENV: 'production' };
  const elsewhere = outDir ? ['--outDir', outDir, '--emptyOutDir'] : [];
  execFileSync(process.execPath, [join(repoRoot, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn', ...elsewhere], { cwd: appRoot, stdio: 'inherit', env });
}

/** The map's chunk, its CSS and its worker, as the build names them. */
export function mapFiles(): string[] {
  const manifest = JSON.parse(readFileSync(join(distDir, '.vite/manifest.json'), 'utf8')) as Record<string, { file: string; css?: string[]; assets?: string[] }>;
  const map = manifest['src/map/MapView.tsx']!;
  return [map.file, ...(map.css ?? []), ...(map.assets ?? [])].map((file) => `/app/${file}`);
}

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];

export interface Phone {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/** A fresh phone: Debian's Chromium with its own profile, French, GPS in Dschang, permissions granted. */
export async function openPhone(options: { geolocation?: typeof dschang } = {}): Promise<Phone> {
  const profile = mkdtempSync(join(tmpdir(), 'palabre-phone-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: required(findChromium()),
    headless: true,
    args: chromiumArgs,
    geolocation: options.geolocation ?? dschang,
    permissions: ['geolocation', 'camera', 'notifications'],
    locale: 'fr-FR',
    viewport: { width: 390, height: 780 },
    deviceScaleFactor: 1,
    isMobile: false,
    hasTouch: true,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // Errors in the page end up in the test output, where a failure is read.
  page.on('pageerror', (error) => console.error('[page error]', error.message));
  page.on('console', (message) => {
    // Resource failures are reported below with their URL; offline ones are the point of some tests.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) console.error('[page console]', message.text());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) console.error('[page http]', response.status(), response.request().method(), response.url());
  });
  // A request that never got an answer (offline and not in the worker's cache, or the worker gone).
  page.on('requestfailed', (request) => console.error('[page failed]', request.method(), request.url(), request.failure()?.errorText, request.serviceWorker() ? '(service worker)' : ''));
  context.on('serviceworker', (worker) => {
    worker.on('console', (message) => console.error('[service worker]', message.type(), message.text()));
  });
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * The file's API and phone: started before its tests (with `alongside` made meanwhile, and `ready`
 * run once both are up) and closed after them; a failing test leaves a picture of what the phone showed.
 */
export function phoneAgainstApi(
  options: { notifications?: boolean; alongside?: () => Promise<void> },
  ready: (started: { api: TestPalabre; phone: Phone }) => Promise<void>,
): void {
  let api: TestPalabre | undefined;
  let phone: Phone | undefined;

  beforeAll(async () => {
    ensureBuilt();
    [api] = await Promise.all([startTestPalabre(), options.alongside?.()]);
    phone = await openPhone();
    if (options.notifications) await recordNotifications(phone.context);
    await ready({ api, phone });
  }, 180_000);

  afterAll(async () => {
    await phone?.close();
    await api?.close();
  });

  beforeEach((context) => {
    context.onTestFailed(async () => {
      if (phone) await screenshot(phone.page, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`);
    });
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`), fullPage: false });
}

/**
 * Waits until the service worker controls the page and holds every file of the app for offline use:
 * the shell, and the later files (camera, map, other screens) it fetches at low priority. One of
 * those may fail on a loaded machine as on a dropped 2G link; the worker is then asked to fetch what
 * is missing, as the app asks at each visit.
 */
export async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise<void>((resolve) => navigator.serviceWorker.addEventListener('controllerchange', () => resolve(), { once: true }));
    }
    const worker = await (await fetch('/app/sw.js', { cache: 'no-store' })).text();
    const later = JSON.parse(/const LATER = (\[[^\]]*\]);/.exec(worker)?.[1] ?? '[]') as string[];
    const deadline = Date.now() + 60_000;
    for (;;) {
      const missing = (await Promise.all(later.map(async (url) => ((await caches.match(url)) ? null : url)))).filter((url) => url !== null);
      if (missing.length === 0) return;
      if (Date.now() > deadline) throw new Error(`The service worker did not cache ${missing.join(', ')} for offline use`);
      navigator.serviceWorker.controller?.postMessage('precache');
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  });
}

/** Records the system notifications the app shows (through the service worker or the page). */
export async function recordNotifications(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const shown: { title: string; body?: string }[] = [];
    (window as unknown as { __notifications: typeof shown }).__notifications = shown;
    const original = ServiceWorkerRegistration.prototype.showNotification;
    ServiceWorkerRegistration.prototype.showNotification = function (title: string, options?: NotificationOptions) {
      shown.push({ title, body: options?.body });
      return original.call(this, title, options);
    };
  });
}

export const shownNotifications = (page: Page) => page.evaluate(() => (window as unknown as { __notifications: { title: string; body?: string }[] }).__notifications);

/** Staff and citizen calls straight to the API, as the console or another phone would make them. */
export class ApiUser {
  private token: string | null = null;
  constructor(readonly url: string) {}

  async login(username: string, password: string): Promise<this> {
    const body = await this.call('POST', '/api/auth/login', { username, password });
    this.token = body.accessToken;
    return this;
  }

  async asCitizen(deviceId: string): Promise<this> {
    const body = await this.call('POST', '/api/auth/citizen', { deviceId });
    this.token = body.accessToken;
    return this;
  }

  useToken(token: string): this {
    this.token = token;
    return this;
  }

  async call(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<any> {
    const reply = await this.raw(method, path, body, headers);
    if (reply.status >= 400) throw new Error(`${method} ${path}: ${reply.status} ${JSON.stringify(reply.body)}`);
    return reply.body;
  }

  /** A photo for the media library, sent as a browser form sends it (multipart field `file`). */
  async upload(bytes: Uint8Array, filename: string, type: string): Promise<{ mediaId: string; url: string; thumbnailUrl: string }> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)], { type }), filename);
    const response = await fetch(`${this.url}/api/media`, { method: 'POST', headers: this.token ? { authorization: `Bearer ${this.token}` } : {}, body: form });
    if (response.status !== 201) throw new Error(`POST /api/media: ${response.status} ${await response.text()}`);
    return response.json();
  }

  async raw(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: any }> {
    const response = await fetch(this.url + path, {
      method,
      headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...(this.token ? { authorization: `Bearer ${this.token}` } : {}), ...headers },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  /** A staff action on the revision last read; on 412 it acts again on the revision the API names, as the console does. */
  async act(ticketId: string, action: string, body: unknown): Promise<any> {
    const ticket = await this.call('GET', `/api/tickets/${ticketId}`);
    const path = `/api/tickets/${ticketId}/${action}`;
    const first = await this.raw('POST', path, body, { 'if-match': `"${ticket.revision}"` });
    if (first.status !== 412) {
      if (first.status >= 400) throw new Error(`POST ${path}: ${first.status} ${JSON.stringify(first.body)}`);
      return first.body;
    }
    return this.call('POST', path, body, { 'if-match': `"${first.body.currentRevision}"` });
  }

  /** Every ticket of a commune the caller can see (the e2e database starts empty). */
  async tickets(communeId: string): Promise<any[]> {
    return (await this.call('GET', `/api/tickets?communeId=${communeId}&limit=200`)).items;
  }
}

/** Polls until `check` returns something truthy. */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
