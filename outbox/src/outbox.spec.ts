import { describe, expect, it } from 'vitest';
import { MemoryOutboxStore } from './memory-store.js';
import { Outbox } from './outbox.js';
import type { Failure, OutboxEvent, OutboxTransport } from './types.js';

/** What the apps queue: here a report and a paper ballot, as the citizen app and the console do. */
type Request =
  | { kind: 'report'; description: string; location: { lat: number; lon: number } }
  | { kind: 'paper-ballot'; consultationId: string; citizenId: string; answers: Record<string, string> };

const leak: Extract<Request, { kind: 'report' }> = { kind: 'report', description: "L'eau coule sur la route", location: { lat: 5.452, lon: 10.051 } };

/** The failures an API client throws: no answer, or an answer with a status and a problem code. */
class NetworkFailure extends Error {}
class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}
function classify(error: unknown): Failure {
  if (error instanceof ApiFailure) return { retry: error.status >= 500 || error.status === 429, code: error.code };
  return { retry: true, code: 'network' };
}

/** A stand-in for the API that honours Idempotency-Key the way the real one does, with scripted failures. */
class FakeApi implements OutboxTransport<Request, { id: string }> {
  readonly made = new Map<string, { id: string; mediaIds: string[]; request: Request }>();
  submits: string[] = [];
  uploads = 0;
  /** Failures to throw, in order, before doing the work ("before") or after it ("after": the answer is lost). */
  submitFailures: { error: unknown; when: 'before' | 'after' }[] = [];
  uploadFailures: unknown[] = [];
  gate: Promise<void> | null = null;

  async uploadPhoto(photo: Blob): Promise<string> {
    const failure = this.uploadFailures.shift();
    if (failure) throw failure;
    this.uploads++;
    return `media-${photo.size}-${this.uploads}`;
  }

  async send(request: Request, mediaIds: string[], key: string): Promise<{ id: string }> {
    this.submits.push(key);
    if (this.gate) await this.gate;
    const failure = this.submitFailures[0]?.when === 'before' ? this.submitFailures.shift() : undefined;
    if (failure) throw failure.error;
    let made = this.made.get(key);
    if (!made) {
      made = { id: `${request.kind === 'report' ? 'T' : 'B'}-${this.made.size + 1}`, mediaIds, request };
      this.made.set(key, made);
    }
    const lost = this.submitFailures[0]?.when === 'after' ? this.submitFailures.shift() : undefined;
    if (lost) throw lost.error;
    return { id: made.id };
  }
}

function setup(options: { online?: boolean; store?: MemoryOutboxStore<Request>; api?: FakeApi } = {}) {
  const store = options.store ?? new MemoryOutboxStore<Request>();
  const api = options.api ?? new FakeApi();
  const clock = { now: 1_000_000, online: options.online ?? true };
  const timers: { at: number; task: () => void; cancelled: boolean }[] = [];
  let keys = 0;
  const outbox = new Outbox({
    store,
    transport: api,
    classify,
    isOnline: () => clock.online,
    newKey: () => `key-${++keys}-${clock.now}`,
    now: () => clock.now,
    random: () => 0.5,
    schedule: (task, ms) => {
      const timer = { at: clock.now + ms, task, cancelled: false };
      timers.push(timer);
      return () => (timer.cancelled = true);
    },
  });
  const events: OutboxEvent<Request, { id: string }>[] = [];
  outbox.subscribe((event) => events.push(event));
  const pendingTimer = () => timers.filter((t) => !t.cancelled).at(-1);
  return { store, api, clock, outbox, events, pendingTimer };
}

const network = () => new NetworkFailure('no signal');
const photo = (bytes: number) => new Blob([new Uint8Array(bytes)], { type: 'image/webp' });

