import { Inject, Injectable } from '@nestjs/common';
import type pg from 'pg';
import { signLatestTreeHead, signResult } from '@palabre/audit';
import type { Consultation, SignedResult } from '@palabre/domain';
import { AuditLog } from '../audit/audit-log.js';
import { ProblemError } from '../http/problem.js';
import type { Loaded } from '../platform/streams.js';
import { PG_POOL } from '../platform/tokens.js';

const WAIT_MS = 15_000;

/**
 * The result a commune publishes: the tally of the ballots before the close, signed with the audit
 * key over the signed tree head that includes the close. Anyone holds the commune to it with an
 * export: `palabre-audit tally` recounts the same ballots and compares.
 */
@Injectable()
export class PublishedResults {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly audit: AuditLog,
  ) {}

  async sign(consultationId: string, loaded: Loaded<Consultation>): Promise<SignedResult> {
    const close = loaded.events.findLast((e) => e.type === 'ConsultationClosed');
    if (!close) throw new ProblemError(409, 'consultation.not_closed', 'Results are published once the consultation has closed.');
    // The tally is final once the read side has passed the close, and provable once the transparency log holds it.
    await this.until(async () => {
      const { rows } = await this.pool.query<{ revision: number }>('SELECT revision FROM read.consultations WHERE id = $1', [consultationId]);
      return (rows[0]?.revision ?? -1) >= close.revision;
    });
    await this.until(async () => ((await this.pool.query('SELECT 1 FROM audit.leaves WHERE event_id = $1', [close.metadata.eventId])).rowCount ?? 0) > 0);
    const head = await signLatestTreeHead(this.pool, this.audit.signer);
    const { rows } = await this.pool.query<{ results: Record<string, unknown> }>('SELECT results FROM read.consultation_results WHERE consultation_id = $1', [consultationId]);
    if (!head || !rows[0]) throw this.catchingUp();
    return signResult(this.audit.signer, { consultationId, treeSize: head.treeSize, rootHash: head.rootHash, results: rows[0].results });
  }

  private async until(ready: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + WAIT_MS;
    while (!(await ready())) {
      if (Date.now() > deadline) throw this.catchingUp();
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  private catchingUp(): ProblemError {
    return new ProblemError(503, 'results.catching_up', 'The log is still catching up with the close; publish again in a few seconds.', [], {}, { 'Retry-After': '5' });
  }
}
