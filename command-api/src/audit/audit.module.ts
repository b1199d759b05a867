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
 * Imported by AppModule.forRoot(infra) as `AuditModule.forRoot(infra)`; it brings its own view of
 * the infrastructure so it needs nothing from its importer.
 */
@Module({})
export class AuditModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    return {
      module: AuditModule,
      controllers: [AuditController, ExportsController],
      providers: [
        { provide: CONFIG, useValue: infra.config },
        { provide: PG_POOL, useValue: infra.pool },
        { provide: EVENT_STORE, useValue: infra.store },
        { provide: TokenService, useFactory: () => new TokenService({ secret: infra.jwtSecret, pool: infra.pool }) },
        { provide: AccessTrail, useFactory: () => new AccessTrail(infra.store) },
        AuthGuard,
        AuditLog,
        ExportJobs,
      ],
      exports: [AuditLog, AccessTrail, ExportJobs],
    };
  }
}
