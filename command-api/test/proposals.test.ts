import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Client, citizen, eventCount, eventually, expectProblem as problem, phoneVoter, staff, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
let dschang: Client;
let author: Client & { citizenId: string };
beforeAll(async () => {
  api = await startTestPalabre();
  dschang = await staff(api, 'dispatcher.dschang');
  author = await phoneVoter(api, dschang, 'dschang', 'dschang-foto');
});
afterAll(async () => {
  await api?.close();
});

const footbridge = {
  title: 'Une passerelle sur le ruisseau à Foto',
  description: 'Les enfants traversent le ruisseau à gué pour aller à l’école ; en saison des pluies c’est dangereux.',
  category: 'voirie',
  location: { lat: 5.447, lon: 10.07 },
  costEstimate: 2_500_000,
};

const propose = (client: Client, body: unknown = footbridge, key = randomUUID()) => client.post('/api/proposals', body, { 'idempotency-key': key });
const shown = (id: string, check: (p: Record<string, any>) => boolean, what: string) =>
  eventually(async () => {
    const reply = await dschang.get(`/api/proposals/${id}`);
    return reply.status === 200 && check(reply.body) && reply.body;
  }, what);

describe('a resident proposes and neighbours support', () => {
  it('publishes the proposal in its commune and quartier, once per Idempotency-Key, without naming its author', async () => {
    const key = randomUUID();
    const created = await propose(author, footbridge, key);
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect((await propose(author, footbridge, key)).body.id).toBe(created.body.id);
    const proposal = await shown(created.body.id, () => true, 'the proposal projected');
    // Supports change without a new revision: never answered from a cache.
    expect((await dschang.get(`/api/proposals/${created.body.id}`)).headers.get('cache-control')).toBe('no-store');
    expect(proposal).toMatchObject({ communeId: 'dschang', quartierId: 'dschang-foto', state: 'open', supports: 0, author: { kind: 'citizen', name: null }, costEstimate: 2_500_000, answer: null });
    expect(JSON.stringify(proposal)).not.toContain(author.citizenId);
    const listed = (await citizen(api).then((c) => c.get('/api/proposals?communeId=dschang'))).body.items as { id: string }[];
    expect(listed.map((p) => p.id)).toContain(created.body.id);
  });

  it('counts each supporter once, lets them withdraw, and is edited by its author only until the first support', async () => {
    const id = (await propose(author)).body.id as string;
    const edited = await author.put(`/api/proposals/${id}`, { ...footbridge, title: 'Une passerelle solide sur le ruisseau à Foto' }, { 'if-match': '"0"' });
    expect(edited.status, JSON.stringify(edited.body)).toBe(200);
    const [ana, ben] = [await phoneVoter(api, dschang, 'dschang'), await phoneVoter(api, dschang, 'dschang')];
    expect((await ana.post(`/api/proposals/${id}/supports`, {})).status).toBe(201);
    const before = await eventCount(api);
    problem(await ana.post(`/api/proposals/${id}/supports`, {}), 409, 'proposal.already_supported');
    problem(await author.post(`/api/proposals/${id}/supports`, {}), 409, 'proposal.own');
    expect(await eventCount(api)).toBe(before);
    expect((await ben.post(`/api/proposals/${id}/supports`, {})).status).toBe(201);
    await shown(id, (p) => p.supports === 2, 'two supports');
    // Each resident reads what concerns them, and only that.
    expect((await ana.get(`/api/proposals/${id}`)).body.viewer).toEqual({ author: false, supporting: true, flagged: false });
    expect((await author.get(`/api/proposals/${id}`)).body.viewer).toEqual({ author: true, supporting: false, flagged: false });
    expect((await dschang.get(`/api/proposals/${id}`)).body.viewer).toBeNull();
    const mine = (await ana.get('/api/proposals?communeId=dschang')).body.items.find((p: { id: string }) => p.id === id);
    expect(mine.viewer.supporting).toBe(true);
    expect(mine).not.toHaveProperty('flags');
    expect((await ben.request('DELETE', `/api/proposals/${id}/supports/me`)).status).toBe(200);
    await shown(id, (p) => p.supports === 1, 'one support left');
    // Supported: it stays as its supporters read it.
    await eventually(async () => (await dschang.get(`/api/proposals/${id}`)).body.revision === 1, 'the edit projected');
    problem(await author.put(`/api/proposals/${id}`, footbridge, { 'if-match': '"1"' }), 409, 'proposal.supported');
  });

  it('takes 64 supporters of one proposal at once, none lost, none doubled', async () => {
    const id = (await propose(author)).body.id as string;
    const supporters = await Promise.all(Array.from({ length: 16 }, () => phoneVoter(api, dschang, 'dschang')));
    const replies = await Promise.all(supporters.flatMap((s) => [s.post(`/api/proposals/${id}/supports`, {}), s.post(`/api/proposals/${id}/supports`, {}), s.post(`/api/proposals/${id}/supports`, {}), s.post(`/api/proposals/${id}/supports`, {})]));
    const accepted = replies.filter((r) => r.status === 201).length;
    // Four tries each, at the same instant: one support per citizen, the rest refused or told to try again.
    expect(accepted).toBe(16);
    expect(replies.every((r) => [201, 409].includes(r.status))).toBe(true);
    await shown(id, (p) => p.supports === 16, 'sixteen supports');
  });
});

