import type { Socket } from 'socket.io-client';
import type { CitizenSession } from '../api/session.ts';
import type { ConsultationResults, TicketView } from '../api/types.ts';
import type { TicketStore } from '../tickets/store.ts';
import { laterPosition } from './position.ts';

export type LiveState = 'off' | 'connecting' | 'live';

/** Proposals and projects a screen (or the app, for the person's own proposals) follows. */
export type ParticipationKind = 'proposal' | 'project';
interface ParticipationFollower {
  onView(view: { id: string }): void;
  /** Each time the server has joined (or refused) this socket to the room: what was pushed before is not missed if read now. */
  onJoined?(following: boolean): void;
}

const sinceKey = 'palabre.live.since';

/**
 * The socket.io link to the API: own tickets arrive on the citizen's room, watched public tickets
 * through `follow`. After a reconnection the server replays what changed since the last position.
 * socket.io-client is loaded on first use so it stays out of the initial download.
 */
export class LiveUpdates {
  state: LiveState = 'off';
  private socket: Socket | null = null;
  private readonly followed = new Set<string>();
  private readonly listeners = new Set<() => void>();
  private readonly newsListeners = new Set<(ticketId: string) => void>();
  /** Consultations whose results a screen shows, with who wants each new count. */
  private readonly consultations = new Map<string, Set<(results: ConsultationResults) => void>>();
  /** `proposal:P…` / `project:J…` → who wants each pushed view, and whether the server has joined this socket to it. */
  private readonly participation = new Map<string, { followers: Set<ParticipationFollower>; joined: boolean }>();
  private readonly origin: string;
  private readonly session: CitizenSession;
  private readonly tickets: TicketStore;
  private lastToken: string | null = null;

  constructor(origin: string, session: CitizenSession, tickets: TicketStore) {
    this.origin = origin;
    this.session = session;
    this.tickets = tickets;
  }

  private starting: Promise<void> | null = null;

  /** Connects once; later calls (every screen asks) share the same socket. */
  start(): Promise<void> {
    this.starting ??= this.connect();
    return this.starting;
  }

  private async connect(): Promise<void> {
    const { io } = await import('socket.io-client');
    const socket = io(this.origin || undefined, {
      path: '/socket.io',
      // Read at every (re)connection, so a refreshed token and the latest position are used.
      auth: (send) => {
        this.session
          .accessToken()
          .then((token) => {
            this.lastToken = token;
            const since = localStorage.getItem(sinceKey);
            send(since ? { token, since } : { token });
          })
          .catch(() => send({}));
      },
      reconnectionDelay: 2_000,
      reconnectionDelayMax: 60_000,
      timeout: 30_000,
    });
    this.socket = socket;
    this.setState('connecting');
    socket.on('connect', () => {
      this.setState('live');
      if (this.followed.size > 0) socket.emit('follow', { ticketIds: [...this.followed] });
      for (const consultationId of this.consultations.keys()) socket.emit('consultation.follow', { consultationId });
      for (const key of this.participation.keys()) this.join(key);
    });
    socket.on('disconnect', () => {
      this.setState('connecting');
      for (const room of this.participation.values()) room.joined = false;
    });
    socket.on('connect_error', (error: Error) => {
      this.setState('connecting');
      // The server refused the token: renew it; middleware refusals are not retried by socket.io itself.
      if (/auth\.(expired|invalid|required)/.test(error.message)) {
        const refused = this.lastToken;
        const renewed = refused ? this.session.invalidate(refused) : this.session.accessToken();
        void renewed.then(() => setTimeout(() => socket.connect(), 1_000)).catch(() => setTimeout(() => socket.connect(), 10_000));
      }
    });
    socket.on('ticket.updated', (message: { ticket: TicketView; revision: number; position?: string | null }) => {
      this.remember(message.position);
      this.tickets.upsert(message.ticket);
      for (const listener of this.newsListeners) listener(message.ticket.id);
    });
    // A ticket pushed before its history was projected: the history has caught up now.
    socket.on('timeline.updated', (message: { ticketId: string }) => {
      for (const listener of this.newsListeners) listener(message.ticketId);
    });
    socket.on('catch-up.done', (message: { position?: string | null }) => this.remember(message.position));
    socket.on('consultation.results', (results: ConsultationResults) => {
      for (const listener of this.consultations.get(results.consultationId) ?? []) listener(results);
    });
    for (const kind of ['proposal', 'project'] as const) {
      socket.on(`${kind}.updated`, (view: { id: string }) => {
        for (const follower of this.participation.get(`${kind}:${view.id}`)?.followers ?? []) follower.onView(view);
      });
    }
  }

