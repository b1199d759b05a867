import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { type TestPalabre, holdProjector, startTestPalabre } from '@palabre/command-api/testing/palabre';
import { buildRendererIfStale, openBrowser, reportAsCitizen, screenshot, signIn, staffSession } from './support.js';

/**
 * The dispatcher console end to end: Debian's Chromium (playwright-core) against the real API on
 * the test PostgreSQL, serving the built renderer at /console/. Screenshots go to
 * test-artifacts/console/.
 */

interface TicketView {
  id: string;
  reference: string;
  status: string;
  priority: string;
  revision: number;
}

let api: TestPalabre;
const browsers: Awaited<ReturnType<typeof openBrowser>>[] = [];
let alice: Page; // dispatcher.soa
let bruno: Page; // admin.soa, the second person on the same tickets
let carla: Page; // dispatcher.dschang, who must never see Soa
let staff: Awaited<ReturnType<typeof staffSession>>;
let report: { id: string; reference: string };
const soaReports: string[] = [];

const browser = async () => {
  const b = await openBrowser();
  browsers.push(b);
  return b.page;
};
const gridRow = (page: Page, reference: string) => page.getByTestId('ticket-grid').locator('.ag-row').filter({ hasText: reference });
const rowText = (page: Page, reference: string) => gridRow(page, reference).first().innerText();

beforeAll(async () => {
  buildRendererIfStale();
  api = await startTestPalabre();
  staff = await staffSession(api.url, 'dispatcher.soa', api.demoPassword);
});

// Every dispatcher's Chromium starts and signs in before the tests: on a busy machine that takes
// seconds each, which belong to no test's own budget.
beforeAll(async () => {
  alice = await browser();
  await signIn(alice, api.url, 'dispatcher.soa', api.demoPassword);
  bruno = await browser();
  await signIn(bruno, api.url, 'admin.soa', api.demoPassword);
  carla = await browser();
  await signIn(carla, api.url, 'dispatcher.dschang', api.demoPassword);
});

// A failure says what the dispatcher's screen showed (the log outlives a clean clone's artifacts).
beforeEach((context) => {
  context.onTestFailed(async () => {
    if (!alice) return;
    await screenshot(alice, `failed-${context.task.name.slice(0, 40).replace(/\W+/g, '-')}`).catch(() => undefined);
    const shown = await alice.evaluate(() => ({
      live: document.querySelector('[data-testid="live-status"]')?.getAttribute('data-status') ?? null,
      panel: (document.querySelector('[data-testid="ticket-panel"]') as HTMLElement | null)?.innerText.slice(0, 2000) ?? null,
    })).catch((error: unknown) => ({ error: String(error) }));
    console.info(`console e2e failed: what alice's console showed: ${JSON.stringify(shown)}`);
  });
});

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await api?.close();
});

