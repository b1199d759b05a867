import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BrowserContext, type Page, chromium } from 'playwright-core';
import { encode as encodeQr } from 'uqr';
import { findChromium, required } from '../../scripts/machine.mjs';

export const consoleDir = fileURLToPath(new URL('..', import.meta.url));
const repoDir = join(consoleDir, '..');
export const artifactsDir = join(repoDir, 'test-artifacts', 'console');

function newestMtime(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return /\.(spec|test)\.tsx?$/.test(path) ? 0 : stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** The API serves dist/renderer: build it when missing or older than its sources. */
export function buildRendererIfStale(): void {
  const index = join(consoleDir, 'dist', 'renderer', 'index.html');
  const sources = Math.max(
    newestMtime(join(consoleDir, 'src', 'renderer')),
    newestMtime(join(consoleDir, 'src', 'shared')),
    newestMtime(join(repoDir, 'domain', 'src')),
    newestMtime(join(repoDir, 'outbox', 'src')),
    newestMtime(join(consoleDir, 'vite.config.ts')),
    newestMtime(join(repoDir, 'citizen-app', 'build', 'precompress-plugin.ts')),
  );
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
  execFileSync(process.execPath, [join(repoDir, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], {
    cwd: consoleDir,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

const chromiumArgs = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** One simulated dispatcher: a fresh Chromium profile at 1366×768, the console's design size (`extraArgs`: e.g. a fake camera). */
export async function openBrowser(extraArgs: readonly string[] = []): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'palabre-console-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: required(findChromium()),
    headless: true,
    args: [...chromiumArgs, ...extraArgs],
    viewport: { width: 1366, height: 768 },
    locale: 'fr-FR',
  });
  const page = context.pages()[0] ?? (await context.newPage());
  // A click or read that waits in vain fails at that step, before the test's own 30 s limit hides where.
  context.setDefaultTimeout(20_000);
  // PALABRE_E2E_DEBUG=1 echoes the page's console and failed requests while a test is investigated.
  if (process.env.PALABRE_E2E_DEBUG) {
    page.on('console', (m) => console.info(`[page ${m.type()}] ${m.text()}`));
    page.on('pageerror', (e) => console.info(`[page error] ${e.message}`));
    page.on('requestfailed', (r) => console.info(`[request failed] ${r.url()} ${r.failure()?.errorText ?? ''}`));
  }
  return {
    context,
    page,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(artifactsDir, { recursive: true });
  await page.screenshot({ path: join(artifactsDir, `${name}.png`) });
}

export async function signIn(page: Page, url: string, username: string, password: string): Promise<void> {
  await page.goto(`${url}/console/`);
  await page.getByLabel('Identifiant').fill(username);
  await page.getByLabel('Mot de passe').fill(password);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.getByTestId('live-status').and(page.locator('[data-status="live"]')).waitFor();
}

/** A citizen's report filed straight through the API, as the phone app does. */
export async function reportAsCitizen(url: string, report: Record<string, unknown>): Promise<{ id: string; revision: number }> {
  const session = await post(url, '/api/auth/citizen', { deviceId: `console-e2e-${randomUUID()}` });
  const created = await post(url, '/api/tickets', { category: 'voirie', description: 'Nid de poule', location: { lat: 3.99, lon: 11.6, accuracy: 8 }, ...report }, {
    authorization: `Bearer ${session.accessToken as string}`,
    'idempotency-key': randomUUID(),
  });
  return { id: created.id as string, revision: created.revision as number };
}

async function post(url: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Record<string, unknown>> {
  const response = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const json = (await response.json()) as Record<string, unknown>;
  if (!response.ok) throw new Error(`${path}: ${response.status} ${JSON.stringify(json)}`);
  return json;
}

/** A staff member's HTTP session, for reading what the console should show. */
export async function staffSession(url: string, username: string, password: string) {
  const { accessToken } = (await post(url, '/api/auth/login', { username, password })) as { accessToken: string };
  return {
    async get<T>(path: string): Promise<T> {
      const response = await fetch(`${url}${path}`, { headers: { authorization: `Bearer ${accessToken}` } });
      if (!response.ok) throw new Error(`${path}: ${response.status}`);
      return (await response.json()) as T;
    },
    /** The ticket once the projections have it (they follow the log within milliseconds). */
    async ticket<T>(id: string): Promise<T> {
      for (let attempt = 0; ; attempt++) {
        const response = await fetch(`${url}/api/tickets/${id}`, { headers: { authorization: `Bearer ${accessToken}` } });
        if (response.ok) return (await response.json()) as T;
        if (response.status !== 404 || attempt > 200) throw new Error(`ticket ${id}: ${response.status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
  };
}

/**
 * A camera that films `text` as a QR code: a Y4M file for Chromium's fake capture device
 * (`--use-file-for-fake-video-capture`), black modules on white, one frame it shows over and over.
 */
export function qrCameraFile(text: string): string {
  const { data, size } = encodeQr(text, { ecc: 'M', border: 4 });
  const scale = 8;
  const side = size * scale;
  const luma = Buffer.alloc(side * side);
  for (let y = 0; y < side; y++) for (let x = 0; x < side; x++) luma[y * side + x] = data[Math.floor(y / scale)]![Math.floor(x / scale)] ? 16 : 235;
  const chroma = Buffer.alloc((side / 2) * (side / 2), 128);
  const path = join(mkdtempSync(join(tmpdir(), 'palabre-camera-')), 'qr.y4m');
  writeFileSync(path, Buffer.concat([Buffer.from(`YUV4MPEG2 W${side} H${side} F10:1 Ip A1:1 C420jpeg\nFRAME\n`), luma, chroma, chroma]));
  return path;
}
