import { randomUUID } from 'node:crypto';
import type { Server as HttpServer } from 'node:http';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import pg from 'pg';
import { Server, type Socket } from 'socket.io';
import { comparePositions, formatPosition, parsePosition } from '@palabre/event-store';
import { logger, metrics, withSpan } from '@palabre/observability';
import {
  type BatchInfo,
  consultationsProjector,
  projectsProjector,
  proposalsProjector,
  getTickets,
  PROJECTION_CHANNEL,
  type ProjectionNotice,
  projectedTicketDetail,
  type TicketDetail,
  ticketsProjector,
  ticketsToBroadcast,
  timelineProjector,
  withCommuneScope,
} from '@palabre/projections';
import { principalFromToken } from '../auth/auth.guard.js';
import { TokenService } from '../auth/tokens.js';
import type { Principal } from '../platform/principal.js';
import { Streams } from '../platform/streams.js';
import { PG_POOL } from '../platform/tokens.js';
import { reportersOf } from '../tickets/reporters.js';
import { followConsultation, pushConsultationResults } from './consultation-results.js';
import { followParticipation, pushParticipation } from './participation.js';
import { ticketView } from '../tickets/views.js';

const STAFF_VIEW: Principal = { kind: 'staff', id: 'live', role: 'dispatcher', communes: '*' };
const PUBLIC_VIEW: Principal = { kind: 'citizen', id: 'live', role: 'citizen', communes: '*' };

/** The projector whose rows (the history) a client reloads together with the ticket. */
const TIMELINE_PROJECTOR = timelineProjector.name;
const TICKETS_PROJECTOR = ticketsProjector.name;
const CONSULTATIONS_PROJECTOR = consultationsProjector.name;
const PARTICIPATION_PROJECTORS = new Set([proposalsProjector.name, projectsProjector.name]);
/** How long a push waits for the timeline at most: a stalled timeline must not stop live updates. */
const TIMELINE_WAIT_MS = 2_000;
/** How long a change pushed without its history is still announced once the history has it. */
const TIMELINE_LATE_MS = 60_000;

/** Where one projector has committed, as its notices tell; lets pushes wait for it. */
class ProjectorProgress {
  private position: ReturnType<typeof parsePosition> | null = null;
  private waiters: { target: ReturnType<typeof parsePosition>; resolve: () => void }[] = [];

  reached(position: string): void {
    const at = parsePosition(position);
    if (this.position !== null && comparePositions(at, this.position) <= 0) return;
    this.position = at;
    this.waiters = this.waiters.filter((w) => (comparePositions(w.target, at) <= 0 ? (w.resolve(), false) : true));
  }

  /** True once the projector has reached `position`; false if `ms` went by first. */
  atLeast(position: string, ms: number): Promise<boolean> {
    const target = parsePosition(position);
    if (this.position !== null && comparePositions(target, this.position) <= 0) return Promise.resolve(true);
    return new Promise<boolean>((resolve) => {
      const waiter = { target, resolve: () => (clearTimeout(timer), resolve(true)) };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, ms);
      timer.unref(); // a waiting push never keeps a stopping process alive
      this.waiters.push(waiter);
    });
  }
}

const rooms = {
  commune: (id: string) => `commune:${id}`,
  national: 'national',
  citizen: (id: string) => `citizen:${id}`,
  ticket: (id: string) => `ticket:${id}`,
};

/** What a push must still know of a ticket to announce its history later. */
interface Pushed {
  readonly id: string;
  readonly communeId: string | null;
  readonly confidential: boolean;
  readonly revision: number;
  readonly reporterId: string | null;
}

/** Who hears of a ticket: its commune's staff and national staff, its reporter, and its followers unless it is confidential. */
function audiencesOf(ticket: Pick<Pushed, 'id' | 'communeId' | 'confidential'>, reporterId: string | null) {
  return {
    staff: ticket.communeId ? [rooms.commune(ticket.communeId), rooms.national] : [rooms.national],
    reporter: reporterId ? rooms.citizen(reporterId) : null,
    followers: ticket.confidential ? null : rooms.ticket(ticket.id),
  };
}

