import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Query, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { CommandBus } from '@nestjs/cqrs';
import { agentRoles, defaultProgramme, organiserRoles, otherCategoryId, parseProjectCommand, type ProjectCommand, type ProjectCommandType, projectDecider, proposalDecider } from '@palabre/domain';
import type pg from 'pg';
import { AuthGuard, requireStaff } from '../auth/auth.guard.js';
import { aggregateIdFor, commandIdFor, etag, optionalIdempotencyKey, requireIdempotencyKey, requireRevision, ticketIdFor } from '../http/headers.js';
import { correlationIdOf, CurrentPrincipal } from '../http/principal.decorator.js';
import { parseOrProblem, ProblemError } from '../http/problem.js';
import { MediaLibrary } from '../media/media-library.js';
import { canSeeCommune, type Principal } from '../platform/principal.js';
import { Streams } from '../platform/streams.js';
import { PG_POOL } from '../platform/tokens.js';
import { ReportIntake } from '../tickets/report-intake.js';
import { SubmitReportCommand } from '../tickets/commands/index.js';
import { Vault } from '../vault/index.js';
import { committeeOf, type ProjectRow, projectViews, summary } from './project-view.js';
import { budgetSchema, commentSchema, committeeMemberSchema, createProjectSchema, milestoneSchema, progressSchema, projectIdSchema, projectListQuery, stageSchema, suspendSchema } from './requests.js';

const projectIdFor = (commandId: string): string => aggregateIdFor('project', 'J', commandId);
const proposals = proposalDecider();

