import { randomUUID } from 'node:crypto';
import { io, type ManagerOptions, type Socket, type SocketOptions } from 'socket.io-client';
import { expect } from 'vitest';
import { startTestPalabre, type TestPalabre } from '../src/testing/palabre.js';

export { startTestPalabre, type TestPalabre };

export interface Reply {
  readonly status: number;
  readonly body: any;
  readonly headers: Headers;
}

/** A small HTTP client speaking the API's JSON, as the apps do. */
export class Client {
  token: string | null = null;
  refreshToken: string | null = null;
  constructor(readonly baseUrl: string) {}

  async request(method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; raw?: BodyInit } = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let body: BodyInit | undefined = options.raw;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = JSON.stringify(options.body);
    }
    const response = await fetch(`${this.baseUrl}${path}`, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = text.length > 0 ? JSON.parse(text) : null;
    } catch {
      /* not JSON: keep the text */
    }
    return { status: response.status, body: parsed, headers: response.headers };
  }

  get = (path: string, headers?: Record<string, string>) => this.request('GET', path, headers ? { headers } : {});
  post = (path: string, body?: unknown, headers?: Record<string, string>) => this.request('POST', path, { ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });
  put = (path: string, body?: unknown, headers?: Record<string, string>) => this.request('PUT', path, { ...(body === undefined ? {} : { body }), ...(headers ? { headers } : {}) });

  async login(username: string, password: string): Promise<this> {
    const reply = await this.post('/api/auth/login', { username, password });
    if (reply.status !== 200) throw new Error(`login ${username}: ${reply.status} ${JSON.stringify(reply.body)}`);
    this.token = reply.body.accessToken;
    this.refreshToken = reply.body.refreshToken;
    return this;
  }

  async asCitizen(deviceId = `device-${randomUUID()}`): Promise<string> {
    const reply = await this.post('/api/auth/citizen', { deviceId });
    if (reply.status !== 200) throw new Error(`citizen: ${reply.status} ${JSON.stringify(reply.body)}`);
    this.token = reply.body.accessToken;
    this.refreshToken = reply.body.refreshToken;
    return reply.body.citizenId;
  }

  /** Report at a point in Soa (or elsewhere), with a fresh Idempotency-Key unless given. */
  report(overrides: Record<string, unknown> = {}, key: string = randomUUID()): Promise<Reply> {
    return this.post('/api/tickets', { category: 'salubrite', subcategory: 'bacs-pleins', description: 'Le bac déborde', location: { lat: 3.98, lon: 11.6, accuracy: 12 }, landmark: 'près du marché', ...overrides }, { 'idempotency-key': key });
  }

  act(ticketId: string, action: string, body: unknown, revision?: number | string): Promise<Reply> {
    return this.post(`/api/tickets/${ticketId}/${action}`, body, revision === undefined ? {} : { 'if-match': `"${revision}"` });
  }

  /** A multipart upload of one `file` field, as a browser form sends it. */
  upload(bytes: Uint8Array, filename: string, type: string): Promise<Reply> {
    const form = new FormData();
    form.append('file', new Blob([bytes], { type }), filename);
    return this.request('POST', '/api/media', { raw: form });
  }

  /** The ticket once the projections show it at `revision` or later. */
  ticketAt(ticketId: string, revision: number): Promise<any> {
    return eventually(async () => {
      const r = await this.get(`/api/tickets/${ticketId}`);
      return r.status === 200 && r.body.revision >= revision ? r.body : null;
    }, `ticket ${ticketId} at revision ${revision}`);
  }

  /**
   * The ticket's timeline once it has reached `revision`, as it says. The timeline has its own
   * projector, which may commit a moment after the tickets projector that `ticketAt` waits for.
   */
  timelineAt(ticketId: string, revision: number): Promise<Reply> {
    return eventually(async () => {
      const r = await this.get(`/api/tickets/${ticketId}/timeline`);
      return r.status === 200 && r.body.revision >= revision ? r : null;
    }, `timeline of ${ticketId} at revision ${revision}`);
  }
}

