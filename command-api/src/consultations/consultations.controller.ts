import { Body, Controller, Get, Headers, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { type Consultation, consultationDecider, type ConsultationCommand, parseConsultationCommand } from '@palabre/domain';
import { AuthGuard, requireStaff } from '../auth/auth.guard.js';
import { commandIdFor, consultationIdFor, etag, requireIdempotencyKey, requireRevision } from '../http/headers.js';
import { correlationIdOf, CurrentPrincipal } from '../http/principal.decorator.js';
import { parseOrProblem, ProblemError } from '../http/problem.js';
import { canSeeCommune, type Principal } from '../platform/principal.js';
import { type Loaded, Streams } from '../platform/streams.js';
import { cancelConsultationSchema, closeConsultationSchema, consultationIdSchema, createConsultationSchema } from './requests.js';

const organisers = ['admin', 'dispatcher'] as const;

/** Consultations on the shared executor: a commune drafts one, opens it, closes it. */
@Controller('api/consultations')
@UseGuards(AuthGuard)
export class ConsultationsController {
  constructor(private readonly streams: Streams) {}

  @Post()
  async create(
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    requireStaff(principal, [...organisers]);
    const commandId = commandIdFor(principal.id, requireIdempotencyKey(key), 'draft-consultation');
    const body = parseOrProblem(createConsultationSchema, raw, 'body');
    const consultationId = consultationIdFor(commandId);
    const outcome = await this.streams.execute(consultationDecider, principal, {
      name: 'DraftConsultation',
      id: consultationId,
      commandId,
      correlationId: correlationIdOf(request),
      startsStream: true,
      build: (meta) =>
        parseConsultationCommand(
          'DraftConsultation',
          {
            ...body,
            consultationId,
            quartierIds: body.quartierIds ?? null,
            description: body.description ?? null,
            mediaIds: body.mediaIds ?? [],
            adultsOnly: body.adultsOnly ?? false,
          },
          meta,
        ) as ConsultationCommand,
      communeOf: () => body.communeId,
    });
    response.status(201).setHeader('ETag', etag(outcome.revision)).setHeader('Location', `/api/consultations/${consultationId}`);
    return { id: consultationId, revision: outcome.revision };
  }

  @Post(':id/open')
  @HttpCode(200)
  open(@Param('id') rawId: string, @Body() raw: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.transition('OpenConsultation', rawId, raw, ifMatch, principal, request, response);
  }

  @Post(':id/close')
  @HttpCode(200)
  close(@Param('id') rawId: string, @Body() raw: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.transition('CloseConsultation', rawId, raw, ifMatch, principal, request, response);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  cancel(@Param('id') rawId: string, @Body() raw: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.transition('CancelConsultation', rawId, raw, ifMatch, principal, request, response);
  }

  @Post(':id/publish')
  @HttpCode(200)
  publish(@Param('id') rawId: string, @Body() raw: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.transition('PublishResults', rawId, raw, ifMatch, principal, request, response);
  }

  @Get(':id')
  async get(@Param('id') rawId: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const id = parseOrProblem(consultationIdSchema, rawId, 'path.id');
    const loaded = await this.streams.load(consultationDecider, id);
    admitReader(principal, loaded, id);
    response.setHeader('ETag', etag(loaded.revision));
    return view(loaded);
  }

  private async transition(
    type: 'OpenConsultation' | 'CloseConsultation' | 'CancelConsultation' | 'PublishResults',
    rawId: string,
    raw: unknown,
    ifMatch: string | undefined,
    principal: Principal,
    request: Request,
    response: Response,
  ) {
    requireStaff(principal, [...organisers]);
    const id = parseOrProblem(consultationIdSchema, rawId, 'path.id');
    const body = type === 'CancelConsultation' ? parseOrProblem(cancelConsultationSchema, raw, 'body') : parseOrProblem(closeConsultationSchema, raw ?? {}, 'body');
    const expectedRevision = requireRevision(ifMatch);
    const outcome = await this.streams.execute(consultationDecider, principal, {
      name: type,
      id,
      commandId: commandIdFor(principal.id, null, type),
      correlationId: correlationIdOf(request),
      expectedRevision,
      admit: (loaded) => admitReader(principal, loaded, id),
      build: (meta) =>
        parseConsultationCommand(type, { consultationId: id, ...(type === 'CloseConsultation' ? { how: 'by_hand' } : {}), ...body }, meta) as ConsultationCommand,
      communeOf: (consultation) => consultation.communeId,
    });
    response.setHeader('ETag', etag(outcome.revision));
    return { id, revision: outcome.revision, status: outcome.state.status };
  }
}

/** Drafts are for the commune's staff; an opened consultation is public. Another commune's draft does not exist for you. */
function admitReader(principal: Principal, loaded: Loaded<Consultation>, id: string): void {
  const { status, communeId } = loaded.state;
  const visible = status !== 'none' && (status !== 'draft' || (principal.kind === 'staff' && canSeeCommune(principal, communeId)));
  if (!visible) throw new ProblemError(404, 'consultation.not_found', `No consultation ${id} that you may see.`);
}

function view({ state, revision }: Loaded<Consultation>) {
  return {
    id: state.consultationId!,
    communeId: state.communeId!,
    status: state.status,
    ...state.content!,
    openedAt: state.openedAt,
    closedAt: state.closedAt,
    publishedAt: state.publishedAt,
    revision,
  };
}
