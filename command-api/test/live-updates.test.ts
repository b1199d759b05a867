import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultProjectors, type ProjectorGroup, startProjectors } from '@palabre/projections';
import { TokenService } from '../src/auth/tokens.js';
import { holdProjector } from '../src/testing/palabre.js';
import { citizen, type Client, connectLive, eventually, type LiveClient, reportAndTriageLive, staff, startTestPalabre, type TestPalabre } from './support.js';

const DSCHANG = { lat: 5.45, lon: 10.05, accuracy: 10 };

let api: TestPalabre;
let dispatcher: Client;
const sockets: LiveClient[] = [];
const live = async (auth: { token?: string; since?: string }) => {
  const client = await connectLive(api.url, auth);
  sockets.push(client);
  return client;
};

beforeAll(async () => {
  api = await startTestPalabre();
  dispatcher = await staff(api, 'dispatcher.soa');
});
afterAll(async () => {
  for (const s of sockets) s.close();
  await api?.close();
});

describe('live updates over socket.io', () => {
  it('pushes ticket.updated after a command, and a GET then shows that revision', async () => {
    const console = await live({ token: dispatcher.token! });
    // Emitted after the projections committed: the GETs that follow need no polling, for the ticket
    // nor for the history a client reloads with it (the push waits for the timeline too).
    const { created, reported } = await reportAndTriageLive(console, await citizen(api), dispatcher, 'urgent');
    expect(reported.ticket).toMatchObject({ id: created.id, status: 'new', communeId: 'soa' });
    expect(reported.position).toMatch(/^\d+\/\d+$/);
  });

  it('pushes a change whose history is late without it, then timeline.updated once the history has it', async () => {
    const console = await live({ token: dispatcher.token! });
    const reporter = await citizen(api);
    const phone = await live({ token: reporter.token! });
    const created = (await reporter.report()).body;
    const reported = await console.waitFor((u) => u.ticket.id === created.id, 'the report');
    const timeline = () => dispatcher.get(`/api/tickets/${created.id}/timeline`);
    const release = await holdProjector(api, 'timeline');
    let triaged;
    try {
      triaged = await dispatcher.act(created.id, 'triage', { priority: 'high' }, reported.revision);
      await console.waitFor((u) => u.ticket.id === created.id && u.revision === triaged.body.revision, 'the triage, pushed without its history');
      await phone.waitFor((u) => u.ticket.id === created.id && u.revision === triaged.body.revision, 'the triage on the phone');
      // The history says how far it goes, so a client knows it is behind.
      expect((await timeline()).body.revision).toBe(reported.revision);
      expect([...console.histories, ...phone.histories].some((h) => h.ticketId === created.id)).toBe(false);
    } finally {
      await release();
    }
    for (const client of [console, phone]) {
      const late = await client.waitForHistory((h) => h.ticketId === created.id, 'the history announced');
      expect(late).toMatchObject({ revision: triaged.body.revision });
    }
    // Sent once the history committed: the GET that follows has it, with no polling.
    const history = (await timeline()).body;
    expect(history.revision).toBe(triaged.body.revision);
    expect(history.items.at(-1)).toMatchObject({ revision: triaged.body.revision, summary: 'ticket.triaged' });
  });

  it('tells a citizen about their own tickets, anonymous ones included, without naming anyone', async () => {
    const reporter = await citizen(api);
    const phone = await live({ token: reporter.token! });
    const created = (await reporter.report({ anonymous: true })).body;
    await dispatcher.ticketAt(created.id, created.revision);
    const triaged = await dispatcher.act(created.id, 'triage', { priority: 'high' }, created.revision);
    const update = await phone.waitFor((u) => u.ticket.id === created.id && u.revision === triaged.body.revision, 'the citizen’s own ticket');
    expect(update.ticket).toMatchObject({ mine: true, status: 'triaged', agentId: null });
    expect(update.ticket.reporter).toBeUndefined();
    expect(JSON.stringify(phone.updates)).not.toContain(reporter.citizenId);
  });

  it('lets a citizen follow public tickets but never another’s confidential one', async () => {
    const reporter = await citizen(api);
    const neighbour = await citizen(api);
    const [open, secret] = await Promise.all([reporter.report(), reporter.report({ confidential: true })]);
    await dispatcher.ticketAt(open.body.id, open.body.revision);
    await dispatcher.ticketAt(secret.body.id, secret.body.revision);
    const console = await live({ token: dispatcher.token! });
    const phone = await live({ token: neighbour.token! });
    phone.socket.emit('follow', { ticketIds: [secret.body.id, open.body.id] });

    const secretTriage = await dispatcher.act(secret.body.id, 'triage', { priority: 'low' }, secret.body.revision);
    // Once the console has it, every room was served for that change: the phone would have it first.
    await console.waitFor((u) => u.ticket.id === secret.body.id && u.revision === secretTriage.body.revision, 'the confidential change');
    // `follow` is handled asynchronously: change the public ticket until the neighbour hears of it.
    let revision = open.body.revision;
    const priorities = ['low', 'normal', 'high', 'urgent'];
    await eventually(async () => {
      if (phone.updates.some((u) => u.ticket.id === open.body.id)) return true;
      const reply = await dispatcher.act(open.body.id, 'triage', { priority: priorities[revision % 4] }, revision);
      revision = reply.body.revision;
      await console.waitFor((u) => u.ticket.id === open.body.id && u.revision === revision, 'the public change');
      return false;
    }, 'an update of the followed ticket');
    expect(phone.updates.find((u) => u.ticket.id === open.body.id)!.ticket).toMatchObject({ mine: false });
    expect(phone.updates.some((u) => u.ticket.id === secret.body.id)).toBe(false);
  });

  it('keeps each commune’s updates in its own room', async () => {
    const soaConsole = await live({ token: dispatcher.token! });
    const dschangConsole = await live({ token: (await staff(api, 'dispatcher.dschang')).token! });
    const nationalConsole = await live({ token: (await staff(api, 'admin')).token! });
    const reporter = await citizen(api);
    const inSoa = (await reporter.report()).body;
    await soaConsole.waitFor((u) => u.ticket.id === inSoa.id, 'the Soa report in Soa');
    const inDschang = (await reporter.report({ location: DSCHANG })).body;
    await dschangConsole.waitFor((u) => u.ticket.id === inDschang.id, 'the Dschang report in Dschang');
    await nationalConsole.waitFor((u) => u.ticket.id === inDschang.id, 'the Dschang report nationally');
    // The Soa update was sent before the Dschang report existed, on the same ordered connection.
    expect(dschangConsole.updates.every((u) => u.ticket.communeId === 'dschang')).toBe(true);
    expect(nationalConsole.updates.some((u) => u.ticket.id === inSoa.id)).toBe(true);
  });

  it('catches a reconnecting client up from the last position it saw, then says catch-up.done', async () => {
    const first = await live({ token: dispatcher.token! });
    const reporter = await citizen(api);
    const seen = (await reporter.report()).body;
    const last = await first.waitFor((u) => u.ticket.id === seen.id, 'the report before going offline');
    first.close();

    const changed = await dispatcher.act(seen.id, 'triage', { priority: 'high' }, last.revision);
    const fresh = (await reporter.report()).body;
    await dispatcher.ticketAt(seen.id, changed.body.revision);
    await dispatcher.ticketAt(fresh.id, fresh.revision);

    const again = await live({ token: dispatcher.token!, since: last.position });
    const done = await again.catchUp;
    const caughtUp = new Map(again.updates.map((u) => [u.ticket.id, u]));
    expect(caughtUp.get(seen.id)?.revision).toBe(changed.body.revision);
    expect(caughtUp.get(fresh.id)?.revision).toBe(fresh.revision);
    expect(again.updates.every((u) => u.ticket.communeId === 'soa')).toBe(true);
    const [commit] = done.position!.split('/').map(Number);
    for (const u of again.updates) expect(Number(u.position.split('/')[0])).toBeLessThanOrEqual(commit!);
  });

  it('refuses a handshake without a valid token, saying why', async () => {
    await expect(live({})).rejects.toThrow('auth.required');
    await expect(live({ token: 'garbage' })).rejects.toThrow('auth.invalid');
    const { jwtSecret, pool } = api.palabre.infra;
    const yesterday = new TokenService({ secret: jwtSecret, pool, now: () => new Date(Date.now() - 86_400_000) });
    const expired = await yesterday.issueAccess({ sub: 'U-dispatcher-soa', kind: 'staff', role: 'dispatcher', communes: ['soa'] });
    await expect(live({ token: expired.accessToken })).rejects.toThrow('auth.expired');
  });
});

describe('live updates of batches projected by another process', () => {
  let apart: TestPalabre;
  let projectors: ProjectorGroup;
  let console: LiveClient | undefined;

  beforeAll(async () => {
    apart = await startTestPalabre({ env: { PALABRE_PROJECTIONS: 'external' } });
    // As `npm run start:projections` would, on the same database: its notices name no origin of the API's.
    const { store, pool } = apart.palabre.infra;
    projectors = startProjectors(store, pool, defaultProjectors);
  });
  afterAll(async () => {
    console?.close();
    await projectors?.stop();
    await apart?.close();
  });

  it('reads the rows of each notice back and pushes them, the history first', async () => {
    const office = await staff(apart, 'dispatcher.soa');
    console = await connectLive(apart.url, { token: office.token! });
    const { created, reported, triaged } = await reportAndTriageLive(console, await citizen(apart), office, 'high');
    expect(reported.ticket).toMatchObject({ id: created.id, status: 'new', communeId: 'soa', revision: created.revision });
    // Each change is pushed once, by the notice: the API projected nothing of it itself.
    expect(console.updates.filter((u) => u.ticket.id === created.id && u.revision === triaged.body.revision)).toHaveLength(1);
  });
});
