import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, citizen, consultationDraft, eventCount, expectProblem as problem, staff, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
let soa: Client;
beforeAll(async () => {
  api = await startTestPalabre();
  soa = await staff(api, 'dispatcher.soa');
});
afterAll(async () => {
  await api?.close();
});

const hour = 3_600_000;
const market = (overrides: Record<string, unknown> = {}) =>
  consultationDraft(
    [
      {
        id: 'site',
        kind: 'single',
        text: { fr: 'Quel site ?', en: 'Which site?' },
        options: [
          { id: 'gare', label: { fr: 'Près de la gare routière', en: 'Near the bus station' }, point: { lat: 3.99, lon: 11.59 } },
          { id: 'stade', label: { fr: 'Derrière le stade', en: 'Behind the stadium' } },
          { id: 'ebogo', label: { fr: 'Entrée Ebogo', en: 'Ebogo entrance' } },
        ],
      },
      {
        id: 'budget',
        kind: 'budget',
        text: { fr: 'Quels projets financer ?', en: 'Which projects to fund?' },
        budget: 40_000_000,
        options: [
          { id: 'pont', label: { fr: 'Passerelle', en: 'Footbridge' }, cost: 25_000_000 },
          { id: 'forage', label: { fr: 'Forage', en: 'Borehole' }, cost: 12_000_000 },
        ],
      },
    ],
    { description: { fr: 'Trois sites sont proposés.', en: 'Three sites are proposed.' }, ...overrides },
  );


describe('a commune drafts, opens and closes a consultation', () => {
  it('drafts it once per Idempotency-Key, shows the draft to its staff only, opens and closes it with If-Match', async () => {
    const key = randomUUID();
    const created = await soa.post('/api/consultations', market(), { 'idempotency-key': key });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ id: expect.stringMatching(/^K[0-9A-Z]{12}$/), revision: 0 });
    expect(created.headers.get('location')).toBe(`/api/consultations/${created.body.id}`);
    // A retry (the answer was lost on the way back) lands on the same consultation and appends nothing.
    const before = await eventCount(api);
    expect((await soa.post('/api/consultations', market(), { 'idempotency-key': key })).body).toEqual(created.body);
    expect(await eventCount(api)).toBe(before);

    const id = created.body.id as string;
    const draft = await soa.get(`/api/consultations/${id}`);
    expect(draft.status).toBe(200);
    expect(draft.headers.get('etag')).toBe('"0"');
    expect(draft.body).toMatchObject({ id, communeId: 'soa', status: 'draft', requiredLevel: 'phone', quartierIds: null, adultsOnly: false, mediaIds: [] });
    expect(draft.body.questions[0].options[0].point).toEqual({ lat: 3.99, lon: 11.59 });
    const resident = await citizen(api);
    problem(await resident.get(`/api/consultations/${id}`), 404, 'consultation.not_found');
    problem(await (await staff(api, 'dispatcher.dschang')).get(`/api/consultations/${id}`), 404, 'consultation.not_found');

    const opened = await soa.post(`/api/consultations/${id}/open`, {}, { 'if-match': '"0"' });
    expect(opened.status).toBe(200);
    expect(opened.body).toEqual({ id, revision: 1, status: 'open' });
    expect((await resident.get(`/api/consultations/${id}`)).body.status).toBe('open');
    // Acting on a revision someone else moved on from is refused, with the current one.
    problem(await soa.post(`/api/consultations/${id}/close`, {}, { 'if-match': '"0"' }), 412, 'revision.stale');
    const closed = await soa.post(`/api/consultations/${id}/close`, {}, { 'if-match': '"1"' });
    expect(closed.body).toEqual({ id, revision: 2, status: 'closed' });
    problem(await soa.post(`/api/consultations/${id}/open`, {}, { 'if-match': '"2"' }), 409, 'consultation.closed');
    problem(await soa.post(`/api/consultations/${id}/cancel`, { reason: 'Trop tard' }, { 'if-match': '"2"' }), 409, 'consultation.closed');
    const published = await soa.post(`/api/consultations/${id}/publish`, {}, { 'if-match': '"2"' });
    expect(published.body).toEqual({ id, revision: 3, status: 'published' });
  });

  it('cancels a consultation with a reason residents read, and then nothing more happens to it', async () => {
    const { body } = await soa.post('/api/consultations', market(), { 'idempotency-key': randomUUID() });
    const before = await eventCount(api);
    const noReason = await soa.post(`/api/consultations/${body.id}/cancel`, {}, { 'if-match': '"0"' });
    problem(noReason, 400, 'validation.failed');
    expect(noReason.body.errors[0].path).toBe('body.reason');
    problem(await soa.post(`/api/consultations/${body.id}/publish`, {}, { 'if-match': '"0"' }), 409, 'consultation.not_closed');
    expect(await eventCount(api)).toBe(before);
    const cancelled = await soa.post(`/api/consultations/${body.id}/cancel`, { reason: 'Le site a été attribué par l’État' }, { 'if-match': '"0"' });
    expect(cancelled.body).toEqual({ id: body.id, revision: 1, status: 'cancelled' });
    problem(await soa.post(`/api/consultations/${body.id}/open`, {}, { 'if-match': '"1"' }), 409, 'consultation.cancelled');
  });
});

