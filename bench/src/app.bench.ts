/**
 * `npm run bench:app`: the citizen app's first screen on an emulated 2G link (Chromium's network
 * emulation over CDP: 250 kbit/s down, 50 kbit/s up, 300 ms latency) and a CPU slowed down like a
 * cheap phone's, served by the compiled API as `npm start` serves it. Cold: a fresh profile, nothing
 * cached. Warm: the same phone opening the app again, the service worker in place: once with the
 * browser restarted (its own start counts), once in a new tab of the browser still running. The first screen counts as shown at the app's `palabre:first-screen` mark (the category
 * tiles can be tapped) or at the first contentful paint if that comes later, from the start of navigation. BENCH_RUNS (3), BENCH_CPU_SLOWDOWN (4).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freePort } from '@palabre/event-store';
import { startBenchDatabase } from './database.js';
import { waitForHealth } from './server.js';
import { fmt, gaugeLine, printTable, speedGauge } from './stats.js';

const runs = Number(process.env.BENCH_RUNS ?? 3);
const cpuSlowdown = Number(process.env.BENCH_CPU_SLOWDOWN ?? 4);
const mainJs = fileURLToPath(new URL('../../command-api/dist/main.js', import.meta.url));
const link2g = { offline: false, latency: 300, downloadThroughput: (250 * 1000) / 8, uploadThroughput: (50 * 1000) / 8 };

interface Visit {
  /** Navigation start to the first-screen mark. */
  firstScreenMs: number;
  /** Bytes on the wire (headers included) before the mark, and how many requests carried them. */
  bytesBefore: number;
  requestsBefore: number;
  /** Requests served from the network, not the service worker, before the mark. */
  networkRequestsBefore: number;
  /** Where the time went, in ms from navigation start: the page's HTML answered, its scripts loaded, the DOM ready, the mark. */
  phases: string;
}

async function main() {
  const gaugeBefore = speedGauge();
  const database = await startBenchDatabase('app');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [mainJs], {
    env: { ...process.env, DATABASE_URL: database.url, PORT: String(port), HOST: '127.0.0.1', PALABRE_DATA_DIR: join(database.dir, 'data'), LOG_LEVEL: 'silent' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitForHealth(base, child);
    const rows: string[][] = [];
    const cold: Visit[] = [];
    const warm: Visit[] = [];
    const reopen: Visit[] = [];
    for (let run = 1; run <= runs; run++) {
      const profile = mkdtempSync(join(tmpdir(), 'palabre-bench-phone-'));
      try {
        const first = await openPhone(profile);
        const coldVisit = await visit(first.page, `${base}/app/`);
        // The offline cache fills after the first screen; the next visit is served from it.
        const offlineReadyMs = await serviceWorkerReady(first.page);
        await first.context.close();
        const again = await openPhone(profile);
        const warmVisit = await visit(again.page, `${base}/app/`);
        // The app closed and opened again while the browser still runs (a new tab, same phone).
        await again.page.close();
        const reopened = await throttle(again.context, await again.context.newPage());
        const reopenedVisit = await visit(reopened, `${base}/app/`);
        await again.context.close();
        cold.push(coldVisit);
        warm.push(warmVisit);
        reopen.push(reopenedVisit);
        console.log(`run ${run}: cold ${coldVisit.phases}\n       warm ${warmVisit.phases}\n       tab  ${reopenedVisit.phases}`);
        rows.push([
          String(run),
          fmt(coldVisit.firstScreenMs / 1000, 2),
          `${fmt(coldVisit.bytesBefore / 1024)} KB in ${coldVisit.requestsBefore}`,
          fmt(offlineReadyMs / 1000, 1),
          fmt(warmVisit.firstScreenMs / 1000, 2),
          `${fmt(warmVisit.bytesBefore / 1024)} KB, ${warmVisit.networkRequestsBefore} of ${warmVisit.requestsBefore} from the network`,
          fmt(reopenedVisit.firstScreenMs / 1000, 2),
        ]);
      } finally {
        rmSync(profile, { recursive: true, force: true });
      }
    }
    const gaugeAfter = speedGauge();
    printTable(
      `Citizen app, first screen on 2G (250/50 kbit/s, 300 ms; CPU slowed ${cpuSlowdown}×), ${runs} runs`,
      ['run', 'cold (s)', 'cold: bytes before it', 'offline cache (s after it)', 'warm, browser restarted (s)', 'warm: bytes before it', 'warm, browser running (s)'],
      rows,
    );
    const median = (visits: Visit[]) => visits.map((v) => v.firstScreenMs).sort((a, b) => a - b)[Math.floor(visits.length / 2)]! / 1000;
    console.log(
      `Median: cold ${fmt(median(cold), 2)} s (target ≤ 6); warm ${fmt(median(warm), 2)} s with the browser restarted, ${fmt(median(reopen), 2)} s with it running (target ≤ 1).`,
    );
    // Chromium emulates the link for the page only: the service worker's own downloads are not slowed.
    console.log('The offline cache is filled by the service worker, whose downloads the emulation does not slow down.');
    console.log(gaugeLine(gaugeBefore, gaugeAfter));
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
    await database.stop();
  }
}

/** A phone: Debian's Chromium with this profile, on 2G, its CPU slowed down. */
async function openPhone(profile: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    locale: 'fr-FR',
    viewport: { width: 390, height: 780 },
    hasTouch: true,
  });
  const page = await throttle(context, context.pages()[0] ?? (await context.newPage()));
  return { context, page };
}

