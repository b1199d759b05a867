import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jpegWithGps } from '../src/media/testing/images.js';
import { type Client, connectLive, eventCount, eventually, expectProblem as problem, phoneVoter, staff, startTestPalabre, type TestPalabre } from './support.js';

let api: TestPalabre;
let dschang: Client;
let agent: Client;
let resident: Client & { citizenId: string };
beforeAll(async () => {
  api = await startTestPalabre();
  dschang = await staff(api, 'dispatcher.dschang');
  agent = await staff(api, 'agent.dschang');
  resident = await phoneVoter(api, dschang, 'dschang', 'dschang-foto');
});
afterAll(async () => {
  await api?.close();
});

/** A resident's proposal the commune accepted. */
async function acceptedProposal(place: Record<string, unknown> = { quartierId: 'dschang-foto' }): Promise<string> {
  const created = await resident.post(
    '/api/proposals',
    { title: 'Une passerelle sur le ruisseau à Foto', description: 'Les enfants traversent le ruisseau à gué pour aller à l’école.', category: 'voirie', ...place },
    { 'idempotency-key': randomUUID() },
  );
  const id = created.body.id as string;
  const { revision } = await eventually(async () => {
    const reply = await dschang.get(`/api/proposals/${id}`);
    return reply.status === 200 && { revision: reply.body.revision as number };
  }, 'the proposal projected');
  expect((await dschang.post(`/api/proposals/${id}/answer`, { state: 'accepted', text: { fr: 'Inscrite au budget 2027.' } }, { 'if-match': `"${revision}"` })).status).toBe(200);
  return id;
}

const project = (id: string, check: (p: Record<string, any>) => boolean, what: string) =>
  eventually(async () => {
    const reply = await resident.get(`/api/projects/${id}`);
    return reply.status === 200 && check(reply.body) && reply.body;
  }, what);

