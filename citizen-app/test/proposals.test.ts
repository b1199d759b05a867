import { randomUUID } from 'node:crypto';
import type { TestPalabre } from '@palabre/command-api/testing/palabre';
import sharp from 'sharp';
import { describe, expect, it, onTestFinished } from 'vitest';
import { accessibilityProblems, screen } from './flow.ts';
import { streetPhoto } from './images.ts';
import { ApiUser, eventually, phoneAgainstApi, screenshot, shownNotifications, type Phone } from './support.ts';

let api: TestPalabre;
let phone: Phone;
let dispatcher: ApiUser;
let agent: ApiUser;
let photo: string;

phoneAgainstApi(
  {
    notifications: true,
    // A phone-sized photo: the on-device compression still runs, without holding a busy machine for long.
    alongside: async () => {
      photo = await streetPhoto(2000, 1500);
    },
  },
  async (started) => {
    ({ api, phone } = started);
    dispatcher = await new ApiUser(api.url).login('dispatcher.dschang', api.demoPassword);
    agent = await new ApiUser(api.url).login('agent.dschang', api.demoPassword);
  },
);

/** The code the development SMS gateway kept for `e164` (read as the console's staff would). */
const smsCode = (e164: string) =>
  eventually(async () => {
    const { messages } = await dispatcher.call('GET', '/api/sms/development');
    const sms = (messages as { to: string; text: string }[]).find((m) => m.to === e164);
    return sms && /^(\d{6}) /.exec(sms.text)![1]!;
  }, `the code sent by SMS to ${e164}`);

let residents = 0;
/** Another resident of Dschang, with a verified phone, on the API as their own phone would call it. */
async function verifiedResident(): Promise<ApiUser> {
  const n = residents++;
  const resident = await new ApiUser(api.url).asCitizen(`device-resident-${n}`);
  const e164 = `+237677${String(500_000 + n).padStart(6, '0')}`;
  await resident.call('POST', '/api/citizens/me/phone', { phone: e164 });
  expect((await resident.call('POST', '/api/citizens/me/phone/verify', { code: await smsCode(e164) })).level).toBe('phone');
  return resident;
}

/** Runs `task` for 0…n-1, `width` at a time. */
async function inBatches(n: number, width: number, task: (i: number) => Promise<void>): Promise<void> {
  for (let start = 0; start < n; start += width) await Promise.all(Array.from({ length: Math.min(width, n - start) }, (_, i) => task(start + i)));
}

/** A proposal as the API shows it once its read model has it. */
const proposalShown = (id: string, check: (p: Record<string, any>) => boolean, what: string) =>
  eventually(async () => {
    const reply = await dispatcher.raw('GET', `/api/proposals/${id}`);
    return reply.status === 200 && check(reply.body) && reply.body;
  }, what, 60_000);

const title = 'Une passerelle sur le ruisseau du centre-ville';
let proposalId: string;
let projectId: string;

