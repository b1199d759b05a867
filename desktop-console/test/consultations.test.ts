import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizen, type Client, eventually, phoneVoter, staff, startTestPalabre, type TestPalabre } from '../../command-api/test/support.js';
import { Vault } from '../../command-api/src/vault/vault.js';
import { buildRendererIfStale, openBrowser, qrCameraFile, screenshot, signIn } from './support.js';

/**
 * A consultation end to end in the console (Chromium against the real API): an organiser writes it
 * in the editor, previews it, opens it; a phone-verified resident votes and changes their vote; an
 * agent scans a resident's QR code to check their identity, then records their paper ballot at a
 * polling table, and two more offline with the table's tally sheet, sent once the network returns;
 * the organiser watches the count live, closes, publishes; an auditor downloads the
 * export and recounts it with the documented CLI.
 */

const auditCli = fileURLToPath(new URL('../../audit/bin/palabre-audit.js', import.meta.url));
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

let api: TestPalabre;
let soa: Client;
let organiser: Page;
let agent: Page;
let paperVoter: Client & { citizenId: string };
const browsers: Awaited<ReturnType<typeof openBrowser>>[] = [];

beforeAll(async () => {
  buildRendererIfStale();
  api = await startTestPalabre();
  soa = await staff(api, 'dispatcher.soa');
  // The resident who will vote on paper: only their app's device identity so far.
  paperVoter = await citizen(api);
  const organiserBrowser = await openBrowser();
  browsers.push(organiserBrowser);
  organiser = organiserBrowser.page;
  // The agent's PC films the resident's phone showing the QR code of their id.
  const agentBrowser = await openBrowser(['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', `--use-file-for-fake-video-capture=${qrCameraFile(paperVoter.citizenId)}`]);
  browsers.push(agentBrowser);
  agent = agentBrowser.page;
  await agentBrowser.context.grantPermissions(['camera']);
  for (const page of [organiser, agent]) page.on('dialog', (dialog) => void dialog.accept());
  await signIn(organiser, api.url, 'dispatcher.soa', api.demoPassword);
  await signIn(agent, api.url, 'agent.soa', api.demoPassword);
});

afterAll(async () => {
  for (const b of browsers) await b.close().catch(() => undefined);
  await api?.close();
});

/** A photo of the proposed sites, as the organiser's PC finds it on disk. */
function sitesPhoto(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'palabre-sites-')), 'sites.png');
  writeFileSync(path, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC', 'base64'));
  return path;
}