/**
 * socket.io on the API's port. Sockets authenticate with their access token in the handshake and
 * join rooms (staff: their communes; citizens: their own tickets, plus tickets they follow). Each
 * batch the projectors commit becomes `ticket.updated` carrying the read-model row, so a GET that
 * follows sees that revision or newer. A change whose history was not projected in time goes out
 * without it, and `timeline.updated` follows once the history has it. Batches projected in this
 * process are handed over once committed (`projected`), their rows with them; those of other
 * processes arrive by NOTIFY, sent by the same commit, and their rows are read back.
 */
@Injectable()
export class LiveUpdates implements OnApplicationShutdown {
  /** Marks this process's notices (`RunnerOptions.origin`): it pushed those batches already. */
  readonly origin = randomUUID();
  private io: Server | null = null;
  private listener: pg.Client | null = null;
  private stopping = false;
  private readonly timeline = new ProjectorProgress();

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(TokenService) private readonly tokens: TokenService,
    private readonly streams: Streams,
  ) {}

  async attach(httpServer: HttpServer, connectionString: string): Promise<void> {
    this.io = new Server(httpServer, { serveClient: false, cors: { origin: true, credentials: true }, pingInterval: 20_000, pingTimeout: 20_000 });
    this.io.use((socket, next) => {
      const token = (socket.handshake.auth as { token?: unknown }).token;
      if (typeof token !== 'string') return next(new Error('auth.required'));
      principalFromToken(this.tokens, token).then(
        (principal) => {
          socket.data.principal = principal;
          next();
        },
        (error: { code?: string }) => next(new Error(error.code ?? 'auth.invalid')),
      );
    });
    this.io.on('connection', (socket) => void this.onConnection(socket));
    await this.listen(connectionString);
  }

  /** Closes every client's connection: socket.io clients take it for a lost connection and reconnect by themselves. */
  async disconnectClients(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    // Not awaited: its callback waits for the HTTP server to finish the requests under way.
    void this.io?.close();
    await this.listener?.end().catch(() => {});
  }

  async onApplicationShutdown(): Promise<void> {
    await this.disconnectClients();
  }

  /**
   * A dedicated connection LISTENs; if it drops (the database restarting), a new one LISTENs again a
   * second later, until one holds: every failed try ends its connection, whose 'end' retries.
   */
  private async listen(connectionString: string): Promise<void> {
    const client = new pg.Client({ connectionString });
    client.on('error', () => {});
    client.on('end', () => {
      if (!this.stopping) setTimeout(() => void this.listen(connectionString).catch((e) => logger.error('live listener', { error: String(e) })), 1000);
    });
    client.on('notification', (message) => {
      if (message.channel !== PROJECTION_CHANNEL || !message.payload) return;
      void this.onNotice(JSON.parse(message.payload) as ProjectionNotice).catch((error) => logger.error('live update failed', { error: String(error) }));
    });
    await client.connect();
    await client.query(`LISTEN ${PROJECTION_CHANNEL}`).catch(async (error: unknown) => {
      await client.end().catch(() => {});
      throw error;
    });
    this.listener = client;
  }

  private async onConnection(socket: Socket): Promise<void> {
    const principal = socket.data.principal as Principal;
    metrics.socketConnected();
    socket.on('disconnect', () => metrics.socketDisconnected());
    socket.on('consultation.follow', (payload: { consultationId?: unknown }) =>
      void followConsultation(this.streams, this.pool, socket, principal, payload).catch((error) => logger.error('consultation follow failed', { error: String(error) })),
    );
    for (const kind of ['proposal', 'project'] as const) {
      // An acknowledgement, when asked for, says whether the client now follows it (once joined: nothing pushed after is missed).
      socket.on(`${kind}.follow`, (payload: { proposalId?: unknown; projectId?: unknown }, ack?: (following: boolean) => void) =>
        void followParticipation(this.streams, socket, principal, kind, payload).then(
          (following) => (typeof ack === 'function' ? ack(following) : undefined),
          (error) => logger.error(`${kind} follow failed`, { error: String(error) }),
        ),
      );
    }
    if (principal.kind === 'staff') {
      if (principal.communes === '*') await socket.join(rooms.national);
      else await socket.join(principal.communes.map(rooms.commune));
    } else {
      await socket.join(rooms.citizen(principal.id));
      socket.on('follow', (payload: { ticketIds?: unknown }) => void this.follow(socket, payload));
    }
    const since = (socket.handshake.auth as { since?: unknown }).since;
    if (typeof since === 'string') await this.catchUp(socket, principal, since);
  }

  /** Citizens follow public tickets (nearby, "me too"); confidential ones of others are never joined. */
  private async follow(socket: Socket, payload: { ticketIds?: unknown }): Promise<void> {
    const ids = Array.isArray(payload?.ticketIds) ? payload.ticketIds.filter((id): id is string => typeof id === 'string' && /^[A-Za-z0-9._:-]{1,120}$/.test(id)).slice(0, 200) : [];
    const tickets = await this.load(ids);
    for (const { row } of tickets) if (!row.confidential) await socket.join(rooms.ticket(row.id));
  }

  /** Everything in the caller's view that changed after `since` (a position they saw), then `catch-up.done`. */
  private async catchUp(socket: Socket, principal: Principal, since: string): Promise<void> {
    let position;
    try {
      position = parsePosition(since);
    } catch {
      socket.emit('catch-up.done', { position: null, error: 'invalid position' });
      return;
    }
    const rows = await withCommuneScope(this.pool, principal.communes, async (client) => {
      const { rows: ids } = await client.query<{ id: string }>(
        `SELECT id FROM read.tickets
         WHERE (split_part(position, '/', 1)::numeric, split_part(position, '/', 2)::numeric) > ($1::numeric, $2::numeric)
           AND ($3::text IS NULL OR reporter_id = $3 OR NOT confidential)
           AND ($3::text IS NULL OR reporter_id = $3 OR id = ANY($4::text[]))
         ORDER BY updated_at LIMIT 1000`,
        [position.commit.toString(), position.prepare.toString(), principal.kind === 'citizen' ? principal.id : null, [...socket.rooms].filter((r) => r.startsWith('ticket:')).map((r) => r.slice(7))],
      );
      const reporters = principal.kind === 'citizen' ? await reportersOf(client, ids.map((r) => r.id)) : new Map<string, string>();
      const byId = new Map((await getTickets(client, ids.map((r) => r.id))).map((row) => [row.id, row]));
      return ids.map((r) => ({ row: byId.get(r.id), mine: reporters.get(r.id) === principal.id }));
    });
    let last = since;
    for (const { row, mine } of rows) {
      if (!row) continue;
      socket.emit('ticket.updated', { ticket: ticketView(row, principal, principal.kind === 'citizen' ? { mine } : {}), revision: row.revision, position: row.position });
      last = greater(last, row.position);
    }
    socket.emit('catch-up.done', { position: last });
  }

  /**
   * A batch a projector of this process has committed (its runner's `onBatch`). The tickets
   * projector's rows are pushed as written: no NOTIFY to wait for, no read back.
   */
  projected(batch: BatchInfo): void {
    const position = formatPosition(batch.to);
    if (batch.projector === TIMELINE_PROJECTOR) this.timeline.reached(position);
    if (batch.projector === CONSULTATIONS_PROJECTOR) this.pushConsultations(batch.projected.changes);
    if (PARTICIPATION_PROJECTORS.has(batch.projector)) this.pushParticipation(batch.projected.changes);
    const rows = batch.projected.tickets;
    if (batch.projector !== TICKETS_PROJECTOR || !rows || rows.length === 0 || !this.io) return;
    void this.push(batch.projector, position, rows.length, async () => {
      const now = Date.now();
      return rows.map((row) => ({ row: projectedTicketDetail(row, now), reporterId: (row.reporter_id as string | null) ?? null }));
    }).catch((error) => logger.error('live update failed', { error: String(error) }));
  }

  private async onNotice(notice: ProjectionNotice): Promise<void> {
    if (notice.origin === this.origin) return; // pushed by `projected` already
    if (notice.projector === TIMELINE_PROJECTOR) this.timeline.reached(notice.position);
    if (notice.projector === CONSULTATIONS_PROJECTOR) this.pushConsultations(notice.changes);
    if (PARTICIPATION_PROJECTORS.has(notice.projector)) this.pushParticipation(notice.changes);
    if (!this.io || notice.changes.length === 0 || !notice.projector.startsWith('tickets')) return;
    await this.push(notice.projector, notice.position, notice.changes.length, () => this.load(notice.changes.filter((c) => c.kind === 'ticket').map((c) => c.id)));
  }
  /** Proposals and projects a batch changed: their views go to those following them. */
  private pushParticipation(changes: readonly { kind: string; id: string }[]): void {
    if (!this.io || changes.length === 0) return;
    void pushParticipation(this.pool, this.io, changes, (communeId) => [rooms.commune(communeId), rooms.national]).catch((error) => logger.error('live participation failed', { error: String(error) }));
  }

  /** Consultations whose ballots or lifecycle a batch changed: their figures go to those following them. */
  private pushConsultations(changes: readonly { kind: string; id: string }[]): void {
    const ids = changes.filter((c) => c.kind === 'consultation').map((c) => c.id);
    if (!this.io || ids.length === 0) return;
    void pushConsultationResults(this.pool, this.io, ids).catch((error) => logger.error('live results failed', { error: String(error) }));
  }


  private async push(projector: string, position: string, changes: number, rows: () => Promise<{ row: TicketDetail; reporterId: string | null }[]>): Promise<void> {
    // A client that hears of a change reloads the ticket and its history: wait (briefly) until the
    // timeline holds the same events too, so that both answers agree.
    const inTime = await this.timeline.atLeast(position, TIMELINE_WAIT_MS);
    const pushed = await withSpan('live.emit', { 'palabre.projector': projector, 'palabre.changes': changes }, async () => {
      const loaded = await rows();
      for (const { row, reporterId } of loaded) this.emit(row, reporterId, position);
      return loaded.map(({ row, reporterId }): Pushed => ({ id: row.id, communeId: row.communeId, confidential: row.confidential, revision: row.revision, reporterId }));
    });
    if (!inTime) void this.announceHistory(pushed, position);
  }

  /** The history of changes pushed without it: tell the same rooms once it is there, so they reload it then. */
  private async announceHistory(pushed: readonly Pushed[], position: string): Promise<void> {
    if (!(await this.timeline.atLeast(position, TIMELINE_LATE_MS)) || !this.io) return;
    for (const ticket of pushed) {
      const { staff, reporter, followers } = audiencesOf(ticket, ticket.reporterId);
      const audience = [...staff, ...(reporter ? [reporter] : []), ...(followers ? [followers] : [])];
      this.io.to(audience).emit('timeline.updated', { ticketId: ticket.id, revision: ticket.revision, position });
      metrics.socketEmitted('timeline.updated');
    }
  }

  /** `reporterId` from the raw row: the detail withholds it on anonymous reports, yet their reporter must hear of them. */
  private emit(row: TicketDetail, reporterId: string | null, position: string): void {
    const io = this.io!;
    const { staff, reporter, followers } = audiencesOf(row, reporterId);
    io.to(staff).emit('ticket.updated', { ticket: ticketView(row, STAFF_VIEW), revision: row.revision, position });
    let emitted = 1;
    if (reporter) {
      io.to(reporter).emit('ticket.updated', { ticket: ticketView(row, { ...PUBLIC_VIEW, id: reporterId! }, { mine: true }), revision: row.revision, position });
      emitted++;
    }
    if (followers) {
      const audience = io.to(followers);
      (reporter ? audience.except(reporter) : audience).emit('ticket.updated', { ticket: ticketView(row, PUBLIC_VIEW, { mine: false }), revision: row.revision, position });
      emitted++;
    }
    metrics.socketEmitted('ticket.updated', emitted);
  }

  /** One round trip (see `ticketsToBroadcast`): every push of a busy server waits for it. */
  private load(ids: readonly string[]): Promise<{ row: TicketDetail; reporterId: string | null }[]> {
    return ticketsToBroadcast(this.pool, ids);
  }
}

function greater(a: string, b: string): string {
  const pa = parsePosition(a);
  const pb = parsePosition(b);
  return pa.commit > pb.commit || (pa.commit === pb.commit && pa.prepare >= pb.prepare) ? a : b;
}
