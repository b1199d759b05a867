import { randomUUID } from 'node:crypto';
import { signLatestTreeHead } from '@palabre/audit';
import { AuditLog } from '@palabre/command-api/audit/audit-log';
import type { TestPalabre } from '@palabre/command-api/testing/palabre';
import type { Request } from 'playwright-core';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { screen } from './flow.ts';
import { ApiUser, eventually, mapFiles, phoneAgainstApi, screenshot, type Phone } from './support.ts';

let api: TestPalabre;
let organiser: ApiUser;
let phone: Phone;

phoneAgainstApi({}, async (started) => {
  ({ api, phone } = started);
  organiser = await new ApiUser(api.url).login('dispatcher.soa', api.demoPassword);
});

const hour = 3_600_000;

/** A consultation of Soa drafted and opened by its organiser, as the console does it. */
async function openConsultation(content: { title: { fr: string; en: string }; mediaIds?: string[]; questions: unknown[] }): Promise<string> {
  const { id } = await organiser.call(
    'POST',
    '/api/consultations',
    {
      communeId: 'soa',
      requiredLevel: 'device',
      opensAt: new Date(Date.now() - hour).toISOString(),
      closesAt: new Date(Date.now() + 7 * 24 * hour).toISOString(),
      resultsVisibility: 'live',
      ...content,
    },
    { 'idempotency-key': randomUUID() },
  );
  await organiser.call('POST', `/api/consultations/${id}/open`, {}, { 'if-match': '"0"' });
  return id;
}

/** The paths the page itself asks for while `during` runs (the service worker's own fetches aside). */
async function requestedBy(page: Phone['page'], during: () => Promise<void>): Promise<string[]> {
  const paths: string[] = [];
  const record = (request: Request) => {
    if (!request.serviceWorker()) paths.push(new URL(request.url()).pathname);
  };
  page.on('request', record);
  try {
    await during();
  } finally {
    page.off('request', record);
  }
  return paths;
}

