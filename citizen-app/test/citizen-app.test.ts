import { holdProjector, type TestPalabre } from '@palabre/command-api/testing/palabre';
import type { Request } from 'playwright-core';
import { describe, expect, it, onTestFinished } from 'vitest';
import { accessibilityProblems, fileReport, screen } from './flow.ts';
import { streetPhoto } from './images.ts';
import { ApiUser, dschang, eventually, mapFiles, openPhone, phoneAgainstApi, screenshot, shownNotifications, waitForServiceWorker, type Phone } from './support.ts';

let api: TestPalabre;
let phone: Phone;
let dispatcher: ApiUser;
let agent: ApiUser;
let photo: string;

phoneAgainstApi(
  {
    notifications: true,
    alongside: async () => {
      photo = await streetPhoto();
    },
  },
  async (started) => {
    ({ api, phone } = started);
    dispatcher = await new ApiUser(api.url).login('dispatcher.dschang', api.demoPassword);
    agent = await new ApiUser(api.url).login('agent.dschang', api.demoPassword);
  },
);

const byDescription = async (description: string) => (await dispatcher.tickets('dschang')).filter((t) => t.description === description);

describe('the citizen app against the real API', () => {
  let reportedId: string;

  it('files a water leak in four screens with a photo made smaller on the phone and the GPS position', async () => {
    const { page } = phone;
    const uploads: number[] = [];
    page.on('request', (request: Request) => {
      if (request.method() === 'POST' && request.url().endsWith('/api/media')) uploads.push(request.postDataBuffer()?.length ?? 0);
    });
    await page.goto(`${api.url}/app/`);
    await page.waitForURL(/\/app\/report$/);
    const tile = screen(page).locator('[data-category="reseaux"]');
    await expect(tile.textContent()).resolves.toMatch(/Réseaux \(eau, électricité\).*Utilities \(water, power\)/);

    const { photoBytes } = await fileReport(page, {
      category: 'reseaux',
      subcategory: 'fuite-eau',
      description: "L'eau coule sur la route depuis hier soir",
      landmark: 'près du carrefour Total',
      photo,
      shots: 'report',
    });
    expect(photoBytes).toBeGreaterThan(10_000);
    expect(photoBytes).toBeLessThanOrEqual(200 * 1024);

    const [ticket] = await eventually(async () => {
      const found = await byDescription("L'eau coule sur la route depuis hier soir");
      return found.length > 0 && found;
    }, 'the report in the API');
    expect(ticket).toMatchObject({ category: 'reseaux', subcategory: 'fuite-eau', communeId: 'dschang', landmark: 'près du carrefour Total', status: 'new' });
    expect(ticket.location.lat).toBeCloseTo(dschang.latitude, 5);
    expect(ticket.location.lon).toBeCloseTo(dschang.longitude, 5);
    expect(ticket.location.accuracy).toBe(12);
    // Lists carry no media; the ticket itself does.
    expect((await dispatcher.call('GET', `/api/tickets/${ticket.id}`)).media).toHaveLength(1);
    // The multipart body holds the compressed photo and a few hundred bytes of form framing.
    expect(uploads).toHaveLength(1);
    expect(uploads[0]).toBeLessThanOrEqual(200 * 1024 + 1024);
    reportedId = ticket.id;

    const item = screen(page).locator(`[data-ticket-id="${reportedId}"]`);
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('Reçu');
    await screenshot(page, 'report-5-my-reports');
  }, 120_000);

  it('shows the commune acknowledging, assigning and resolving live, notifies, and records the confirmed fix', async () => {
    const { page } = phone;
    await screen(page).locator(`[data-ticket-id="${reportedId}"]`).click();
    await page.waitForURL(new RegExp(`/app/reports/${reportedId}$`));
    const status = screen(page).locator('.detail-head .status-chip');
    await expect(status.textContent()).resolves.toBe('Reçu');
    await screen(page).locator('.live-dot--live').waitFor();

    await dispatcher.act(reportedId, 'triage', { priority: 'high' });
    await screen(page).locator('.detail-head [data-status="triaged"]').waitFor();
    await page.locator('[data-testid="notice"]').filter({ hasText: 'Pris en compte' }).first().waitFor({ state: 'attached' });
    await screenshot(page, 'live-1-acknowledged');

    await dispatcher.act(reportedId, 'assign', { teamId: 'dschang-reseaux', agentId: 'U-agent-dschang' });
    await screen(page).locator('.detail-head [data-status="assigned"]').waitFor();
    await agent.act(reportedId, 'start', {});
    await agent.act(reportedId, 'resolve', { note: 'Conduite réparée' });
    await screen(page).locator('.detail-head [data-status="resolved"]').waitFor();
    await screen(page).getByText('Conduite réparée').first().waitFor();
    await screenshot(page, 'live-2-resolved');

    const notifications = await eventually(async () => {
      const shown = await shownNotifications(page);
      return shown.length >= 3 && shown;
    }, 'system notifications');
    expect(notifications.map((n) => n.title)).toEqual(expect.arrayContaining([expect.stringContaining('Pris en compte'), expect.stringContaining('Résolu')]));

    await screen(page).locator('[data-testid="confirm-resolution"]').click();
    await screen(page).getByText('Merci, votre réponse est enregistrée.').waitFor();
    const timeline = await eventually(async () => {
      const { items } = await dispatcher.call('GET', `/api/tickets/${reportedId}/timeline`);
      return items.some((i: { summary: string }) => i.summary.endsWith('resolution_confirmed')) && items;
    }, 'the confirmation in the timeline');
    expect(timeline.map((i: { summary: string }) => i.summary.replace(/^ticket\./, ''))).toEqual(
      expect.arrayContaining(['reported', 'triaged', 'assigned', 'work_started', 'resolved', 'resolution_confirmed']),
    );
    await screen(page).locator('[data-summary$="resolution_confirmed"]').waitFor();
    await screenshot(page, 'live-3-confirmed');
  }, 120_000);

  it('keeps two reports made offline through a reload and delivers each exactly once when the signal returns', async () => {
    const { page, context } = phone;
    await page.goto(`${api.url}/app/report`);
    await waitForServiceWorker(page);
    await context.setOffline(true);
    // Whatever happens below, the next tests get a phone with signal.
    onTestFinished(() => context.setOffline(false));

    await fileReport(page, { category: 'voirie', description: 'Nid-de-poule devant le lycée (hors ligne 1)', photo });
    await fileReport(page, { category: 'salubrite', description: 'Bac plein au marché (hors ligne 2)' });
    const waiting = screen(page).locator('[data-testid="outbox-entry"]');
    await expect.poll(() => waiting.count()).toBe(2);
    await screen(page).getByText('Hors ligne').first().waitFor();
    await screenshot(page, 'offline-1-waiting');

    // Reload with no network at all: the service worker serves the app, IndexedDB still holds both.
    await page.reload();
    await expect.poll(() => screen(page).locator('[data-testid="outbox-entry"]').count()).toBe(2);
    await expect(screen(page).locator('[data-testid="outbox-count"]').textContent()).resolves.toBe('2 en attente d’envoi');
    await screenshot(page, 'offline-2-after-reload');
    expect(await byDescription('Nid-de-poule devant le lycée (hors ligne 1)')).toHaveLength(0);

    await context.setOffline(false);
    await expect.poll(() => screen(page).locator('[data-testid="outbox-entry"]').count(), { timeout: 60_000 }).toBe(0);
    await eventually(async () => (await byDescription('Bac plein au marché (hors ligne 2)')).length > 0, 'the second offline report');
    const first = await byDescription('Nid-de-poule devant le lycée (hors ligne 1)');
    const second = await byDescription('Bac plein au marché (hors ligne 2)');
    expect(first).toHaveLength(1);
    expect(second).toHaveLength(1);
    expect((await dispatcher.call('GET', `/api/tickets/${first[0].id}`)).media).toHaveLength(1);
    await screen(page).locator(`[data-ticket-id="${first[0].id}"]`).waitFor();
    await screenshot(page, 'offline-3-delivered');

    // Another reload and another "online": nothing is sent twice.
    await page.reload();
    await screen(page).locator(`[data-ticket-id="${second[0].id}"]`).waitFor();
    expect(await byDescription('Nid-de-poule devant le lycée (hors ligne 1)')).toHaveLength(1);
    expect(await byDescription('Bac plein au marché (hors ligne 2)')).toHaveLength(1);
  }, 150_000);

  it('delivers a report that the previous version of the app left waiting in its outbox', async () => {
    const old = await openPhone();
    onTestFinished(() => old.close());
    // Before any page of this version opens it: the outbox as version 1 stored it, the report its own field.
    await old.page.goto(`${api.url}/health`);
    await old.page.evaluate(
      ({ lat, lon }) =>
        new Promise<void>((resolve, reject) => {
          const open = indexedDB.open('palabre', 1);
          open.onupgradeneeded = () => {
            const outbox = open.result.createObjectStore('outbox', { keyPath: 'key' });
            outbox.createIndex('queuedAt', 'queuedAt');
            const report = { category: 'salubrite', description: 'Dépôt sauvage derrière l’école (avant la mise à jour)', location: { lat, lon }, anonymous: false, confidential: false, clientTime: new Date().toISOString() };
            outbox.put({ key: 'r-before-update-1', report, photos: [], queuedAt: Date.now(), state: 'waiting', attempts: 4, nextAttemptAt: Date.now(), lastError: 'network' });
          };
          open.onsuccess = () => {
            open.result.close();
            resolve();
          };
          open.onerror = () => reject(open.error);
        }),
      { lat: dschang.latitude, lon: dschang.longitude },
    );

    await old.page.goto(`${api.url}/app/reports`);
    await eventually(async () => (await byDescription('Dépôt sauvage derrière l’école (avant la mise à jour)')).length > 0, 'the report queued before the update');
    await expect.poll(() => screen(old.page).locator('[data-testid="outbox-entry"]').count()).toBe(0);
    expect(await byDescription('Dépôt sauvage derrière l’école (avant la mise à jour)')).toHaveLength(1);
  });

  it('lets the reporter dispute a fix that did not hold, and shows the report reopened', async () => {
    const { page } = phone;
    const [pothole] = await byDescription('Nid-de-poule devant le lycée (hors ligne 1)');
    await dispatcher.act(pothole.id, 'assign', { teamId: 'dschang-voirie', agentId: 'U-agent-dschang' });
    await agent.act(pothole.id, 'start', {});
    await agent.act(pothole.id, 'resolve', { note: 'Trou rebouché' });
    await page.goto(`${api.url}/app/reports/${pothole.id}`);
    await screen(page).locator('.detail-head [data-status="resolved"]').waitFor();

    await screen(page).locator('[data-testid="note"] textarea').fill('Le trou est revenu après la pluie');
    await screen(page).locator('[data-testid="dispute"]').click();
    await screen(page).getByText('Merci, votre réponse est enregistrée.').waitFor();
    await screen(page).locator('.detail-head [data-status="reopened"]').waitFor();
    // The history has its own projector: the page shows the line once it is there.
    await screen(page).locator('[data-summary$="resolution_disputed"]').waitFor();
    const { items } = await dispatcher.call('GET', `/api/tickets/${pothole.id}/timeline`);
    expect(items.find((i: { summary: string }) => i.summary.endsWith('resolution_disputed'))?.data.note).toBe('Le trou est revenu après la pluie');
    await screenshot(page, 'dispute-reopened');
  }, 60_000);

  it('brings the history up to date when it is projected late', async () => {
    const { page } = phone;
    const [pothole] = await byDescription('Nid-de-poule devant le lycée (hors ligne 1)');
    const started = screen(page).locator('[data-summary$="work_started"]');
    await expect.poll(() => started.count()).toBe(1);
    const release = await holdProjector(api, 'timeline');
    try {
      await agent.act(pothole.id, 'start', {});
      // The status comes live once the server stops waiting for the held history.
      await screen(page).locator('.detail-head [data-status="in_progress"]').waitFor();
      expect(await started.count()).toBe(1);
    } finally {
      await release();
    }
    await expect.poll(() => started.count()).toBe(2);
  }, 60_000);

  it('lists neighbours’ public reports nearby and counts a "me too" once', async () => {
    const { page } = phone;
    const neighbour = await new ApiUser(api.url).asCitizen('device-neighbour-0001');
    const { id } = await neighbour.call(
      'POST',
      '/api/tickets',
      { category: 'eclairage', subcategory: 'lampadaire-en-panne', description: 'Lampadaire éteint rue du marché', location: { lat: 5.4531, lon: 10.0541, accuracy: 8 } },
      { 'idempotency-key': 'neighbour-report-0001' },
    );
    const hidden = await neighbour.call(
      'POST',
      '/api/tickets',
      { category: 'autre', description: 'Signalement confidentiel du voisin', location: { lat: 5.4529, lon: 10.0539 }, confidential: true },
      { 'idempotency-key': 'neighbour-report-0002' },
    );
    await eventually(async () => (await byDescription('Lampadaire éteint rue du marché')).length > 0, 'the neighbour report projected');

    await page.goto(`${api.url}/app/nearby`);
    const card = screen(page).locator('[data-testid="nearby"]').filter({ has: page.locator(`[data-ticket-id="${id}"]`) });
    await card.waitFor();
    expect(await screen(page).locator(`[data-ticket-id="${hidden.id}"]`).count()).toBe(0);
    await screenshot(page, 'nearby-1-list');

    await card.locator('[data-testid="me-too"]').click();
    await card.locator('[data-testid="me-too-done"]', { hasText: '1' }).waitFor();
    await screenshot(page, 'nearby-2-me-too');

    // After a reload the button stays spent, and a retried "me too" from the same phone adds nothing.
    await page.reload();
    await screen(page).locator(`[data-testid="nearby"] [data-ticket-id="${id}"]`).waitFor();
    await card.locator('[data-testid="me-too-done"]').waitFor();
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('palabre.session')!).accessToken as string);
    const again = await new ApiUser(api.url).useToken(token).raw('POST', `/api/tickets/${id}/confirm`, {});
    expect(again.status).toBeLessThan(300);
    const [ticket] = await byDescription('Lampadaire éteint rue du marché');
    expect(ticket.confirmations).toBe(1);
  }, 120_000);

  it('keeps every touch target at least 44 px and every image described or marked decorative', async () => {
    const { page } = phone;
    const passer = await new ApiUser(api.url).asCitizen('device-passer-by-0001');
    const { id } = await passer.call(
      'POST',
      '/api/tickets',
      { category: 'voirie', description: 'Caniveau effondré', location: { lat: 5.4522, lon: 10.0531 } },
      { 'idempotency-key': 'passer-by-report-0001' },
    );
    await eventually(async () => (await byDescription('Caniveau effondré')).length > 0, 'the report projected');
    for (const path of ['report', 'report/photo', 'report/position', 'reports', `reports/${id}`, 'nearby']) {
      await page.goto(`${api.url}/app/${path}`);
      await screen(page).locator('ion-content').first().waitFor();
      await page.waitForLoadState('networkidle');
      const { small, undescribed } = await accessibilityProblems(page);
      expect(small, path).toEqual([]);
      expect(undescribed, path).toEqual([]);
    }
  }, 90_000);

  it('switches to English and back', async () => {
    const { page } = phone;
    await page.goto(`${api.url}/app/report`);
    await screen(page).locator('.category-tile').first().waitFor();
    await screen(page).getByRole('button', { name: /Langue/ }).click();
    await screen(page).getByText('What is the problem?').waitFor();
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
    await screenshot(page, 'language-english');
    await screen(page).getByRole('button', { name: /Language/ }).click();
    await screen(page).getByText('Quel est le problème ?').waitFor();
  }, 60_000);
});