describe('an accepted proposal becomes a project everyone follows', () => {
  it('takes a resident’s comment as a ticket linked to the project, placed where the project is', async () => {
    const proposalId = await acceptedProposal({ location: { lat: 5.447, lon: 10.07 } });
    const id = (await dschang.post('/api/projects', { communeId: 'dschang', title: 'Passerelle de Foto', proposalIds: [proposalId] }, { 'idempotency-key': randomUUID() })).body.id as string;
    await project(id, () => true, 'the project projected');
    const neighbour = await phoneVoter(api, dschang, 'dschang');
    const key = randomUUID();
    const comment = { text: 'Une fissure est apparue sur la rampe côté école.' };
    const sent = await neighbour.post(`/api/projects/${id}/comments`, comment, { 'idempotency-key': key });
    expect(sent.status, JSON.stringify(sent.body)).toBe(201);
    expect(sent.body).toEqual({ ticketId: expect.any(String), projectId: id });
    const before = await eventCount(api);
    expect((await neighbour.post(`/api/projects/${id}/comments`, comment, { 'idempotency-key': key })).body.ticketId).toBe(sent.body.ticketId);
    expect(await eventCount(api)).toBe(before);
    // The commune's staff get it like any report, routed at the project's place, linked to the project.
    const ticket = await eventually(async () => {
      const reply = await dschang.get(`/api/tickets/${sent.body.ticketId}`);
      return reply.status === 200 && reply.body;
    }, 'the comment’s ticket');
    expect(ticket).toMatchObject({ communeId: 'dschang', category: 'autre', description: comment.text, about: { kind: 'project', id }, location: { lat: 5.447, lon: 10.07 } });
    // Its author follows it among their reports.
    expect((await neighbour.get(`/api/tickets/${sent.body.ticketId}`)).body).toMatchObject({ mine: true, about: { kind: 'project', id } });

    // Bad comments are typed errors that change nothing.
    const unplaced = (await dschang.post('/api/projects', { communeId: 'dschang', title: 'Forage de Keleng' }, { 'idempotency-key': randomUUID() })).body.id as string;
    await project(unplaced, () => true, 'the unplaced project projected');
    const nothing = await eventCount(api);
    problem(await dschang.post(`/api/projects/${id}/comments`, comment, { 'idempotency-key': randomUUID() }), 403, 'project.forbidden');
    problem(await neighbour.post(`/api/projects/${id}/comments`, comment), 428, 'idempotency_key.missing');
    problem(await neighbour.post(`/api/projects/${id}/comments`, { text: '  ' }, { 'idempotency-key': randomUUID() }), 400, 'validation.failed');
    problem(await neighbour.post(`/api/projects/${id}/comments`, { ...comment, mediaIds: ['0'.repeat(64)] }, { 'idempotency-key': randomUUID() }), 400, 'media.not_found');
    problem(await neighbour.post('/api/projects/J000000000000/comments', comment, { 'idempotency-key': randomUUID() }), 404, 'project.not_found');
    const noPlace = await neighbour.post(`/api/projects/${unplaced}/comments`, comment, { 'idempotency-key': randomUUID() });
    problem(noPlace, 422, 'project.no_place');
    expect(noPlace.body.errors).toEqual([{ path: 'body.location', message: expect.any(String) }]);
    expect(await eventCount(api)).toBe(nothing);
    // Said where, it goes.
    expect((await neighbour.post(`/api/projects/${unplaced}/comments`, { ...comment, location: { lat: 5.45, lon: 10.06 } }, { 'idempotency-key': randomUUID() })).status).toBe(201);
  });

  it('is created from the proposal, goes through its stages, and shows a milestone with the photo and where it was taken', async () => {
    const proposalId = await acceptedProposal();
    const created = await dschang.post('/api/projects', { communeId: 'dschang', title: 'Passerelle de Foto', proposalIds: [proposalId] }, { 'idempotency-key': randomUUID() });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;

    // The agent's photo on site keeps where it was taken (a resident's never does).
    const photo = await agent.upload(await jpegWithGps(800, 600), 'fondations.jpg', 'image/jpeg');
    expect(photo.body.point.lat).toBeCloseTo(3 + 52 / 60, 5);
    const residentsPhoto = await resident.upload(await jpegWithGps(640, 480), 'rue.jpg', 'image/jpeg');
    expect(residentsPhoto.body.point).toBeUndefined();

    expect((await agent.post(`/api/projects/${id}/stages`, { stage: 'built' })).status).toBe(200);
    const key = randomUUID();
    const reached = await agent.post(`/api/projects/${id}/milestones`, { title: 'Fondations coulées', note: 'Béton dosé à 350 kg', mediaIds: [photo.body.mediaId] }, { 'idempotency-key': key });
    expect(reached.status, JSON.stringify(reached.body)).toBe(201);
    const before = await eventCount(api);
    expect((await agent.post(`/api/projects/${id}/milestones`, { title: 'Fondations coulées', note: 'Béton dosé à 350 kg', mediaIds: [photo.body.mediaId] }, { 'idempotency-key': key })).status).toBe(201);
    expect(await eventCount(api)).toBe(before);
    expect((await agent.post(`/api/projects/${id}/progress`, { percent: 40 })).status).toBe(200);

    const shown = await project(id, (p) => p.milestones?.length === 1 && p.percent === 40, 'the milestone and progress');
    expect(shown).toMatchObject({ status: 'active', proposalIds: [proposalId], currency: 'XAF', stage: 'built', percent: 40 });
    expect((await resident.get(`/api/projects?proposalId=${proposalId}`)).body.items.map((p: { id: string }) => p.id)).toEqual([id]);
    expect(shown.stages.find((s: { stage: string }) => s.stage === 'built').enteredAt).toEqual(expect.any(String));
    expect(shown.milestones[0]).toMatchObject({ title: 'Fondations coulées', note: 'Béton dosé à 350 kg', media: [{ id: photo.body.mediaId, point: { lat: expect.closeTo(3 + 52 / 60, 5), lon: expect.closeTo(11 + 31 / 60, 5) } }] });
  });

  it('reports its budget at the revision read; spending beyond the commitments says why', async () => {
    const id = (await dschang.post('/api/projects', { communeId: 'dschang', title: 'Forage de Keleng' }, { 'idempotency-key': randomUUID() })).body.id as string;
    const overspent = await dschang.post(`/api/projects/${id}/budget`, { planned: 12_000_000, committed: 10_000_000, spent: 11_000_000 }, { 'if-match': '"0"' });
    problem(overspent, 422, 'project.overspent_without_reason');
    expect(overspent.body.errors).toEqual([{ path: 'body.reason', message: expect.any(String) }]);
    const budget = await dschang.post(`/api/projects/${id}/budget`, { planned: 12_000_000, committed: 10_000_000, spent: 11_000_000, reason: 'Tubage supplémentaire à 60 m' }, { 'if-match': '"0"' });
    expect(budget.status).toBe(200);
    problem(await dschang.post(`/api/projects/${id}/budget`, { planned: 12_000_000, committed: 10_000_000, spent: 0 }, { 'if-match': '"0"' }), 412, 'revision.stale');
    const shown = await project(id, (p) => p.budget !== null, 'the budget');
    expect(shown.budget).toEqual({ planned: 12_000_000, committed: 10_000_000, spent: 11_000_000, reason: 'Tubage supplémentaire à 60 m' });
    expect((await dschang.post(`/api/projects/${id}/complete`, {}, { 'if-match': '"1"' })).status).toBe(200);
    problem(await agent.post(`/api/projects/${id}/progress`, { percent: 50 }), 409, 'project.completed');
  });
});

