import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  agentRoles,
  type Consultation,
  consultationDecider,
  type ConsultationCommand,
  organiserRoles,
  parseConsultationCommand,
  parsePollingTableCommand,
  pollingTableDecider,
  pollingTableId,
  resultsVisible,
} from '@palabre/domain';
import type pg from 'pg';
import { AuthGuard, requireStaff } from '../auth/auth.guard.js';
import { commandIdFor, consultationIdFor, etag, requireIdempotencyKey, requireRevision } from '../http/headers.js';
import { correlationIdOf, CurrentPrincipal } from '../http/principal.decorator.js';
import { parseOrProblem, ProblemError } from '../http/problem.js';
import type { Principal } from '../platform/principal.js';
import { type Loaded, Streams } from '../platform/streams.js';
import { PG_POOL } from '../platform/tokens.js';
import { MediaLibrary, mediaUrls } from '../media/media-library.js';
import { Ballots } from './ballots.js';
import { PublishedResults } from './published-results.js';
import { isOrganiserOf, mayRead, projectedResults, resultsView } from './results-view.js';
import { BallotPseudonyms } from './pseudonyms.js';
import {
  ballotRequestSchema,
  cancelConsultationSchema,
  closeConsultationSchema,
  consultationIdSchema,
  consultationListQuery,
  createConsultationSchema,
  paperBallotRequestSchema,
  reviseConsultationSchema,
  tallySheetRequestSchema,
} from './requests.js';