describe('the first screen on a phone that never opened the app', () => {
  it('fetches nothing it does not need before it can be used: not the map, not the offline cache, which follow once it is shown', async () => {
    const fresh = await openPhone();
    try {
      const { page, context } = fresh;
      await context.addInitScript(() => {
        const register = ServiceWorkerContainer.prototype.register;
        ServiceWorkerContainer.prototype.register = function (...args: Parameters<typeof register>) {
          (window as unknown as { __swRegisteredAt: number }).__swRegisteredAt = performance.now();
          return register.apply(this, args);
        };
      });
      await page.goto(`${api.url}/app/`);
      await screen(page).locator('.category-tile').first().waitFor();
      const shownAt = await page.evaluate(() => performance.getEntriesByName('palabre:first-screen')[0]?.startTime ?? null);
      expect(shownAt).not.toBeNull();
      const fetchedBefore = await page.evaluate(
        (before) => performance.getEntriesByType('resource').filter((e) => e.startTime < before).map((e) => new URL(e.name).pathname),
        shownAt!,
      );
      const map = mapFiles();
      expect(map.length).toBeGreaterThanOrEqual(2);
      expect(fetchedBefore.filter((path) => map.includes(path))).toEqual([]);
      expect(fetchedBefore).toContain('/api/categories');

      // Afterwards the service worker starts and keeps the map (and the other screens) for offline use.
      await waitForServiceWorker(page);
      expect(await page.evaluate(() => (window as unknown as { __swRegisteredAt?: number }).__swRegisteredAt)).toBeGreaterThan(shownAt!);
      const cached = await page.evaluate(async (paths) => (await Promise.all(paths.map(async (path) => ((await caches.match(path)) ? path : null)))).filter(Boolean), map);
      expect(cached).toEqual(map);

      // Offline from here on: every file now comes from what the worker's install fetched, none from what
      // this page loaded itself (it loaded before the worker was there). The app opens and takes a photo.
      await context.setOffline(true);
      try {
        await fileReport(page, { category: 'salubrite', description: 'Caniveau bouché (premier passage hors ligne)', photo });
        await expect.poll(() => screen(page).locator('[data-testid="outbox-entry"]').count()).toBe(1);
      } finally {
        await context.setOffline(false);
      }
      await expect.poll(() => screen(page).locator('[data-testid="outbox-entry"]').count(), { timeout: 60_000 }).toBe(0);
    } finally {
      await fresh.close();
    }
  }, 180_000);

  it('shows the category tiles before the app has loaded, and a tile tapped then takes the app on to the photo step', async () => {
    const fresh = await openPhone();
    try {
      const { page } = fresh;
      // The app's own code is held back until the person has tapped, as on 2G where it arrives seconds after the tiles.
      let release!: () => void;
      const tapped = new Promise<void>((resolve) => (release = resolve));
      await page.route(/\/app\/assets\/boot-[^/]+\.js$/, async (route) => {
        await tapped;
        await route.continue();
      });
      await page.goto(`${api.url}/app/`);
      const waiting = page.locator('.waiting-screen');
      await waiting.getByRole('heading', { name: 'Quel est le problème ?' }).waitFor();
      expect(await page.evaluate(() => performance.getEntriesByName('palabre:first-screen').length)).toBe(1);
      expect(await page.locator('.ion-page').count()).toBe(0);
      const categories = (await (await fetch(`${api.url}/api/categories`)).json()) as { id: string; labels: { fr: string; en: string } }[];
      const chosen = categories[1]!;
      const tile = waiting.locator(`[data-waiting-category="${chosen.id}"]`);
      await expect.poll(() => tile.textContent()).toBe(`${chosen.labels.fr}${chosen.labels.en}`);
      await tile.click();
      expect(await tile.getAttribute('aria-pressed')).toBe('true');
      await waiting.getByRole('status').getByText('Ouverture de l’application…').waitFor();
      await screenshot(page, 'first-screen-waiting');

      release();
      await screen(page).getByText('Étape 2 sur 4').waitFor();
      await expect.poll(() => page.locator('.waiting-screen').count()).toBe(0);
      expect(new URL(page.url()).pathname).toBe('/app/report/photo');
      expect(await page.locator('#root').getAttribute('aria-hidden')).toBeNull();
      // The tap is the draft's: back on the first step, that tile is the one chosen.
      await screen(page).locator('ion-back-button').click();
      await screen(page).locator(`.category-tile[data-category="${chosen.id}"][aria-pressed="true"]`).waitFor();
    } finally {
      await fresh.close();
    }
  }, 60_000);

  it('opens a link into another screen without the waiting screen', async () => {
    const fresh = await openPhone();
    try {
      const { page } = fresh;
      await page.goto(`${api.url}/app/reports`);
      await screen(page).locator('[data-testid="tab-reports"], .ion-page').first().waitFor();
      await expect.poll(() => page.evaluate(() => performance.getEntriesByName('palabre:first-screen').length)).toBe(1);
      expect(await page.locator('.waiting-screen').count()).toBe(0);
    } finally {
      await fresh.close();
    }
  }, 60_000);
});
