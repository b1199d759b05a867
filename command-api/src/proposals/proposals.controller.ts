import { Body, Controller, Delete, Get, Headers, HttpCode, Inject, Param, Post, Put, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import {
  citizenDecider,
  levelOf,
  organiserRoles,
  parseProposalCommand,
  parseSupportCommand,
  placeOf,
  type Proposal,
  type ProposalCommand,
  proposalDecider,
  supportDecider,
  supportId,
} from '@palabre/domain';
import type pg from 'pg';
import { AuthGuard, requireStaff } from '../auth/auth.guard.js';
import { commandIdFor, etag, optionalIdempotencyKey, proposalIdFor, requireIdempotencyKey, requireRevision } from '../http/headers.js';
import { correlationIdOf, CurrentPrincipal } from '../http/principal.decorator.js';
import { parseOrProblem, ProblemError } from '../http/problem.js';
import { MediaLibrary, mediaUrls } from '../media/media-library.js';
import type { Principal } from '../platform/principal.js';
import { type Loaded, Streams } from '../platform/streams.js';
import { PG_POOL } from '../platform/tokens.js';
import { ReferenceCatalog } from '../reference/reference-catalog.js';
import { type ProposalRow, type Reader, supportedBy, view } from './proposal-view.js';
import { answerRequestSchema, createProposalSchema, editProposalSchema, flagSchema, mergeSchema, moderationSchema, proposalIdSchema, proposalListQuery } from './requests.js';


/**
 * Proposals on the shared executor: a resident proposes, neighbours support (each in a stream of
 * their own, so a viral proposal's supporters never wait on one another), the commune moderates
 * and answers in public.
 */
@Controller('api/proposals')
@UseGuards(AuthGuard)
export class ProposalsController {
  /** Each commune's own policy (threshold, answer days, flags, level, answer states), from its reference data. */
  private readonly proposals: ReturnType<typeof proposalDecider>;

  constructor(
    private readonly streams: Streams,
    private readonly media: MediaLibrary,
    private readonly reference: ReferenceCatalog,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {
    this.proposals = proposalDecider((communeId) => reference.proposalPolicy(communeId));
  }

  @Post()
  async create(@Body() raw: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    if (principal.kind !== 'citizen') throw new ProblemError(403, 'proposal.forbidden', 'Residents propose in their own name; an agent files a group’s proposal through the console.');
    const commandId = commandIdFor(principal.id, requireIdempotencyKey(key), 'submit-proposal');
    const body = parseOrProblem(createProposalSchema, raw, 'body');
    await this.media.requireAll(body.mediaIds ?? [], 'body.mediaIds');
    const place = this.place(body);
    const level = levelOf((await this.streams.load(citizenDecider, principal.id)).state);
    const id = proposalIdFor(commandId);
    const outcome = await this.streams.execute(this.proposals, principal, {
      name: 'SubmitProposal',
      id,
      commandId,
      correlationId: correlationIdOf(request),
      startsStream: true,
      build: (meta) =>
        parseProposalCommand(
          'SubmitProposal',
          { proposalId: id, communeId: place.communeId, author: { kind: 'citizen', citizenId: principal.id }, level, ...content(body, place.quartierId) },
          meta,
        ) as ProposalCommand,
      communeOf: () => place.communeId,
    });
    response.status(201).setHeader('ETag', etag(outcome.revision)).setHeader('Location', `/api/proposals/${id}`);
    return { id, revision: outcome.revision };
  }

  /** The author rewrites the proposal whole, at the revision they edited, until its first support. */
  @Put(':id')
  async edit(@Param('id') rawId: string, @Body() raw: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const id = parseOrProblem(proposalIdSchema, rawId, 'path.id');
    const body = parseOrProblem(editProposalSchema, raw, 'body');
    const expectedRevision = requireRevision(ifMatch);
    await this.media.requireAll(body.mediaIds ?? [], 'body.mediaIds');
    const place = this.place(body);
    const { rows } = await this.pool.query<{ n: number }>('SELECT count(*)::integer AS n FROM read.proposal_supports WHERE proposal_id = $1', [id]);
    const outcome = await this.streams.execute(this.proposals, principal, {
      name: 'EditProposal',
      id,
      commandId: commandIdFor(principal.id, null, 'edit-proposal'),
      correlationId: correlationIdOf(request),
      expectedRevision,
      admit: (loaded) => admitReader(principal, loaded, id),
      build: (meta) => parseProposalCommand('EditProposal', { proposalId: id, supported: rows[0]!.n > 0, ...content(body, place.quartierId) }, meta) as ProposalCommand,
      communeOf: (proposal) => proposal.communeId,
    });
    response.setHeader('ETag', etag(outcome.revision));
    return { id, revision: outcome.revision };
  }

  /** A resident supports the proposal, once; in a stream of its own (no If-Match: nobody waits on the proposal's revision). */
  @Post(':id/supports')
  @HttpCode(201)
  async support(@Param('id') rawId: string, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    return this.supportCommand('SupportProposal', rawId, key, principal, request);
  }

  @Delete(':id/supports/me')
  @HttpCode(200)
  async withdrawSupport(@Param('id') rawId: string, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    return this.supportCommand('WithdrawSupport', rawId, key, principal, request);
  }

  @Post(':id/flags')
  @HttpCode(201)
  async flag(@Param('id') rawId: string, @Body() raw: unknown, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    if (principal.kind !== 'citizen') throw new ProblemError(403, 'proposal.forbidden', 'Residents flag; staff hide or restore.');
    const id = parseOrProblem(proposalIdSchema, rawId, 'path.id');
    const body = parseOrProblem(flagSchema, raw, 'body');
    const outcome = await this.streams.execute(this.proposals, principal, {
      name: 'FlagProposal',
      id,
      commandId: commandIdFor(principal.id, null, `flag-proposal\n${id}`),
      correlationId: correlationIdOf(request),
      admit: (loaded) => admitReader(principal, loaded, id),
      build: (meta) => parseProposalCommand('FlagProposal', { proposalId: id, reason: body.reason }, meta) as ProposalCommand,
      communeOf: (proposal) => proposal.communeId,
    });
    return { id, hidden: outcome.state.status === 'hidden' };
  }

  @Post(':id/hide')
  @HttpCode(200)
  hide(@Param('id') rawId: string, @Body() raw: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.staffCommand('HideProposal', rawId, parseOrProblem(moderationSchema, raw, 'body'), ifMatch, principal, request, response);
  }

  @Post(':id/restore')
  @HttpCode(200)
  restore(@Param('id') rawId: string, @Body() raw: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    return this.staffCommand('RestoreProposal', rawId, parseOrProblem(moderationSchema, raw, 'body'), ifMatch, principal, request, response);
  }

  /** The commune answers in public, at the revision it read (If-Match): one of its answer states, why, and its cost. */
  @Post(':id/answer')
  @HttpCode(200)
  answer(@Param('id') rawId: string, @Body() raw: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const body = parseOrProblem(answerRequestSchema, raw, 'body');
    return this.staffCommand('AnswerProposal', rawId, { ...body, cost: body.cost ?? null }, ifMatch, principal, request, response);
  }

  @Post(':id/merge')
  @HttpCode(200)
  async merge(@Param('id') rawId: string, @Body() raw: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    const body = parseOrProblem(mergeSchema, raw, 'body');
    const target = await this.streams.load(this.proposals, body.into);
    if (target.state.status === 'none') throw new ProblemError(404, 'proposal.not_found', `No proposal ${body.into} to merge into.`, [{ path: 'body.into', message: 'no such proposal' }]);
    return this.staffCommand('MergeProposal', rawId, body, ifMatch, principal, request, response);
  }

  @Post(':id/withdraw')
  @HttpCode(200)
  async withdraw(@Param('id') rawId: string, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    const id = parseOrProblem(proposalIdSchema, rawId, 'path.id');
    const outcome = await this.streams.execute(this.proposals, principal, {
      name: 'WithdrawProposal',
      id,
      commandId: commandIdFor(principal.id, null, 'withdraw-proposal'),
      correlationId: correlationIdOf(request),
      admit: (loaded) => admitReader(principal, loaded, id),
      build: (meta) => parseProposalCommand('WithdrawProposal', { proposalId: id }, meta) as ProposalCommand,
      communeOf: (proposal) => proposal.communeId,
    });
    return { id, revision: outcome.revision, status: outcome.state.status };
  }

  @Get()
  async list(@Query() raw: unknown, @CurrentPrincipal() principal: Principal) {
    const q = parseOrProblem(proposalListQuery, raw, 'query');
    const near = q.near?.split(',').map(Number) as [number, number] | undefined;
    const box = q.bbox?.split(',').map(Number) as [number, number, number, number] | undefined;
    const staff = principal.kind === 'staff' ? principal.communes : [];
    const order = near ? 'distance ASC, id' : q.sort === 'most_supported' ? 'supports DESC, submitted_at DESC, id' : 'submitted_at DESC, id DESC';
    const { rows } = await this.pool.query<ProposalRow & { distance: number | null }>(
      `SELECT *, CASE WHEN $8::float8 IS NULL OR lat IS NULL THEN NULL
                 ELSE 6371000 * 2 * asin(sqrt(power(sin(radians(lat - $8) / 2), 2) + cos(radians($8)) * cos(radians(lat)) * power(sin(radians(lon - $9) / 2), 2))) END AS distance
       FROM (SELECT * FROM read.proposals
             WHERE ($1::text IS NULL OR commune_id = $1) AND ($2::text IS NULL OR quartier_id = $2) AND ($3::text IS NULL OR category = $3)
               AND ($4::text IS NULL OR (CASE WHEN status <> 'published' THEN status WHEN answer_state IS NULL THEN 'open' ELSE answer_state END) = $4)
               AND (status <> 'hidden' OR $5::boolean OR commune_id = ANY($6::text[]) OR author_citizen_id = $7)
               AND ($10::float8 IS NULL OR (lon BETWEEN $10 AND $12 AND lat BETWEEN $11 AND $13))) p
       WHERE $8::float8 IS NULL OR (lat IS NOT NULL AND abs(lat - $8) < $14 AND abs(lon - $9) < $14 * 1.1)
       ORDER BY ${order} LIMIT $15`,
      [
        q.communeId ?? null,
        q.quartierId ?? null,
        q.category ?? null,
        q.state ?? null,
        staff === '*',
        staff === '*' ? [] : staff,
        principal.kind === 'citizen' ? principal.id : null,
        near?.[0] ?? null,
        near?.[1] ?? null,
        box?.[0] ?? null,
        box?.[1] ?? null,
        box?.[2] ?? null,
        box?.[3] ?? null,
        q.radiusM / 111_000,
        q.limit,
      ],
    );
    const kept = rows.filter((r) => r.distance === null || r.distance <= q.radiusM);
    const reader = await this.readerOf(principal, kept.map((r) => r.id));
    return { items: kept.map((r) => view(r, reader)) };
  }

  @Get(':id')
  async get(@Param('id') rawId: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const id = parseOrProblem(proposalIdSchema, rawId, 'path.id');
    admitReader(principal, await this.streams.load(this.proposals, id), id);
    const { rows } = await this.pool.query<ProposalRow>('SELECT * FROM read.proposals WHERE id = $1', [id]);
    if (!rows[0]) throw new ProblemError(404, 'proposal.not_found', `Proposal ${id} is being recorded; ask again in a moment.`, [], {}, { 'Retry-After': '1' });
    // The ETag is the revision If-Match expects; supports and what the reader did change without it,
    // so the answer is never kept for a conditional GET (a 304 would show a stale count).
    response.setHeader('ETag', etag(rows[0].revision)).setHeader('Cache-Control', 'no-store');
    return view(rows[0], await this.readerOf(principal, [id]));
  }

  private async readerOf(principal: Principal, ids: readonly string[]): Promise<Reader> {
    if (principal.kind === 'staff') return { kind: 'staff', communes: principal.communes };
    return { kind: 'citizen', id: principal.id, supporting: await supportedBy(this.pool, principal.id, ids) };
  }

  private async supportCommand(type: 'SupportProposal' | 'WithdrawSupport', rawId: string, key: string | undefined, principal: Principal, request: Request) {
    if (principal.kind !== 'citizen') throw new ProblemError(403, 'proposal.forbidden', 'Residents support in their own name only.');
    const id = parseOrProblem(proposalIdSchema, rawId, 'path.id');
    const [proposal, citizen] = await Promise.all([this.streams.load(this.proposals, id), this.streams.load(citizenDecider, principal.id)]);
    admitReader(principal, proposal, id);
    const outcome = await this.streams.execute(supportDecider(proposal.state, this.reference.proposalPolicy(proposal.state.communeId)), principal, {
      name: type,
      id: supportId(id, principal.id),
      // With an Idempotency-Key (the app's outbox), a retry answers as the first time; without one, a
      // second support is refused as such (already supported), and a support after a withdrawal is a new one.
      commandId: commandIdFor(principal.id, optionalIdempotencyKey(key), `${type}\n${id}`),
      correlationId: correlationIdOf(request),
      build: (meta) => parseSupportCommand(type, { proposalId: id, citizenId: principal.id, ...(type === 'SupportProposal' ? { level: levelOf(citizen.state) } : {}) }, meta),
      communeOf: () => proposal.state.communeId,
      startsStream: type === 'SupportProposal',
    });
    return { proposalId: id, supporting: outcome.state.supporting };
  }

  private async staffCommand(
    type: 'HideProposal' | 'RestoreProposal' | 'AnswerProposal' | 'MergeProposal',
    rawId: string,
    body: Record<string, unknown>,
    ifMatch: string | undefined,
    principal: Principal,
    request: Request,
    response: Response,
  ) {
    requireStaff(principal, [...organiserRoles]);
    const id = parseOrProblem(proposalIdSchema, rawId, 'path.id');
    const expectedRevision = requireRevision(ifMatch);
    const outcome = await this.streams.execute(this.proposals, principal, {
      name: type,
      id,
      commandId: commandIdFor(principal.id, null, type),
      correlationId: correlationIdOf(request),
      expectedRevision,
      admit: (loaded) => admitReader(principal, loaded, id),
      build: (meta) => parseProposalCommand(type, { proposalId: id, ...body }, meta) as ProposalCommand,
      communeOf: (proposal) => proposal.communeId,
    });
    response.setHeader('ETag', etag(outcome.revision));
    return { id, revision: outcome.revision, status: outcome.state.status, answer: outcome.state.answer };
  }

  /** The commune a proposal belongs to: its quartier's, else the one containing its point. */
  private place(body: { location?: { lat: number; lon: number } | undefined; quartierId?: string | undefined }): { communeId: string; quartierId: string | null } {
    const communes = this.reference.communes();
    if (body.quartierId !== undefined) {
      const commune = communes.find((c) => c.quartiers.some((q) => q.id === body.quartierId));
      if (!commune) throw new ProblemError(400, 'proposal.unknown_quartier', `There is no quartier ${body.quartierId}.`, [{ path: 'body.quartierId', message: 'unknown quartier' }]);
      return { communeId: commune.id, quartierId: body.quartierId };
    }
    const point = body.location!;
    const found = placeOf(point, communes);
    if (!found) throw new ProblemError(422, 'location.outside_communes', `The point ${point.lat}, ${point.lon} is outside every commune served here.`, [{ path: 'body.location', message: 'outside every commune served' }]);
    return { communeId: found.commune.id, quartierId: found.quartier?.id ?? null };
  }
}

/** A hidden proposal exists only for its commune's staff and its author. */
function admitReader(principal: Principal, loaded: Loaded<Proposal>, id: string): void {
  const { state } = loaded;
  const staffOfIt = principal.kind === 'staff' && (principal.communes === '*' || principal.communes.includes(state.communeId ?? ''));
  const author = principal.kind === 'citizen' && state.author?.kind === 'citizen' && state.author.citizenId === principal.id;
  if (state.status === 'none' || (state.status === 'hidden' && !staffOfIt && !author)) throw new ProblemError(404, 'proposal.not_found', `No proposal ${id} that you may see.`);
}

const content = (body: { title: string; description: string; category: string; location?: { lat: number; lon: number } | undefined; mediaIds?: string[] | undefined; costEstimate?: number | undefined }, quartierId: string | null) => ({
  title: body.title,
  description: body.description,
  category: body.category,
  location: body.location ?? null,
  quartierId,
  mediaIds: body.mediaIds ?? [],
  costEstimate: body.costEstimate ?? null,
});