/** Consultations on the shared executor: a commune drafts one, opens it, closes it. */
@Controller('api/consultations')
@UseGuards(AuthGuard)
export class ConsultationsController {
  constructor(
    private readonly streams: Streams,
    private readonly ballots: Ballots,
    private readonly published: PublishedResults,
    private readonly pseudonyms: BallotPseudonyms,
    private readonly media: MediaLibrary,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {}

  /** Consultations residents may see (opened, closed, published, cancelled) and, for a commune's staff, its drafts. */
  @Get()
  async list(@Query() raw: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseOrProblem(consultationListQuery, raw, 'query');
    const staffCommunes = principal.kind === 'staff' ? principal.communes : [];
    const { rows } = await this.pool.query<SummaryRow>(
      `SELECT id, commune_id, status, title_fr, title_en, quartier_ids, required_level, opens_at, closes_at, results_visibility, revision
       FROM read.consultations
       WHERE ($1::text IS NULL OR commune_id = $1) AND ($2::text IS NULL OR status = $2)
         AND (status <> 'draft' OR $3::boolean OR commune_id = ANY($4::text[]))
       ORDER BY opens_at DESC, id LIMIT $5`,
      [q.communeId ?? null, q.status ?? null, staffCommunes === '*', staffCommunes === '*' ? [] : staffCommunes, q.limit],
    );
    return { items: rows.map(summary) };
  }

  /** A resident votes: the last ballot before the close counts; the answer is the ballot's receipt. */
  @Post(':id/ballots')
  @HttpCode(201)
  async cast(@Param('id') rawId: string, @Body() raw: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    const consultationId = parseOrProblem(consultationIdSchema, rawId, 'path.id');
    const idempotencyKey = requireIdempotencyKey(key);
    const body = parseOrProblem(ballotRequestSchema, raw, 'body');
    const { receipt, ballotId } = await this.ballots.cast(principal, { consultationId, idempotencyKey, answers: body.answers, correlationId: correlationIdOf(request) });
    return { receipt, ballotId };
  }

  /** An agent records a verified resident's paper ballot at a polling table (final: no later ballot replaces it). */
  @Post(':id/paper-ballots')
  @HttpCode(201)
  async recordPaper(@Param('id') rawId: string, @Body() raw: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    requireStaff(principal, [...agentRoles]);
    const consultationId = parseOrProblem(consultationIdSchema, rawId, 'path.id');
    const idempotencyKey = requireIdempotencyKey(key);
    const body = parseOrProblem(paperBallotRequestSchema, raw, 'body');
    const { receipt, ballotId } = await this.ballots.recordPaper(principal, body.citizenId, body.pollingTableId, {
      consultationId,
      idempotencyKey,
      answers: body.answers,
      correlationId: correlationIdOf(request),
    });
    return { receipt, ballotId };
  }

  /**
   * An agent closes their polling table: photos of its tally sheet and the count written on it, in
   * the table's own stream (the consultation's revision, which organisers act on, does not move).
   * No If-Match: an agent offline cannot know any revision, and a sheet changes no count; the
   * Idempotency-Key makes the outbox's retries harmless.
   */
  @Post(':id/tally-sheets')
  @HttpCode(201)
  async attachTallySheet(@Param('id') rawId: string, @Body() raw: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    requireStaff(principal, [...agentRoles]);
    const id = parseOrProblem(consultationIdSchema, rawId, 'path.id');
    const commandId = commandIdFor(principal.id, requireIdempotencyKey(key), 'attach-tally-sheet');
    const body = parseOrProblem(tallySheetRequestSchema, raw, 'body');
    await this.media.requireAll(body.mediaIds, 'body.mediaIds');
    const consultation = await this.streams.load(consultationDecider, id);
    admitReader(principal, consultation, id);
    const outcome = await this.streams.execute(pollingTableDecider(consultation.state), principal, {
      name: 'AttachTallySheet',
      id: pollingTableId(id, body.pollingTableId),
      commandId,
      correlationId: correlationIdOf(request),
      build: (meta) => parsePollingTableCommand({ consultationId: id, ...body, note: body.note || null }, meta),
      communeOf: () => consultation.state.communeId,
    });
    return { consultationId: id, pollingTableId: body.pollingTableId, sheets: outcome.state.sheets };
  }

  /** The commune's agents and organisers compare each table's paper ballots in the log with its sheets. */
  @Get(':id/polling-tables')
  async pollingTables(@Param('id') rawId: string, @CurrentPrincipal() principal: Principal) {
    requireStaff(principal, [...agentRoles]);
    const id = parseOrProblem(consultationIdSchema, rawId, 'path.id');
    admitReader(principal, await this.streams.load(consultationDecider, id), id);
    const { rows } = await this.pool.query<{ polling_table_id: string; paper_ballots: number; sheets: StoredSheet[] }>(
      'SELECT polling_table_id, paper_ballots, sheets FROM read.consultation_polling_tables WHERE consultation_id = $1 ORDER BY polling_table_id',
      [id],
    );
    return {
      items: rows.map((r) => ({
        pollingTableId: r.polling_table_id,
        paperBallots: r.paper_ballots,
        sheets: r.sheets.map(({ mediaIds, ...sheet }) => ({ ...sheet, media: mediaIds.map((m) => ({ id: m, ...mediaUrls(m) })) })),
      })),
    };
  }

  /** Nobody reads who voted what: ballots are public only by receipt, and name no one. */
  @Get(':id/ballots')
  ballotsOf(@Param('id') rawId: string) {
    parseOrProblem(consultationIdSchema, rawId, 'path.id');
    throw new ProblemError(
      403,
      'ballot.secret',
      'Nobody, commune staff included, may read who voted what. Ballots are public by receipt only, under a pseudonym, and in the audit export for a recount.',
    );
  }

  /** Votes per option and turnout, live while open if the consultation says so, for everyone once closed; the commune's organisers always. */
  @Get(':id/results')
  async results(@Param('id') rawId: string, @CurrentPrincipal() principal: Principal) {
    const id = parseOrProblem(consultationIdSchema, rawId, 'path.id');
    const loaded = await this.streams.load(consultationDecider, id);
    admitReader(principal, loaded, id);
    if (!resultsVisible(loaded.state) && !isOrganiserOf(principal, loaded.state.communeId)) {
      throw new ProblemError(403, 'results.not_yet', `Results of ${id} are shown once voting closes (${loaded.state.content!.closesAt}).`);
    }
    return resultsView(id, loaded.state.status, await projectedResults(this.pool, id));
  }

  @Post()
  async create(
    @Body() raw: unknown,
    @Headers('idempotency-key') key: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    requireStaff(principal, [...organiserRoles]);
    const commandId = commandIdFor(principal.id, requireIdempotencyKey(key), 'draft-consultation');
    const body = parseOrProblem(createConsultationSchema, raw, 'body');
    await this.media.requireAll(body.mediaIds ?? [], 'body.mediaIds');
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

  /** Rewrites a draft whole, at the revision the organiser edited (a consultation that has opened is refused). */
  @Put(':id')
  async revise(
    @Param('id') rawId: string,
    @Body() raw: unknown,
    @Headers('if-match') ifMatch: string | undefined,
    @CurrentPrincipal() principal: Principal,
    @Req() request: Request,
    @Res({ passthrough: true }) response: Response,
  ) {
    requireStaff(principal, [...organiserRoles]);
    const id = parseOrProblem(consultationIdSchema, rawId, 'path.id');
    const body = parseOrProblem(reviseConsultationSchema, raw, 'body');
    await this.media.requireAll(body.mediaIds ?? [], 'body.mediaIds');
    const expectedRevision = requireRevision(ifMatch);
    const outcome = await this.streams.execute(consultationDecider, principal, {
      name: 'ReviseDraft',
      id,
      commandId: commandIdFor(principal.id, null, 'revise-consultation'),
      correlationId: correlationIdOf(request),
      expectedRevision,
      admit: (loaded) => admitReader(principal, loaded, id),
      build: (meta) =>
        parseConsultationCommand(
          'ReviseDraft',
          { ...body, consultationId: id, quartierIds: body.quartierIds ?? null, description: body.description ?? null, mediaIds: body.mediaIds ?? [], adultsOnly: body.adultsOnly ?? false },
          meta,
        ) as ConsultationCommand,
      communeOf: (consultation) => consultation.communeId,
    });
    response.setHeader('ETag', etag(outcome.revision));
    return { id, revision: outcome.revision, status: outcome.state.status };
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

  /**
   * Publishes the result, signed over the log that includes the close; then destroys the
   * consultation's pseudonym key, so nobody can ever again tell whose ballot is whose.
   */
  @Post(':id/publish')
  @HttpCode(200)
  async publish(@Param('id') rawId: string, @Body() raw: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireStaff(principal, [...organiserRoles]);
    const id = parseOrProblem(consultationIdSchema, rawId, 'path.id');
    const loaded = await this.streams.load(consultationDecider, id);
    admitReader(principal, loaded, id);
    const signedResult = loaded.state.status === 'closed' ? await this.published.sign(id, loaded) : undefined;
    const outcome = await this.transition('PublishResults', rawId, raw, ifMatch, principal, request, response, signedResult ? { signedResult } : {});
    if (outcome.status === 'published') await this.pseudonyms.destroyKey(id);
    return outcome;
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
    extra: Record<string, unknown> = {},
  ) {
    requireStaff(principal, [...organiserRoles]);
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
        parseConsultationCommand(type, { consultationId: id, ...(type === 'CloseConsultation' ? { how: 'by_hand' } : {}), ...body, ...extra }, meta) as ConsultationCommand,
      communeOf: (consultation) => consultation.communeId,
    });
    response.setHeader('ETag', etag(outcome.revision));
    return { id, revision: outcome.revision, status: outcome.state.status };
  }
}

/** Drafts are for the commune's staff; an opened consultation is public. Another commune's draft does not exist for you. */
function admitReader(principal: Principal, loaded: Loaded<Consultation>, id: string): void {
  if (!mayRead(principal, loaded.state)) throw new ProblemError(404, 'consultation.not_found', `No consultation ${id} that you may see.`);
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

interface StoredSheet {
  mediaIds: string[];
  ballotsOnSheet: number;
  note: string | null;
  attachedBy: string;
  attachedAt: string;
}

interface SummaryRow {
  id: string;
  commune_id: string;
  status: Consultation['status'];
  title_fr: string;
  title_en: string;
  quartier_ids: string[] | null;
  required_level: string;
  opens_at: Date;
  closes_at: Date;
  results_visibility: string;
  revision: number;
}

const summary = (r: SummaryRow) => ({
  id: r.id,
  communeId: r.commune_id,
  status: r.status,
  title: { fr: r.title_fr, en: r.title_en },
  quartierIds: r.quartier_ids,
  requiredLevel: r.required_level,
  opensAt: r.opens_at.toISOString(),
  closesAt: r.closes_at.toISOString(),
  resultsVisibility: r.results_visibility,
  revision: r.revision,
});
