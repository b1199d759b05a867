import { createHash, randomUUID } from 'node:crypto';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeHash, signLatestTreeHead, verifyInclusion } from '@palabre/audit';
import { AuditLog } from '../src/audit/audit-log.js';
import { ConsultationDeadlines } from '../src/consultations/deadlines.js';
import { holdProjector } from '../src/testing/palabre.js';
import {
  type Client,
  citizen,
  connectLive,
  consultationDraft,
  eventCount,
  eventually,
  expectProblem as problem,
  openConsultation as openDraft,
  phoneVoter as verifiedVoter,
  staff,
  startTestPalabre,
  type TestPalabre,
} from './support.js';

let api: TestPalabre;
let soa: Client;
beforeAll(async () => {
  api = await startTestPalabre();
  soa = await staff(api, 'dispatcher.soa');
});
afterAll(async () => {
  await api?.close();
});

const budgetQuestions = [
  {
    id: 'site',
    kind: 'single',
    text: { fr: 'Où installer le marché ?', en: 'Where should the market go?' },
    options: [
      { id: 'gare', label: { fr: 'Gare routière', en: 'Bus station' } },
      { id: 'stade', label: { fr: 'Stade', en: 'Stadium' } },
    ],
  },
  {
    id: 'priorites',
    kind: 'multiple',
    maxChoices: 2,
    text: { fr: 'Vos priorités', en: 'Your priorities' },
    options: [
      { id: 'eau', label: { fr: 'Eau', en: 'Water' } },
      { id: 'routes', label: { fr: 'Routes', en: 'Roads' } },
      { id: 'ecoles', label: { fr: 'Écoles', en: 'Schools' } },
    ],
  },
  { id: 'satisfaction', kind: 'scale', text: { fr: 'Satisfaction', en: 'Satisfaction' } },
  { id: 'idees', kind: 'text', text: { fr: 'Une idée ?', en: 'An idea?' } },
  {
    id: 'projets',
    kind: 'budget',
    budget: 40_000_000,
    text: { fr: 'Quels projets financer ?', en: 'Which projects to fund?' },
    options: [
      { id: 'pont', label: { fr: 'Passerelle', en: 'Footbridge' }, cost: 25_000_000 },
      { id: 'forage', label: { fr: 'Forage', en: 'Borehole' }, cost: 12_000_000 },
      { id: 'marche', label: { fr: 'Hangar du marché', en: 'Market shed' }, cost: 18_000_000 },
    ],
  },
];
const budgetConsultation = (overrides: Record<string, unknown> = {}) =>
  consultationDraft(budgetQuestions, { title: { fr: 'Budget participatif 2027', en: '2027 participatory budget' }, resultsVisibility: 'live', ...overrides });

const answers = (overrides: Record<string, unknown> = {}) => ({ site: 'gare', priorites: ['eau', 'routes'], satisfaction: 4, idees: 'Des bancs', projets: ['pont', 'forage'], ...overrides });

/** Drafts and opens the budget consultation of Soa; returns its id. */
const openConsultation = (overrides: Record<string, unknown> = {}) => openDraft(soa, budgetConsultation(overrides));

const phoneVoter = (communeId?: string, quartierId?: string) => verifiedVoter(api, soa, communeId, quartierId);

const live_ = (token: string) => connectLive(api.url, { token });

/** A problem's body, once its status and code are checked. */
const refused = (reply: Awaited<ReturnType<Client['get']>>, status: number, code: string) => {
  problem(reply, status, code);
  return reply.body;
};

/** A photo of a tally sheet as a phone takes it. */
const tallySheetPhoto = () => sharp({ create: { width: 1200, height: 900, channels: 3, background: '#f4f1e8' } }).jpeg().toBuffer();

const vote = (voter: Client, id: string, body: unknown, key: string = randomUUID()) => voter.post(`/api/consultations/${id}/ballots`, body, { 'idempotency-key': key });