/** A signed-in demo staff member. */
export const staff = (api: TestPalabre, username: string): Promise<Client> => new Client(api.url).login(username, api.demoPassword);

/** A citizen with a fresh device identity. */
export async function citizen(api: TestPalabre): Promise<Client & { citizenId: string }> {
  const client = new Client(api.url) as Client & { citizenId: string };
  client.citizenId = await client.asCitizen();
  return client;
}

/** Events in the log: "nothing appended" is checked against the log itself, not a read model. */
export async function eventCount(api: TestPalabre): Promise<number> {
  const { rows } = await api.palabre.infra.pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM event_store.events');
  return rows[0]!.n;
}

/** Polls until `check` returns a value (projections are eventually consistent, typically within ms). */
export async function eventually<T>(check: () => Promise<T | undefined | null | false>, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export interface TicketUpdate {
  readonly ticket: any;
  readonly revision: number;
  readonly position: string;
}

/** `timeline.updated`: the history of a ticket pushed without it has reached `revision`. */
export interface HistoryUpdate {
  readonly ticketId: string;
  readonly revision: number;
  readonly position: string;
}

/** A live-updates socket that records every `ticket.updated` and `timeline.updated` it receives, in order. */
export interface LiveClient {
  readonly socket: Socket;
  readonly updates: TicketUpdate[];
  readonly histories: HistoryUpdate[];
  /** The first update (already received or still to come) that `match` accepts. */
  waitFor(match: (u: TicketUpdate) => boolean, what: string): Promise<TicketUpdate>;
  waitForHistory(match: (u: HistoryUpdate) => boolean, what: string): Promise<HistoryUpdate>;
  close(): void;
}

/** Connects as the apps do; rejects with the server's reason (`auth.invalid`, …) when refused. `options`: e.g. a proxy's certificate (`ca`). */
export async function connectLive(
  url: string,
  auth: { token?: string; since?: string },
  options: Partial<ManagerOptions & SocketOptions> = {},
): Promise<LiveClient & { catchUp: Promise<{ position: string | null }> }> {
  const socket = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true, ...options });
  const updates: TicketUpdate[] = [];
  const histories: HistoryUpdate[] = [];
  socket.on('ticket.updated', (update: TicketUpdate) => updates.push(update));
  socket.on('timeline.updated', (update: HistoryUpdate) => histories.push(update));
  const catchUp = new Promise<{ position: string | null }>((resolve) => socket.once('catch-up.done', resolve));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', (error) => {
      socket.close();
      reject(error);
    });
  });
  return {
    socket,
    updates,
    histories,
    catchUp,
    waitFor: (match, what) => eventually(async () => updates.find(match), what),
    waitForHistory: (match, what) => eventually(async () => histories.find(match), what),
    close: () => void socket.close(),
  };
}

/**
 * A report, then its triage, as `console` hears of them. Each push comes once the projections
 * committed: a GET of the ticket then shows that revision or newer without waiting, and so does a GET
 * of its history, unless the history says it is behind: then `timeline.updated` follows once it has
 * caught up. Returns what was answered and pushed, for the caller's own checks.
 */
export async function reportAndTriageLive(console: LiveClient, reporter: Client, dispatcher: Client, priority: string, report: Record<string, unknown> = {}) {
  const created = (await reporter.report(report)).body;
  const reported = await console.waitFor((u) => u.ticket.id === created.id, 'the new report');
  expect(reported.revision).toBeGreaterThanOrEqual(created.revision);
  const triaged = await dispatcher.act(created.id, 'triage', { priority }, reported.revision);
  expect(triaged.status).toBe(200);
  const pushed = await console.waitFor((u) => u.ticket.id === created.id && u.revision === triaged.body.revision, 'the triage');
  expect(pushed.ticket).toMatchObject({ status: 'triaged', priority, revision: triaged.body.revision });
  expect((await dispatcher.get(`/api/tickets/${created.id}`)).body.revision).toBeGreaterThanOrEqual(pushed.revision);
  await expectHistoryAt(console, dispatcher, created.id, pushed.revision);
  return { created, reported, triaged, pushed };
}