describe('a consultation’s shared link', () => {
  it('opens a plain page in French or English in any browser, with the way to vote; a draft or unknown id is a 404 page', async () => {
    const { body } = await soa.post('/api/consultations', market({ title: { fr: 'Le marché <b>neuf</b> ?', en: 'The new <b>market</b>?' } }), { 'idempotency-key': randomUUID() });
    const anyone = new Client(api.url);
    const draft = await anyone.get(`/c/${body.id}`);
    expect(draft.status).toBe(404);
    expect(draft.headers.get('content-type')).toMatch(/^text\/html/);
    expect(draft.body).toContain('n’existe pas');
    expect(draft.body).not.toContain('marché');

    expect((await soa.post(`/api/consultations/${body.id}/open`, {}, { 'if-match': '"0"' })).status).toBe(200);
    const page = await anyone.get(`/c/${body.id}`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-language')).toBe('fr');
    expect(page.body).toContain('<html lang="fr">');
    expect(page.body).toContain('Le marché &#60;b&#62;neuf&#60;/b&#62; ?');
    expect(page.body).not.toContain('<b>neuf</b>');
    expect(page.body).toContain(`href="/app/consultations/${body.id}"`);
    expect(page.body).toContain('Près de la gare routière');
    expect(page.body).toContain('Enveloppe : 40');
    expect(page.body).toContain('toute la commune de Soa');
    expect(page.body).toContain('Les résultats seront publiés à la clôture.');
    expect(page.body).not.toMatch(/<script/);

    const english = await anyone.get(`/c/${body.id}`, { 'accept-language': 'en-GB,en;q=0.9,fr;q=0.5' });
    expect(english.body).toContain('<html lang="en">');
    expect(english.body).toContain('Near the bus station');
    expect(english.body).toContain('Vote in the Palabre app');
    expect((await anyone.get(`/c/${body.id}?lang=en`, { 'accept-language': 'fr' })).body).toContain('The new &#60;b&#62;market&#60;/b&#62;?');
    expect((await anyone.get(`/c/${body.id.toLowerCase()}`)).status).toBe(200);
    for (const wrong of ['K000000000000', 'not-an-id']) {
      const missing = await anyone.get(`/c/${wrong}`);
      expect(missing.status).toBe(404);
      expect(missing.body).toContain('n’existe pas');
    }
  });
});

describe('a draft is revised until it opens', () => {
  it('rewrites the draft whole at the revision edited, refuses a stale or missing If-Match, bad content, other hands and an opened consultation', async () => {
    const { body } = await soa.post('/api/consultations', market(), { 'idempotency-key': randomUUID() });
    const { communeId: _commune, ...content } = market();
    const revised = await soa.put(`/api/consultations/${body.id}`, { ...content, title: { fr: 'Où mettre le marché ?', en: 'Where to put the market?' }, resultsVisibility: 'live' }, { 'if-match': '"0"' });
    expect(revised.status).toBe(200);
    expect(revised.body).toEqual({ id: body.id, revision: 1, status: 'draft' });
    expect(revised.headers.get('etag')).toBe('"1"');
    const seen = await soa.get(`/api/consultations/${body.id}`);
    expect(seen.body).toMatchObject({ title: { en: 'Where to put the market?' }, resultsVisibility: 'live', description: { fr: 'Trois sites sont proposés.' }, revision: 1 });

    const before = await eventCount(api);
    const put = (payload: unknown, headers: Record<string, string> = { 'if-match': '"1"' }, as: Client = soa) => as.put(`/api/consultations/${body.id}`, payload, headers);
    problem(await put(content, { 'if-match': '"0"' }), 412, 'revision.stale');
    problem(await put(content, {}), 428, 'if_match.missing');
    const untitled = await put({ ...content, title: { fr: 'Marché' } });
    problem(untitled, 400, 'validation.failed');
    expect(untitled.body.errors.map((e: { path: string }) => e.path)).toContain('body.title.en');
    problem(await put({ ...content, communeId: 'dschang' }), 400, 'validation.failed');
    problem(await put({ ...content, closesAt: new Date(Date.now() - 2 * hour).toISOString() }), 422, 'consultation.bad_schedule');
    problem(await put(content, { 'if-match': '"1"' }, await staff(api, 'agent.soa')), 403, 'auth.forbidden');
    problem(await put(content, { 'if-match': '"1"' }, await staff(api, 'dispatcher.dschang')), 404, 'consultation.not_found');
    expect(await eventCount(api)).toBe(before);

    expect((await soa.post(`/api/consultations/${body.id}/open`, {}, { 'if-match': '"1"' })).status).toBe(200);
    problem(await put(content, { 'if-match': '"2"' }), 409, 'consultation.not_draft');
  });
});

describe('bad consultations and wrong hands are typed errors that change nothing', () => {
  it('refuses malformed drafts with the field, and drafts residents could not answer with the rule', async () => {
    const before = await eventCount(api);
    const post = (body: unknown) => soa.post('/api/consultations', body, { 'idempotency-key': randomUUID() });
    const missing = await post({ ...market(), title: { fr: 'Marché' } });
    problem(missing, 400, 'validation.failed');
    expect(missing.body.errors.map((e: { path: string }) => e.path)).toContain('body.title.en');
    problem(await post({ ...market(), questions: [] }), 400, 'validation.failed');
    problem(await post({ ...market(), requiredLevel: 'passport' }), 400, 'validation.failed');
    problem(await post({ ...market(), surprise: 1 }), 400, 'validation.failed');
    problem(await post(market({ closesAt: new Date(Date.now() - 2 * hour).toISOString() })), 422, 'consultation.bad_schedule');
    const [site] = market().questions;
    problem(await post(market({ questions: [site, site] })), 422, 'consultation.duplicate_question');
    problem(await soa.post('/api/consultations', market()), 428, 'idempotency_key.missing');
    const unknownPhoto = await post({ ...market(), mediaIds: ['0123456789abcdef0123456789abcdef'] });
    problem(unknownPhoto, 400, 'media.not_found');
    expect(unknownPhoto.body.errors).toEqual([expect.objectContaining({ path: 'body.mediaIds.0' })]);
    expect(await eventCount(api)).toBe(before);
  });

  it('lets only staff of the commune draft and open, and wants If-Match', async () => {
    const before = await eventCount(api);
    const resident = await citizen(api);
    problem(await resident.post('/api/consultations', market(), { 'idempotency-key': randomUUID() }), 403, 'auth.forbidden');
    problem(await (await staff(api, 'agent.soa')).post('/api/consultations', market(), { 'idempotency-key': randomUUID() }), 403, 'auth.forbidden');
    problem(await (await staff(api, 'dispatcher.dschang')).post('/api/consultations', market(), { 'idempotency-key': randomUUID() }), 403, 'consultation.forbidden');
    expect(await eventCount(api)).toBe(before);

    const { body } = await soa.post('/api/consultations', market(), { 'idempotency-key': randomUUID() });
    const after = await eventCount(api);
    problem(await soa.post(`/api/consultations/${body.id}/open`, {}), 428, 'if_match.missing');
    problem(await (await staff(api, 'dispatcher.dschang')).post(`/api/consultations/${body.id}/open`, {}, { 'if-match': '"0"' }), 404, 'consultation.not_found');
    problem(await soa.post('/api/consultations/KNOTANIDATALL/open', {}, { 'if-match': '"0"' }), 400, 'validation.failed');
    problem(await soa.post('/api/consultations/K000000000000/open', {}, { 'if-match': '"0"' }), 404, 'consultation.not_found');
    problem(await soa.post(`/api/consultations/${body.id}/close`, {}, { 'if-match': '"0"' }), 409, 'consultation.not_open');
    expect(await eventCount(api)).toBe(after);
  });
});