describe('a verified resident votes, changes the vote and checks the receipt', () => {
  it('counts the last ballot, answers a retry with the same receipt, and writes no citizen id anywhere', async () => {
    const id = await openConsultation();
    const voter = await phoneVoter();

    const key = randomUUID();
    const first = await vote(voter, id, { answers: answers() }, key);
    expect(first.status).toBe(201);
    expect(first.body).toEqual({ receipt: expect.stringMatching(/^[0-9A-HJKMNP-TV-Z]{10}$/), ballotId: expect.stringMatching(/^B[0-9A-Z]{12}$/) });
    // The answer was lost on the way back: the retry finds the same ballot and appends nothing.
    const before = await eventCount(api);
    expect((await vote(voter, id, { answers: answers() }, key)).body).toEqual(first.body);
    expect(await eventCount(api)).toBe(before);

    const second = await vote(voter, id, { answers: answers({ site: 'stade', projets: ['forage', 'marche'] }) });
    expect(second.status).toBe(201);
    expect(second.body.receipt).not.toBe(first.body.receipt);

    const results = await eventually(async () => {
      const reply = await voter.get(`/api/consultations/${id}/results`);
      return reply.status === 200 && reply.body.ballots === 2 && reply.body;
    }, 'the tally of both ballots');
    expect(results.turnout).toBe(1);
    expect(results.byChannel).toEqual({ online: 1, paper: 0 });
    expect(results.questions[0]).toMatchObject({ questionId: 'site', options: [{ optionId: 'gare', votes: 0 }, { optionId: 'stade', votes: 1 }] });
    expect(results.rules.counted).toMatch(/last online ballot/);

    const earlier = await voter.get(`/api/receipts/${first.body.receipt}`);
    expect(earlier.status).toBe(200);
    expect(earlier.body).toMatchObject({ consultationId: id, ballotId: first.body.ballotId, channel: 'online', counted: false, answers: answers() });
    // Typed by hand: lower case, a dash, and the look-alike O for 0 still find it.
    const typed = `${second.body.receipt.slice(0, 5)}-${second.body.receipt.slice(5)}`.toLowerCase().replace(/0/g, 'o');
    const counted = await voter.get(`/api/receipts/${encodeURIComponent(typed)}`);
    expect(counted.body).toMatchObject({ receipt: second.body.receipt, counted: true, answers: answers({ site: 'stade', projets: ['forage', 'marche'] }) });

    // The ballots, their events' metadata, the read models and the receipts never carry the citizen id.
    const { rows } = await api.palabre.infra.pool.query<{ text: string }>(
      `SELECT concat(e.data::text, e.metadata::text, e.stream_id) AS text FROM event_store.events e WHERE e.stream_id LIKE $1`,
      [`ballots-${id}-%`],
    );
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.text).not.toContain(voter.citizenId);
    const readRows = await api.palabre.infra.pool.query<{ text: string }>('SELECT row_to_json(b)::text AS text FROM read.consultation_ballots b WHERE consultation_id = $1', [id]);
    for (const row of readRows.rows) expect(row.text).not.toContain(voter.citizenId);
    expect(JSON.stringify(counted.body)).not.toContain(voter.citizenId);
  });

  it('proves the ballot is in the signed transparency log, as the app checks it', async () => {
    const id = await openConsultation();
    const voter = await phoneVoter();
    const { receipt } = (await vote(voter, id, { answers: answers() })).body;
    const audit = api.palabre.app.get(AuditLog);
    const checked = await eventually(async () => {
      await signLatestTreeHead(api.palabre.infra.pool, audit.signer);
      const reply = await voter.get(`/api/receipts/${receipt}`);
      return reply.status === 200 && reply.body.inclusion && reply.body;
    }, 'a signed head covering the ballot');
    const { inclusion } = checked;
    expect(inclusion.treeHead).toMatchObject({ treeSize: inclusion.treeSize, rootHash: inclusion.rootHash, keyId: audit.signer.keyId });
    // The envelope is the ballot itself, and hashes to the proven leaf.
    const envelope = JSON.parse(checked.envelope);
    expect(envelope).toMatchObject({ type: 'BallotCast', data: { answers: answers() } });
    expect(createHash('sha256').update(Buffer.concat([Buffer.from([0]), Buffer.from(checked.envelope, 'utf8')])).digest('base64')).toBe(inclusion.leafHash);
    expect(verifyInclusion(inclusion.leafIndex, inclusion.treeSize, decodeHash(inclusion.leafHash), inclusion.inclusionProof.map(decodeHash), decodeHash(inclusion.rootHash))).toBe(true);
    // The same proof does not hold for another leaf.
    expect(verifyInclusion((inclusion.leafIndex + 1) % inclusion.treeSize, inclusion.treeSize, decodeHash(inclusion.leafHash), inclusion.inclusionProof.map(decodeHash), decodeHash(inclusion.rootHash))).toBe(
      inclusion.treeSize === 1,
    );
  });

  it('records a paper ballot at a polling table as final: a later online ballot is refused', async () => {
    const id = await openConsultation();
    const voter = await phoneVoter();
    const agent = await staff(api, 'agent.soa');
    const paper = await agent.post(`/api/consultations/${id}/paper-ballots`, { citizenId: voter.citizenId, pollingTableId: 'soa-mairie-1', answers: answers({ site: 'stade' }) }, { 'idempotency-key': randomUUID() });
    expect(paper.status).toBe(201);
    const before = await eventCount(api);
    problem(await vote(voter, id, { answers: answers() }), 409, 'ballot.paper_final');
    expect(await eventCount(api)).toBe(before);
    const checked = await eventually(async () => {
      const reply = await voter.get(`/api/receipts/${paper.body.receipt}`);
      return reply.status === 200 && reply.body;
    }, 'the paper ballot projected');
    expect(checked).toMatchObject({ channel: 'paper', counted: true });
    const results = await eventually(async () => {
      const reply = await soa.get(`/api/consultations/${id}/results`);
      return reply.body.ballots === 1 && reply.body;
    }, 'the tally');
    expect(results.byChannel).toEqual({ online: 0, paper: 1 });
  });

  it("closes a polling table with a photo of its tally sheet, shown beside that table's paper ballots in the log", async () => {
    const id = await openConsultation();
    const agent = await staff(api, 'agent.soa');
    for (const voter of [await phoneVoter(), await phoneVoter()]) {
      const paper = await agent.post(`/api/consultations/${id}/paper-ballots`, { citizenId: voter.citizenId, pollingTableId: 'soa-ecole-2', answers: answers() }, { 'idempotency-key': randomUUID() });
      expect(paper.status).toBe(201);
    }
    const sheet = await agent.upload(await tallySheetPhoto(), 'feuille-de-depouillement.jpg', 'image/jpeg');
    expect(sheet.status).toBe(201);
    const body = { pollingTableId: 'soa-ecole-2', mediaIds: [sheet.body.mediaId], ballotsOnSheet: 2, note: 'Aucun bulletin nul' };
    const key = randomUUID();
    const attached = await agent.post(`/api/consultations/${id}/tally-sheets`, body, { 'idempotency-key': key });
    expect(attached.status, JSON.stringify(attached.body)).toBe(201);
    expect(attached.body).toEqual({ consultationId: id, pollingTableId: 'soa-ecole-2', sheets: 1 });
    // The table's own stream: the organiser's If-Match on the consultation still holds.
    expect((await soa.get(`/api/consultations/${id}`)).headers.get('etag')).toBe('"1"');

    // The outbox sending it again (the answer was lost): the same answer, nothing new in the log.
    const before = await eventCount(api);
    expect((await agent.post(`/api/consultations/${id}/tally-sheets`, body, { 'idempotency-key': key })).body).toEqual(attached.body);
    expect(await eventCount(api)).toBe(before);

    const tables = await eventually(async () => {
      const reply = await soa.get(`/api/consultations/${id}/polling-tables`);
      return reply.body.items?.[0]?.sheets.length === 1 && reply.body.items[0].paperBallots === 2 && reply.body;
    }, 'the polling table projected');
    expect(tables.items).toEqual([
      {
        pollingTableId: 'soa-ecole-2',
        paperBallots: 2,
        sheets: [
          {
            media: [{ id: sheet.body.mediaId, url: `/api/media/${sheet.body.mediaId}`, thumbnailUrl: `/api/media/${sheet.body.mediaId}/thumb` }],
            ballotsOnSheet: 2,
            note: 'Aucun bulletin nul',
            attachedBy: expect.any(String),
            attachedAt: expect.any(String),
          },
        ],
      },
    ]);
    // Evidence only: the sheet counts nothing.
    expect((await soa.get(`/api/consultations/${id}/results`)).body.byChannel).toEqual({ online: 0, paper: 2 });
  });

  it('refuses a tally sheet without a photo, with a photo never uploaded, from a resident or another commune, or before opening, changing nothing', async () => {
    const id = await openConsultation();
    const agent = await staff(api, 'agent.soa');
    const sheet = (await agent.upload(await tallySheetPhoto(), 'feuille.jpg', 'image/jpeg')).body.mediaId as string;
    const attach = (client: Client, body: Record<string, unknown>, consultation = id, headers: Record<string, string> = { 'idempotency-key': randomUUID() }) =>
      client.post(`/api/consultations/${consultation}/tally-sheets`, { pollingTableId: 'soa-ecole-3', mediaIds: [sheet], ballotsOnSheet: 12, ...body }, headers);
    const [resident, otherCommune] = [await phoneVoter(), await staff(api, 'agent.dschang')];
    const before = await eventCount(api);

    expect(refused(await attach(agent, { mediaIds: [] }), 400, 'validation.failed').errors).toContainEqual(expect.objectContaining({ path: 'body.mediaIds' }));
    expect(refused(await attach(agent, { ballotsOnSheet: -3 }), 400, 'validation.failed').errors).toContainEqual(expect.objectContaining({ path: 'body.ballotsOnSheet' }));
    expect(refused(await attach(agent, { mediaIds: ['M01JBADPHOTO000000000000000'] }), 400, 'media.not_found').errors).toContainEqual(expect.objectContaining({ path: 'body.mediaIds.0' }));
    problem(await attach(agent, {}, id, {}), 428, 'idempotency_key.missing');
    problem(await attach(resident, {}), 403, 'auth.forbidden');
    problem(await attach(otherCommune, {}), 403, 'consultation.forbidden');
    const draft = (await soa.post('/api/consultations', budgetConsultation(), { 'idempotency-key': randomUUID() })).body.id as string;
    problem(await attach(agent, {}, draft), 409, 'consultation.not_open');
    expect(await eventCount(api)).toBe(before + 1); // the draft only
  });

  it('lists consultations: open ones for everyone, drafts only for their commune staff', async () => {
    const id = await openConsultation();
    const draft = await soa.post('/api/consultations', budgetConsultation(), { 'idempotency-key': randomUUID() });
    const resident = await citizen(api);
    const listed = await eventually(async () => {
      const reply = await resident.get('/api/consultations?communeId=soa');
      return reply.status === 200 && reply.body.items.some((c: { id: string }) => c.id === id) && reply.body;
    }, 'the consultation listed');
    expect(listed.items.find((c: { id: string }) => c.id === id)).toMatchObject({ status: 'open', title: { fr: 'Budget participatif 2027' }, resultsVisibility: 'live' });
    expect(listed.items.some((c: { id: string }) => c.id === draft.body.id)).toBe(false);
    await eventually(async () => (await soa.get('/api/consultations?status=draft')).body.items.some((c: { id: string }) => c.id === draft.body.id), 'the draft listed for staff');
    expect((await (await staff(api, 'dispatcher.dschang')).get('/api/consultations?status=draft')).body.items.some((c: { id: string }) => c.id === draft.body.id)).toBe(false);
    problem(await resident.get('/api/consultations?status=maybe'), 400, 'validation.failed');
  });
});

