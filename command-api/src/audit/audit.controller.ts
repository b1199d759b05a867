import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import type pg from 'pg';
import { AccessTrail, consistencyProofFor, inclusionProofFor, latestTreeHead, listTreeHeads, ProofError, publicKeys } from '@palabre/audit';
import { AuthGuard, requireStaff } from '../auth/auth.guard.js';
import { CurrentPrincipal } from '../http/principal.decorator.js';
import { parseOrProblem, ProblemError } from '../http/problem.js';
import { canSeeCommune, homeCommune, type Principal } from '../platform/principal.js';
import { PG_POOL } from '../platform/tokens.js';
import { AuditLog } from './audit-log.js';
import { accessQuery, consistencyQuery, inclusionQuery, treeHeadsQuery } from './requests.js';

/** The transparency log's public face (RFC 9162 style) and the access trail for auditors. */
@Controller('api/audit')
export class AuditController {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly audit: AuditLog,
    private readonly trail: AccessTrail,
  ) {}

  /** Public: anyone may fetch the key that signs tree heads, to pin it before receiving a bundle. */
  @Get('public-key')
  async publicKey() {
    return { algorithm: 'Ed25519', keyId: this.audit.signer.keyId, publicKeyPem: this.audit.signer.publicKeyPem, keys: await publicKeys(this.pool) };
  }

  /** Public: signed tree heads in size order (a window of them), and the latest. */
  @Get('tree-heads')
  async treeHeads(@Query() raw: unknown) {
    const q = parseOrProblem(treeHeadsQuery, raw, 'query');
    const items = await listTreeHeads(this.pool, { ...(q.fromSize === undefined ? {} : { fromSize: q.fromSize }), limit: q.limit });
    return { items, latest: await latestTreeHead(this.pool) };
  }

  @Get('proofs/inclusion')
  @UseGuards(AuthGuard)
  async inclusion(@Query() raw: unknown, @CurrentPrincipal() principal: Principal) {
    requireStaff(principal);
    const q = parseOrProblem(inclusionQuery, raw, 'query');
    return this.proof(() => inclusionProofFor(this.pool, q.eventId !== undefined ? { eventId: q.eventId } : { leafIndex: q.leafIndex! }, q.treeSize));
  }

  @Get('proofs/consistency')
  @UseGuards(AuthGuard)
  async consistency(@Query() raw: unknown, @CurrentPrincipal() principal: Principal) {
    requireStaff(principal);
    const q = parseOrProblem(consistencyQuery, raw, 'query');
    return this.proof(() => consistencyProofFor(this.pool, q.from, q.to));
  }

  /** Who looked at confidential data, what and why: auditors and admins, for communes they may see. */
  @Get('access-trail')
  @UseGuards(AuthGuard)
  async accessTrail(@Query() raw: unknown, @CurrentPrincipal() principal: Principal) {
    requireStaff(principal, ['admin', 'auditor']);
    const q = parseOrProblem(accessQuery, raw, 'query');
    const communeId = q.communeId ?? homeCommune(principal);
    if (communeId === null ? principal.communes !== '*' : !canSeeCommune(principal, communeId)) {
      throw new ProblemError(403, 'auth.forbidden', `You may not see the access trail of ${communeId ?? 'national data'}.`);
    }
    const page = await this.trail.list(communeId, { fromRevision: q.fromRevision, limit: q.limit, ...(q.resourceId ? { resourceId: q.resourceId } : {}) });
    return { communeId, ...page };
  }

  private async proof<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (error instanceof ProofError) {
        const status = error.code === 'proof.out_of_range' ? 400 : 404;
        throw new ProblemError(status, error.code, error.message);
      }
      throw error;
    }
  }
}
