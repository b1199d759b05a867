import { type Socket, io } from 'socket.io-client';
import type { ApiClient } from '../api/client.js';
import type { TicketUpdate, TimelineUpdate } from '../api/types.js';

/** A consultation's figures as the server pushes them (the results view of `GET …/results`). */
export interface ConsultationResultsPush {
  readonly consultationId: string;
  readonly [field: string]: unknown;
}

/** A proposal or a project as the server pushes it: the same view as its `GET`, revision included. */
export interface ResourcePush {
  readonly id: string;
  readonly revision: number;
  readonly [field: string]: unknown;
}

/** What each followed resource pushes. */
export interface FollowedPushes {
  readonly consultation: ConsultationResultsPush;
  readonly proposal: ResourcePush;
  readonly project: ResourcePush;
}
export type FollowedKind = keyof FollowedPushes;

/** Resources followed one by one, each in its room on the server: how to ask, what comes, whose it is. */
const rooms: {
  readonly [K in FollowedKind]: { readonly follow: string; readonly payload: (id: string) => object; readonly pushed: string; readonly idOf: (push: FollowedPushes[K]) => string; readonly acknowledged: boolean };
} = {
  // The current figures come at once instead of an acknowledgement.
  consultation: { follow: 'consultation.follow', payload: (consultationId) => ({ consultationId }), pushed: 'consultation.results', idOf: (push) => push.consultationId, acknowledged: false },
  proposal: { follow: 'proposal.follow', payload: (proposalId) => ({ proposalId }), pushed: 'proposal.updated', idOf: (push) => push.id, acknowledged: true },
  project: { follow: 'project.follow', payload: (projectId) => ({ projectId }), pushed: 'project.updated', idOf: (push) => push.id, acknowledged: true },
};
const kinds = Object.keys(rooms) as FollowedKind[];
const roomKey = (kind: FollowedKind, id: string) => `${kind}:${id}`;

interface Followed {
  readonly kind: FollowedKind;
  readonly id: string;
  readonly listeners: Set<(push: never) => void>;
  /** Told each time the server says the room is joined: nothing pushed after is missed, so read once more. */
  readonly joined: Set<() => void>;
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
  /** Resources followed (`kind:id`), with who listens to each one's pushes. */
  readonly #followed = new Map<string, Followed>();

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
   * Follows one resource: a consultation's figures (`consultation.follow`: the current ones at once,
   * then each new count), a proposal or a project (`proposal.follow`, `project.follow`: each change as
   * projected), again after every reconnection. Returns the function that stops listening.
   */
  follow<K extends FollowedKind>(kind: K, id: string, listener: (push: FollowedPushes[K]) => void, joined?: () => void): () => void {
    const key = roomKey(kind, id);
    let entry = this.#followed.get(key);
    if (!entry) this.#followed.set(key, (entry = { kind, id, listeners: new Set(), joined: new Set() }));
    const listeners = entry.listeners as Set<(push: FollowedPushes[K]) => void>;
    listeners.add(listener);
    if (joined) entry.joined.add(joined);
    // Followed once per connection: what the server pushes to the room reaches every listener of it.
    if (listeners.size === 1 && this.#socket?.connected) this.#join(this.#socket, entry);
    return () => {
      listeners.delete(listener);
      if (joined) entry.joined.delete(joined);
      if (listeners.size === 0) this.#followed.delete(key);
    };
  }

  /** Asks to join the resource's room; for proposals and projects the server says once it is joined. */
  #join(socket: Socket, entry: Followed): void {
    const room = rooms[entry.kind];
    if (!room.acknowledged) {
      socket.emit(room.follow, room.payload(entry.id));
      return;
    }
    socket.emit(room.follow, room.payload(entry.id), (following: unknown) => {
      if (following === true) for (const joined of entry.joined) joined();
    });
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
      for (const entry of this.#followed.values()) this.#join(socket, entry);
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
    for (const kind of kinds) {
      const idOf = rooms[kind].idOf as (push: unknown) => string;
      socket.on(rooms[kind].pushed, (push: unknown) => {
        for (const listener of this.#followed.get(roomKey(kind, idOf(push)))?.listeners ?? []) (listener as (push: unknown) => void)(push);
      });
    }
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
