import { type DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { CqrsModule } from '@nestjs/cqrs';
import { AuditModule } from './audit/index.js';
import { AuthController } from './auth/auth.controller.js';
import { Ballots } from './consultations/ballots.js';
import { PublishedResults } from './consultations/published-results.js';
import { ConsultationDeadlines } from './consultations/deadlines.js';
import { ConsultationsController } from './consultations/consultations.controller.js';
import { ProposalsController } from './proposals/proposals.controller.js';
import { ProjectsController } from './projects/projects.controller.js';
import { OpenDataController } from './participation/open-data.controller.js';
import { ConsultationSharePageController } from './consultations/share-page.controller.js';
import { BallotPseudonyms } from './consultations/pseudonyms.js';
import { ReceiptsController } from './consultations/receipts.controller.js';
import { Census, CensusController, CitizensController, DevelopmentSmsController, DocumentDigests, InPersonVerification, PhoneVerification } from './citizens/index.js';
import { DevelopmentSmsGateway, HttpSmsGateway, SMS_GATEWAY } from './citizens/sms/index.js';
import { AuthGuard } from './auth/auth.guard.js';
import { Credentials } from './auth/credentials.js';
import { TokenService } from './auth/tokens.js';
import { HealthController } from './health/health.controller.js';
import { ProblemFilter } from './http/problem.filter.js';
import { RateLimitGuard } from './http/rate-limit.js';
import { LiveUpdates } from './live/live-updates.js';
import { MediaLibrary } from './media/media-library.js';
import { MediaController } from './media/media.controller.js';
import { DocsController } from './openapi/docs.controller.js';
import type { Infrastructure } from './platform/infrastructure.js';
import { CITIZEN_SECRET, CLOCK, CONFIG, EVENT_STORE, PG_POOL } from './platform/tokens.js';
import { ReferenceCatalog } from './reference/reference-catalog.js';
import { ReferenceController } from './reference/reference.controller.js';
import { staffCommandHandlers } from './staff/commands/index.js';
import { StaffDirectory } from './staff/staff-directory.js';
import { StaffController } from './staff/staff.controller.js';
import { ticketCommandHandlers } from './tickets/commands/index.js';
import { ReportIntake } from './tickets/report-intake.js';
import { Streams } from './platform/streams.js';
import { TicketStreams } from './tickets/ticket-streams.js';
import { TicketsQueryController } from './tickets/tickets-query.controller.js';
import { TicketsController } from './tickets/tickets.controller.js';
import { ErasureController } from './vault/erasure.controller.js';
import { Vault } from './vault/vault.js';

/** The edge, assembled over infrastructure opened outside Nest (so tests and `npm start` share it). */
@Module({})
export class AppModule {
  static forRoot(infra: Infrastructure): DynamicModule {
    // One token service for every module: it remembers the tokens it has verified.
    const tokens = new TokenService({ secret: infra.jwtSecret, pool: infra.pool });
    return {
      module: AppModule,
      imports: [CqrsModule.forRoot(), AuditModule.forRoot(infra, tokens)],
      controllers: [AuthController, CitizensController, CensusController, ConsultationsController, ProposalsController, ProjectsController, OpenDataController, ConsultationSharePageController, ReceiptsController, DevelopmentSmsController, TicketsController, TicketsQueryController, MediaController, ReferenceController, StaffController, ErasureController, HealthController, DocsController],
      providers: [
        { provide: CONFIG, useValue: infra.config },
        { provide: PG_POOL, useValue: infra.pool },
        { provide: EVENT_STORE, useValue: infra.store },
        { provide: CLOCK, useValue: () => new Date() },
        { provide: CITIZEN_SECRET, useValue: infra.citizenSecret },
        { provide: TokenService, useValue: tokens },
        { provide: Credentials, useFactory: () => new Credentials(infra.pool) },
        { provide: Vault, useFactory: () => new Vault(infra.pool, infra.masterKey) },
        { provide: APP_FILTER, useClass: ProblemFilter },
        AuthGuard,
        RateLimitGuard,
        Streams,
        { provide: SMS_GATEWAY, useValue: infra.config.sms ? new HttpSmsGateway(infra.config.sms) : new DevelopmentSmsGateway() },
        PhoneVerification,
        BallotPseudonyms,
        Ballots,
        PublishedResults,
        ConsultationDeadlines,
        InPersonVerification,
        DocumentDigests,
        Census,
        TicketStreams,
        ReportIntake,
        MediaLibrary,
        ReferenceCatalog,
        StaffDirectory,
        LiveUpdates,
        ...ticketCommandHandlers,
        ...staffCommandHandlers,
      ],
      exports: [CONFIG, PG_POOL, EVENT_STORE, CLOCK, TokenService, Credentials, Vault, StaffDirectory, Streams, TicketStreams],
    };
  }
}
