import { type DynamicModule, Module } from '@nestjs/common';
import { AccessTrail } from '@palabre/audit';
import { AuthGuard } from '../auth/auth.guard.js';
import { TokenService } from '../auth/tokens.js';
import type { Infrastructure } from '../platform/infrastructure.js';
import { CONFIG, EVENT_STORE, PG_POOL } from '../platform/tokens.js';
import { AuditController } from './audit.controller.js';
import { AuditLog } from './audit-log.js';
import { ExportJobs } from './export-jobs.js';
import { ExportsController } from './exports.controller.js';

/**
 * Accountability at the edge: public key and tree heads, proofs, export jobs, the access trail.
 * Imported by AppModule.forRoot(infra) as `AuditModule.forRoot(infra, tokens)`: the same
 * infrastructure and the importer's token service, so both verify (and remember) tokens alike.
 */
@Module({})
export class AuditModule {
  static forRoot(infra: Infrastructure, tokens: TokenService): DynamicModule {
    return {
      module: AuditModule,
      controllers: [AuditController, ExportsController],
      providers: [
        { provide: CONFIG, useValue: infra.config },
        { provide: PG_POOL, useValue: infra.pool },
        { provide: EVENT_STORE, useValue: infra.store },
        { provide: TokenService, useValue: tokens },
        { provide: AccessTrail, useFactory: () => new AccessTrail(infra.store) },
        AuthGuard,
        AuditLog,
        ExportJobs,
      ],
      exports: [AuditLog, AccessTrail, ExportJobs],
    };
  }
}
