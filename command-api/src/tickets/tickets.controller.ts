import { Body, Controller, Headers, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import { RateLimit, RateLimitGuard } from '../http/rate-limit.js';
import { CommandBus } from '@nestjs/cqrs';
import type { Request, Response } from 'express';
import { idSchema } from '@palabre/domain';
import { AuthGuard } from '../auth/auth.guard.js';
import { etag, optionalIdempotencyKey, requireIdempotencyKey, requireRevision, ticketIdFor } from '../http/headers.js';
import { correlationIdOf, CurrentPrincipal } from '../http/principal.decorator.js';
import { parseOrProblem, ProblemError } from '../http/problem.js';
import { MediaLibrary } from '../media/media-library.js';
import type { Principal } from '../platform/principal.js';
import {
  AddNoteCommand,
  AssignTicketCommand,
  CloseTicketCommand,
  ConfirmReportCommand,
  ConfirmResolutionCommand,
  DisputeResolutionCommand,
  MarkDuplicateCommand,
  RejectTicketCommand,
  ResolveTicketCommand,
  StartWorkCommand,
  SubmitReportCommand,
  type TicketCommandMessage,
  TriageTicketCommand,
} from './commands/index.js';
import { ReferenceCatalog } from '../reference/reference-catalog.js';
import { StaffDirectory } from '../staff/staff-directory.js';
import { actionCommandId, actionOfRequest, reportCommandId, reportOfRequest } from './replays.js';
import { ReportIntake } from './report-intake.js';
import { actionRequestSchemas, citizenActions, reportRequestSchema, type TicketAction, ticketActions } from './requests.js';
import type { ExecuteOptions } from './ticket-streams.js';
import { TicketStreams } from './ticket-streams.js';

type ActionBodies = { [A in TicketAction]: ReturnType<(typeof actionRequestSchemas)[A]['parse']> };
type CommandFactory = new (data: Record<string, unknown>, principal: Principal, options: ExecuteOptions) => TicketCommandMessage;

/** How each URL action becomes a domain command. */
const actions: { [A in TicketAction]: { command: CommandFactory; data: (id: string, body: ActionBodies[A], p: Principal, commandId: string) => Record<string, unknown> } } = {
  confirm: { command: ConfirmReportCommand, data: (ticketId, _b, p) => ({ ticketId, citizenId: p.id }) },
  triage: { command: TriageTicketCommand, data: (ticketId, b) => ({ ticketId, ...b }) },
  assign: { command: AssignTicketCommand, data: (ticketId, b) => ({ ticketId, teamId: b.teamId, agentId: b.agentId ?? null }) },
  start: { command: StartWorkCommand, data: (ticketId) => ({ ticketId }) },
  notes: { command: AddNoteCommand, data: (ticketId, b, _p, commandId) => ({ ticketId, noteId: `N${commandId.slice(0, 20).replace(/[^A-Za-z0-9]/g, '')}`, ...b }) },
  resolve: { command: ResolveTicketCommand, data: (ticketId, b) => ({ ticketId, note: b.note, mediaIds: b.mediaIds ?? [] }) },
  'confirm-resolution': { command: ConfirmResolutionCommand, data: (ticketId, b) => ({ ticketId, note: b.note ?? null }) },
  dispute: { command: DisputeResolutionCommand, data: (ticketId, b) => ({ ticketId, note: b.note ?? null }) },
  close: { command: CloseTicketCommand, data: (ticketId, b) => ({ ticketId, note: b.note ?? null }) },
  reject: { command: RejectTicketCommand, data: (ticketId, b) => ({ ticketId, reason: b.reason, note: b.note ?? null }) },
  'mark-duplicate': { command: MarkDuplicateCommand, data: (ticketId, b) => ({ ticketId, duplicateOf: b.duplicateOf }) },
};

@Controller('api/tickets')
@UseGuards(AuthGuard)
export class TicketsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly intake: ReportIntake,
    private readonly tickets: TicketStreams,
    private readonly media: MediaLibrary,
    private readonly reference: ReferenceCatalog,
    private readonly staff: StaffDirectory,
  ) {}

  @Post()
  @UseGuards(RateLimitGuard)
  @RateLimit('report', reportOfRequest)
  async report(
    @Body() rawBody: unknown,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (principal.role === 'auditor') throw new ProblemError(403, 'ticket.forbidden', 'An auditor may not file reports.');
    const key = requireIdempotencyKey(idempotencyKey);
    const body = parseOrProblem(reportRequestSchema, rawBody, 'body');
    const commandId = reportCommandId(principal.id, key);
    const ticketId = ticketIdFor(commandId);
    const data = await this.intake.prepare(ticketId, body, principal);
    const outcome = await this.commands.execute(
      new SubmitReportCommand(data, principal, { commandId, correlationId: correlationIdOf(request) }),
    );
    response.status(201).setHeader('ETag', etag(outcome.revision)).setHeader('Location', `/api/tickets/${ticketId}`);
    return { id: ticketId, revision: outcome.revision };
  }

  @Post(':id/:action')
  @HttpCode(200)
  @UseGuards(RateLimitGuard)
  @RateLimit('confirm', actionOfRequest)
  async act(
    @Param('id') rawId: string,
    @Param('action') rawAction: string,
    @Body() rawBody: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @Headers('idempotency-key') idempotencyKey: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    if (!(ticketActions as string[]).includes(rawAction)) {
      throw new ProblemError(404, 'route.not_found', `There is no ticket action "${rawAction}". Known: ${ticketActions.join(', ')}.`);
    }
    const action = rawAction as TicketAction;
    const ticketId = parseOrProblem(idSchema, rawId, 'path.id');
    const citizenAction = citizenActions.includes(action) || (principal.kind === 'citizen' && action === 'notes');
    const expectedRevision = citizenAction && ifMatch === undefined ? undefined : requireRevision(ifMatch);
    const body = parseOrProblem(actionRequestSchemas[action], rawBody ?? {}, 'body');
    await this.checkReferences(action, ticketId, body, principal);
    const key = optionalIdempotencyKey(idempotencyKey);
    const commandId = actionCommandId(principal.id, key, action, ticketId);
    const spec = actions[action] as (typeof actions)['confirm'];
    const command = new spec.command(spec.data(ticketId, body as never, principal, commandId), principal, {
      commandId,
      correlationId: correlationIdOf(request),
      ...(expectedRevision === undefined ? {} : { expectedRevision }),
    });
    const outcome = await this.commands.execute(command);
    response.setHeader('ETag', etag(outcome.revision));
    return { id: ticketId, revision: outcome.revision, events: outcome.eventTypes };
  }

  /** What the decider cannot check alone: photos exist, team and agent serve the ticket's commune, the original of a duplicate is visible and still open. */
  private async checkReferences(action: TicketAction, ticketId: string, body: unknown, principal: Principal): Promise<void> {
    if (action === 'resolve') await this.media.requireAll((body as ActionBodies['resolve']).mediaIds ?? [], 'body.mediaIds');
    if (action === 'assign') {
      const { teamId, agentId } = body as ActionBodies['assign'];
      const { communeId } = (await this.tickets.loadVisible(ticketId, principal)).ticket;
      if (communeId === null || !this.reference.teams(communeId).some((t) => t.id === teamId)) {
        throw new ProblemError(400, 'team.unknown', `No team ${teamId} in commune ${communeId ?? '?'}.`, [{ path: 'body.teamId', message: 'not a team of this commune' }]);
      }
      if (agentId) {
        const agent = await this.staff.load(agentId);
        const serves = agent.status === 'active' && agent.grants.some((g) => g.role === 'field_agent' && g.communeId === communeId);
        if (!serves) throw new ProblemError(400, 'agent.unknown', `No active field agent ${agentId} in commune ${communeId}.`, [{ path: 'body.agentId', message: 'not a field agent of this commune' }]);
      }
    }
    if (action === 'mark-duplicate') {
      const { duplicateOf } = body as ActionBodies['mark-duplicate'];
      if (duplicateOf === ticketId) return; // the decider refuses it with its own words
      const original = await this.tickets.load(duplicateOf);
      const mine = await this.tickets.loadVisible(ticketId, principal);
      if (original.ticket.status === 'none' || original.ticket.communeId !== mine.ticket.communeId) {
        throw new ProblemError(400, 'duplicate.original_not_found', `No ticket ${duplicateOf} in the same commune to merge into.`, [
          { path: 'body.duplicateOf', message: 'unknown ticket' },
        ]);
      }
      if (original.ticket.status === 'duplicate') {
        throw new ProblemError(409, 'duplicate.original_is_duplicate', `Ticket ${duplicateOf} is itself a duplicate of ${original.ticket.duplicateOf}; merge into that one.`);
      }
    }
  }
}