describe('a consultation closes at its closing time', () => {
  it('closes on schedule, after which ballots are refused and results shown at the close appear', async () => {
    // The voter first (the slow part on a busy machine), then a consultation closing four seconds later.
    const voter = await phoneVoter();
    const closesAt = Date.now() + 4_000;
    const id = await openConsultation({ resultsVisibility: 'at_close', closesAt: new Date(closesAt).toISOString() });
    expect((await vote(voter, id, { answers: answers() })).status).toBe(201);
    problem(await voter.get(`/api/consultations/${id}/results`), 403, 'results.not_yet');
    const deadlines = api.palabre.app.get(ConsultationDeadlines);
    await new Promise((r) => setTimeout(r, Math.max(0, closesAt - Date.now()) + 100));
    problem(await vote(voter, id, { answers: answers() }), 409, 'consultation.closed');
    expect(await eventually(async () => (await deadlines.closeDue()).includes(id) || (await soa.get(`/api/consultations/${id}`)).body.status === 'closed', 'the close on schedule')).toBe(true);
    expect((await soa.get(`/api/consultations/${id}`)).body).toMatchObject({ status: 'closed' });
    // Again (another process, or the next tick before the read side caught up): nothing more is recorded.
    const before = await eventCount(api);
    await deadlines.closeDue();
    expect(await eventCount(api)).toBe(before);
    const results = await eventually(async () => {
      const reply = await voter.get(`/api/consultations/${id}/results`);
      return reply.status === 200 && reply.body.ballots === 1 && reply.body;
    }, 'results at the close');
    expect(results).toMatchObject({ status: 'closed', turnout: 1 });
  });
});

