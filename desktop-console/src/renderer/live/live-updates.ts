import { type Socket, io } from 'socket.io-client';
import type { ApiClient } from '../api/client.js';
import type { TicketUpdate, TimelineUpdate } from '../api/types.js';

/** A consultation's figures as the server pushes them (the results view of `GET …/results`). */
export interface ConsultationResultsPush {
  readonly consultationId: string;
  readonly [field: string]: unknown;
}

/** connecting: first contact; live: receiving; lost: disconnected, retrying; catching-up: replaying what was missed. */
export type LiveStatus = 'connecting' | 'live' | 'lost' | 'catching-up';

export interface LiveListeners {
  readonly ticket?: (update: TicketUpdate) => void;
  /** A ticket's history caught up with a change pushed before it. */
  readonly timeline?: (update: TimelineUpdate) => void;
  readonly status?: (status: LiveStatus) => void;
  /** Back after a loss with everything missed replayed (or unknowable: then refresh views). */
  readonly resynced?: (complete: boolean) => void;
}

/** Log positions are "commit/prepare" pairs (or plain numbers): compare them numerically. */
export function laterPosition(a: string | null, b: string | number): string {
  const next = String(b);
  if (a === null) return next;
  const parts = (p: string) => p.split('/').map((x) => (/^\d+$/.test(x) ? BigInt(x) : null));
  const [x, y] = [parts(a), parts(next)];
  if (x.includes(null) || y.includes(null)) return next;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const [u, v] = [x[i] ?? 0n, y[i] ?? 0n];
    if (u !== v) return (v as bigint) > (u as bigint) ? next : a;
  }
  return a;
}

/**
 * The console's socket.io connection. Remembers the last log position seen and sends it as
 * `auth.since` when reconnecting, so the server replays every ticket changed during the outage.
 */
export class LiveUpdates {
  #socket: Socket | null = null;
  #status: LiveStatus = 'connecting';
  #position: string | null = null;
  #wasLost = false;
  #everConnected = false;
  #catchUpTimer: ReturnType<typeof setTimeout> | undefined;
  readonly #listeners = new Set<LiveListeners>();
  /** Consultations followed, with who listens to each one's figures. */
  readonly #consultations = new Map<string, Set<(results: ConsultationResultsPush) => void>>();

  constructor(
    private readonly api: ApiClient,
    private readonly origin: string = location.origin,
  ) {}

  get status(): LiveStatus {
    return this.#status;
  }

  listen(listeners: LiveListeners): () => void {
    this.#listeners.add(listeners);
    return () => this.#listeners.delete(listeners);
  }

  /**
   * Follows a consultation's figures (`consultation.follow`): the current ones at once, then each
   * new count, and again after every reconnection. Returns the function that stops listening.
   */
  followConsultation(consultationId: string, onResults: (results: ConsultationResultsPush) => void): () => void {
    let listeners = this.#consultations.get(consultationId);
    if (!listeners) this.#consultations.set(consultationId, (listeners = new Set()));
    listeners.add(onResults);
    // Followed once per connection: the server's answer (the current figures) reaches every listener of it.
    if (listeners.size === 1 && this.#socket?.connected) this.#socket.emit('consultation.follow', { consultationId });
    return () => {
      listeners.delete(onResults);
      if (listeners.size === 0) this.#consultations.delete(consultationId);
    };
  }

  start(): void {
    if (this.#socket) return;
    const socket = io(this.origin, {
      path: '/socket.io',
      // A function: every (re)connection reads the current token and position.
      auth: (cb) => {
        this.api.accessToken().then(
          (token) => cb(this.#position === null ? { token } : { token, since: this.#position }),
          () => cb({}),
        );
      },
      reconnectionDelay: 500,
      reconnectionDelayMax: 5000,
    });
    this.#socket = socket;
    socket.on('connect', () => {
      this.#everConnected = true;
      for (const consultationId of this.#consultations.keys()) socket.emit('consultation.follow', { consultationId });
      if (this.#wasLost && this.#position !== null) {
        this.#setStatus('catching-up');
        // A server that never says catch-up.done must not leave the banner up forever.
        this.#catchUpTimer = setTimeout(() => this.#settle(false), 10_000);
      } else this.#settle(this.#wasLost ? false : null);
    });
    socket.on('ticket.updated', (update: TicketUpdate) => {
      this.#position = laterPosition(this.#position, update.position);
      for (const l of this.#listeners) l.ticket?.(update);
    });
    socket.on('consultation.results', (results: ConsultationResultsPush) => {
      for (const listener of this.#consultations.get(results.consultationId) ?? []) listener(results);
    });
    socket.on('timeline.updated', (update: TimelineUpdate) => {
      for (const l of this.#listeners) l.timeline?.(update);
    });
    socket.on('catch-up.done', (payload: { position?: string | number } | undefined) => {
      if (payload?.position !== undefined && payload.position !== null) this.#position = laterPosition(this.#position, payload.position);
      this.#settle(this.#wasLost ? true : null);
    });
    socket.on('disconnect', (reason) => {
      this.#lost();
      // The server closed it (e.g. token revoked): socket.io will not retry by itself.
      if (reason === 'io server disconnect') void this.#reconnectWithFreshToken();
    });
    socket.on('connect_error', (error: Error) => {
      this.#lost();
      if (/auth\.(expired|invalid|required)/.test(error.message)) void this.#reconnectWithFreshToken();
    });
  }

  stop(): void {
    this.#socket?.removeAllListeners();
    this.#socket?.disconnect();
    this.#socket = null;
    clearTimeout(this.#catchUpTimer);
    this.#wasLost = false;
    this.#everConnected = false;
    this.#setStatus('connecting');
  }

  async #reconnectWithFreshToken(): Promise<void> {
    try {
      await this.api.refresh();
    } catch {
      return; // The session is over; the app asks the dispatcher to sign in again.
    }
    if (this.#socket && !this.#socket.connected) this.#socket.connect();
  }

  #lost(): void {
    if (this.#everConnected) this.#wasLost = true;
    clearTimeout(this.#catchUpTimer);
    this.#setStatus('lost');
  }

  /** complete: true replayed, false unknown (no position), null first connection. */
  #settle(complete: boolean | null): void {
    clearTimeout(this.#catchUpTimer);
    this.#wasLost = false;
    this.#setStatus('live');
    if (complete !== null) for (const l of this.#listeners) l.resynced?.(complete);
  }

  #setStatus(status: LiveStatus): void {
    if (status === this.#status) return;
    this.#status = status;
    for (const l of this.#listeners) l.status?.(status);
  }
}