/** Projects on the shared executor: staff create them from accepted proposals; agents record what they see on site. */
@Controller('api/projects')
@UseGuards(AuthGuard)
export class ProjectsController {
  constructor(
    private readonly streams: Streams,
    private readonly media: MediaLibrary,
    private readonly commands: CommandBus,
    private readonly intake: ReportIntake,
    @Inject(Vault) private readonly vault: Vault,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {}

  /**
   * A resident comments on a project (a crack in the new footbridge, works stopped): the comment is
   * a ticket linked to the project, routed to the commune's staff like any report, and followed by
   * its author in "my reports". Idempotency-Key: the app's outbox sends it exactly once.
   */
  @Post(':id/comments')
  async comment(@Param('id') rawId: string, @Body() raw: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    if (principal.kind !== 'citizen') throw new ProblemError(403, 'project.forbidden', 'Residents comment on projects; staff record milestones and notes.');
    const id = parseOrProblem(projectIdSchema, rawId, 'path.id');
    const commandId = commandIdFor(principal.id, requireIdempotencyKey(key), `comment-project\n${id}`);
    const body = parseOrProblem(commentSchema, raw, 'body');
    const project = (await this.streams.load(projectDecider, id)).state;
    if (project.status === 'none') throw new ProblemError(404, 'project.not_found', `No project ${id}.`);
    const location = body.location ?? (await this.placeOf(id));
    if (!location) throw new ProblemError(422, 'project.no_place', 'This project has no place on the map yet: say where you are.', [{ path: 'body.location', message: 'required for this project' }]);
    const ticketId = ticketIdFor(commandId);
    const report = { category: otherCategoryId, description: body.text, location, ...(body.mediaIds ? { mediaIds: body.mediaIds } : {}) };
    const data = await this.intake.prepare(ticketId, report, principal, { kind: 'project', id });
    await this.commands.execute(new SubmitReportCommand(data, principal, { commandId, correlationId: correlationIdOf(request) }));
    response.status(201).setHeader('Location', `/api/tickets/${ticketId}`);
    return { ticketId, projectId: id };
  }

  /** Where a project is: the place of a proposal it carries out, else where a milestone's photo was taken. */
  private async placeOf(id: string): Promise<{ lat: number; lon: number } | null> {
    const { rows } = await this.pool.query<{ lat: number; lon: number }>(
      `SELECT lat, lon FROM (
         SELECT p.lat, p.lon, 0 AS rank FROM read.projects j JOIN read.proposals p ON p.id = ANY(j.proposal_ids) WHERE j.id = $1 AND p.lat IS NOT NULL
         UNION ALL
         SELECT (e->'point'->>'lat')::float8, (e->'point'->>'lon')::float8, 1 FROM read.project_milestones m, json_array_elements(m.evidence) e
         WHERE m.project_id = $1 AND e->'point'->>'lat' IS NOT NULL
       ) places ORDER BY rank LIMIT 1`,
      [id],
    );
    return rows[0] ?? null;
  }

  @Post()
  async create(@Body() raw: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireStaff(principal, [...organiserRoles]);
    const commandId = commandIdFor(principal.id, requireIdempotencyKey(key), 'create-project');
    const body = parseOrProblem(createProjectSchema, raw, 'body');
    // Each proposal it carries out is one of the commune's, accepted.
    for (const [i, proposalId] of (body.proposalIds ?? []).entries()) {
      const proposal = (await this.streams.load(proposals, proposalId)).state;
      const path = [{ path: `body.proposalIds.${i}`, message: 'not an accepted proposal of this commune' }];
      if (proposal.status === 'none' || proposal.communeId !== body.communeId) throw new ProblemError(404, 'proposal.not_found', `No proposal ${proposalId} in ${body.communeId}.`, path);
      if (proposal.answer?.state !== 'accepted') throw new ProblemError(409, 'project.proposal_not_accepted', `Proposal ${proposalId} has not been accepted; a project carries out accepted proposals.`, path);
    }
    const id = projectIdFor(commandId);
    const outcome = await this.streams.execute(projectDecider, principal, {
      name: 'CreateProject',
      id,
      commandId,
      correlationId: correlationIdOf(request),
      startsStream: true,
      build: (meta) =>
        parseProjectCommand(
          'CreateProject',
          { projectId: id, communeId: body.communeId, title: body.title, description: body.description ?? null, proposalIds: body.proposalIds ?? [], programme: defaultProgramme, currency: body.currency ?? 'XAF' },
          meta,
        ) as ProjectCommand,
      communeOf: () => body.communeId,
    });
    response.status(201).setHeader('ETag', etag(outcome.revision)).setHeader('Location', `/api/projects/${id}`);
    return { id, revision: outcome.revision };
  }

  /** A milestone reached on site, with its photos and where each was taken (kept from the upload); no If-Match, an Idempotency-Key. */
  @Post(':id/milestones')
  @HttpCode(201)
  async milestone(@Param('id') rawId: string, @Body() raw: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireStaff(principal, [...agentRoles]);
    const id = parseOrProblem(projectIdSchema, rawId, 'path.id');
    const commandId = commandIdFor(principal.id, requireIdempotencyKey(key), 'record-milestone');
    const body = parseOrProblem(milestoneSchema, raw, 'body');
    await this.media.requireAll(body.mediaIds ?? [], 'body.mediaIds');
    const evidence = await this.media.evidence(body.mediaIds ?? []);
    const milestoneId = aggregateIdFor('milestone', 'M', commandId);
    return this.run('RecordMilestone', id, commandId, request, response, undefined, {
      milestoneId,
      title: body.title,
      note: body.note ?? null,
      reachedOn: body.reachedOn ?? new Date().toISOString().slice(0, 10),
      evidence,
    });
  }

  @Post(':id/stages')
  @HttpCode(200)
  stage(@Param('id') rawId: string, @Body() raw: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireStaff(principal, [...agentRoles]);
    const body = parseOrProblem(stageSchema, raw, 'body');
    return this.run('EnterStage', parseOrProblem(projectIdSchema, rawId, 'path.id'), commandIdFor(principal.id, optionalIdempotencyKey(key), 'enter-stage'), request, response, undefined, body);
  }

  @Post(':id/progress')
  @HttpCode(200)
  progress(@Param('id') rawId: string, @Body() raw: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireStaff(principal, [...agentRoles]);
    const body = parseOrProblem(progressSchema, raw, 'body');
    return this.run('ReportProgress', parseOrProblem(projectIdSchema, rawId, 'path.id'), commandIdFor(principal.id, optionalIdempotencyKey(key), 'report-progress'), request, response, undefined, body);
  }

  /** The budget, at the revision read (If-Match): planned, committed and spent, in whole francs; overspending says why. */
  @Post(':id/budget')
  @HttpCode(200)
  budget(@Param('id') rawId: string, @Body() raw: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireStaff(principal, [...organiserRoles]);
    const body = parseOrProblem(budgetSchema, raw, 'body');
    return this.run('ReportBudget', parseOrProblem(projectIdSchema, rawId, 'path.id'), commandIdFor(principal.id, null, 'report-budget'), request, response, requireRevision(ifMatch), { ...body, reason: body.reason ?? null });
  }

  @Post(':id/suspend')
  @HttpCode(200)
  suspend(@Param('id') rawId: string, @Body() raw: unknown, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireStaff(principal, [...organiserRoles]);
    const body = parseOrProblem(suspendSchema, raw, 'body');
    return this.run('SuspendProject', parseOrProblem(projectIdSchema, rawId, 'path.id'), commandIdFor(principal.id, null, 'suspend-project'), request, response, requireRevision(ifMatch), body);
  }

  @Post(':id/resume')
  @HttpCode(200)
  resume(@Param('id') rawId: string, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireStaff(principal, [...organiserRoles]);
    return this.run('ResumeProject', parseOrProblem(projectIdSchema, rawId, 'path.id'), commandIdFor(principal.id, null, 'resume-project'), request, response, requireRevision(ifMatch), {});
  }

  @Post(':id/complete')
  @HttpCode(200)
  complete(@Param('id') rawId: string, @Headers('if-match') ifMatch: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireStaff(principal, [...organiserRoles]);
    return this.run('CompleteProject', parseOrProblem(projectIdSchema, rawId, 'path.id'), commandIdFor(principal.id, null, 'complete-project'), request, response, requireRevision(ifMatch), {});
  }

  @Get()
  async list(@Query() raw: unknown) {
    const q = parseOrProblem(projectListQuery, raw, 'query');
    const { rows } = await this.pool.query<ProjectRow>(
      'SELECT * FROM read.projects WHERE ($1::text IS NULL OR commune_id = $1) AND ($2::text IS NULL OR $2 = ANY(proposal_ids)) ORDER BY created_at DESC, id DESC LIMIT $3',
      [q.communeId ?? null, q.proposalId ?? null, q.limit],
    );
    return { items: rows.map((r) => summary(r)) };
  }

  /** A project as everyone follows it: stage by stage, its progress, its budget, its milestones with their photos. */
  @Get(':id')
  async get(@Param('id') rawId: string, @CurrentPrincipal() principal: Principal, @Res({ passthrough: true }) response: Response) {
    const id = parseOrProblem(projectIdSchema, rawId, 'path.id');
    const [project] = await projectViews(this.pool, [id]);
    if (!project) throw new ProblemError(404, 'project.not_found', `No project ${id}.`);
    response.setHeader('ETag', etag(project.revision));
    // Who sits on the committee is for the commune's staff; everyone else sees the roles.
    if (principal.kind === 'staff' && canSeeCommune(principal, project.communeId)) return { ...project, committee: await committeeOf(this.pool, this.vault, id) };
    return project;
  }

  /**
   * Names a committee member by role (a village committee's president, secretary, treasurer,
   * members): name and phone go to the vault, the log keeps the role and a subject id only, so the
   * person can be forgotten while the project's history stays verifiable.
   */
  @Post(':id/committee')
  @HttpCode(200)
  async nameCommitteeMember(@Param('id') rawId: string, @Body() raw: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    requireStaff(principal, [...agentRoles]);
    const id = parseOrProblem(projectIdSchema, rawId, 'path.id');
    const body = parseOrProblem(committeeMemberSchema, raw, 'body');
    const commandId = commandIdFor(principal.id, optionalIdempotencyKey(key), `committee\n${id}\n${body.role}\n${body.name}`);
    const subjectId = aggregateIdFor('committee-member', 'S', commandId);
    const project = (await this.streams.load(projectDecider, id)).state;
    if (project.status === 'none') throw new ProblemError(404, 'project.not_found', `No project ${id}.`);
    if (!canSeeCommune(principal, project.communeId)) throw new ProblemError(403, 'project.forbidden', 'Only the commune’s staff name its committee.');
    await this.vault.storeContact(subjectId, { name: body.name, ...(body.phone ? { phone: body.phone } : {}) });
    const outcome = await this.streams.execute(projectDecider, principal, {
      name: 'NameCommitteeMember',
      id,
      commandId,
      correlationId: correlationIdOf(request),
      build: (meta) => parseProjectCommand('NameCommitteeMember', { projectId: id, role: body.role, subjectId }, meta) as ProjectCommand,
      communeOf: (p) => p.communeId,
    });
    return { id, revision: outcome.revision };
  }

  private async run(type: ProjectCommandType, id: string, commandId: string, request: Request, response: Response, expectedRevision: number | undefined, data: Record<string, unknown>) {
    const principal = (request as Request & { principal: Principal }).principal;
    const outcome = await this.streams.execute(projectDecider, principal, {
      name: type,
      id,
      commandId,
      correlationId: correlationIdOf(request),
      ...(expectedRevision === undefined ? {} : { expectedRevision }),
      admit: (loaded) => {
        if (loaded.state.status === 'none') throw new ProblemError(404, 'project.not_found', `No project ${id}.`);
      },
      build: (meta) => parseProjectCommand(type, { projectId: id, ...data }, meta) as ProjectCommand,
      communeOf: (project) => project.communeId,
    });
    response.setHeader('ETag', etag(outcome.revision));
    return { id, revision: outcome.revision, status: outcome.state.status, stage: outcome.state.stage, percent: outcome.state.percent };
  }
}