describe('the commune moderates and answers', () => {
  it('hides a flagged proposal at the policy’s count, shows it to its author and staff only, and restores it', async () => {
    const id = (await propose(author)).body.id as string;
    const flaggers = await Promise.all(Array.from({ length: 5 }, () => citizen(api)));
    for (const [n, f] of flaggers.entries()) {
      const flagged = await f.post(`/api/proposals/${id}/flags`, { reason: 'offensive' });
      expect(flagged.status).toBe(201);
      expect(flagged.body.hidden).toBe(n === 4);
      if (n === 0) problem(await f.post(`/api/proposals/${id}/flags`, { reason: 'spam' }), 409, 'proposal.already_flagged');
    }
    problem(await flaggers[0]!.get(`/api/proposals/${id}`), 404, 'proposal.not_found');
    expect((await author.get(`/api/proposals/${id}`)).status).toBe(200);
    const hidden = await shown(id, (p) => p.state === 'hidden', 'hidden');
    // The moderation queue: why it is hidden and by how many flags, for the commune's staff only.
    expect(hidden).toMatchObject({ flags: 5, flagsTotal: 5, hidden: { by: 'flags', reason: expect.stringContaining('5') } });
    expect((await flaggers[1]!.get(`/api/proposals/${id}`)).status).toBe(404);
    const queue = (await dschang.get('/api/proposals?communeId=dschang&state=hidden')).body.items as { id: string }[];
    expect(queue.map((p) => p.id)).toContain(id);
    expect((await author.get(`/api/proposals/${id}`)).body).not.toHaveProperty('hidden');
    const restored = await dschang.post(`/api/proposals/${id}/restore`, { reason: 'Relu : rien d’injurieux' }, { 'if-match': `"${hidden.revision}"` });
    expect(restored.status).toBe(200);
    expect(await shown(id, (p) => p.state === 'open', 'restored')).toMatchObject({ flags: 0, flagsTotal: 5, hidden: null });
    expect((await flaggers[0]!.get(`/api/proposals/${id}`)).body.viewer).toEqual({ author: false, supporting: false, flagged: true });
  });

  it('answers with one of the commune’s states at the revision read, and then supports are closed', async () => {
    const id = (await propose(author)).body.id as string;
    const fresh = await shown(id, () => true, 'projected');
    const maybe = await dschang.post(`/api/proposals/${id}/answer`, { state: 'maybe', text: { fr: 'Peut-être.' } }, { 'if-match': `"${fresh.revision}"` });
    problem(maybe, 422, 'proposal.unknown_answer_state');
    expect(maybe.body.errors).toEqual([{ path: 'body.state', message: expect.stringContaining('maybe') }]);
    problem(await dschang.post(`/api/proposals/${id}/answer`, { state: 'rejected', text: {} }, { 'if-match': `"${fresh.revision}"` }), 422, 'proposal.answer_text_required');
    problem(await dschang.post(`/api/proposals/${id}/answer`, { state: 'accepted', text: { fr: 'Oui.' } }, { 'if-match': '"7"' }), 412, 'revision.stale');
    problem(await dschang.post(`/api/proposals/${id}/answer`, { state: 'accepted', text: { fr: 'Oui.' } }), 428, 'if_match.missing');
    problem(await (await staff(api, 'dispatcher.soa')).post(`/api/proposals/${id}/answer`, { state: 'accepted', text: { fr: 'Oui.' } }, { 'if-match': `"${fresh.revision}"` }), 403, 'proposal.forbidden');
    const answered = await dschang.post(`/api/proposals/${id}/answer`, { state: 'accepted', text: { fr: 'Inscrite au budget 2027.', en: 'In the 2027 budget.' } }, { 'if-match': `"${fresh.revision}"` });
    expect(answered.status, JSON.stringify(answered.body)).toBe(200);
    const shownAnswer = await shown(id, (p) => p.state === 'accepted', 'the answer');
    expect(shownAnswer.answer).toMatchObject({ state: 'accepted', text: { fr: 'Inscrite au budget 2027.', en: 'In the 2027 budget.' } });
    problem(await (await phoneVoter(api, dschang, 'dschang')).post(`/api/proposals/${id}/supports`, {}), 409, 'proposal.answered');
  });
});