describe('a resident votes in the app', () => {
  it('verifies the phone, votes in three taps, changes the vote, and checks the ballot on the phone itself', async () => {
    const { id } = await organiser.call(
      'POST',
      '/api/consultations',
      {
        communeId: 'soa',
        title: { fr: 'Où installer le nouveau marché ?', en: 'Where should the new market go?' },
        description: { fr: 'Trois sites sont proposés.', en: 'Three sites are proposed.' },
        requiredLevel: 'phone',
        opensAt: new Date(Date.now() - hour).toISOString(),
        closesAt: new Date(Date.now() + 14 * 24 * hour).toISOString(),
        resultsVisibility: 'live',
        questions: [
          {
            id: 'site',
            kind: 'single',
            text: { fr: 'Quel site ?', en: 'Which site?' },
            options: [
              { id: 'gare', label: { fr: 'Près de la gare routière', en: 'Near the bus station' } },
              { id: 'stade', label: { fr: 'Derrière le stade', en: 'Behind the stadium' } },
            ],
          },
        ],
      },
      { 'idempotency-key': randomUUID() },
    );
    await organiser.call('POST', `/api/consultations/${id}/open`, {}, { 'if-match': '"0"' });
    // The resident opens the tab once the list (a projection, a moment behind the log) has it.
    await expect
      .poll(async () => ((await organiser.call('GET', '/api/consultations?communeId=soa&status=open')) as { items: { id: string }[] }).items.some((c) => c.id === id))
      .toBe(true);

    const { page } = phone;
    await page.goto(`${api.url}/app/consultations`);
    const listed = screen(page).locator(`[data-consultation-id="${id}"]`);
    await listed.waitFor();
    await screenshot(page, 'consultations-list');
    await listed.click();
    await screen(page).getByRole('heading', { name: 'Où installer le nouveau marché ?', level: 1 }).waitFor();

    // At the device level the app says what is missing and leads there.
    await screen(page).getByText('Pour voter, vérifiez votre numéro de téléphone.').waitFor();
    await screen(page).locator('[data-testid="verify-phone"]').click();
    await screen(page).locator('[data-testid="phone-number"] input').fill('677 12 34 56');
    await screen(page).getByRole('button', { name: 'Recevoir un code par SMS' }).click();
    const code = await eventually(async () => {
      const { messages } = await organiser.call('GET', '/api/sms/development');
      const sms = (messages as { to: string; text: string }[]).findLast((m) => m.to === '+237677123456');
      return sms && /^(\d{6}) /.exec(sms.text)![1]!;
    }, 'the code sent by SMS');
    await screen(page).locator('[data-testid="phone-code"] input').fill(code);
    await screen(page).locator('[data-testid="phone-verify"]').click();
    await screen(page).locator('[data-testid="phone-verified"]').waitFor();
    await screen(page).locator('[data-testid="residence-commune"]').selectOption('soa');
    await screen(page).locator('[data-testid="residence-save"]').click();
    await screen(page).getByText('Votre lieu de résidence est enregistré.').waitFor();
    await screenshot(page, 'consultations-phone-verified');

    // Back to the consultation: the choice, then "Voter".
    await page.goto(`${api.url}/app/consultations/${id}`);
    await screen(page).locator('[data-option="gare"]').click();
    await screen(page).locator('[data-testid="vote"]').click();
    const receipt = screen(page).locator('[data-testid="receipt"] .receipt-code');
    await receipt.waitFor();
    const first = (await receipt.textContent())!;
    expect(first).toMatch(/^[0-9A-HJKMNP-TV-Z]{5}-[0-9A-HJKMNP-TV-Z]{5}$/);
    await screenshot(page, 'consultations-voted');
    // Live results show the vote.
    await expect.poll(() => screen(page).locator('[data-testid="results"] [data-result-option="gare"]').getAttribute('data-votes'), { timeout: 20_000 }).toBe('1');

    // "Share the link": the consultation's public page, which any browser opens, app installed or not.
    await phone.context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: api.url });
    // This phone has no share sheet: the link goes to the clipboard.
    await page.evaluate(() => Object.defineProperty(Navigator.prototype, 'share', { value: undefined, configurable: true }));
    await screen(page).getByRole('button', { name: 'Partager le lien' }).click();
    await expect.poll(() => page.evaluate(() => navigator.clipboard.readText())).toBe(`${api.url}/c/${id}`);
    const shared = await fetch(`${api.url}/c/${id}`);
    expect(shared.status).toBe(200);
    expect(await shared.text()).toContain('Où installer le nouveau marché ?');

    // A change of mind: the new ballot counts, with a new receipt.
    await screen(page).locator('[data-option="stade"]').click();
    await screen(page).getByRole('button', { name: 'Changer mon vote' }).click();
    await expect.poll(() => receipt.textContent()).not.toBe(first);
    const second = (await receipt.textContent())!;

    // "Check my ballot": the phone checks the proof itself once a signed head covers the ballot.
    const audit = api.palabre.app.get(AuditLog);
    await eventually(async () => {
      await signLatestTreeHead(api.palabre.infra.pool, audit.signer);
      const reply = await fetch(`${api.url}/api/receipts/${second}`);
      return reply.ok && (await reply.json()).inclusion;
    }, 'a signed head covering the ballot');
    await screen(page).locator('[data-testid="check-ballot"]').click();
    for (const step of ['check-answers', 'check-leaf', 'check-included', 'check-signed', 'check-counted']) {
      await expect.poll(() => screen(page).locator(`[data-testid="${step}"]`).getAttribute('data-ok'), { timeout: 20_000 }).toBe('true');
    }
    await screen(page).getByText('Quel site ? : Derrière le stade').waitFor();
    await screenshot(page, 'consultations-ballot-checked');

    // The first receipt still proves its ballot, but says a later one replaced it.
    await page.goto(`${api.url}/app/consultations/receipts/${first.replace('-', '')}`);
    await expect.poll(() => screen(page).locator('[data-testid="check-counted"]').getAttribute('data-ok')).toBe('false');
    await screen(page).getByText('Un vote plus récent le remplace').waitFor();
  }, 120_000);

  it("shows the resident's code for the agent's in-person check, until the check is made", async () => {
    const { page } = phone;
    await page.goto(`${api.url}/app/me/phone`);
    const shown = screen(page).locator('[data-testid="citizen-id"]');
    await shown.waitFor();
    const citizenId = (await shown.textContent())!.trim();
    expect(citizenId).toMatch(/^C[0-9A-Z]{26}$/);
    expect(await page.evaluate(() => JSON.parse(localStorage.getItem('palabre.session')!).citizenId)).toBe(citizenId);
    expect(await screen(page).locator('[data-testid="citizen-qr"] path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    await screenshot(page, 'identity-qr');

    // The agent reads the code (here: the id it carries) and checks the document.
    const agent = await new ApiUser(api.url).login('agent.soa', api.demoPassword);
    expect((await agent.call('POST', `/api/citizens/${citizenId}/verifications`, { method: 'in_person', documentNumber: 'CM55667788', quartierId: 'soa-centre' })).level).toBe('in_person');
    await page.reload();
    await screen(page).locator('[data-testid="residence-commune"]').waitFor();
    await expect.poll(() => screen(page).locator('[data-testid="citizen-qr"]').count()).toBe(0);
  }, 60_000);

  it('shows the photos and a map of the proposed sites, and a tap on a marker is the choice', async () => {
    // A photo of the site, as an organiser takes it: the library keeps it full size and as a thumbnail.
    const jpeg = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 180, g: 120, b: 60 } } }).jpeg({ quality: 80 }).toBuffer();
    const { mediaId } = await organiser.upload(jpeg, 'site-du-marche.jpg', 'image/jpeg');
    const title = { fr: 'Où construire la halle aux vivres ?', en: 'Where should the food hall be built?' };
    const id = await openConsultation({
      title,
      mediaIds: [mediaId],
      questions: [
        {
          id: 'halle',
          kind: 'single',
          text: { fr: 'Quel site ?', en: 'Which site?' },
          options: [
            { id: 'carrefour', label: { fr: 'Carrefour de la mairie', en: 'Town hall crossroads' }, point: { lat: 3.9921, lon: 11.5962 } },
            { id: 'ecole', label: { fr: 'Derrière l’école publique', en: 'Behind the public school' }, point: { lat: 3.9878, lon: 11.6011 } },
            { id: 'ailleurs', label: { fr: 'Autre endroit', en: 'Somewhere else' } },
          ],
        },
      ],
    });

    const { page } = phone;
    const requested = await requestedBy(page, async () => {
      await page.goto(`${api.url}/app/consultations/${id}`);
      await screen(page).getByRole('heading', { name: title.fr, level: 1 }).waitFor();

      // The thumbnail, described, loads lazily; the full size is fetched only when tapped.
      const thumbnail = screen(page).locator('.consultation-photos img');
      await thumbnail.waitFor();
      expect(await thumbnail.getAttribute('alt')).toBe(`Photo 1 sur 1 : ${title.fr}`);
      expect(await thumbnail.getAttribute('loading')).toBe('lazy');
      expect(await thumbnail.getAttribute('decoding')).toBe('async');
      expect(new URL((await thumbnail.getAttribute('src'))!, api.url).pathname).toBe(`/api/media/${mediaId}/thumb`);
      await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);

      // Two of the three options say where they are: two numbered markers, labelled, framed on the map.
      const markers = screen(page).locator('.options-map .palabre-marker');
      await expect.poll(() => markers.count(), { timeout: 20_000 }).toBe(2);
      expect(await markers.allTextContents()).toEqual(['1Carrefour de la mairie', '2Derrière l’école publique']);
      // Every target on the screen, the markers and the thumbnail included, takes a thumb.
      const small = await page.evaluate(() =>
        [...document.querySelectorAll('.ion-page:not(.ion-page-hidden) :is(button, a[href], ion-button)')]
          .filter((element) => !element.parentElement?.closest('ion-button'))
          .map((element) => ({ element, box: element.getBoundingClientRect() }))
          .filter(({ box }) => box.width > 0 && (box.width < 44 || box.height < 44))
          .map(({ element, box }) => `${element.tagName} "${element.textContent?.trim()}" ${box.width}×${box.height}`),
      );
      expect(small).toEqual([]);
      const map = await screen(page).locator('.options-map .palabre-map').boundingBox();
      for (const box of await markers.evaluateAll((all) => all.map((m) => m.getBoundingClientRect().toJSON() as DOMRect))) {
        expect(box.left).toBeGreaterThanOrEqual(map!.x);
        expect(box.right).toBeLessThanOrEqual(map!.x + map!.width);
        expect(box.top).toBeGreaterThanOrEqual(map!.y);
        expect(box.bottom).toBeLessThanOrEqual(map!.y + map!.height);
      }
      await screenshot(page, 'consultations-photos-map');

      // A tap opens the photo full size in the phone's own viewer, over the app.
      const [full] = await Promise.all([phone.context.waitForEvent('page'), screen(page).locator('.consultation-photos a').tap()]);
      await full.waitForLoadState();
      expect(new URL(full.url()).pathname).toBe(`/api/media/${mediaId}`);
      expect(await full.evaluate(() => document.images[0]?.naturalWidth)).toBe(1200);
      await screenshot(full, 'consultations-photo-full-size');
      await full.close();

      // A tap on the second marker chooses that site in the ballot; "Voter" sends it.
      await markers.nth(1).tap();
      await expect.poll(() => screen(page).locator('[data-option="ecole"]').getAttribute('aria-pressed')).toBe('true');
      // The map's markers follow in its own effect, a frame after the ballot's button.
      await expect.poll(() => markers.nth(1).getAttribute('aria-pressed')).toBe('true');
      expect(await markers.nth(0).getAttribute('aria-pressed')).toBe('false');
      await screen(page).locator('[data-testid="vote"]').click();
      await screen(page).locator('[data-testid="receipt"] .receipt-code').waitFor();

      // The markers speak the resident's language.
      await screen(page).getByRole('button', { name: /Langue/ }).click();
      await expect.poll(() => markers.allTextContents()).toEqual(['1Town hall crossroads', '2Behind the public school']);
      expect(await screen(page).locator('.consultation-photos img').getAttribute('alt')).toBe(`Photo 1 of 1: ${title.en}`);
      await screen(page).getByRole('button', { name: /Language/ }).click();
      await expect.poll(() => markers.first().textContent()).toBe('1Carrefour de la mairie');
    });
    expect(requested).toContain(`/api/media/${mediaId}/thumb`);
    expect(requested).not.toContain(`/api/media/${mediaId}`);
    expect(requested).toContain(mapFiles()[0]);
  }, 90_000);

  it('fetches no photo and no map for a consultation without them', async () => {
    const title = { fr: 'Faut-il fermer la rue du marché le dimanche ?', en: 'Should the market street close on Sundays?' };
    const id = await openConsultation({
      title,
      questions: [{ id: 'dimanche', kind: 'single', text: { fr: 'Votre avis', en: 'Your view' }, options: [{ id: 'oui', label: { fr: 'Oui', en: 'Yes' } }, { id: 'non', label: { fr: 'Non', en: 'No' } }] }],
    });
    const { page } = phone;
    const requested = await requestedBy(page, async () => {
      await page.goto(`${api.url}/app/consultations/${id}`);
      await screen(page).getByRole('heading', { name: title.fr, level: 1 }).waitFor();
      await screen(page).locator('[data-option="oui"]').waitFor();
      await page.waitForLoadState('networkidle');
    });
    expect(requested).toContain(`/api/consultations/${id}`);
    expect(requested.filter((path) => path.startsWith('/api/media'))).toEqual([]);
    expect(requested.filter((path) => mapFiles().includes(path))).toEqual([]);
    expect(await screen(page).locator('.consultation-photos, .options-map, .palabre-map').count()).toBe(0);
  }, 60_000);
});