describe('the dispatcher console', () => {
  it('signs a Soa dispatcher in, in French, with the commune’s tickets, map and live status', async () => {
    await expect.poll(() => alice.getByTestId('commune-name').innerText()).toBe('Soa');
    expect(await alice.getByRole('button', { name: 'Signalements' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => alice.getByTestId('grid-total').innerText()).toBe('0 signalement(s)');
    expect(await alice.locator('.map-label').allInnerTexts()).toEqual(expect.arrayContaining(['Soa-Centre', 'Nkolfoulou', 'Ebogo']));
    await screenshot(alice, '01-signed-in');
  });

  it('shows a report submitted through the API in the grid, live, without reloading', async () => {
    await alice.evaluate(() => Object.assign(window, { notReloaded: true }));
    const submittedAt = Date.now();
    const created = await reportAsCitizen(api.url, { category: 'voirie', description: 'Grand nid de poule devant l’école publique', landmark: 'École publique de Soa', location: { lat: 3.995, lon: 11.6, accuracy: 6 } });
    soaReports.push(created.id);
    const view = await staff.ticket<TicketView>(created.id);
    report = { id: created.id, reference: view.reference };
    await gridRow(alice, report.reference).first().waitFor({ timeout: 10_000 });
    // Recorded for the figures, not asserted (speed belongs in benchmarks): the issue asks ≤ 2 s.
    console.info(`console e2e: report visible in the grid ${Date.now() - submittedAt} ms after POST`);
    expect(await alice.evaluate(() => (window as unknown as { notReloaded?: boolean }).notReloaded)).toBe(true);
    expect(await rowText(alice, report.reference)).toContain('Nouveau');
    await expect.poll(() => alice.getByTestId('grid-total').innerText()).toBe('1 signalement(s)');
    await screenshot(alice, '02-live-report');
  });

  it('opens the ticket with its location, Plus Code and history, and assigns it', async () => {
    await gridRow(alice, report.reference).first().click();
    const panel = alice.getByTestId('ticket-panel');
    await panel.getByRole('heading', { name: `Signalement ${report.reference}` }).waitFor();
    expect(await panel.getByTestId('plus-code').innerText()).toMatch(/^[23456789CFGHJMPQRVWX]{8}\+[23456789CFGHJMPQRVWX]{2}$/);
    await expect.poll(() => panel.getByTestId('timeline').innerText()).toContain('Signalé');
    expect(await panel.innerText()).toContain('École publique de Soa');

    await panel.getByRole('button', { name: /^Assigner/ }).click();
    const form = panel.getByTestId('form-assign');
    await form.locator('select[name="teamId"]').selectOption({ index: 0 });
    const team = await form.locator('select[name="teamId"] option:checked').innerText();
    await form.getByRole('button', { name: 'Valider' }).click();
    await expect.poll(() => panel.getByTestId('panel-status').innerText()).toBe('Assigné');
    expect(await panel.getByTestId('panel-assignee').innerText()).toContain(team);
    await expect.poll(() => panel.getByTestId('timeline').innerText()).toContain('Assigné');
    await expect.poll(() => rowText(alice, report.reference)).toContain('Assigné');
    await screenshot(alice, '03-assigned');
  });

  it('brings the history up to date when the timeline is projected late', async () => {
    const panel = alice.getByTestId('ticket-panel');
    const history = panel.getByTestId('timeline');
    const release = await holdProjector(api, 'timeline');
    try {
      await panel.getByRole('button', { name: /^Démarrer/ }).click();
      await panel.getByTestId('form-start').getByRole('button', { name: 'Valider' }).click();
      await expect.poll(() => panel.getByTestId('panel-status').innerText()).toBe('En cours');
      // The grid hears of it once the server stops waiting for the held history.
      await expect.poll(() => rowText(alice, report.reference)).toContain('En cours');
      expect(await history.innerText()).not.toContain('Intervention commencée');
    } finally {
      await release();
    }
    await expect.poll(() => history.innerText()).toContain('Intervention commencée');
  });

  it('shows the dispatcher’s own action once projected, even after the panel stopped waiting for it', async () => {
    const panel = alice.getByTestId('ticket-panel');
    const before = (await staff.get<TicketView>(`/api/tickets/${report.id}`)).revision;
    const release = await holdProjector(api, 'tickets');
    try {
      await panel.getByRole('button', { name: /^Note interne/ }).click();
      await panel.getByTestId('form-note').locator('textarea[name="text"]').fill('Barrière posée, le camion passe demain');
      await panel.getByTestId('form-note').getByRole('button', { name: 'Valider' }).click();
      // The panel waits a few seconds for the projection, then says the action is recorded anyway.
      await panel.getByTestId('form-note').waitFor({ state: 'detached' });
      expect(await panel.innerText()).toContain('Action enregistrée.');
      expect(await panel.innerText()).toContain(`révision ${before}`);
    } finally {
      await release();
    }
    await expect.poll(() => panel.innerText()).toContain(`révision ${before + 1}`);
    await expect.poll(() => panel.getByTestId('timeline').innerText()).toContain('Barrière posée');
    // Its own action is no news from someone else.
    expect(await panel.innerText()).not.toContain('Modifié entre-temps');
  });

  it('keeps the form the dispatcher opened next while the previous action is still being confirmed', async () => {
    const panel = alice.getByTestId('ticket-panel');
    const release = await holdProjector(api, 'tickets');
    try {
      await panel.getByRole('button', { name: /^Note interne/ }).click();
      await panel.getByTestId('form-note').locator('textarea[name="text"]').fill('Riverains prévenus');
      await panel.getByTestId('form-note').getByRole('button', { name: 'Valider' }).click();
      // The note is recorded; its projection is held, so the panel is still waiting to show it.
      await panel.getByRole('button', { name: /^Répondre/ }).click();
      await panel.getByTestId('form-reply').waitFor();
      await expect.poll(() => panel.innerText()).toContain('Action enregistrée.');
      // The note's answer closed the note's form only, not the reply being written.
      expect(await panel.getByTestId('form-reply').isVisible()).toBe(true);
      expect(await panel.getByTestId('form-note').count()).toBe(0);
    } finally {
      await release();
    }
    await panel.getByRole('button', { name: /^Répondre/ }).click();
    await panel.getByTestId('form-reply').waitFor({ state: 'detached' });
  });

  it('lets two dispatchers act on the same ticket: the second sees what changed and acts again on the fresh state', async () => {
    for (const page of [alice, bruno]) {
      await gridRow(page, report.reference).first().click();
      await page.getByTestId('ticket-panel').getByTestId('panel-status').waitFor();
    }
    const triage = async (page: Page, priority: string) => {
      const panel = page.getByTestId('ticket-panel');
      await panel.getByRole('button', { name: /^Trier/ }).click();
      await panel.getByTestId('form-triage').locator('select[name="priority"]').selectOption(priority);
      await panel.getByTestId('form-triage').getByRole('button', { name: 'Valider' }).click();
    };
    await triage(alice, 'high');
    // The form closes once the action is done (the notice may still be the previous action's).
    await alice.getByTestId('form-triage').waitFor({ state: 'detached' });
    expect(await alice.getByTestId('ticket-panel').innerText()).toContain('Action enregistrée.');

    // Bruno still decides on the revision he opened: the server refuses it with 412.
    await triage(bruno, 'urgent');
    const conflict = bruno.getByTestId('conflict');
    await conflict.waitFor();
    expect(await conflict.innerText()).toContain('Priorité : Normale → Haute');
    await screenshot(bruno, '04-conflict');

    await conflict.getByRole('button', { name: 'Refaire mon action sur la version à jour' }).click();
    await bruno.getByTestId('conflict').waitFor({ state: 'detached' });
    await expect.poll(() => bruno.getByTestId('ticket-panel').locator('.facts').innerText()).toContain('Urgente');
    const latest = await staff.get<TicketView>(`/api/tickets/${report.id}`);
    expect(latest.priority).toBe('urgent');
    // Alice's open panel hears of it too.
    await expect.poll(() => alice.getByTestId('ticket-panel').innerText()).toContain('Modifié entre-temps');
    await screenshot(bruno, '05-acted-again');
  });

  it('never shows Soa tickets to a Dschang dispatcher', async () => {
    const dschangReport = await reportAsCitizen(api.url, { category: 'eclairage', description: 'Lampadaire éteint au carrefour', location: { lat: 5.45, lon: 10.05, accuracy: 10 } });
    await expect.poll(() => carla.getByTestId('commune-name').innerText()).toBe('Dschang');
    const dschangView = await (await staffSession(api.url, 'dispatcher.dschang', api.demoPassword)).ticket<TicketView>(dschangReport.id);
    await gridRow(carla, dschangView.reference).first().waitFor();

    // A Soa report arriving while the Dschang console is open stays invisible there.
    const later = await reportAsCitizen(api.url, { category: 'salubrite', description: 'Bac à ordures plein', location: { lat: 3.985, lon: 11.59, accuracy: 5 } });
    soaReports.push(later.id);
    const laterView = await staff.ticket<TicketView>(later.id);
    await gridRow(alice, laterView.reference).first().waitFor();
    await expect.poll(() => carla.getByTestId('grid-total').innerText()).toBe('1 signalement(s)');
    const visible = await carla.getByTestId('ticket-grid').innerText();
    expect(visible).not.toContain(report.reference);
    expect(visible).not.toContain(laterView.reference);

    // Even a deep link to a Soa ticket finds nothing.
    await carla.evaluate((id) => (location.hash = `#ticket/${id}`), report.id);
    await expect.poll(() => carla.getByTestId('ticket-panel').innerText()).toContain('Signalement introuvable.');
    await screenshot(carla, '06-dschang');
  });

  it('shows the open ticket’s marker on the map', async () => {
    await alice.keyboard.press('Escape');
    await alice.getByRole('button', { name: 'Carte' }).click();
    await gridRow(alice, report.reference).first().click();
    const pin = alice.locator(`.ticket-pin[data-ticket-id="${report.id}"]`);
    await pin.waitFor();
    const [box, map] = [await pin.boundingBox(), await alice.getByTestId('map').boundingBox()];
    expect(box && map && box.x >= map.x && box.x + box.width <= map.x + map.width && box.y >= map.y && box.y + box.height <= map.y + map.height).toBe(true);
    await expect.poll(() => alice.getByTestId('map-count').innerText()).toMatch(/^[1-9]\d* point\(s\) dans la zone$/);
    await screenshot(alice, '07-map');
  });

  it('counts the new reports on the dashboard', async () => {
    await alice.getByRole('button', { name: 'Tableau de bord' }).click();
    await expect.poll(() => alice.getByTestId('kpi-received').innerText()).toContain(String(soaReports.length));
    expect(await alice.getByTestId('kpi-acknowledged').innerText()).toContain('1');
    expect(await alice.getByTestId('by-category').innerText()).toContain('Voirie');
    await screenshot(alice, '08-dashboard');
    await alice.getByRole('button', { name: 'EN', exact: true }).click();
    await alice.getByRole('button', { name: 'Dashboard' }).waitFor();
    expect(await alice.getByTestId('kpi-received').innerText()).toContain('Received');
    await screenshot(alice, '09-dashboard-en');
  });
});