describe('results live over socket.io', () => {
  it('pushes each new count to followers of a live consultation, and to organisers only of one shown at close', async () => {
    const live = await openConsultation();
    const atClose = await openConsultation({ resultsVisibility: 'at_close' });
    const voter = await phoneVoter();
    const resident = await live_(voter.token!);
    const organiser = await live_(soa.token!);
    const heard = { resident: [] as any[], organiser: [] as any[] };
    resident.socket.on('consultation.results', (r: unknown) => heard.resident.push(r));
    organiser.socket.on('consultation.results', (r: unknown) => heard.organiser.push(r));
    for (const id of [live, atClose]) {
      resident.socket.emit('consultation.follow', { consultationId: id });
      organiser.socket.emit('consultation.follow', { consultationId: id });
    }
    // On following, the current figures of what each may see.
    await eventually(async () => new Set(heard.organiser.filter((r) => r.ballots === 0).map((r) => r.consultationId)).size === 2, 'the organiser hears both at zero');
    await eventually(async () => heard.resident.some((r) => r.consultationId === live && r.ballots === 0), 'the resident hears the live one');

    expect((await vote(voter, live, { answers: answers() })).status).toBe(201);
    expect((await vote(voter, atClose, { answers: answers() })).status).toBe(201);
    const pushed = await eventually(async () => heard.resident.find((r) => r.consultationId === live && r.ballots === 1), 'the live count');
    expect(pushed).toMatchObject({ status: 'open', turnout: 1, questions: [{ questionId: 'site', options: [{ optionId: 'gare', votes: 1 }, { optionId: 'stade', votes: 0 }] }, {}, {}, {}, {}] });
    await eventually(async () => heard.organiser.find((r) => r.consultationId === atClose && r.ballots === 1), 'the organisers hear the count shown at close');
    // Give the push a moment to be (wrongly) delivered before checking it was not.
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.resident.some((r) => r.consultationId === atClose)).toBe(false);
    resident.close();
    organiser.close();
  });
});