  /**
   * Each pushed view of a proposal or project (`proposal.updated`, `project.updated`) while followed.
   * `onJoined` hears each time the server acknowledged the follow (at every reconnection too): a read
   * made then misses nothing. Returns the unfollow.
   */
  followParticipation<V extends { id: string }>(kind: ParticipationKind, id: string, onView: (view: V) => void, onJoined?: (following: boolean) => void): () => void {
    const key = `${kind}:${id}`;
    const follower: ParticipationFollower = { onView: onView as (view: { id: string }) => void, onJoined };
    let room = this.participation.get(key);
    if (!room) {
      room = { followers: new Set(), joined: false };
      this.participation.set(key, room);
      if (this.socket?.connected) this.join(key);
    } else if (room.joined) {
      queueMicrotask(() => follower.onJoined?.(true));
    }
    room.followers.add(follower);
    void this.start();
    return () => {
      room.followers.delete(follower);
      if (room.followers.size === 0 && this.participation.get(key) === room) this.participation.delete(key);
    };
  }

  private join(key: string): void {
    const [kind, id] = key.split(':') as [ParticipationKind, string];
    this.socket?.emit(`${kind}.follow`, kind === 'proposal' ? { proposalId: id } : { projectId: id }, (following: boolean) => {
      const room = this.participation.get(key);
      if (!room) return;
      room.joined = following;
      for (const follower of room.followers) follower.onJoined?.(following);
    });
  }

  /** Each new count of a consultation's results while the screen shows it (live ones, or once closed). Returns the unfollow. */
  followConsultation(consultationId: string, listener: (results: ConsultationResults) => void): () => void {
    let listeners = this.consultations.get(consultationId);
    if (!listeners) {
      listeners = new Set();
      this.consultations.set(consultationId, listeners);
      if (this.socket?.connected) this.socket.emit('consultation.follow', { consultationId });
    }
    listeners.add(listener);
    void this.start();
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.consultations.delete(consultationId);
    };
  }

  /** Watches public tickets too (nearby ones the person confirmed, or just sent). */
  follow(ticketIds: readonly string[]): void {
    const fresh = ticketIds.filter((id) => !this.followed.has(id));
    if (fresh.length === 0) return;
    for (const id of fresh) this.followed.add(id);
    if (this.socket?.connected) this.socket.emit('follow', { ticketIds: fresh });
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` with the id of each ticket the server speaks of (`ticket.updated`, `timeline.updated`). */
  onTicketNews(listener: (ticketId: string) => void): () => void {
    this.newsListeners.add(listener);
    return () => this.newsListeners.delete(listener);
  }

  stop(): void {
    this.socket?.disconnect();
    this.socket = null;
    this.starting = null;
    this.setState('off');
  }

  /** Keeps the latest log position seen, so a reconnection asks only for what it missed. */
  private remember(position: string | null | undefined): void {
    if (typeof position !== 'string') return;
    const current = localStorage.getItem(sinceKey);
    const later = laterPosition(current, position);
    if (later !== current) localStorage.setItem(sinceKey, later);
  }

  private setState(state: LiveState): void {
    if (this.state === state) return;
    this.state = state;
    for (const listener of this.listeners) listener();
  }
}