/** The history a client reloads on hearing of `revision`: there already, or announced once it is. */
export async function expectHistoryAt(live: LiveClient, reader: Client, ticketId: string, revision: number): Promise<void> {
  let history = await reader.get(`/api/tickets/${ticketId}/timeline`);
  if (history.body.revision < revision) {
    await live.waitForHistory((h) => h.ticketId === ticketId && h.revision >= revision, `the history of ${ticketId} at revision ${revision}`);
    history = await reader.get(`/api/tickets/${ticketId}/timeline`);
  }
  expect(history.body.revision).toBeGreaterThanOrEqual(revision);
  expect(Math.max(...history.body.items.map((i: { revision: number }) => i.revision))).toBeGreaterThanOrEqual(revision);
}

/** A problem+json answer with this status and code. */
export function expectProblem(reply: { status: number; body: any; headers: Headers }, status: number, code: string): void {
  expect({ status: reply.status, code: reply.body?.code }).toEqual({ status, code });
  expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
}

/** The latest code the development gateway kept for this number, read as staff read it in the console. */
export async function developmentCode(staffClient: Client, e164: string): Promise<string> {
  const reply = await staffClient.get('/api/sms/development');
  expect(reply.status).toBe(200);
  // Newest first.
  const message = (reply.body.messages as { to: string; text: string }[]).find((m) => m.to === e164);
  if (!message) throw new Error(`no SMS to ${e164}`);
  return /^(\d{6}) /.exec(message.text)![1]!;
}

let nextVoterNumber = 300_000;
/** A resident whose phone is verified (the code read by `staffClient`) and who says they live in `communeId` (and `quartierId`). */
export async function phoneVoter(api: TestPalabre, staffClient: Client, communeId = 'soa', quartierId?: string): Promise<Client & { citizenId: string }> {
  const voter = await citizen(api);
  const e164 = `+237677${String(nextVoterNumber++).padStart(6, '0')}`;
  expect((await voter.post('/api/citizens/me/phone', { phone: e164 })).status).toBe(202);
  expect((await voter.post('/api/citizens/me/phone/verify', { code: await developmentCode(staffClient, e164) })).body.level).toBe('phone');
  const residence = await voter.put('/api/citizens/me/residence', { communeId, ...(quartierId ? { quartierId } : {}) });
  expect(residence.status).toBe(200);
  expect(residence.body).toMatchObject({ level: 'phone', residence: { communeId, quartierId: quartierId ?? null, checked: false } });
  return voter;
}

const hour = 3_600_000;
/** A consultation of Soa at the phone level, open from an hour ago for two weeks, asking `questions`. */
export const consultationDraft = (questions: readonly unknown[], overrides: Record<string, unknown> = {}) => ({
  communeId: 'soa',
  title: { fr: 'Où installer le nouveau marché ?', en: 'Where should the new market go?' },
  requiredLevel: 'phone',
  opensAt: new Date(Date.now() - hour).toISOString(),
  closesAt: new Date(Date.now() + 14 * 24 * hour).toISOString(),
  resultsVisibility: 'at_close',
  questions,
  ...overrides,
});

/** Drafts and opens a consultation as `organiser`; returns its id. */
export async function openConsultation(organiser: Client, draft: Record<string, unknown>): Promise<string> {
  const created = await organiser.post('/api/consultations', draft, { 'idempotency-key': randomUUID() });
  expect(created.status).toBe(201);
  expect((await organiser.post(`/api/consultations/${created.body.id}/open`, {}, { 'if-match': '"0"' })).status).toBe(200);
  return created.body.id as string;
}