describe('proposals in the app', () => {
  it('verifies the phone, then proposes in four screens with a photo, offline: it waits on the phone, goes out once, and shows in the list', async () => {
    const { page, context } = phone;
    await page.goto(`${api.url}/app/me/phone`);
    await screen(page).locator('[data-testid="phone-number"] input').fill('677 12 34 56');
    await screen(page).getByRole('button', { name: 'Recevoir un code par SMS' }).click();
    await screen(page).locator('[data-testid="phone-code"] input').fill(await smsCode('+237677123456'));
    await screen(page).locator('[data-testid="phone-verify"]').click();
    await screen(page).locator('[data-testid="phone-verified"]').waitFor();
    await screen(page).locator('[data-testid="residence-commune"]').selectOption('dschang');
    await screen(page).locator('[data-testid="residence-quartier"]').selectOption('dschang-centre-ville');
    await screen(page).locator('[data-testid="residence-save"]').click();
    await screen(page).getByText('Votre lieu de résidence est enregistré.').waitFor();

    await page.goto(`${api.url}/app/proposals`);
    await screen(page).locator('[data-testid="propose"]').waitFor();
    await screenshot(page, 'proposals-0-list-empty');
    await screen(page).locator('[data-testid="propose"]').click();

    // 1: what it is about.
    await screen(page).getByText('Étape 1 sur 4').waitFor();
    await screenshot(page, 'proposals-1-category');
    await screen(page).locator('[data-category="voirie"]').click();

    // 2: a photo, made smaller on the phone.
    await screen(page).getByText('Étape 2 sur 4').waitFor();
    const chooser = page.waitForEvent('filechooser');
    await screen(page).getByText('Choisir dans la galerie').click();
    await (await chooser).setFiles(photo);
    const size = screen(page).locator('[data-testid="photo-size"]');
    await size.waitFor({ timeout: 30_000 });
    expect(Number(await size.getAttribute('data-bytes'))).toBeLessThanOrEqual(200 * 1024);
    await screenshot(page, 'proposals-2-photo');
    await screen(page).locator('[data-testid="photos-next"]').click();

    // 3: where: the GPS puts the pin in Dschang's centre-ville.
    await screen(page).getByText('Étape 3 sur 4').waitFor();
    await expect.poll(() => screen(page).locator('[data-testid="place-chosen"]').textContent(), { timeout: 20_000 }).toContain('Centre-ville, Dschang');
    await screenshot(page, 'proposals-3-place');
    await screen(page).locator('[data-testid="place-next"]').click();

    // 4: a few words, then "send" with no network at all.
    await screen(page).getByText('Étape 4 sur 4').waitFor();
    await screen(page).locator('[data-testid="proposal-title"] input').fill(title);
    await screen(page).locator('[data-testid="proposal-description"] textarea').fill('Les enfants traversent le ruisseau à gué pour aller à l’école ; en saison des pluies c’est dangereux.');
    await screen(page).locator('[data-testid="proposal-cost"] input').fill('2 500 000');
    await screenshot(page, 'proposals-4-details');
    await context.setOffline(true);
    onTestFinished(() => context.setOffline(false));
    await screen(page).locator('[data-testid="proposal-send"]').click();
    await page.waitForURL(/\/app\/proposals$/);

    // Waiting on the phone, shown as such, and not at the commune.
    const waiting = screen(page).locator('[data-testid="outbox-entry"][data-kind="proposal"]');
    await waiting.waitFor();
    await expect(waiting.textContent()).resolves.toContain(title);
    await screenshot(page, 'proposals-5-waiting-offline');
    expect((await dispatcher.call('GET', '/api/proposals?communeId=dschang')).items).toEqual([]);

    // The signal returns: it goes out (photo first), once, and the list has it.
    await context.setOffline(false);
    await expect.poll(() => waiting.count(), { timeout: 60_000 }).toBe(0);
    const listed = screen(page).locator('[data-testid="proposal"]', { hasText: title });
    await listed.waitFor({ timeout: 30_000 });
    proposalId = (await listed.getAttribute('data-proposal-id'))!;
    await expect(listed.textContent()).resolves.toMatch(/Ouverte.*0 soutien/);
    await screenshot(page, 'proposals-6-listed');

    const { items } = await dispatcher.call('GET', '/api/proposals?communeId=dschang');
    expect(items.filter((p: { title: string }) => p.title === title)).toHaveLength(1);
    const sent = await dispatcher.call('GET', `/api/proposals/${proposalId}`);
    expect(sent).toMatchObject({ category: 'voirie', communeId: 'dschang', quartierId: 'dschang-centre-ville', costEstimate: 2_500_000, state: 'open', supports: 0 });
    expect(sent.media).toHaveLength(1);
  }, 180_000);

  it('counts the neighbours’ supports live on the open page, past the threshold after which the commune must answer', async () => {
    const { page } = phone;
    await screen(page).locator(`[data-proposal-id="${proposalId}"]`).click();
    await page.waitForURL(new RegExp(`/app/proposals/${proposalId}$`));
    await screen(page).getByRole('heading', { name: title, level: 1 }).waitFor();
    // The author does not support their own proposal: no button, a word instead.
    await screen(page).getByText('C’est votre proposition').waitFor();
    expect(await screen(page).locator('[data-testid="support"]').count()).toBe(0);
    await screen(page).locator('.live-dot--live').waitFor();
    const supports = screen(page).locator('[data-testid="supports"]');
    expect(await supports.getAttribute('data-supports')).toBe('0');

    // A hundred residents with a verified phone support it, ten at a time, while the page stays open
    // (the commune's threshold: from then on it must answer). The page is never reloaded: each count is pushed.
    const threshold = 100;
    const supportFrom = async () => {
      const neighbour = await verifiedResident();
      expect((await neighbour.raw('POST', `/api/proposals/${proposalId}/supports`, {}, { 'idempotency-key': randomUUID() })).status).toBe(201);
    };
    await inBatches(threshold / 2, 10, supportFrom);
    await expect.poll(() => supports.getAttribute('data-supports'), { timeout: 60_000 }).toBe(String(threshold / 2));
    expect(await screen(page).locator('[data-testid="answer-by"]').count()).toBe(0);
    await inBatches(threshold / 2, 10, supportFrom);
    await expect.poll(() => supports.getAttribute('data-supports'), { timeout: 60_000 }).toBe(String(threshold));
    await screen(page).locator('[data-testid="answer-by"]').waitFor();
    await screenshot(page, 'proposals-7-supported-live');
    expect((await proposalShown(proposalId, (p) => p.supports === threshold, 'the supports counted')).answerBy).toEqual(expect.any(String));
  }, 240_000);

  it('supports a neighbour’s proposal once (the button is then gone), and reports another as spam', async () => {
    const { page } = phone;
    const neighbour = await verifiedResident();
    const propose = async (body: Record<string, unknown>) => (await neighbour.call('POST', '/api/proposals', body, { 'idempotency-key': randomUUID() })).id as string;
    const market = await propose({ title: 'Un marché couvert à Foto', description: 'Les commerçantes vendent sous la pluie toute la saison.', category: 'voirie', quartierId: 'dschang-foto' });
    const advert = await propose({ title: 'Achetez mes téléphones', description: 'Téléphones pas chers, appelez-moi au marché.', category: 'autre', location: { lat: 5.4531, lon: 10.0541 } });
    await proposalShown(market, () => true, 'the market proposal');
    await proposalShown(advert, () => true, 'the advert');

    await page.goto(`${api.url}/app/proposals/${market}`);
    const support = screen(page).locator('[data-testid="support"]');
    await support.waitFor();
    await screenshot(page, 'proposals-8-neighbour-proposal');
    await support.click();
    await screen(page).locator('[data-testid="supporting"]').waitFor();
    expect(await support.count()).toBe(0);
    await screen(page).locator('[data-testid="withdraw-support"]').waitFor();
    await expect.poll(() => screen(page).locator('[data-testid="supports"]').getAttribute('data-supports'), { timeout: 20_000 }).toBe('1');
    await screenshot(page, 'proposals-9-supported');

    // After a reload the page still knows; and the API refuses a second support from this phone.
    await page.reload();
    await screen(page).locator('[data-testid="supporting"]').waitFor();
    expect(await screen(page).locator('[data-testid="support"]').count()).toBe(0);
    const token = await page.evaluate(() => JSON.parse(localStorage.getItem('palabre.session')!).accessToken as string);
    const again = await new ApiUser(api.url).useToken(token).raw('POST', `/api/proposals/${market}/supports`, {});
    expect([again.status, again.body.code]).toEqual([409, 'proposal.already_supported']);
    expect((await proposalShown(market, () => true, 'the market proposal')).supports).toBe(1);

    await page.goto(`${api.url}/app/proposals/${advert}`);
    await screen(page).locator('[data-testid="flag"]').click();
    await screen(page).locator('[data-flag-reason="spam"]').click();
    await screen(page).locator('[data-testid="flagged"]').waitFor();
    await screenshot(page, 'proposals-10-flagged');
    expect((await proposalShown(advert, (p) => p.flagsTotal === 1, 'the flag counted')).state).toBe('open');
  }, 120_000);

  it('shows the commune’s answer live on the open page, with a notice and a notification', async () => {
    const { page } = phone;
    await page.goto(`${api.url}/app/proposals/${proposalId}`);
    await screen(page).getByRole('heading', { name: title, level: 1 }).waitFor();
    await screen(page).locator('.live-dot--live').waitFor();
    expect(await screen(page).locator('[data-testid="answer"]').count()).toBe(0);

    const { revision } = await proposalShown(proposalId, () => true, 'the proposal');
    await dispatcher.call('POST', `/api/proposals/${proposalId}/answer`, { state: 'accepted', text: { fr: 'Inscrite au budget 2027 de la commune.', en: 'In the commune’s 2027 budget.' } }, { 'if-match': `"${revision}"` });

    await page.locator('[data-testid="notice"]').filter({ hasText: `La commune a répondu à « ${title} »` }).waitFor({ state: 'attached', timeout: 30_000 });
    const answer = screen(page).locator('[data-testid="answer"][data-state="accepted"]');
    await answer.waitFor();
    await expect(answer.textContent()).resolves.toContain('Inscrite au budget 2027 de la commune.');
    await expect(screen(page).locator('.detail-head [data-state="accepted"]').textContent()).resolves.toContain('Acceptée');
    await screenshot(page, 'proposals-11-answered-live');
    const notifications = await eventually(async () => {
      const shown = await shownNotifications(page);
      return shown.some((n) => n.title.includes(title)) && shown;
    }, 'the system notification of the answer');
    expect(notifications.find((n) => n.title.includes(title))!.body).toBe('Inscrite au budget 2027 de la commune.');

    // In English, the answer is the commune's English text.
    await screen(page).getByRole('button', { name: /Langue/ }).click();
    await expect.poll(() => answer.textContent()).toContain('In the commune’s 2027 budget.');
    await screen(page).getByRole('button', { name: /Language/ }).click();
    await expect.poll(() => answer.textContent()).toContain('Inscrite au budget 2027 de la commune.');
  }, 90_000);

  it('leads to the project made of it, whose milestone with its photo, progress and stage come live', async () => {
    const { page } = phone;
    ({ id: projectId } = await dispatcher.call('POST', '/api/projects', { communeId: 'dschang', title: 'Passerelle du centre-ville', proposalIds: [proposalId] }, { 'idempotency-key': randomUUID() }));
    await eventually(async () => (await dispatcher.raw('GET', `/api/projects/${projectId}`)).status === 200, 'the project projected');

    await page.reload();
    const link = screen(page).locator(`[data-testid="project-link"][data-project-id="${projectId}"]`);
    await link.waitFor();
    await link.click();
    await page.waitForURL(new RegExp(`/app/projects/${projectId}$`));
    await screen(page).getByRole('heading', { name: 'Passerelle du centre-ville', level: 1 }).waitFor();
    // Until the page transition ends, the proposal's page shows too: this is the project's.
    await page.locator('.project-page .live-dot--live').waitFor();
    const progress = screen(page).locator('[data-testid="progress"]');
    expect(await progress.getAttribute('data-percent')).toBe('0');
    await screen(page).getByText('Pas encore commencé').waitFor();

    // On site: the works begin, 40 % done, a milestone with the agent's photo.
    const jpeg = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 120, g: 110, b: 90 } } }).jpeg({ quality: 80 }).toBuffer();
    const { mediaId } = await agent.upload(jpeg, 'fondations.jpg', 'image/jpeg');
    await agent.call('POST', `/api/projects/${projectId}/stages`, { stage: 'built' });
    await agent.call('POST', `/api/projects/${projectId}/progress`, { percent: 40 });
    await agent.call('POST', `/api/projects/${projectId}/milestones`, { title: 'Fondations coulées', note: 'Béton dosé à 350 kg', mediaIds: [mediaId] }, { 'idempotency-key': randomUUID() });

    const milestone = screen(page).locator('[data-testid="milestone"]', { hasText: 'Fondations coulées' });
    await milestone.waitFor({ timeout: 30_000 });
    await page.locator('[data-testid="notice"]').filter({ hasText: 'Passerelle du centre-ville : Fondations coulées' }).waitFor({ state: 'attached', timeout: 30_000 });
    const thumbnail = milestone.locator('img');
    expect(new URL((await thumbnail.getAttribute('src'))!, api.url).pathname).toBe(`/api/media/${mediaId}/thumb`);
    await expect.poll(() => thumbnail.evaluate((img: HTMLImageElement) => (img.complete ? img.naturalWidth : 0))).toBeGreaterThan(0);
    await expect.poll(() => progress.getAttribute('data-percent')).toBe('40');
    expect(await progress.getAttribute('aria-valuenow')).toBe('40');
    await expect.poll(() => screen(page).locator('[data-stage="built"]').getAttribute('data-current')).toBe('true');
    expect(await screen(page).locator('[data-stage="procured"]').textContent()).toContain('terminée');

    // The budget, in francs CFA as people write them.
    const project = await dispatcher.call('GET', `/api/projects/${projectId}`);
    await dispatcher.call('POST', `/api/projects/${projectId}/budget`, { planned: 12_000_000, committed: 9_500_000, spent: 4_000_000 }, { 'if-match': `"${project.revision}"` });
    await expect.poll(() => screen(page).locator('[data-budget="planned"]').textContent(), { timeout: 20_000 }).toMatch(/^12\s000\s000\sFCFA$/u);
    await screenshot(page, 'proposals-12-project-live');
  }, 120_000);

  it('keeps every touch target at least 44 px and every image described, in both languages', async () => {
    const { page } = phone;
    for (const path of ['proposals', 'proposals/new', 'proposals/new/photos', 'proposals/new/place', `proposals/${proposalId}`, `projects/${projectId}`]) {
      await page.goto(`${api.url}/app/${path}`);
      await screen(page).locator('ion-content').first().waitFor();
      await page.waitForLoadState('networkidle');
      await screen(page).locator('.screen-title, [data-testid="proposal"]').first().waitFor();
      const { small, undescribed } = await accessibilityProblems(page);
      expect(small, path).toEqual([]);
      expect(undescribed, path).toEqual([]);
    }
    await page.goto(`${api.url}/app/proposals`);
    await screen(page).getByRole('button', { name: /Langue/ }).click();
    await screen(page).getByText('Propose an idea').first().waitFor();
    await expect(screen(page).locator(`[data-proposal-id="${proposalId}"]`).textContent()).resolves.toMatch(/Accepted.*100 support/);
    await screenshot(page, 'proposals-13-english');
    await screen(page).getByRole('button', { name: /Language/ }).click();
    await screen(page).getByText('Proposer une idée').first().waitFor();
  }, 90_000);
});
