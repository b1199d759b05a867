import { Controller, Get, Inject, Param, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import type pg from 'pg';
import { AccessTrail, ticketAsOf, ticketDetailAsOf } from '@palabre/audit';
import { idSchema } from '@palabre/domain';
import type { EventStore } from '@palabre/event-store';
import { citizenConfirmations, communeBreakdown, confirmedAmong, communeDays, getTicket, getTimeline, hasConfirmed, InvalidCursorError, listTickets, type TicketDetail, type TicketFilters, withCommuneScope } from '@palabre/projections';
import { currentTraceContext } from '@palabre/observability';
import { AuthGuard, requireStaff } from '../auth/auth.guard.js';
import { etag } from '../http/headers.js';
import { correlationIdOf, CurrentPrincipal } from '../http/principal.decorator.js';
import { parseOrProblem, ProblemError } from '../http/problem.js';
import { clientAddress } from '../http/trust-proxy.js';
import { canSeeCommune, type Principal } from '../platform/principal.js';
import { EVENT_STORE, PG_POOL } from '../platform/tokens.js';
import { Vault } from '../vault/vault.js';
import { reportersOf } from './reporters.js';
import { accessPurposeSchema, asOfSchema, listQuerySchema, sortNames, statsQuerySchema } from './requests.js';
import { ticketView, timelineView } from './views.js';

/** Metres → degrees around a point: a bounding box for "near me". */
function nearBox(lat: number, lon: number, radius: number) {
  const dLat = radius / 111_320;
  const dLon = radius / (111_320 * Math.max(0.01, Math.cos((lat * Math.PI) / 180)));
  return { minLat: lat - dLat, maxLat: lat + dLat, minLon: lon - dLon, maxLon: lon + dLon };
}

/** Queries read the projections, always through row-level security scoped to the caller's communes. */
@Controller('api')
@UseGuards(AuthGuard)
export class TicketsQueryController {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(AccessTrail) private readonly accessTrail: AccessTrail,
    @Inject(Vault) private readonly vault: Vault,
  ) {}

  @Get('tickets')
  async list(@Query() raw: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseOrProblem(listQuerySchema, raw, 'query');
    const filters: TicketFilters = {
      ...(q.status ? { status: q.status } : {}),
      ...(q.category ? { category: q.category } : {}),
      ...(q.communeId ? { communeId: q.communeId } : {}),
      ...(q.quartier ? { quartierId: q.quartier } : {}),
      ...(q.teamId ? { teamId: q.teamId } : {}),
      ...(q.assignee ? { agentId: q.assignee } : {}),
      ...(q.breached !== undefined ? { breached: q.breached } : {}),
      ...(q.bbox ? { bbox: q.bbox } : q.near ? { bbox: nearBox(q.near[0]!, q.near[1]!, q.radius) } : {}),
      ...(q.text ? { text: q.text } : {}),
      ...(q.cursor ? { cursor: q.cursor } : q.offset ? { offset: q.offset } : {}),
      ...(principal.kind === 'citizen' ? { visibleToCitizen: principal.id } : {}),
      sort: sortNames[q.sort],
      direction: q.order,
      limit: q.limit,
    };
    const page = await this.scoped(principal, async (client) => {
      try {
        const found = await listTickets(client, filters);
        const ids = found.items.map((t) => t.id);
        const reporters = principal.kind === 'citizen' ? await reportersOf(client, ids) : new Map<string, string>();
        const confirmed = principal.kind === 'citizen' ? await confirmedAmong(client, principal.id, ids) : new Set<string>();
        return { ...found, reporters, confirmed };
      } catch (error) {
        if (error instanceof InvalidCursorError) throw new ProblemError(400, 'cursor.invalid', 'This cursor does not belong to this sort; start again without it.', [{ path: 'query.cursor', message: 'invalid' }]);
        throw error;
      }
    });
    const mine = (id: string) => (principal.kind === 'citizen' ? { mine: page.reporters.get(id) === principal.id, confirmedByMe: page.confirmed.has(id) } : {});
    return { items: page.items.map((t) => ticketView(t, principal, mine(t.id))), total: page.total, nextCursor: page.nextCursor };
  }

  @Get('tickets/:id')
  async get(
    @Param('id') rawId: string,
    @Query('asOf') rawAsOf: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    const id = parseOrProblem(idSchema, rawId, 'path.id');
    const asOf = rawAsOf === undefined ? null : new Date(parseOrProblem(asOfSchema, rawAsOf, 'query.asOf'));
    const view = await this.scoped(principal, async (client) => {
      const ticket = await getTicket(client, id);
      if (!ticket || !(await this.citizenMaySee(client, ticket, principal))) return null;
      await this.traceConfidentialView(ticket, principal, request, 'ticket.view');
      // Time travel: the ticket as it was then, replayed from its stream (visibility judged on today's ticket).
      const shown = asOf ? await ticketAsOf(this.store, id, asOf) : null;
      if (asOf && !shown) return null;
      const detail = shown ? ticketDetailAsOf(shown) : ticket;
      if (principal.kind === 'staff') return ticketView(detail, principal);
      const mine = (await reportersOf(client, [id])).get(id) === principal.id;
      return ticketView(detail, principal, { mine, confirmedByMe: await hasConfirmed(client, id, principal.id) });
    });
    if (!view) throw new ProblemError(404, 'ticket.not_found', asOf ? `No ticket ${id} that you may see existed at ${rawAsOf}.` : `No ticket ${id} that you may see.`);
    if (asOf) response.setHeader('Cache-Control', 'private, max-age=60');
    else response.setHeader('ETag', etag(view.revision));
    return asOf ? { ...view, asOf: asOf.toISOString() } : view;
  }

  /**
   * A reporter's contact details, for the follow-up they asked for. Each look is itself an event
   * (who, what, why: `X-Access-Purpose`), visible to auditors; anonymous and confidential reporters
   * are never shown to staff.
   */
  @Get('tickets/:id/contact')
  async contact(@Param('id') rawId: string, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    requireStaff(principal, ['admin', 'dispatcher', 'field_agent']);
    const id = parseOrProblem(idSchema, rawId, 'path.id');
    const purpose = parseOrProblem(accessPurposeSchema, request.header('x-access-purpose') ?? '', 'header.x-access-purpose');
    const ticket = await this.scoped(principal, (client) => getTicket(client, id));
    if (!ticket) throw new ProblemError(404, 'ticket.not_found', `No ticket ${id} that you may see.`);
    if (ticket.anonymous || ticket.confidential) throw new ProblemError(403, 'contact.withheld', 'The reporter chose not to be identified to staff.');
    if (!ticket.contactSubjectId) throw new ProblemError(404, 'contact.none', 'The reporter left no contact details.');
    await this.accessTrail.record({
      viewer: { id: principal.id, role: principal.role },
      communeId: ticket.communeId,
      resource: { kind: 'contact', id: ticket.contactSubjectId },
      purpose,
      address: clientAddress(request),
      correlationId: correlationIdOf(request),
      ...currentTraceContext(),
    });
    const contact = await this.vault.readContact(ticket.contactSubjectId);
    if (contact === null) throw new ProblemError(404, 'contact.none', 'The reporter left no contact details.');
    return 'erased' in contact ? { erased: true } : { erased: false, ...contact };
  }

  /** Staff looking at a confidential ticket leave a trace first; no trace, no data. */
  private async traceConfidentialView(ticket: TicketDetail, principal: Principal, request: Request, fallbackPurpose: string): Promise<void> {
    if (principal.kind !== 'staff' || !ticket.confidential) return;
    await this.accessTrail.record({
      viewer: { id: principal.id, role: principal.role },
      communeId: ticket.communeId,
      resource: { kind: 'ticket', id: ticket.id },
      purpose: request.header('x-access-purpose')?.trim() || fallbackPurpose,
      address: clientAddress(request),
      correlationId: correlationIdOf(request),
      ...currentTraceContext(),
    });
  }

  @Get('tickets/:id/timeline')
  async timeline(@Param('id') rawId: string, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    const id = parseOrProblem(idSchema, rawId, 'path.id');
    return this.scoped(principal, async (client) => {
      const ticket = await getTicket(client, id);
      if (!ticket || !(await this.citizenMaySee(client, ticket, principal))) {
        throw new ProblemError(404, 'ticket.not_found', `No ticket ${id} that you may see.`);
      }
      await this.traceConfidentialView(ticket, principal, request, 'ticket.timeline');
      const history = await getTimeline(client, id, { includeInternal: principal.kind === 'staff' });
      return { items: timelineView(history.items, principal, ticket), revision: history.revision };
    });
  }

  @Get('me/tickets')
  async mine(@CurrentPrincipal() principal: Principal) {
    if (principal.kind !== 'citizen') throw new ProblemError(403, 'auth.forbidden', 'Only a citizen has their own reports here.');
    const page = await this.scoped(principal, (client) => listTickets(client, { reporterId: principal.id, sort: 'updated_at', limit: 200 }));
    return { items: page.items.map((t) => ticketView(t, principal, { mine: true })), total: page.total };
  }

  @Get('me/confirmations')
  async confirmations(@CurrentPrincipal() principal: Principal) {
    if (principal.kind !== 'citizen') throw new ProblemError(403, 'auth.forbidden', 'Only a citizen has confirmations.');
    return { items: await this.scoped(principal, (client) => citizenConfirmations(client, principal.id)) };
  }

  @Get('stats')
  async stats(@Query() raw: unknown, @CurrentPrincipal() principal: Principal) {
    requireStaff(principal);
    const q = parseOrProblem(statsQuerySchema, raw, 'query');
    const communeId = q.communeId ?? (principal.communes !== '*' ? principal.communes[0] : undefined);
    if (!communeId) throw new ProblemError(400, 'validation.failed', 'Name the commune (communeId).', [{ path: 'query.communeId', message: 'required for national staff' }]);
    const to = q.to ?? (await this.todayIn(communeId));
    const from = q.from ?? new Date(Date.parse(to) - 29 * 86_400_000).toISOString().slice(0, 10);
    if (from > to) throw new ProblemError(400, 'validation.failed', '"from" must not be after "to".', [{ path: 'query.from', message: 'after to' }]);
    if (!canSeeCommune(principal, communeId)) throw new ProblemError(403, 'auth.forbidden', `You may not see the figures of ${communeId}.`);
    const query = { communeId, from, to, ...(q.category ? { category: q.category } : {}) };
    return this.scoped(principal, async (client) => {
      const days = await communeDays(client, query);
      const breakdown = await communeBreakdown(client, query);
      return { communeId, from, to, days, ...breakdown };
    });
  }

  /** Today in the commune's time zone, as the daily statistics count days (Soa's day starts at 23:00 UTC). */
  private async todayIn(communeId: string): Promise<string> {
    const { rows } = await this.pool.query<{ today: string }>(
      `SELECT to_char(now() AT TIME ZONE COALESCE((SELECT time_zone FROM reference.communes WHERE id = $1), 'UTC'), 'YYYY-MM-DD') AS today`,
      [communeId],
    );
    return rows[0]!.today;
  }

  /** Staff see what their scope returns; citizens see public tickets and their own confidential ones (anonymous or not). */
  private async citizenMaySee(client: pg.PoolClient, ticket: TicketDetail, principal: Principal): Promise<boolean> {
    if (principal.kind !== 'citizen' || !ticket.confidential) return true;
    return (await reportersOf(client, [ticket.id])).get(ticket.id) === principal.id;
  }

  private scoped<T>(principal: Principal, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    return withCommuneScope(this.pool, principal.communes, work);
  }
}