describe('a follow that comes before the read side has the consultation', () => {
  it('is decided on the consultation’s own stream, so a resident opening it at once hears its figures, then each new count', async () => {
    const voter = await phoneVoter();
    const resident = await live_(voter.token!);
    const heard: { consultationId: string; status: string; ballots: number }[] = [];
    resident.socket.on('consultation.results', (r: { consultationId: string; status: string; ballots: number }) => heard.push(r));
    const release = await holdProjector(api, 'consultations');
    let id: string;
    try {
      id = await openConsultation();
      resident.socket.emit('consultation.follow', { consultationId: id });
      // The read side does not have it yet; the stream says it is open and shows results live.
      const first = await eventually(async () => heard.find((r) => r.consultationId === id), 'the figures while the read side lags');
      expect(first).toMatchObject({ status: 'open', ballots: 0, turnout: 0 });
    } finally {
      await release();
    }
    expect((await vote(voter, id, { answers: answers() })).status).toBe(201);
    await eventually(async () => heard.some((r) => r.consultationId === id && r.ballots === 1), 'the live count after that');
    resident.close();
  });
});

describe('bad ballots and abuse are typed errors that change nothing', () => {
  it('refuses ballots outside the rules, naming the field or the rule', async () => {
    const id = await openConsultation();
    const voter = await phoneVoter();
    const before = await eventCount(api);
    const refusals: [unknown, number, string][] = [
      [{ answers: answers({ site: 'piscine' }) }, 422, 'ballot.choice_not_offered'],
      [{ answers: answers({ priorites: ['eau', 'routes', 'ecoles'] }) }, 422, 'ballot.too_many_choices'],
      [{ answers: answers({ projets: ['pont', 'marche'] }) }, 422, 'ballot.over_budget'],
      [{ answers: answers({ satisfaction: 9 }) }, 422, 'ballot.scale_out_of_range'],
      [{ answers: answers({ inconnue: 'x' }) }, 422, 'ballot.unknown_question'],
      [{ answers: { site: 'gare' } }, 422, 'ballot.missing_answer'],
      [{ answers: answers({ site: ['gare'] }) }, 422, 'ballot.wrong_answer_kind'],
      [{ answers: 'gare' }, 400, 'validation.failed'],
      [{ answers: answers(), extra: true }, 400, 'validation.failed'],
    ];
    for (const [body, status, code] of refusals) {
      const reply = await vote(voter, id, body);
      problem(reply, status, code);
      expect(reply.body.errors?.[0]?.path ?? '').toMatch(/^body/);
    }
    problem(await voter.post(`/api/consultations/${id}/ballots`, { answers: answers() }), 428, 'idempotency_key.missing');
    problem(await vote(voter, 'not-an-id', { answers: answers() }), 400, 'validation.failed');
    problem(await vote(voter, 'K0000000000000'.slice(0, 13), { answers: answers() }), 404, 'consultation.not_found');
    expect(await eventCount(api)).toBe(before);
  });

  it('refuses voters below the level, out of scope, staff in their own name, and a closed or cancelled consultation', async () => {
    const id = await openConsultation();
    const inPersonOnly = await openConsultation({ requiredLevel: 'in_person' });
    const quartiers = await openConsultation({ quartierIds: ['soa-nkolfoulou'] });
    const closing = await openConsultation();
    expect((await soa.post(`/api/consultations/${closing}/close`, {}, { 'if-match': '"1"' })).status).toBe(200);
    const cancelled = await openConsultation();
    expect((await soa.post(`/api/consultations/${cancelled}/cancel`, { reason: 'Erreur de saisie' }, { 'if-match': '"1"' })).status).toBe(200);
    const deviceOnly = await citizen(api);
    const dschang = await phoneVoter('dschang');
    const voter = await phoneVoter();

    const refusals: [Client, string, number, string][] = [
      [deviceOnly, id, 403, 'ballot.level_too_low'],
      [dschang, id, 403, 'ballot.out_of_scope'],
      [soa, id, 403, 'ballot.forbidden'],
      [voter, inPersonOnly, 403, 'ballot.level_too_low'],
      // Declared residence names no quartier: a quartier's consultation is for residents known to live there.
      [voter, quartiers, 403, 'ballot.out_of_scope'],
      [voter, closing, 409, 'consultation.closed'],
      [voter, cancelled, 409, 'consultation.cancelled'],
    ];
    for (const [who, consultation, status, code] of refusals) {
      const before = await eventCount(api);
      problem(await vote(who, consultation, { answers: answers() }), status, code);
      expect(await eventCount(api)).toBe(before);
    }
    // The same resident, declaring the quartier, may vote there.
    expect((await voter.put('/api/citizens/me/residence', { communeId: 'soa', quartierId: 'soa-nkolfoulou' })).status).toBe(200);
    expect((await vote(voter, quartiers, { answers: answers() })).status).toBe(201);
    problem(await voter.put('/api/citizens/me/residence', { communeId: 'soa', quartierId: 'dschang-centre' }), 400, 'citizen.unknown_quartier');
    problem(await voter.put('/api/citizens/me/residence', { communeId: 'atlantis' }), 400, 'citizen.unknown_commune');
  });

  it('opens an adults-only consultation to residents whose checked document says 18 or more, and to no one whose age is unknown', async () => {
    const id = await openConsultation({ adultsOnly: true, requiredLevel: 'in_person' });
    const agent = await staff(api, 'agent.soa');
    const [adult, minor, unknown, other] = [await citizen(api), await citizen(api), await citizen(api), await citizen(api)];
    const check = (resident: Client & { citizenId: string }, document: string, birthDate?: string) =>
      agent.post(`/api/citizens/${resident.citizenId}/verifications`, { method: 'in_person', documentNumber: `CM 7777 ${document}`, quartierId: 'soa-centre', ...(birthDate ? { birthDate } : {}) });
    const today = new Date();
    // Eighteen tomorrow: not yet.
    const eighteenTomorrow = new Date(Date.UTC(today.getUTCFullYear() - 18, today.getUTCMonth(), today.getUTCDate() + 1)).toISOString().slice(0, 10);
    expect((await check(adult, '0001', '1990-06-15')).status).toBe(201);
    expect((await check(minor, '0002', eighteenTomorrow)).status).toBe(201);
    expect((await check(unknown, '0003')).status).toBe(201);
    // Impossible dates are refused and verify nobody.
    problem(await check(other, '0004', new Date(Date.now() + 2 * 86_400_000).toISOString().slice(0, 10)), 400, 'citizen.bad_birth_date');
    problem(await check(other, '0004', '15/06/1990'), 400, 'validation.failed');
    expect((await other.get('/api/citizens/me')).body.level).toBe('device');

    expect((await vote(adult, id, { answers: answers() })).status).toBe(201);
    const before = await eventCount(api);
    problem(await vote(minor, id, { answers: answers() }), 403, 'ballot.not_adult');
    problem(await vote(unknown, id, { answers: answers() }), 403, 'ballot.not_adult');
    const paper = await agent.post(`/api/consultations/${id}/paper-ballots`, { citizenId: minor.citizenId, pollingTableId: 'soa-mairie-1', answers: answers() }, { 'idempotency-key': randomUUID() });
    problem(paper, 403, 'ballot.not_adult');
    expect(await eventCount(api)).toBe(before);
    // The date of birth is personal data: in the vault, never in the log.
    const { rows } = await api.palabre.infra.pool.query<{ n: number }>("SELECT count(*)::integer AS n FROM event_store.events WHERE data::text LIKE '%1990-06-15%' OR metadata::text LIKE '%1990-06-15%'");
    expect(rows[0]!.n).toBe(0);
  });

  it('keeps who voted what from everyone: staff cannot list ballots, receipts are unknown or malformed', async () => {
    const id = await openConsultation();
    problem(await soa.get(`/api/consultations/${id}/ballots`), 403, 'ballot.secret');
    problem(await (await staff(api, 'admin.soa')).get(`/api/consultations/${id}/ballots`), 403, 'ballot.secret');
    problem(await soa.get('/api/receipts/7K3QX-M2P9R'), 404, 'receipt.unknown');
    const malformed = await soa.get('/api/receipts/not-a-receipt');
    problem(malformed, 400, 'receipt.malformed');
    expect(malformed.body.errors[0].path).toBe('path.code');
    // Results wait for the close when the consultation says so; the commune's organisers see them live.
    const atClose = await openConsultation({ resultsVisibility: 'at_close' });
    problem(await (await phoneVoter()).get(`/api/consultations/${atClose}/results`), 403, 'results.not_yet');
    expect((await soa.get(`/api/consultations/${atClose}/results`)).status).toBe(200);
  });

  it('counts one ballot for 20 parallel requests of one voter with one key, and one voter for 20 with different keys', async () => {
    const id = await openConsultation();
    const voter = await phoneVoter();
    const key = randomUUID();
    const before = await eventCount(api);
    const same = await Promise.all(Array.from({ length: 20 }, () => vote(voter, id, { answers: answers() }, key)));
    const accepted = same.filter((r) => r.status === 201);
    expect(accepted.length).toBeGreaterThan(0);
    for (const reply of same) if (reply.status !== 201) problem(reply, 409, 'ballot.concurrent');
    expect(new Set(accepted.map((r) => r.body.receipt)).size).toBe(1);
    expect(await eventCount(api)).toBe(before + 1);

    const different = await Promise.all(Array.from({ length: 20 }, (_, i) => vote(voter, id, { answers: answers({ satisfaction: 1 + (i % 5) }) })));
    for (const reply of different) if (reply.status !== 201) problem(reply, 409, 'ballot.concurrent');
    const recorded = different.filter((r) => r.status === 201).length;
    expect(await eventCount(api)).toBe(before + 1 + recorded);
    const results = await eventually(async () => {
      const reply = await voter.get(`/api/consultations/${id}/results`);
      return reply.body.ballots === 1 + recorded && reply.body;
    }, 'every ballot tallied');
    expect(results.turnout).toBe(1);
  });
});
