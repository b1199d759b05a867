import { startTestPalabre, type TestPalabre } from '@palabre/command-api/testing/palabre';
import { mkdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appJs, initialJs } from '../build/initial-js.ts';
import { fileReport, screen } from './flow.ts';
import { streetPhoto } from './images.ts';
import { ApiUser, artifactsDir, distDir, ensureBuilt, eventually, openPhone, screenshot, type Phone } from './support.ts';

/**
 * Figures for the project note, not a test of speed: run with `npm run figures -w @palabre/citizen-app`
 * (PALABRE_FIGURES=1). A 2G-like link through Chromium's network emulation, a 4× slower CPU
 * for a cheap phone, a 12 MP photo. The first screen's cold and warm times on the same link are
 * `npm run bench:app`'s (several runs, served by the compiled API as `npm start` serves it).
 */
const slow2g = { offline: false, latency: 300, downloadThroughput: (250 * 1000) / 8, uploadThroughput: (50 * 1000) / 8 };

describe.skipIf(!process.env.PALABRE_FIGURES)('citizen app figures', () => {
  let api: TestPalabre;
  let phone: Phone;
  let photo: string;

  beforeAll(async () => {
    ensureBuilt();
    [api, photo] = await Promise.all([startTestPalabre(), streetPhoto()]);
    phone = await openPhone();
  }, 180_000);

  afterAll(async () => {
    await phone?.close();
    await api?.close();
  });

  it('measures initial JS, first screen and a report with a photo over 2G', async () => {
    const { page, context } = phone;
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.emulateNetworkConditions', slow2g);
    await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });

    await page.goto(`${api.url}/app/`);
    await screen(page).locator('.category-tile').first().waitFor({ timeout: 180_000 });

    let photoChosenAt = 0;
    let sendAt = 0;
    let accepted: Promise<unknown> | null = null;
    const { photoBytes, photoReadyAt } = await fileReport(page, {
      category: 'reseaux',
      subcategory: 'fuite-eau',
      description: 'Fuite mesurée sur 2G',
      landmark: 'près du carrefour Total',
      photo,
      onPhoto: () => (photoChosenAt = performance.now()),
      onSend: () => {
        sendAt = performance.now();
        // The moment the API answers 201 to the report (after the photo upload before it).
        accepted = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/tickets') && r.status() === 201, { timeout: 300_000 });
      },
    });
    await accepted;
    const submitMs = performance.now() - sendAt;
    await screen(page).locator('[data-testid="ticket"]').filter({ hasText: 'Fuite mesurée sur 2G' }).waitFor({ timeout: 120_000 });
    await screenshot(page, 'figures-2g-sent');

    const dispatcher = await new ApiUser(api.url).login('dispatcher.dschang', api.demoPassword);
    const tickets = await eventually(async () => {
      const found = (await dispatcher.tickets('dschang')).filter((t) => t.description === 'Fuite mesurée sur 2G');
      return found.length > 0 && found;
    }, 'the 2G report');
    expect(tickets).toHaveLength(1);

    const initial = initialJs(distDir);
    const app = appJs(distDir);
    const figures = {
      initialJsGzipKB: round(initial.gzipBytes / 1024),
      initialJsKB: round(initial.bytes / 1024),
      initialJsFiles: initial.files.length,
      appJsGzipKB: round(app.gzipBytes / 1024),
      appJsFiles: app.files.length,
      network: '2G-like: 250 kbit/s down, 50 kbit/s up, 300 ms latency; CPU slowed 4×',
      photoOriginalKB: round(statSync(photo).size / 1024),
      photoOriginalPixels: '4000×3000',
      photoCompressedKB: round((photoBytes ?? 0) / 1024),
      photoCompressionSeconds: round(((photoReadyAt ?? 0) - photoChosenAt) / 1000),
      submitWithPhotoSeconds: round(submitMs / 1000),
    };
    mkdirSync(artifactsDir, { recursive: true });
    writeFileSync(join(artifactsDir, 'figures.json'), `${JSON.stringify(figures, null, 2)}\n`);
    console.log(figures);
  }, 600_000);
});

const round = (value: number) => Math.round(value * 10) / 10;