describe('each commune runs proposals its own way', () => {
  it('keeps the threshold and days a proposal was made under, and answers with the commune’s own states only', async () => {
    const soa = await staff(api, 'dispatcher.soa');
    const soaResident = await phoneVoter(api, soa, 'soa');
    const communes = (await soaResident.get('/api/communes')).body as { id: string; proposalPolicy: { supportThreshold: number; answerDays: number; answerStates: { id: string }[] } }[];
    const policyOf = (id: string) => communes.find((c) => c.id === id)!.proposalPolicy;
    expect(policyOf('soa')).toMatchObject({ supportThreshold: 50, answerDays: 21 });
    expect(policyOf('soa').answerStates.map((s) => s.id)).toContain('in_next_budget');
    expect(policyOf('dschang')).toMatchObject({ supportThreshold: 100, answerDays: 30 });
    expect(policyOf('dschang').answerStates.map((s) => s.id)).not.toContain('in_next_budget');

    const inSoa = (await propose(soaResident, { ...footbridge, title: 'Un puits couvert à Ebogo', location: { lat: 3.965, lon: 11.615 } })).body.id as string;
    const seen = await eventually(async () => {
      const reply = await soa.get(`/api/proposals/${inSoa}`);
      return reply.status === 200 && reply.body;
    }, 'the Soa proposal projected');
    expect(seen).toMatchObject({ communeId: 'soa', supportThreshold: 50 });
    const inDschang = await shown((await propose(author)).body.id, () => true, 'the Dschang proposal projected');
    expect(inDschang.supportThreshold).toBe(100);
    const nextBudget = { state: 'in_next_budget', text: { fr: 'Au budget 2027.' }, cost: 1_200_000 };
    const before = await eventCount(api);
    problem(await dschang.post(`/api/proposals/${inDschang.id}/answer`, nextBudget, { 'if-match': `"${inDschang.revision}"` }), 422, 'proposal.unknown_answer_state');
    problem(await soa.post(`/api/proposals/${inSoa}/answer`, { ...nextBudget, cost: undefined }, { 'if-match': `"${seen.revision}"` }), 422, 'proposal.answer_cost_required');
    expect(await eventCount(api)).toBe(before);
    expect((await soa.post(`/api/proposals/${inSoa}/answer`, nextBudget, { 'if-match': `"${seen.revision}"` })).status).toBe(200);
    const answered = await eventually(async () => {
      const reply = await soaResident.get(`/api/proposals/${inSoa}`);
      return reply.body.state === 'in_next_budget' && reply.body;
    }, 'the answer');
    expect(answered.answer).toMatchObject({ state: 'in_next_budget', cost: 1_200_000 });
    // Its own final state closes supports, as the commune said it would.
    problem(await (await phoneVoter(api, soa, 'soa')).post(`/api/proposals/${inSoa}/supports`, {}), 409, 'proposal.answered');
  });
});

describe('bad proposals are typed errors that change nothing', () => {
  it('refuses a proposal without a place, outside every commune, below the identity level, from staff, or with a photo never uploaded', async () => {
    const deviceOnly = await citizen(api);
    const before = await eventCount(api);
    const { location: _l, ...nowhere } = footbridge;
    const noPlace = await propose(author, nowhere);
    problem(noPlace, 400, 'validation.failed');
    expect(noPlace.body.errors).toContainEqual(expect.objectContaining({ path: 'body.location' }));
    problem(await propose(author, { ...footbridge, location: { lat: 4.05, lon: 9.7 } }), 422, 'location.outside_communes');
    problem(await propose(author, { ...footbridge, location: undefined, quartierId: 'nowhere' }), 400, 'proposal.unknown_quartier');
    problem(await propose(deviceOnly), 403, 'proposal.level_too_low');
    problem(await propose(dschang), 403, 'proposal.forbidden');
    problem(await propose(author, { ...footbridge, mediaIds: ['0123456789abcdef0123456789abcdef'] }), 400, 'media.not_found');
    problem(await author.post('/api/proposals', footbridge), 428, 'idempotency_key.missing');
    problem(await author.post(`/api/proposals/P000000000000/supports`, {}), 404, 'proposal.not_found');
    problem(await author.post(`/api/proposals/not-an-id/supports`, {}), 400, 'validation.failed');
    expect(await eventCount(api)).toBe(before);
  });
});