describe('the outbox', () => {
  it('keeps the report on the phone first, then delivers it once and forgets it', async () => {
    const { outbox, api, store, events } = setup();
    const entry = await outbox.enqueue(leak, [photo(150_000)]);
    await outbox.drain();

    expect(api.made.size).toBe(1);
    expect(api.made.get(entry.key)?.mediaIds).toEqual(['media-150000-1']);
    expect(await store.all()).toEqual([]);
    expect(events).toContainEqual({ type: 'sent', key: entry.key, request: leak, answer: { id: 'T-1' } });
  });

  it('waits while offline and sends everything, in order, when the network returns', async () => {
    const { outbox, api, clock, pendingTimer } = setup({ online: false });
    const first = await outbox.enqueue(leak, []);
    clock.now += 1000;
    const second = await outbox.enqueue({ ...leak, description: 'Deuxième fuite' }, []);
    await outbox.drain();

    expect(api.submits).toEqual([]);
    expect((await outbox.entries()).map((e) => [e.key, e.state])).toEqual([
      [first.key, 'waiting'],
      [second.key, 'waiting'],
    ]);
    expect(pendingTimer()).toBeUndefined();

    clock.online = true;
    const result = await outbox.drain({ force: true });
    expect(result).toEqual({ sent: 2, rejected: 0, waiting: 0 });
    expect(api.submits).toEqual([first.key, second.key]);
    expect(await outbox.entries()).toEqual([]);
  });

  it('resends with the same Idempotency-Key when the answer was lost, and the API keeps one ticket', async () => {
    const { outbox, api, clock, events } = setup();
    api.submitFailures.push({ error: network(), when: 'after' });
    const entry = await outbox.enqueue(leak, []);
    await outbox.drain();

    const [waiting] = await outbox.entries();
    expect(waiting).toMatchObject({ key: entry.key, state: 'waiting', attempts: 1, lastError: 'network' });

    clock.now = waiting!.nextAttemptAt;
    await outbox.drain();
    expect(api.submits).toEqual([entry.key, entry.key]);
    expect(api.made.size).toBe(1);
    expect(events.filter((e) => e.type === 'sent')).toEqual([{ type: 'sent', key: entry.key, request: leak, answer: { id: 'T-1' } }]);
  });

  it('backs off exponentially, does not try again before the delay, and wakes itself when it is due', async () => {
    const { outbox, api, clock, pendingTimer } = setup();
    api.submitFailures.push(...[1, 2, 3].map(() => ({ error: new ApiFailure(503, 'http.503'), when: 'before' as const })));
    await outbox.enqueue(leak, []);
    await outbox.drain();

    const delays: number[] = [];
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [entry] = await outbox.entries();
      delays.push(entry!.nextAttemptAt - clock.now);
      await outbox.drain();
      expect(api.submits).toHaveLength(attempt); // not due yet: nothing sent
      const timer = pendingTimer()!;
      expect(timer.at).toBe(entry!.nextAttemptAt);
      clock.now = timer.at;
      timer.task();
      await settle(outbox);
    }
    // Base 5 s doubling, with jitter fixed at the middle of [step/2, step].
    expect(delays).toEqual([3_750, 7_500, 15_000]);
    expect(api.made.size).toBe(1);
    expect(await outbox.entries()).toEqual([]);
  });

  it('does not upload a photo again after a restart once its upload succeeded', async () => {
    const store = new MemoryOutboxStore<Request>();
    const api = new FakeApi();
    const before = setup({ store, api });
    api.submitFailures.push({ error: network(), when: 'before' });
    const entry = await before.outbox.enqueue(leak, [photo(120_000), photo(90_000)]);
    await before.outbox.drain();
    before.outbox.stop();
    expect(api.uploads).toBe(2);
    expect((await store.all())[0]!.photos.map((p) => p.mediaId)).toEqual(['media-120000-1', 'media-90000-2']);

    // The app restarts: a fresh outbox over the same storage picks the report up.
    const after = setup({ store, api });
    await after.outbox.drain({ force: true });
    expect(api.uploads).toBe(2);
    expect(api.made.get(entry.key)?.mediaIds).toEqual(['media-120000-1', 'media-90000-2']);
    expect(await store.all()).toEqual([]);
  });

  it('sends each report once when several drains overlap', async () => {
    const { outbox, api } = setup();
    let open!: () => void;
    api.gate = new Promise((resolve) => (open = resolve));
    const entries = [await outbox.enqueue(leak, []), await outbox.enqueue({ ...leak, description: 'Autre' }, [])];
    const drains = [outbox.drain(), outbox.drain({ force: true }), outbox.drain()];
    open();
    await Promise.all(drains);
    await outbox.drain();

    expect(api.submits).toEqual(entries.map((e) => e.key));
    expect(api.made.size).toBe(2);
  });

  it('sets a refused report aside with its reason and still delivers the next one', async () => {
    const { outbox, api, events } = setup();
    api.submitFailures.push({ error: new ApiFailure(400, 'location.outside_communes'), when: 'before' });
    const outside = await outbox.enqueue({ ...leak, location: { lat: 4.5, lon: 9.7 } }, []);
    const inside = await outbox.enqueue(leak, []);
    await outbox.drain({ force: true });

    expect(await outbox.entries()).toEqual([
      expect.objectContaining({ key: outside.key, state: 'rejected', lastError: 'location.outside_communes', attempts: 1 }),
    ]);
    expect(events).toContainEqual({ type: 'rejected', key: outside.key, request: expect.objectContaining({ kind: 'report' }), code: 'location.outside_communes' });
    expect([...api.made.keys()]).toEqual([inside.key]);

    // A rejected entry is never retried; the person discards it.
    await outbox.drain({ force: true });
    expect(api.submits.filter((k) => k === outside.key)).toHaveLength(1);
    await outbox.discard(outside.key);
    expect(await outbox.entries()).toEqual([]);
  });

  it('sends the report without a photo the API will never accept', async () => {
    const { outbox, api } = setup();
    api.uploadFailures.push(new ApiFailure(415, 'media.unsupported_type'));
    const entry = await outbox.enqueue(leak, [photo(10), photo(20)]);
    await outbox.drain();

    expect(api.made.get(entry.key)?.mediaIds).toEqual(['media-20-1']);
  });

  it('retries when the photo upload times out, keeping the report', async () => {
    const { outbox, api } = setup();
    api.uploadFailures.push(network());
    await outbox.enqueue(leak, [photo(10)]);
    await outbox.drain();

    expect(api.submits).toEqual([]);
    expect(await outbox.entries()).toEqual([expect.objectContaining({ state: 'waiting', attempts: 1, lastError: 'network' })]);
    await outbox.drain({ force: true });
    expect(api.made.size).toBe(1);
  });

  it('lets another tab that holds the lock do the sending', async () => {
    const store = new MemoryOutboxStore<Request>();
    const api = new FakeApi();
    const outbox = new Outbox({
      store,
      transport: api,
      classify,
      isOnline: () => true,
      newKey: () => 'key-locked',
      schedule: () => () => {},
      exclusive: async () => undefined,
    });
    await outbox.enqueue(leak, []);
    expect(await outbox.drain()).toEqual({ sent: 0, rejected: 0, waiting: 0 });
    expect(api.submits).toEqual([]);
    expect(await store.all()).toHaveLength(1);
  });

  it('delivers requests of every kind in the order they were queued, each answered once', async () => {
    const { outbox, api, clock } = setup({ online: false });
    const ballot: Request = { kind: 'paper-ballot', consultationId: 'C-1', citizenId: 'citizen-1', answers: { site: 'marche-central' } };
    const report = await outbox.enqueue(leak);
    clock.now += 1;
    const paper = await outbox.enqueue(ballot, [photo(30)]);
    clock.online = true;
    await outbox.drain({ force: true });

    expect(api.submits).toEqual([report.key, paper.key]);
    expect(api.made.get(paper.key)).toEqual({ id: 'B-2', mediaIds: ['media-30-1'], request: ballot });
  });
});

/** Waits for the drain a timer started (it runs detached, as it does on the phone). */
async function settle(outbox: Outbox<Request, { id: string }>): Promise<void> {
  await outbox.drain();
}
