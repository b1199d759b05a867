import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type pg from 'pg';
import { type ConsultationCommand, consultationDecider, DomainRuleError, parseConsultationCommand } from '@palabre/domain';
import { logger } from '@palabre/observability';
import type { Principal } from '../platform/principal.js';
import { Streams } from '../platform/streams.js';
import { PG_POOL } from '../platform/tokens.js';

const SCHEDULE: Principal = { kind: 'staff', id: 'system', role: 'system', communes: '*' };
const CHECK_EVERY_MS = 30_000;

/**
 * Closes consultations at their closing time (`how: "schedule"`): results shown at the close then
 * appear, and publishing can follow. Ballots after the closing time were refused already; this
 * makes the close a fact of the log. Run by every API process; the second close changes nothing.
 */
@Injectable()
export class ConsultationDeadlines implements OnModuleInit, OnModuleDestroy {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    private readonly streams: Streams,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.closeDue().catch((error: unknown) => logger.error('consultation deadlines', { error: String(error) })), CHECK_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Closes every open consultation whose closing time has passed; returns their ids. */
  async closeDue(): Promise<string[]> {
    const { rows } = await this.pool.query<{ id: string }>(`SELECT id FROM read.consultations WHERE status = 'open' AND closes_at <= now() ORDER BY closes_at LIMIT 100`);
    const closed: string[] = [];
    for (const { id } of rows) {
      try {
        const outcome = await this.streams.execute(consultationDecider, SCHEDULE, {
          name: 'CloseConsultation',
          id,
          // One command id per consultation: two processes closing it at once record one close.
          commandId: `close-on-schedule-${id}`,
          correlationId: randomUUID(),
          build: (meta) => parseConsultationCommand('CloseConsultation', { consultationId: id, how: 'schedule' }, meta) as ConsultationCommand,
          communeOf: (state) => state.communeId,
        });
        if (outcome.state.status === 'closed') closed.push(id);
      } catch (error) {
        // Cancelled or closed by hand meanwhile: nothing to do.
        if (!(error instanceof DomainRuleError)) throw error;
      }
    }
    return closed;
  }
}
