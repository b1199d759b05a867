/**
 * Figures for the console (not part of `npm test`): run with
 *   npx vitest run -c desktop-console/vitest.figures.config.ts
 * Starts the real API on the test PostgreSQL, appends a synthetic log (CONSOLE_FIGURES_TICKETS,
 * default 200,000 tickets over Soa and Dschang, so about 100,000 in Soa), then drives Chromium as a
 * Soa dispatcher at 1366×768 and prints: load time, sort/filter/scroll response, bundle size.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { it } from 'vitest';
import type { Page } from 'playwright-core';
import { startTestPalabre } from '@palabre/command-api/testing/palabre';
import type { PostgresEventStore } from '@palabre/event-store';
import { appendWorkload } from '@palabre/projections/testing/workload';
import { buildRendererIfStale, consoleDir, openBrowser } from './support.js';

const tickets = Number(process.env.CONSOLE_FIGURES_TICKETS ?? 200_000);

function bundleSize() {
  const dir = join(consoleDir, 'dist', 'renderer', 'assets');
  const files = readdirSync(dir).map((name) => {
    const bytes = readFileSync(join(dir, name));
    return { name, raw: bytes.length, gzip: gzipSync(bytes, { level: 9 }).length };
  });
  const sum = (pick: (f: (typeof files)[number]) => boolean) => files.filter(pick).reduce((a, f) => ({ raw: a.raw + f.raw, gzip: a.gzip + f.gzip }), { raw: 0, gzip: 0 });
  return { page: sum((f) => !f.name.includes('worker')), worker: sum((f) => f.name.includes('worker')), files };
}

const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`;
const ms = (n: number) => `${n.toFixed(0)} ms`;

/** Milliseconds until `ready` holds, polled every animation frame in the page. */
async function until(page: Page, ready: () => Promise<boolean>, timeoutMs = 120_000): Promise<number> {
  const start = performance.now();
  while (!(await ready())) {
    if (performance.now() - start > timeoutMs) throw new Error('timed out');
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  }
  return performance.now() - start;
}

const rowLoaded = (page: Page, index: number) => () =>
  page.locator(`.ag-row[row-index="${index}"]`).first().innerText().then(
    (text) => /^[A-Z]{3}-/.test(text.trim()),
    () => false,
  );

it(`prints the console figures with ${tickets} tickets`, { timeout: 3_600_000 }, async () => {
  buildRendererIfStale();
  const api = await startTestPalabre({ env: { PALABRE_RATE_LIMITS: 'off' } });
  const browser = await openBrowser();
  const page = browser.page;
  try {
    let start = performance.now();
    const store = api.palabre.infra.store as PostgresEventStore;
    const { events } = await appendWorkload(store, {
      tickets,
      seed: 7,
      start: new Date(Date.now() - tickets * 9 * 60_000).toISOString(),
      bulk: { store, pool: api.palabre.infra.pool, commandsPerTransaction: 2000 },
    });
    await api.palabre.projectors!.waitFor(await api.palabre.infra.store.headPosition());
    const seeded = performance.now() - start;

    start = performance.now();
    await page.goto(`${api.url}/console/`);
    await page.getByLabel('Identifiant').waitFor();
    const signInPage = performance.now() - start;
    await page.getByLabel('Identifiant').fill('dispatcher.soa');
    await page.getByLabel('Mot de passe').fill(api.demoPassword);
    start = performance.now();
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await until(page, rowLoaded(page, 0));
    const signInToRows = performance.now() - start;
    const total = await page.getByTestId('grid-total').innerText();

    start = performance.now();
    await page.reload();
    await until(page, rowLoaded(page, 0));
    const reloadToRows = performance.now() - start;

    // Sort by priority: header click to the first row of the new order on screen.
    const before = await page.locator('.ag-row[row-index="0"]').first().innerText();
    start = performance.now();
    await page.locator('.ag-header-cell[col-id="priority"]').click();
    await until(page, async () => (await rowLoaded(page, 0)()) && (await page.locator('.ag-row[row-index="0"]').first().innerText()) !== before);
    const sort = performance.now() - start;

    // Filter to new tickets: select to the new total and first row.
    const totalBefore = await page.getByTestId('grid-total').innerText();
    start = performance.now();
    await page.getByLabel('Statut', { exact: true }).selectOption('new');
    await until(page, async () => (await page.getByTestId('grid-total').innerText()) !== totalBefore && (await rowLoaded(page, 0)()));
    const filter = performance.now() - start;
    await page.getByLabel('Statut', { exact: true }).selectOption('');
    await until(page, async () => (await page.getByTestId('grid-total').innerText()) === totalBefore && (await rowLoaded(page, 0)()));

    // Scrolling: ten screens down in steps, then a far jump to the middle of the list.
    const rowHeight = 30;
    // The grid's vertical scroller: the first scrollable ancestor of a row (class names vary by version).
    const scrollTo = (top: number) =>
      page.evaluate((y) => {
        let el = document.querySelector('.ag-row')?.parentElement ?? null;
        while (el && !(el.scrollHeight > el.clientHeight + 1 && /auto|scroll/.test(getComputedStyle(el).overflowY))) el = el.parentElement;
        if (!el) throw new Error('no scroller');
        el.scrollTop = y;
      }, top);
    const steps: number[] = [];
    for (let screen = 1; screen <= 10; screen++) {
      const index = screen * 20;
      start = performance.now();
      await scrollTo(index * rowHeight);
      await until(page, rowLoaded(page, index));
      steps.push(performance.now() - start);
    }
    const count = Number((totalBefore.match(/[\d\s\u202f]+/)?.[0] ?? '0').replace(/\D/g, ''));
    const middle = Math.floor(count / 2);
    start = performance.now();
    await scrollTo(middle * rowHeight);
    await until(page, rowLoaded(page, middle));
    const farJump = performance.now() - start;

    const bundle = bundleSize();
    console.info(
      [
        `Console figures (${tickets} tickets, ${events} events appended and projected in ${ms(seeded)}; Soa grid: ${total})`,
        `  sign-in page loaded               ${ms(signInPage)}`,
        `  sign-in → first grid row          ${ms(signInToRows)}`,
        `  reload (session kept) → first row ${ms(reloadToRows)}`,
        `  sort by priority → new first row  ${ms(sort)}`,
        `  filter status=new → new total     ${ms(filter)}`,
        `  scroll one screen → rows loaded   median ${ms(steps.sort((a, b) => a - b)[Math.floor(steps.length / 2)]!)}, max ${ms(Math.max(...steps))}`,
        `  jump to row ${middle} → loaded    ${ms(farJump)}`,
        `  bundle: page ${kb(bundle.page.raw)} (gzip ${kb(bundle.page.gzip)}), MapLibre worker ${kb(bundle.worker.raw)} (gzip ${kb(bundle.worker.gzip)})`,
        ...bundle.files.map((f) => `    ${f.name.padEnd(40)} ${kb(f.raw).padStart(8)}  gzip ${kb(f.gzip).padStart(7)}`),
      ].join('\n'),
    );
  } finally {
    await browser.close();
    await api.close();
  }
});