/** A photo of a tally sheet, as the agent's PC finds it on disk. */
function tallySheetPhoto(): string {
  const path = join(mkdtempSync(join(tmpdir(), 'palabre-sheet-')), 'feuille.png');
  writeFileSync(path, Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGP4//8/AAX+Av4N70a4AAAAAElFTkSuQmCC', 'base64'));
  return path;
}

const field = (page: Page, name: string) => page.locator(`[name="${name}"]`);
const status = (page: Page) => page.getByTestId('consultation-status').innerText();
const openConsultations = async (page: Page) => {
  await page.getByRole('button', { name: 'Consultations', exact: true }).click();
  await page.getByRole('heading', { name: 'Consultations' }).waitFor();
};

describe('a consultation run from the console', () => {
  let id: string;
  let revoteReceipt: string;
  const title = { fr: 'Où installer le nouveau marché ?', en: 'Where should the new market go?' };

  it('writes a consultation in French and English, refuses an incomplete one field by field, previews it as residents will see it, and revises the draft', async () => {
    await openConsultations(organiser);
    await organiser.getByRole('button', { name: 'Nouvelle consultation' }).click();
    const before = (await soa.get('/api/consultations?communeId=soa&limit=200')).body.items.length;

    // Saved empty: every missing text is named beside its field, and nothing is sent.
    await organiser.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await expect.poll(() => organiser.getByRole('alert').filter({ hasText: 'champ(s) à corriger' }).count()).toBe(1);
    expect(await field(organiser, 'title.fr').getAttribute('aria-invalid')).toBe('true');
    expect(await field(organiser, 'questions.0.options.1.label.en').getAttribute('aria-invalid')).toBe('true');
    expect((await soa.get('/api/consultations?communeId=soa&limit=200')).body.items.length).toBe(before);

    await field(organiser, 'title.fr').fill(title.fr);
    await field(organiser, 'title.en').fill(title.en);
    // A field fixed loses its message as it is typed.
    expect(await field(organiser, 'title.fr').getAttribute('aria-invalid')).toBeNull();
    expect(await field(organiser, 'questions.0.text.fr').getAttribute('aria-invalid')).toBe('true');
    await field(organiser, 'description.fr').fill('Trois sites sont proposés par le conseil municipal.');
    await field(organiser, 'description.en').fill('The council proposes three sites.');
    await field(organiser, 'questions.0.text.fr').fill('Quel site préférez-vous ?');
    await field(organiser, 'questions.0.text.en').fill('Which site do you prefer?');
    await organiser.getByRole('button', { name: 'Ajouter un choix' }).click();
    const sites = [
      ['Gare routière', 'Bus station'],
      ['Stade municipal', 'Town stadium'],
      ['Entrée Ebogo', 'Ebogo entrance'],
    ];
    for (const [j, [fr, en]] of sites.entries()) {
      await field(organiser, `questions.0.options.${j}.label.fr`).fill(fr!);
      await field(organiser, `questions.0.options.${j}.label.en`).fill(en!);
    }

    // The scope picked on the map: a click on a quartier puts it in (its checkbox follows), a second takes it out.
    const map = organiser.getByTestId('editor-map');
    await organiser.locator('.editor-map .quartier-label').first().waitFor();
    await map.scrollIntoViewIfNeeded();
    const quartierLabel = organiser.locator('.editor-map .quartier-label', { hasText: 'Centre' }).first();
    const box = (await quartierLabel.boundingBox())!;
    const inside = { x: box.x + box.width / 2, y: box.y + box.height + 6 };
    await organiser.mouse.click(inside.x, inside.y);
    await expect.poll(() => organiser.locator('input[name="quartier"][value="soa-centre"]').isChecked()).toBe(true);
    await organiser.mouse.click(inside.x, inside.y);
    await expect.poll(() => organiser.locator('input[name="quartier"][value="soa-centre"]').isChecked()).toBe(false);

    // The stadium's site placed on the map, and a photo of the three sites.
    await organiser.getByRole('button', { name: 'Placer le choix 2 sur la carte' }).click();
    await expect.poll(() => organiser.getByTestId('editor-map-hint').innerText()).toContain('Stade municipal');
    await map.scrollIntoViewIfNeeded();
    const canvas = (await map.boundingBox())!;
    await organiser.mouse.click(canvas.x + canvas.width * 0.6, canvas.y + canvas.height * 0.4);
    await expect.poll(() => organiser.getByTestId('site-0-1').innerText()).toMatch(/^\d+\.\d{4}, \d+\.\d{4}$/);
    await expect.poll(() => map.locator('.option-pin').allInnerTexts()).toEqual(['Stade municipal']);
    await field(organiser, 'photos').setInputFiles(sitesPhoto());
    await expect.poll(() => organiser.getByTestId('editor-photos').locator('img').count()).toBe(1);

    // The preview, in either language, is what the phone will show.
    const preview = organiser.getByTestId('consultation-preview');
    await expect.poll(() => preview.innerText()).toContain('Stade municipal');
    expect(await preview.innerText()).toContain(title.fr);
    await organiser.getByRole('complementary').getByRole('button', { name: 'EN' }).click();
    await expect.poll(() => preview.innerText()).toContain('Town stadium');
    expect(await preview.innerText()).toContain(title.en);
    await screenshot(organiser, 'consultation-01-editor');

    await organiser.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await organiser.getByTestId('consultation-detail').waitFor();
    await expect.poll(() => status(organiser)).toBe('Brouillon');
    id = await eventually(async () => {
      const drafts = (await soa.get('/api/consultations?communeId=soa&status=draft&limit=200')).body.items as { id: string; title: { fr: string } }[];
      return drafts.find((c) => c.title.fr === title.fr)?.id;
    }, 'the draft listed');
    expect(await organiser.getByTestId('consultation-detail').getAttribute('aria-label')).toBe(title.fr);
    // The list beside it shows the new draft too, without a reload.
    await expect.poll(() => organiser.getByTestId('consultation-list').locator(`tr[data-id="${id}"]`).innerText()).toContain('Brouillon');

    // Revised before it opens: the results will show live. The editor starts from the draft as saved.
    await organiser.getByRole('button', { name: 'Modifier le brouillon' }).click();
    expect(await field(organiser, 'questions.0.options.2.label.fr').inputValue()).toBe('Entrée Ebogo');
    await field(organiser, 'resultsVisibility').selectOption('live');
    await organiser.getByRole('button', { name: 'Enregistrer le brouillon' }).click();
    await expect.poll(() => organiser.getByTestId('consultation-detail').innerText()).toContain('En direct');
    const stored = (await soa.get(`/api/consultations/${id}`)).body;
    expect(stored).toMatchObject({
      revision: 1,
      title,
      description: { en: 'The council proposes three sites.' },
      requiredLevel: 'phone',
      resultsVisibility: 'live',
      quartierIds: null,
      questions: [{ id: 'q1', kind: 'single', options: [{ id: 'o1', label: { fr: 'Gare routière' } }, { id: 'o2', point: { lat: expect.any(Number), lon: expect.any(Number) } }, { id: 'o3', label: { en: 'Ebogo entrance' } }] }],
    });
    expect(stored.mediaIds).toHaveLength(1);
    expect(stored.questions[0].options[0].point).toBeUndefined();
    // The stadium's site is inside the commune the map showed.
    expect(stored.questions[0].options[1].point.lat).toBeGreaterThan(3.8);
    expect(stored.questions[0].options[1].point.lat).toBeLessThan(4.2);
    expect((await fetch(`${api.url}/api/media/${stored.mediaIds[0]}/thumb`)).status).toBe(200);
  });

  it('opens the vote, and shows a resident’s vote and changed vote live, counting the last', async () => {
    await organiser.getByRole('button', { name: 'Ouvrir le vote' }).click();
    await expect.poll(() => status(organiser)).toBe('Ouverte');
    await expect.poll(() => organiser.getByTestId('turnout').innerText()).toContain('0 votant(s)');

    const voter = await phoneVoter(api, soa, 'soa', 'soa-centre');
    const cast = (site: string) => voter.post(`/api/consultations/${id}/ballots`, { answers: { q1: site } }, { 'idempotency-key': randomUUID() });
    expect((await cast('o1')).status).toBe(201);
    await expect.poll(() => organiser.getByTestId('turnout').innerText()).toContain('1 votant(s) : 1 en ligne, 0 sur papier');
    const revote = await cast('o2');
    expect(revote.status).toBe(201);
    revoteReceipt = revote.body.receipt;
    const votes = (option: string) => organiser.getByTestId('results-q1').locator(`tr[data-id="${option}"] .num`).innerText();
    await expect.poll(() => votes('o2')).toBe('1');
    expect(await votes('o1')).toBe('0');
  });

  it('checks a resident’s identity from the QR code the agent’s camera reads, then records their paper ballot at a polling table', async () => {
    await openConsultations(agent);
    await agent.getByRole('button', { name: 'Vérifier un habitant' }).click();
    const form = agent.getByTestId('verify-resident');
    await form.getByRole('button', { name: 'Scanner le QR code' }).click();
    await expect.poll(() => form.locator('[name="citizenId"]').inputValue(), { timeout: 20_000 }).toBe(paperVoter.citizenId);
    await form.locator('[name="documentNumber"]').fill('CM 1234 5678 90');
    await form.locator('[name="birthDate"]').fill('1988-04-12');
    await form.locator('[name="quartierId"]').selectOption('soa-centre');
    await form.getByRole('button', { name: 'Enregistrer la vérification' }).click();
    await expect.poll(() => form.getByTestId('verified').innerText()).toContain('Vérifié : Vérifié en personne.');
    expect((await paperVoter.get('/api/citizens/me')).body.level).toBe('in_person');
    // The date of birth read on the document went to the vault, for adults-only consultations.
    expect(await api.palabre.app.get(Vault).readBirthDate(paperVoter.citizenId)).toBe('1988-04-12');

    await agent.getByTestId('consultation-list').locator(`tr[data-id="${id}"]`).getByRole('button').click();
    const paper = agent.getByTestId('paper-ballot');
    await paper.waitFor();
    // No organiser's buttons for a field agent.
    expect(await agent.getByRole('button', { name: 'Clore le vote' }).count()).toBe(0);
    await paper.locator('[name="pollingTableId"]').fill('soa-ecole-publique');
    await paper.locator('[name="citizenId"]').fill(paperVoter.citizenId.toLowerCase());
    await paper.getByLabel('Gare routière').check();
    await paper.getByRole('button', { name: 'Enregistrer le bulletin' }).click();
    await expect.poll(() => paper.getByTestId('paper-recorded').innerText()).toMatch(/Bulletin enregistré, reçu [0-9A-Z-]+/);
    await screenshot(agent, 'consultation-02-polling-table');

    // A paper ballot is final: the same resident again is refused in words, and stays listed until the agent removes it.
    await paper.locator('[name="citizenId"]').fill(paperVoter.citizenId);
    await paper.getByLabel('Stade municipal').check();
    await paper.getByRole('button', { name: 'Enregistrer le bulletin' }).click();
    const outbox = agent.getByTestId('table-outbox');
    await expect.poll(() => outbox.getByRole('alert').innerText()).toContain('bulletin papier est définitif');
    await outbox.getByRole('button', { name: 'Retirer' }).click();
    await expect.poll(() => outbox.getByTestId('table-outbox-entry').count()).toBe(0);

    await expect.poll(() => organiser.getByTestId('turnout').innerText()).toContain('2 votant(s) : 1 en ligne, 1 sur papier');
  });

  it('keeps the polling table working without network: two ballots and the tally sheet stay on the PC, then each is sent once when it returns', async () => {
    const agentApi = await staff(api, 'agent.soa');
    const residents = [await citizen(api), await citizen(api)];
    for (const [i, resident] of residents.entries()) {
      const checked = await agentApi.post(`/api/citizens/${resident.citizenId}/verifications`, { method: 'in_person', documentNumber: `CM 5555 000${i}`, quartierId: 'soa-centre' });
      expect(checked.status).toBe(201);
    }
    const context = agent.context();
    await context.setOffline(true);
    const paper = agent.getByTestId('paper-ballot');
    const outbox = agent.getByTestId('table-outbox');
    for (const [resident, choice] of [
      [residents[0]!, 'Gare routière'],
      [residents[1]!, 'Stade municipal'],
    ] as const) {
      await paper.locator('[name="citizenId"]').fill(resident.citizenId);
      await paper.getByLabel(choice).check();
      await paper.getByRole('button', { name: 'Enregistrer le bulletin' }).click();
      await expect.poll(() => paper.getByTestId('paper-kept').innerText()).toContain('gardé sur ce PC');
    }
    await expect.poll(() => outbox.getByTestId('table-outbox-count').innerText()).toBe('Hors ligne : 2 en attente sur ce PC, envoi au retour du réseau');

    // The table closes: a photo of its tally sheet, refused field by field until it is complete.
    const sheet = agent.getByTestId('tally-sheet');
    await sheet.getByRole('button', { name: 'Joindre la feuille' }).click();
    await expect.poll(() => sheet.locator('.field-error').allInnerTexts()).toEqual(['Indiquez un nombre entier de bulletins.', 'Ajoutez au moins une photo de la feuille.']);
    await sheet.locator('[name="ballotsOnSheet"]').fill('3');
    await sheet.locator('[name="sheetPhotos"]').setInputFiles(tallySheetPhoto());
    await sheet.locator('[name="sheetNote"]').fill('Aucun bulletin nul');
    await sheet.getByRole('button', { name: 'Joindre la feuille' }).click();
    await expect.poll(() => sheet.getByTestId('sheet-state').innerText()).toContain('gardée sur ce PC');
    await expect.poll(() => outbox.getByTestId('table-outbox-entry').count()).toBe(3);
    await screenshot(agent, 'consultation-02b-polling-table-offline');

    // Nothing reached the API, and a reload (the PC restarted) keeps all three.
    expect((await soa.get(`/api/consultations/${id}/results`)).body.byChannel.paper).toBe(1);
    // The network returns but the API stays out of reach while the PC restarts (the routes first: going online wakes the outbox).
    await context.route('**/api/consultations/*/paper-ballots', (route) => route.abort());
    await context.route('**/api/media', (route) => route.abort());
    await context.setOffline(false);
    await agent.reload();
    await openConsultations(agent);
    await agent.getByTestId('consultation-list').locator(`tr[data-id="${id}"]`).getByRole('button').click();
    await agent.getByTestId('consultation-detail').waitFor();
    await expect.poll(() => agent.getByTestId('table-outbox-entry').count()).toBe(3);
    await context.unrouteAll();
    await agent.getByTestId('table-outbox').getByRole('button', { name: 'Envoyer maintenant' }).click();

    await expect.poll(() => agent.getByTestId('table-outbox-entry').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => organiser.getByTestId('turnout').innerText()).toContain('4 votant(s) : 1 en ligne, 3 sur papier');
    const table = organiser.getByTestId('polling-tables').locator('tr[data-id="soa-ecole-publique"]');
    await expect.poll(() => table.locator('td.num').allInnerTexts()).toEqual(['3', '3']);
    await expect.poll(() => table.locator('img.thumb').count()).toBe(1);
    await screenshot(organiser, 'consultation-02c-polling-tables');
    // Each once: three paper ballots from that table in the log, one sheet.
    const tables = (await agentApi.get(`/api/consultations/${id}/polling-tables`)).body.items;
    expect(tables).toEqual([expect.objectContaining({ pollingTableId: 'soa-ecole-publique', paperBallots: 3, sheets: [expect.objectContaining({ ballotsOnSheet: 3, note: 'Aucun bulletin nul' })] })]);
  });

  it('closes and publishes, exports the results, and an auditor’s export recounts to the same numbers', async () => {
    await organiser.getByRole('button', { name: 'Clore le vote' }).click();
    await expect.poll(() => status(organiser)).toBe('Close');
    await organiser.getByRole('button', { name: 'Publier les résultats' }).click();
    await expect.poll(() => status(organiser)).toBe('Résultats publiés');
    await screenshot(organiser, 'consultation-03-published');

    const download = organiser.waitForEvent('download');
    await organiser.getByTestId('consultation-detail').getByRole('button', { name: 'Exporter CSV' }).click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv).toContain('zone,votants,id_question,question,id_choix,choix,voix,réponses,financé');
    expect(csv).toMatch(/Toute la commune,4,q1,Quel site préférez-vous \?,o1,Gare routière,2,4,/);
    expect(csv).toMatch(/Toute la commune,4,q1,Quel site préférez-vous \?,o2,Stade municipal,2,4,/);

    // The transparency log holds the publication before the auditor exports.
    const pool = api.palabre.infra.pool;
    await eventually(async () => {
      const { rows } = await pool.query<{ behind: boolean }>('SELECT (SELECT count(*) FROM audit.leaves) < (SELECT count(*) FROM event_store.events) AS behind');
      return !rows[0]!.behind;
    }, 'the transparency log caught up', 20_000);
    const auditor = await staff(api, 'auditor.soa');
    const job = await auditor.post('/api/audit/exports', { communeId: 'soa', formats: ['jsonl'] });
    expect(job.status).toBe(202);
    await eventually(async () => (await auditor.get(`/api/audit/exports/${job.body.id}`)).body.status === 'done', 'the export', 60_000);
    const tar = await fetch(`${api.url}/api/audit/exports/${job.body.id}/bundle.tar`, { headers: { authorization: `Bearer ${auditor.token}` } });
    const bundle = join(mkdtempSync(join(tmpdir(), 'palabre-consultation-')), 'bundle.tar');
    writeFileSync(bundle, Buffer.from(await tar.arrayBuffer()));

    const tally = spawnSync(process.execPath, [auditCli, 'tally', bundle, '--consultation', id], { cwd: repoRoot, encoding: 'utf8', timeout: 110_000 });
    expect(tally.stderr).toBe('');
    expect(tally.status).toBe(0);
    expect(tally.stdout).toMatch(/MATCH — the recount gives exactly the published result/);
    const receipt = spawnSync(process.execPath, [auditCli, 'receipt', bundle, revoteReceipt], { cwd: repoRoot, encoding: 'utf8', timeout: 110_000 });
    expect(receipt.stdout).toMatch(/COUNTED — it is the ballot that counts/);
  });
});