/** The phone's link and CPU, for this page. */
async function throttle(context: BrowserContext, page: Page): Promise<Page> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', link2g);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpuSlowdown });
  return page;
}

async function visit(page: Page, url: string): Promise<Visit> {
  await page.goto(url, { waitUntil: 'commit', timeout: 180_000 });
  await page.waitForFunction(
    () => performance.getEntriesByName('palabre:first-screen').length > 0 && (performance as unknown as { getEntriesByType(type: string): unknown[] }).getEntriesByType('paint').length > 0,
    undefined,
    { timeout: 180_000, polling: 100 },
  );
  return page.evaluate(() => {
    // This runs in the page (DOM types are not in the bench's compiler settings).
    const timings = performance as unknown as { getEntriesByType(type: string): { startTime: number; transferSize: number }[] };
    // The screen is in the page at the mark, and on the glass at the first paint after it.
    const markedAt = performance.getEntriesByName('palabre:first-screen')[0]!.startTime;
    const paintedAt = timings.getEntriesByType('paint').find((p) => (p as unknown as { name: string }).name === 'first-contentful-paint')?.startTime ?? markedAt;
    const shownAt = Math.max(markedAt, paintedAt);
    const all = [...timings.getEntriesByType('navigation'), ...timings.getEntriesByType('resource').filter((e) => e.startTime < shownAt)];
    const navigation = timings.getEntriesByType('navigation')[0] as unknown as { workerStart: number; responseStart: number; responseEnd: number; domInteractive: number };
    const scripts = timings.getEntriesByType('resource').filter((e) => /\.js$/.test((e as unknown as { name: string }).name) && e.startTime < shownAt) as unknown as { responseEnd: number }[];
    const at = (ms: number) => String(Math.round(ms));
    const phases = [
      navigation.workerStart > 0 ? `worker ${at(navigation.workerStart)}` : 'no worker',
      `html ${at(navigation.responseStart)}–${at(navigation.responseEnd)}`,
      `scripts ${at(Math.max(0, ...scripts.map((e) => e.responseEnd)))} (${scripts.length})`,
      `dom ${at(navigation.domInteractive)}`,
      `mark ${at(markedAt)}`,
      `paint ${at(paintedAt)}`,
    ].join(' · ');
    return {
      phases,
      firstScreenMs: shownAt,
      bytesBefore: all.reduce((sum, e) => sum + e.transferSize, 0),
      requestsBefore: all.length,
      networkRequestsBefore: all.filter((e) => e.transferSize > 0).length,
    };
  });
}

/** Milliseconds from the first screen until the service worker controls the page (its precache done). */
async function serviceWorkerReady(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const workers = (navigator as unknown as { serviceWorker: EventTarget & { ready: Promise<unknown>; controller: unknown } }).serviceWorker;
    await workers.ready;
    if (!workers.controller) await new Promise<void>((resolve) => workers.addEventListener('controllerchange', () => resolve(), { once: true }));
    return performance.now() - performance.getEntriesByName('palabre:first-screen')[0]!.startTime;
  });
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
