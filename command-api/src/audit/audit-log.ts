import { Inject, Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import type pg from 'pg';
import { openTransparencyLog, rememberPublicKey, signLatestTreeHead, type TransparencyLog } from '@palabre/audit';
import type { Config } from '../config.js';
import { CONFIG, PG_POOL } from '../platform/tokens.js';

/**
 * The transparency log as the API holds it: the signing key (generated on first start under the
 * data dir), its projector for the runner, and a timer that signs the last events of a quiet log.
 */
@Injectable()
export class AuditLog implements OnModuleInit, OnModuleDestroy {
  readonly log: TransparencyLog;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    @Inject(CONFIG) config: Config,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {
    this.log = openTransparencyLog({ dataDir: config.dataDir });
  }

  get signer() {
    return this.log.signer;
  }

  /** Add to the projectors the process runs: `[...defaultProjectors, auditLog.projector]`. */
  get projector() {
    return this.log.projector;
  }

  async onModuleInit(): Promise<void> {
    // The schema was made when the infrastructure opened; the key is listed before any head it signs.
    await rememberPublicKey(this.pool, this.signer.keyId, this.signer.publicKeyPem);
    this.timer = setInterval(() => void signLatestTreeHead(this.pool, this.signer).catch(() => {}), this.log.policy.everyMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
