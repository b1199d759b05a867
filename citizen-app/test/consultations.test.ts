import { randomUUID } from 'node:crypto';
import { signLatestTreeHead } from '@palabre/audit';
import { AuditLog } from '@palabre/command-api/audit/audit-log';
import { startTestPalabre, type TestPalabre } from '@palabre/command-api/testing/palabre';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { screen } from './flow.ts';
import { ApiUser, ensureBuilt, eventually, openPhone, screenshot, type Phone } from './support.ts';

let api: TestPalabre;
let organiser: ApiUser;
let phone: Phone;

beforeAll(async () => {
  ensureBuilt();
  api = await startTestPalabre();
  organiser = await new ApiUser(api.url).login('dispatcher.soa', api.demoPassword);
  phone = await openPhone();
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

const hour = 3_600_000;

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
});
