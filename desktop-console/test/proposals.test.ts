import { randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { citizen, type Client, eventually, phoneVoter, staff, startTestPalabre, type TestPalabre } from '../../command-api/test/support.js';
import { jpegWithGps } from '../../command-api/src/media/testing/images.js';
import { buildRendererIfStale, openBrowser, screenshot, signIn } from './support.js';

/**
 * Proposals and projects end to end in the console (Chromium against the real API): residents
 * propose and support through the API; five flags hide one, which the moderator restores with a
 * reason, and the moderator hides another; the commune's answer, sent on a revision someone else
 * changed meanwhile, shows what changed and is sent again; the accepted proposal becomes a project
 * whose stages, progress, budget (overspending explained) and milestone with a photo are recorded in
 * the console, an agent's report showing live; the dashboard counts it all.
 */

let api: TestPalabre;
let soa: Client;
let author: Client & { citizenId: string };
let neighbours: (Client & { citizenId: string })[];
let officer: Page;
let browser: Awaited<ReturnType<typeof openBrowser>>;
const ids = { lighting: '', playground: '', football: '', benches: '', project: '' };

const lighting = {
  title: 'Éclairer la rue du marché de Soa',
  description: 'La rue entre le marché et l’école est noire dès 18 h ; six lampadaires solaires suffiraient.',
  category: 'eclairage',
  location: { lat: 3.99, lon: 11.6 },
  costEstimate: 4_500_000,
};

/** A tiny picture of the street, as the author's phone sends it. */
const streetPhoto = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAIAAACQd1PeAAAADElEQVR4nGNgYPgPAAEDAQAIicLsAAAAAElFTkSuQmCC', 'base64');

const propose = async (resident: Client, body: Record<string, unknown>): Promise<string> => {
  const reply = await resident.post('/api/proposals', body, { 'idempotency-key': randomUUID() });
  expect(reply.status, JSON.stringify(reply.body)).toBe(201);
  return reply.body.id as string;
};
/** The proposal as the commune's staff read it, once `check` holds (projections follow the log within ms). */
const proposalWhen = (id: string, check: (p: Record<string, any>) => boolean, what: string) =>
  eventually(async () => {
    const reply = await soa.get(`/api/proposals/${id}`);
    return reply.status === 200 && check(reply.body) && reply.body;
  }, what);
const projectWhen = (id: string, check: (p: Record<string, any>) => boolean, what: string) =>
  eventually(async () => {
    const reply = await soa.get(`/api/projects/${id}`);
    return reply.status === 200 && check(reply.body) && reply.body;
  }, what);

beforeAll(async () => {
  buildRendererIfStale();
  api = await startTestPalabre();
  soa = await staff(api, 'dispatcher.soa');
  author = await phoneVoter(api, soa, 'soa', 'soa-centre');
  neighbours = [];
  for (let i = 0; i < 4; i++) neighbours.push(await phoneVoter(api, soa, 'soa', 'soa-centre'));

  const photo = await author.upload(streetPhoto, 'rue.png', 'image/png');
  expect(photo.status, JSON.stringify(photo.body)).toBe(201);
  ids.lighting = await propose(author, { ...lighting, mediaIds: [photo.body.mediaId] });
  ids.playground = await propose(author, { title: 'Une aire de jeux à Ebogo', description: 'Les enfants jouent sur la route faute de terrain.', category: 'autre', quartierId: 'soa-ebogo' });
  ids.football = await propose(author, { title: 'Un terrain de football au centre', description: 'Un terrain pour les jeunes du centre, près du lycée.', category: 'autre', quartierId: 'soa-centre' });
  ids.benches = await propose(author, { title: 'Des bancs au carrefour', description: 'Quelques bancs à l’ombre au carrefour principal.', category: 'autre', quartierId: 'soa-centre' });
  for (const n of neighbours.slice(0, 3)) expect((await n.post(`/api/proposals/${ids.lighting}/supports`, {})).status).toBe(201);
  expect((await neighbours[0]!.post(`/api/proposals/${ids.playground}/supports`, {})).status).toBe(201);
  // Five residents flag the football pitch: the fifth flag hides it pending review (the policy's count).
  for (let n = 0; n < 5; n++) {
    const flagged = await (await citizen(api)).post(`/api/proposals/${ids.football}/flags`, { reason: 'offensive' });
    expect(flagged.status).toBe(201);
    expect(flagged.body.hidden).toBe(n === 4);
  }
  await proposalWhen(ids.lighting, (p) => p.supports === 3, 'three supports of the lighting');
  await proposalWhen(ids.playground, (p) => p.supports === 1, 'a support of the playground');
  await proposalWhen(ids.football, (p) => p.state === 'hidden', 'the football pitch hidden');

  browser = await openBrowser();
  officer = browser.page;
  officer.on('dialog', (dialog) => void dialog.accept());
  await signIn(officer, api.url, 'dispatcher.soa', api.demoPassword);
});

afterAll(async () => {
  await browser?.close().catch(() => undefined);
  await api?.close();
});

const grid = (name: 'proposal-grid' | 'moderation-grid') => officer.getByTestId(name);
/** A row as the grid draws it: the element holding its cells (ag-grid may draw more than one per row). */
const row = (in_: Locator, id: string) => in_.locator(`.ag-row[row-id="${id}"]:has([col-id="title"])`);
/** The grid's rows by title, in the order shown. */
const titles = (in_: Locator) =>
  in_.locator('.ag-row:has([col-id="title"])').evaluateAll((rows) =>
    rows.sort((a, b) => Number(a.getAttribute('row-index')) - Number(b.getAttribute('row-index'))).map((r) => r.querySelector('[col-id="title"]')?.textContent ?? ''),
  );
const panel = () => officer.getByTestId('proposal-panel');
const projectPanel = () => officer.getByTestId('project-panel');
/** Opens a proposal; a published one is then followed live (a hidden one is not: it has no public room). */
const openProposal = async (in_: Locator, id: string, title: string, followed = true) => {
  await row(in_, id).locator('[col-id="title"]').click();
  await expect.poll(() => panel().getAttribute('aria-label')).toBe(title);
  if (followed) await officer.locator('[data-testid="proposal-panel"][data-following="true"]').waitFor();
};

describe('proposals and projects in the console', () => {
  it('lists the commune’s proposals with supports, state and deadline, most supported first, filtered by quartier and state', async () => {
    await officer.getByRole('navigation').getByRole('button', { name: 'Propositions' }).click();
    await expect.poll(() => titles(grid('proposal-grid'))).toEqual([lighting.title, 'Une aire de jeux à Ebogo', 'Des bancs au carrefour', 'Un terrain de football au centre']);
    const first = row(grid('proposal-grid'), ids.lighting);
    expect(await first.locator('[col-id="supports"]').innerText()).toBe('3');
    expect(await first.locator('[col-id="quartier"]').innerText()).toBe('Soa-Centre');
    expect(await first.locator('[col-id="category"]').innerText()).toBe('Éclairage et sécurité');
    expect(await first.locator('[col-id="state"]').innerText()).toBe('Ouverte');
    // Far from the support threshold: no answer is due yet.
    expect(await first.locator('[col-id="answerBy"]').innerText()).toBe('—');
    expect(await row(grid('proposal-grid'), ids.football).locator('[col-id="state"]').innerText()).toBe('Masquée');
    expect(await officer.getByTestId('proposal-total').innerText()).toBe('4 proposition(s)');

    const bar = officer.getByTestId('participation-view');
    await bar.locator('select[aria-label="Quartier"]').selectOption('soa-ebogo');
    await expect.poll(() => titles(grid('proposal-grid'))).toEqual(['Une aire de jeux à Ebogo']);
    await bar.locator('select[aria-label="Quartier"]').selectOption('');
    await bar.locator('select[aria-label="Statut"]').selectOption('hidden');
    await expect.poll(() => titles(grid('proposal-grid'))).toEqual(['Un terrain de football au centre']);
    await bar.locator('select[aria-label="Statut"]').selectOption('');
    await bar.locator('select[aria-label="Ordre"]').selectOption('newest');
    await expect.poll(() => titles(grid('proposal-grid'))).toEqual(['Des bancs au carrefour', 'Un terrain de football au centre', 'Une aire de jeux à Ebogo', lighting.title]);
    await bar.locator('select[aria-label="Ordre"]').selectOption('most_supported');
    await expect.poll(() => titles(grid('proposal-grid'))).toEqual([lighting.title, 'Une aire de jeux à Ebogo', 'Des bancs au carrefour', 'Un terrain de football au centre']);
    await screenshot(officer, 'proposals-01-grid');
  });

  it('puts the proposal hidden by five flags in the moderation queue; the moderator restores it with a reason, and hides another with a reason', async () => {
    const tab = officer.getByTestId('tab-moderation');
    await expect.poll(() => tab.innerText()).toBe('À modérer (1)');
    await tab.click();
    const queue = grid('moderation-grid');
    await expect.poll(() => titles(queue)).toEqual(['Un terrain de football au centre']);
    const hidden = row(queue, ids.football);
    expect(await hidden.locator('[col-id="hiddenBy"]').innerText()).toBe('les signalements');
    // The flags count comes with a server that gives it to staff (it does now).
    const staffView = (await soa.get(`/api/proposals/${ids.football}`)).body;
    if ('flags' in staffView) expect(await hidden.locator('[col-id="flags"]').innerText()).toBe('5');

    await openProposal(queue, ids.football, 'Un terrain de football au centre', false);
    await expect.poll(() => panel().getByTestId('proposal-hidden').innerText()).toContain('Masquée par les signalements des habitants');
    const form = panel().getByTestId('moderation-form');
    await form.getByRole('button', { name: 'Rétablir la proposition' }).click();
    await expect.poll(() => form.getByRole('alert').innerText()).toBe('Dites pourquoi.');
    await form.locator('[name="moderationReason"]').fill('Relu : une demande légitime, rien d’injurieux.');
    await screenshot(officer, 'proposals-02-moderation-queue');
    await form.getByRole('button', { name: 'Rétablir la proposition' }).click();
    await expect.poll(() => panel().getByTestId('proposal-state').innerText()).toBe('Ouverte');
    expect(await panel().getByTestId('proposal-notice').innerText()).toBe('Proposition rétablie.');
    await expect.poll(() => tab.innerText()).toBe('À modérer (0)');
    await expect.poll(() => titles(queue)).toEqual([]);
    const restored = await proposalWhen(ids.football, (p) => p.state === 'open', 'the football pitch restored');
    if ('hidden' in restored) expect(restored.hidden).toBeNull();

    await officer.getByTestId('tab-proposals').click();
    await openProposal(grid('proposal-grid'), ids.benches, 'Des bancs au carrefour');
    const hide = panel().getByTestId('moderation-form');
    await hide.locator('[name="moderationReason"]').fill('Propos injurieux envers un commerçant dans la description.');
    await hide.getByRole('button', { name: 'Masquer la proposition' }).click();
    await expect.poll(() => panel().getByTestId('proposal-state').innerText()).toBe('Masquée');
    await expect.poll(() => tab.innerText()).toBe('À modérer (1)');
    await tab.click();
    await expect.poll(() => titles(queue)).toEqual(['Des bancs au carrefour']);
    expect(await row(queue, ids.benches).locator('[col-id="hiddenBy"]').innerText()).toBe('un modérateur');
    expect(await row(queue, ids.benches).locator('[col-id="reason"]').innerText()).toBe('Propos injurieux envers un commerçant dans la description.');
    const benches = await proposalWhen(ids.benches, (p) => p.state === 'hidden', 'the benches hidden');
    if ('hidden' in benches) expect(benches.hidden).toMatchObject({ reason: 'Propos injurieux envers un commerçant dans la description.' });
    await screenshot(officer, 'proposals-03-moderated');
  });

  it('shows the proposal with its photo and place; an answer sent on a revision changed meanwhile shows what changed, and is sent again as “accepted”', async () => {
    await officer.getByTestId('tab-proposals').click();
    await openProposal(grid('proposal-grid'), ids.lighting, lighting.title);
    const shown = panel();
    expect(await shown.getByTestId('proposal-supports').innerText()).toBe('3');
    expect(await shown.locator('img.thumb').count()).toBe(1);
    expect(await shown.getByTestId('proposal-location').innerText()).toBe('3.99000, 11.60000');
    await expect.poll(() => shown.getByTestId('proposal-map').locator('.place-pin').count()).toBe(1);
    const read = Number(await shown.getAttribute('data-revision'));

    const form = shown.getByTestId('answer-form');
    await form.locator('[name="answerState"]').selectOption('accepted');
    await form.locator('[name="answerText.fr"]').fill('Inscrite au budget communal : six lampadaires solaires avant la rentrée.');
    await form.locator('[name="answerText.en"]').fill('In the commune’s budget: six solar street lights before the school year.');

    // Meanwhile a resident flags it (a new revision) and a neighbour supports it: the panel says so, and keeps what was read.
    expect((await (await citizen(api)).post(`/api/proposals/${ids.lighting}/flags`, { reason: 'spam' })).status).toBe(201);
    await proposalWhen(ids.lighting, (p) => p.revision === read + 1, 'the flag recorded');
    expect((await neighbours[3]!.post(`/api/proposals/${ids.lighting}/supports`, {})).status).toBe(201);
    await proposalWhen(ids.lighting, (p) => p.supports === 4, 'the fourth support');
    await expect.poll(() => shown.getByTestId('proposal-newer').innerText()).toContain('Modifiée entre-temps');
    expect(await shown.getByTestId('proposal-supports').innerText()).toBe('3');

    await form.getByRole('button', { name: 'Publier la réponse' }).click();
    const conflict = shown.getByTestId('conflict');
    await conflict.waitFor();
    const said = await conflict.innerText();
    expect(said).toContain('Quelqu’un a modifié cette proposition entre-temps');
    expect(said).toContain('Soutiens : 3 → 4');
    if ('flags' in (await soa.get(`/api/proposals/${ids.lighting}`)).body) expect(said).toContain('Signalements : 0 → 1');
    expect((await soa.get(`/api/proposals/${ids.lighting}`)).body.answer).toBeNull();
    await screenshot(officer, 'proposals-04-answer-conflict');

    await conflict.getByRole('button', { name: 'Refaire mon action sur la version à jour' }).click();
    await conflict.waitFor({ state: 'detached' });
    await expect.poll(() => shown.getByTestId('proposal-state').innerText()).toBe('Acceptée');
    expect(await shown.getByTestId('proposal-answer').innerText()).toContain('six lampadaires solaires');
    expect(await shown.getByTestId('proposal-supports').innerText()).toBe('4');
    const answered = await proposalWhen(ids.lighting, (p) => p.state === 'accepted', 'the answer');
    expect(answered.answer).toMatchObject({ state: 'accepted', text: { fr: 'Inscrite au budget communal : six lampadaires solaires avant la rentrée.', en: 'In the commune’s budget: six solar street lights before the school year.' } });
    await expect.poll(() => row(grid('proposal-grid'), ids.lighting).locator('[col-id="state"]').innerText()).toBe('Acceptée');
  });

  it('creates a project from the accepted proposal and records its stages, progress, budget and a milestone with a photo; an agent’s report shows live', async () => {
    // Only accepted proposals can be ticked.
    expect(await row(grid('proposal-grid'), ids.playground).locator('.ag-selection-checkbox input').isDisabled()).toBe(true);
    await row(grid('proposal-grid'), ids.lighting).locator('.ag-selection-checkbox input').check();
    await officer.getByRole('button', { name: 'Créer un projet (1)' }).click();
    const form = officer.getByTestId('project-form');
    expect(await form.locator('[name="projectTitle"]').inputValue()).toBe(lighting.title);
    expect(await form.getByTestId('project-form-proposals').innerText()).toBe(lighting.title);
    await form.locator('[name="projectTitle"]').fill('Éclairage solaire de la rue du marché');
    await form.getByRole('button', { name: 'Créer le projet' }).click();

    const project = projectPanel();
    await officer.locator('[data-testid="project-panel"][data-following="true"]').waitFor();
    expect(await project.getAttribute('aria-label')).toBe('Éclairage solaire de la rue du marché');
    ids.project = (await soa.get('/api/projects?communeId=soa')).body.items.find((p: { title: string }) => p.title === 'Éclairage solaire de la rue du marché').id;
    expect((await soa.get(`/api/projects/${ids.project}`)).body).toMatchObject({ proposalIds: [ids.lighting], status: 'active', currency: 'XAF' });

    // Stages go forward, one after the other.
    await project.getByRole('button', { name: 'Passer à l’étape : Besoins identifiés' }).click();
    await expect.poll(() => project.locator('.stages li.current').getAttribute('data-stage')).toBe('needs_identified');
    await project.getByRole('button', { name: 'Passer à l’étape : Priorisé' }).click();
    await expect.poll(() => project.locator('.stages li.current').getAttribute('data-stage')).toBe('prioritised');

    await project.locator('[name="percent"]').fill('30');
    await project.getByRole('button', { name: 'Enregistrer l’avancement' }).click();
    await expect.poll(() => project.getByTestId('project-percent').innerText()).toBe('30 % réalisé');

    // Committed beyond the plan without a reason: the API refuses, and says so at the reason.
    const budget = project.getByTestId('budget-form');
    await budget.locator('[name="planned"]').fill('5000000');
    await budget.locator('[name="committed"]').fill('6000000');
    await budget.locator('[name="spent"]').fill('1000000');
    await budget.getByRole('button', { name: 'Enregistrer le budget' }).click();
    await expect.poll(() => budget.locator('#budget-reason-error').innerText()).toContain('dites pourquoi');
    expect(await budget.locator('[name="budgetReason"]').getAttribute('aria-invalid')).toBe('true');
    expect((await soa.get(`/api/projects/${ids.project}`)).body.budget).toBeNull();
    await screenshot(officer, 'proposals-05-overspent');
    await budget.locator('[name="budgetReason"]').fill('Extension du réseau jusqu’à l’école primaire, votée en conseil.');
    await budget.getByRole('button', { name: 'Enregistrer le budget' }).click();
    await expect.poll(() => project.getByTestId('project-notice').innerText()).toBe('Budget enregistré.');
    expect((await projectWhen(ids.project, (p) => p.budget !== null, 'the budget')).budget).toEqual({ planned: 5_000_000, committed: 6_000_000, spent: 1_000_000, reason: 'Extension du réseau jusqu’à l’école primaire, votée en conseil.' });
    await expect.poll(() => project.getByTestId('project-budget').innerText()).toMatch(/6\s000\s000 XAF/);

    // A milestone with a photo taken on site: the photo keeps where it was taken.
    const milestone = project.getByTestId('milestone-form');
    await milestone.locator('[name="milestoneTitle"]').fill('Poteaux posés');
    await milestone.locator('[name="milestoneNote"]').fill('Six poteaux scellés, câblage demain.');
    const photo = join(mkdtempSync(join(tmpdir(), 'palabre-milestone-')), 'poteaux.jpg');
    writeFileSync(photo, await jpegWithGps(800, 600));
    await milestone.locator('[name="milestonePhotos"]').setInputFiles(photo);
    await expect.poll(() => milestone.getByTestId('milestone-photos').locator('img').count()).toBe(1);
    await milestone.getByRole('button', { name: 'Enregistrer le jalon' }).click();
    const recorded = project.getByTestId('project-milestones').locator(':scope > li');
    await expect.poll(() => recorded.count()).toBe(1);
    expect(await recorded.innerText()).toContain('Poteaux posés');
    expect(await recorded.innerText()).toContain('Photo 1 prise en 3.86667, 11.51667');
    expect(await recorded.locator('img.thumb').count()).toBe(1);
    await expect.poll(() => project.getByTestId('milestone-map').locator('.place-pin').count()).toBe(1);

    // An agent on site reports progress from the field: the panel shows it as it is projected.
    const agent = await staff(api, 'agent.soa');
    expect((await agent.post(`/api/projects/${ids.project}/progress`, { percent: 45 })).status).toBe(200);
    await expect.poll(() => project.getByTestId('project-percent').innerText()).toBe('45 % réalisé');
    expect(await project.getByTestId('project-health').innerText()).toBe('Dans les temps');
    await screenshot(officer, 'proposals-06-project');
  });

  it('creates a project directly and suspends it: it counts as late', async () => {
    await officer.getByTestId('tab-projects').click();
    await officer.getByRole('button', { name: 'Nouveau projet' }).click();
    const form = officer.getByTestId('project-form');
    await form.locator('[name="projectTitle"]').fill('Forage d’Ebogo');
    expect(await form.locator('[name="projectCommune"]').inputValue()).toBe('soa');
    await form.getByRole('button', { name: 'Créer le projet' }).click();
    const project = projectPanel();
    await expect.poll(() => project.getAttribute('aria-label')).toBe('Forage d’Ebogo');
    await project.locator('[name="suspendReason"]').fill('Saison des pluies : chantier inaccessible.');
    await project.getByRole('button', { name: 'Suspendre' }).click();
    await expect.poll(() => project.getByTestId('project-status').innerText()).toBe('Suspendu');
    expect(await project.getByTestId('project-health').innerText()).toBe('En retard : suspendu');
    const list = officer.getByTestId('project-list');
    await expect.poll(() => list.locator('tbody tr').count()).toBe(2);
    await expect.poll(() => list.locator(`tr[data-id="${ids.project}"]`).innerText()).toContain('Dans les temps');
  });

  it('counts proposals per quartier, answers on time and late, and projects on track and late on the dashboard', async () => {
    await officer.getByRole('navigation').getByRole('button', { name: 'Tableau de bord' }).click();
    const figures = officer.getByTestId('participation-figures');
    const kpi = (id: string) => figures.getByTestId(id).locator('.kpi-value').innerText();
    // Published: the lighting (accepted), the playground and the football pitch (restored); the benches stay hidden.
    await expect.poll(() => kpi('kpi-proposals')).toBe('3');
    expect(await kpi('kpi-answers-on-time')).toBe('1');
    expect(await kpi('kpi-answers-late')).toBe('0');
    expect(await kpi('kpi-answers-overdue')).toBe('0');
    expect(await kpi('kpi-projects-on-track')).toBe('1');
    expect(await kpi('kpi-projects-late')).toBe('1');
    const byQuartier = figures.getByTestId('proposals-by-quartier');
    expect(await byQuartier.locator('tr[data-id="soa-centre"] .num').innerText()).toBe('2');
    expect(await byQuartier.locator('tr[data-id="soa-ebogo"] .num').innerText()).toBe('1');
    expect(await byQuartier.locator('tr[data-id="soa-centre"]').innerText()).toContain('1 avec réponse');
    expect(await figures.innerText()).toContain('« En retard » : un projet suspendu');
    await figures.scrollIntoViewIfNeeded();
    await screenshot(officer, 'proposals-07-dashboard');
  });
});