describe('the village committee', () => {
  it('is named by role, its members’ names and phones in the vault for the commune’s staff only, never in the log', async () => {
    const id = (await dschang.post('/api/projects', { communeId: 'dschang', title: 'Forage de Keleng' }, { 'idempotency-key': randomUUID() })).body.id as string;
    await project(id, () => true, 'the project projected');
    expect((await agent.post(`/api/projects/${id}/committee`, { role: 'president', name: 'Mama Ngono Véronique', phone: '6 77 12 34 56' })).status).toBe(200);
    expect((await dschang.post(`/api/projects/${id}/committee`, { role: 'treasurer', name: 'Tchinda Paul' })).status).toBe(200);
    const before = await eventCount(api);
    problem(await agent.post(`/api/projects/${id}/committee`, { role: 'chief', name: 'X' }), 400, 'validation.failed');
    problem(await agent.post(`/api/projects/${id}/committee`, { role: 'member', name: 'Y', phone: '12' }), 400, 'validation.failed');
    problem(await resident.post(`/api/projects/${id}/committee`, { role: 'member', name: 'Z' }), 403, 'auth.forbidden');
    problem(await (await staff(api, 'dispatcher.soa')).post(`/api/projects/${id}/committee`, { role: 'member', name: 'Z' }), 403, 'project.forbidden');
    expect(await eventCount(api)).toBe(before);

    const forStaff = await eventually(async () => {
      const reply = await dschang.get(`/api/projects/${id}`);
      return reply.body.committee?.length === 2 && reply.body;
    }, 'the committee projected');
    expect(forStaff.committee).toEqual([
      { role: 'president', name: 'Mama Ngono Véronique', phone: '+237677123456' },
      { role: 'treasurer', name: 'Tchinda Paul', phone: null },
    ]);
    expect((await resident.get(`/api/projects/${id}`)).body.committee).toEqual([{ role: 'president' }, { role: 'treasurer' }]);
    const { rows } = await api.palabre.infra.pool.query<{ n: number }>("SELECT count(*)::integer AS n FROM event_store.events WHERE data::text LIKE '%Ngono%' OR data::text LIKE '%677123456%'");
    expect(rows[0]!.n).toBe(0);
  });
});

