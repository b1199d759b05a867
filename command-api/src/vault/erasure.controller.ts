import { Body, Controller, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import type pg from 'pg';
import { recordSubjectForgotten } from '@palabre/audit';
import type { EventStore } from '@palabre/event-store';
import { withCommuneScope } from '@palabre/projections';
import { currentTraceContext } from '@palabre/observability';
import { AuthGuard, requireStaff } from '../auth/auth.guard.js';
import { correlationIdOf, CurrentPrincipal } from '../http/principal.decorator.js';
import { parseOrProblem, ProblemError } from '../http/problem.js';
import type { Principal } from '../platform/principal.js';
import { EVENT_STORE, PG_POOL } from '../platform/tokens.js';
import { forgetSchema, subjectIdSchema } from './requests.js';
import { Vault } from './vault.js';


/**
 * The right to be forgotten: the subject's key is destroyed (the data becomes unreadable forever),
 * then the log records that it happened. The log never held the data, so every proof still verifies.
 */
@Controller('api/admin/subjects')
@UseGuards(AuthGuard)
export class ErasureController {
  constructor(
    @Inject(Vault) private readonly vault: Vault,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Post(':subjectId/forget')
  @HttpCode(200)
  async forget(@Param('subjectId') rawId: string, @Body() raw: unknown, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    requireStaff(principal, ['admin']);
    const subjectId = parseOrProblem(subjectIdSchema, rawId, 'path.subjectId');
    const body = parseOrProblem(forgetSchema, raw, 'body');
    // The commune whose ticket holds the subject; a commune admin may only forget their own commune's reporters.
    const { rows } = await withCommuneScope(this.pool, principal.communes, (client) =>
      client.query<{ commune_id: string | null }>('SELECT commune_id FROM read.tickets WHERE contact_subject_id = $1 LIMIT 1', [subjectId]),
    );
    if (rows.length === 0 && principal.communes !== '*') throw new ProblemError(404, 'subject.not_found', `No reporter ${subjectId} in your communes.`);
    const status = await this.vault.readContact(subjectId);
    if (status === null) throw new ProblemError(404, 'subject.not_found', `The vault holds nothing for ${subjectId}.`);
    await this.vault.forgetSubject(subjectId);
    await recordSubjectForgotten(this.store, {
      subjectId,
      actor: { id: principal.id, role: principal.role },
      communeId: rows[0]?.commune_id ?? null,
      reason: body.reason,
      correlationId: correlationIdOf(request),
      ...currentTraceContext(),
    });
    return { subjectId, erased: true };
  }
}
