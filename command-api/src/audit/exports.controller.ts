import { createReadStream, existsSync } from 'node:fs';
import { join } from 'node:path';
import { Body, Controller, Get, HttpCode, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AccessTrail, BUNDLE_FILES, ExportError, normaliseScope, tarDirectory } from '@palabre/audit';
import { currentTraceContext } from '@palabre/observability';
import { AuthGuard, requireStaff } from '../auth/auth.guard.js';
import { correlationIdOf, CurrentPrincipal } from '../http/principal.decorator.js';
import { parseOrProblem, ProblemError } from '../http/problem.js';
import { clientAddress } from '../http/trust-proxy.js';
import { canSeeCommune, homeCommune, type Principal } from '../platform/principal.js';
import { type ExportJob, ExportJobs } from './export-jobs.js';
import { contentTypes, exportRequest } from './requests.js';

/** Bundles for auditors and donors: an async job with progress, then a download. */
@Controller('api/audit/exports')
@UseGuards(AuthGuard)
export class ExportsController {
  constructor(
    private readonly jobs: ExportJobs,
    private readonly trail: AccessTrail,
  ) {}

  @Post()
  @HttpCode(202)
  async create(@Body() raw: unknown, @CurrentPrincipal() principal: Principal, @Req() request: Request, @Res({ passthrough: true }) response: Response) {
    requireStaff(principal, ['admin', 'auditor']);
    const body = parseOrProblem(exportRequest, raw ?? {}, 'body');
    if (body.staffNames && principal.role !== 'admin') {
      throw new ProblemError(403, 'audit.staff_names_forbidden', 'Only an admin may export staff names; auditors receive pseudonyms.', [{ path: 'body.staffNames', message: 'admins only' }]);
    }
    const communeId = body.communeId === undefined ? homeCommune(principal) : body.communeId;
    if (communeId === null ? principal.communes !== '*' : !canSeeCommune(principal, communeId)) {
      throw new ProblemError(403, 'auth.forbidden', `You may not export ${communeId === null ? 'every commune' : `commune ${communeId}`}.`, [{ path: 'body.communeId', message: 'not yours' }]);
    }
    let scope;
    try {
      scope = normaliseScope({
        communeId,
        from: body.from ?? null,
        to: body.to ?? null,
        streamTypes: body.streamTypes ?? null,
        excludedStreamTypes: body.staffNames ? [] : ['staff'], // staff streams carry usernames
      });
    } catch (error) {
      if (error instanceof ExportError) throw new ProblemError(400, 'validation.failed', error.message, [{ path: 'body', message: error.message }]);
      throw error;
    }
    const job = await this.jobs.start({ requestedBy: principal.id, role: principal.role, scope, formats: body.formats, staffNames: body.staffNames });
    await this.trail.record({ viewer: { id: principal.id, role: principal.role }, communeId, resource: { kind: 'export', id: job.id }, purpose: 'audit export', address: clientAddress(request), correlationId: correlationIdOf(request), ...currentTraceContext() });
    response.setHeader('Location', `/api/audit/exports/${job.id}`);
    return view(job);
  }

  @Get(':id')
  async get(@Param('id') id: string, @CurrentPrincipal() principal: Principal) {
    return view(await this.visible(id, principal));
  }

  /** The whole bundle as one tar file, for `palabre-audit verify bundle.tar`. */
  @Get(':id/bundle.tar')
  async download(@Param('id') id: string, @CurrentPrincipal() principal: Principal, @Res() response: Response) {
    const job = await this.finished(id, principal);
    response.setHeader('Content-Type', 'application/x-tar');
    response.setHeader('Content-Disposition', `attachment; filename="palabre-audit-${job.id}.tar"`);
    tarDirectory(job.directory!).pipe(response);
  }

  @Get(':id/files/:name')
  async file(@Param('id') id: string, @Param('name') name: string, @CurrentPrincipal() principal: Principal, @Res() response: Response) {
    const job = await this.finished(id, principal);
    const type = contentTypes[name];
    if (!type || !existsSync(join(job.directory!, name))) throw new ProblemError(404, 'audit.export_file_not_found', `This bundle has no file ${name}.`);
    response.setHeader('Content-Type', type);
    createReadStream(join(job.directory!, name)).pipe(response);
  }

  private async visible(id: string, principal: Principal): Promise<ExportJob> {
    requireStaff(principal, ['admin', 'auditor']);
    const job = /^X[0-9A-F]{20}$/.test(id) ? await this.jobs.get(id) : null;
    // Someone else's job is visible to national auditors and admins only.
    if (!job || (job.requestedBy !== principal.id && principal.communes !== '*')) throw new ProblemError(404, 'audit.export_not_found', `No export ${id} that you may see.`);
    return job;
  }

  private async finished(id: string, principal: Principal): Promise<ExportJob> {
    const job = await this.visible(id, principal);
    if (job.status !== 'done' || !job.directory || !existsSync(job.directory)) {
      throw new ProblemError(409, 'audit.export_not_ready', job.status === 'failed' ? `Export ${id} failed: ${job.error}` : `Export ${id} is ${job.status}; poll it until it is done.`);
    }
    return job;
  }
}

function view(job: ExportJob) {
  const base = `/api/audit/exports/${job.id}`;
  return {
    id: job.id,
    status: job.status,
    scope: job.scope,
    formats: job.formats,
    progress: { done: job.done, total: job.total, percent: job.total > 0 ? Math.floor((job.done / job.total) * 100) : job.status === 'done' ? 100 : 0 },
    createdAt: job.createdAt,
    finishedAt: job.finishedAt,
    error: job.error,
    ...(job.status === 'done' && job.manifest
      ? {
          downloadUrl: `${base}/bundle.tar`,
          treeHead: job.manifest.treeHead,
          counts: job.manifest.counts,
          warnings: job.manifest.warnings,
          files: [BUNDLE_FILES.manifest, BUNDLE_FILES.readme, BUNDLE_FILES.publicKey, BUNDLE_FILES.treeHeads, ...Object.keys(job.manifest.files)].map((name) => ({
            name,
            url: `${base}/files/${name}`,
            ...(job.manifest!.files[name] ?? {}),
          })),
        }
      : {}),
  };
}