describe('live', () => {
  it('pushes a proposal’s supports and a project’s milestone to the residents following them', async () => {
    const live = await connectLive(api.url, { token: resident.token! });
    const proposals: { id: string; supports: number; state: string }[] = [];
    const projects: { id: string; milestones: { title: string; media: { point: unknown }[] }[] }[] = [];
    live.socket.on('proposal.updated', (view: (typeof proposals)[number]) => proposals.push(view));
    live.socket.on('project.updated', (view: (typeof projects)[number]) => projects.push(view));
    try {
      const proposalId = await acceptedProposal();
      expect(await live.socket.emitWithAck('proposal.follow', { proposalId })).toBe(true);
      const projectId = (await dschang.post('/api/projects', { communeId: 'dschang', title: 'Passerelle de Foto', proposalIds: [proposalId] }, { 'idempotency-key': randomUUID() })).body.id as string;
      await project(projectId, () => true, 'the project projected');
      // Acknowledged once the server has joined the socket to the project's room.
      expect(await live.socket.emitWithAck('project.follow', { projectId })).toBe(true);
      expect(await live.socket.emitWithAck('project.follow', { projectId: 'J000000000000' })).toBe(false);
      const photo = await agent.upload(await jpegWithGps(640, 480), 'tablier.jpg', 'image/jpeg');
      await agent.post(`/api/projects/${projectId}/milestones`, { title: 'Tablier posé', mediaIds: [photo.body.mediaId] }, { 'idempotency-key': randomUUID() });
      const heard = await eventually(async () => projects.find((p) => p.id === projectId && p.milestones.some((m) => m.title === 'Tablier posé')), 'the milestone pushed');
      expect(heard.milestones.find((m) => m.title === 'Tablier posé')!.media[0]!.point).toEqual({ lat: expect.any(Number), lon: expect.any(Number) });

      // A support of another proposal is pushed to its followers.
      const open = (await resident.post('/api/proposals', { title: 'Un marché couvert à Foto', description: 'Les commerçantes vendent sous la pluie toute la saison.', category: 'voirie', quartierId: 'dschang-foto' }, { 'idempotency-key': randomUUID() })).body.id as string;
      await eventually(async () => (await resident.get(`/api/proposals/${open}`)).status === 200, 'the proposal projected');
      expect(await live.socket.emitWithAck('proposal.follow', { proposalId: open })).toBe(true);
      expect((await (await phoneVoter(api, dschang, 'dschang')).post(`/api/proposals/${open}/supports`, {})).status).toBe(201);
      await eventually(async () => proposals.find((p) => p.id === open && p.supports === 1), 'the support pushed');
    } finally {
      live.socket.close();
    }
  });
});

describe('live moderation', () => {
  it('pushes each flag and the hiding to the commune’s moderators, never flags to residents', async () => {
    const moderator = await connectLive(api.url, { token: dschang.token! });
    const follower = await connectLive(api.url, { token: resident.token! });
    const toStaff: { id: string; state: string; flags?: number; hidden?: { by: string } | null }[] = [];
    const toResident: typeof toStaff = [];
    moderator.socket.on('proposal.updated', (view: (typeof toStaff)[number]) => toStaff.push(view));
    follower.socket.on('proposal.updated', (view: (typeof toStaff)[number]) => toResident.push(view));
    try {
      const id = (await resident.post('/api/proposals', { title: 'Interdire les motos au marché', description: 'Les motos roulent entre les étals et blessent des enfants.', category: 'voirie', quartierId: 'dschang-foto' }, { 'idempotency-key': randomUUID() })).body.id as string;
      await eventually(async () => (await resident.get(`/api/proposals/${id}`)).status === 200, 'the proposal projected');
      expect(await follower.socket.emitWithAck('proposal.follow', { proposalId: id })).toBe(true);
      const flaggers = await Promise.all(Array.from({ length: 5 }, () => phoneVoter(api, dschang, 'dschang')));
      for (const f of flaggers.slice(0, 4)) expect((await f.post(`/api/proposals/${id}/flags`, { reason: 'off_topic' })).status).toBe(201);
      await eventually(async () => toStaff.find((p) => p.id === id && p.flags === 4), 'four flags pushed to the moderators');
      await eventually(async () => toResident.length > 0 && toResident.at(-1)!.id === id, 'the public view pushed to the follower');
      expect(toResident.every((p) => !('flags' in p) && !('hidden' in p))).toBe(true);
      expect((await flaggers[4]!.post(`/api/proposals/${id}/flags`, { reason: 'off_topic' })).body.hidden).toBe(true);
      const hidden = await eventually(async () => toStaff.find((p) => p.id === id && p.state === 'hidden'), 'the hiding pushed to the moderators');
      expect(hidden.hidden).toMatchObject({ by: 'flags' });
      // Moderators may follow a hidden proposal; a resident may not.
      expect(await moderator.socket.emitWithAck('proposal.follow', { proposalId: id })).toBe(true);
      expect(await follower.socket.emitWithAck('proposal.follow', { proposalId: id })).toBe(false);
      expect(toResident.some((p) => p.state === 'hidden')).toBe(false);
    } finally {
      moderator.socket.close();
      follower.socket.close();
    }
  });
});

describe('open data', () => {
  it('gives proposals and projects as CSV and GeoJSON to anyone, without an account, naming no author', async () => {
    const proposalId = await acceptedProposal();
    const id = (await dschang.post('/api/projects', { communeId: 'dschang', title: 'Passerelle de Foto', proposalIds: [proposalId] }, { 'idempotency-key': randomUUID() })).body.id as string;
    const photo = await agent.upload(await jpegWithGps(640, 480), 'culee.jpg', 'image/jpeg');
    await agent.post(`/api/projects/${id}/milestones`, { title: 'Culées coulées', mediaIds: [photo.body.mediaId] }, { 'idempotency-key': randomUUID() });
    await project(id, (p) => p.milestones.length === 1, 'the milestone');

    const csv = await fetch(`${api.url}/api/open-data/proposals.csv?communeId=dschang`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const text = await csv.text();
    expect(text).toContain('id,commune,quartier,state,category,title,supports');
    expect(text).toMatch(new RegExp(`${proposalId},dschang,dschang-foto,accepted,voirie,`));
    expect(text).not.toContain(resident.citizenId);

    const projects = (await (await fetch(`${api.url}/api/open-data/projects.geojson?communeId=dschang`)).json()) as { type: string; features: { properties: { project: string; milestone: string }; geometry: { coordinates: number[] } }[] };
    expect(projects.type).toBe('FeatureCollection');
    const feature = projects.features.find((f) => f.properties.project === id)!;
    expect(feature.properties.milestone).toBe('Culées coulées');
    expect(feature.geometry.coordinates[1]).toBeCloseTo(3 + 52 / 60, 5);
    problem(await resident.get('/api/open-data/tickets.csv'), 400, 'validation.failed');
  });
});

describe('bad project commands are typed errors that change nothing', () => {
  it('refuses a project from a proposal not accepted, residents, other communes, unknown stages, backwards stages, a photo that is no image', async () => {
    const open = (
      await resident.post('/api/proposals', { title: 'Un marché couvert à Foto', description: 'Les commerçantes vendent sous la pluie toute la saison.', category: 'voirie', quartierId: 'dschang-foto' }, { 'idempotency-key': randomUUID() })
    ).body.id as string;
    const id = (await dschang.post('/api/projects', { communeId: 'dschang', title: 'Éclairage du marché' }, { 'idempotency-key': randomUUID() })).body.id as string;
    await agent.post(`/api/projects/${id}/stages`, { stage: 'procured' });
    const before = await eventCount(api);
    problem(await dschang.post('/api/projects', { communeId: 'dschang', title: 'Marché couvert', proposalIds: [open] }, { 'idempotency-key': randomUUID() }), 409, 'project.proposal_not_accepted');
    problem(await resident.post('/api/projects', { communeId: 'dschang', title: 'Marché couvert' }, { 'idempotency-key': randomUUID() }), 403, 'auth.forbidden');
    problem(await (await staff(api, 'dispatcher.soa')).post(`/api/projects/${id}/budget`, { planned: 1, committed: 0, spent: 0 }, { 'if-match': '"1"' }), 403, 'project.forbidden');
    problem(await agent.post(`/api/projects/${id}/stages`, { stage: 'demolished' }), 422, 'project.unknown_stage');
    problem(await agent.post(`/api/projects/${id}/stages`, { stage: 'planned' }), 409, 'project.stage_backwards');
    problem(await agent.post(`/api/projects/${id}/progress`, { percent: 140 }), 400, 'validation.failed');
    problem(await agent.post(`/api/projects/${id}/milestones`, { title: 'Poteaux posés', mediaIds: ['0123456789abcdef0123456789abcdef'] }, { 'idempotency-key': randomUUID() }), 400, 'media.not_found');
    const notAnImage = await agent.request('POST', '/api/media', { raw: (() => {
      const form = new FormData();
      form.append('file', new Blob([new TextEncoder().encode('not a photo at all')], { type: 'image/jpeg' }), 'poteaux.jpg');
      return form;
    })() });
    problem(notAnImage, 415, 'media.unsupported_type');
    problem(await agent.post(`/api/projects/J000000000000/progress`, { percent: 10 }), 404, 'project.not_found');
    expect(await eventCount(api)).toBe(before);
  });
});
