import { Body, Controller, Get, HttpCode, Inject, Param, Post, Put, Req, UseGuards } from '@nestjs/common';
import { agentRoles, citizenDecider, residenceOf } from '@palabre/domain';
import type pg from 'pg';
import type { Request } from 'express';
import { AuthGuard, requireStaff } from '../auth/auth.guard.js';
import { sessionBody, TokenService } from '../auth/tokens.js';
import { commandIdFor } from '../http/headers.js';
import { correlationIdOf, CurrentPrincipal } from '../http/principal.decorator.js';
import { parseOrProblem, ProblemError } from '../http/problem.js';
import type { Principal } from '../platform/principal.js';
import { Streams } from '../platform/streams.js';
import { PG_POOL } from '../platform/tokens.js';
import { PhoneVerification } from './phone-verification.js';
import { InPersonVerification } from './in-person-verification.js';
import { citizenIdSchema, codeRequestSchema, phoneRequestSchema, residenceRequestSchema, revokeRequestSchema, verificationRequestSchema } from './requests.js';
import { DevelopmentSmsGateway, SMS_GATEWAY, type SmsGateway } from './sms/index.js';

function requireCitizen(principal: Principal): void {
  if (principal.kind !== 'citizen') throw new ProblemError(403, 'auth.forbidden', 'This is for citizens, with the session of their app.');
}

/** A citizen's identity: the level the commune can trust, raised by a phone code (and, next, an agent's document check). */
@Controller('api/citizens')
@UseGuards(AuthGuard)
export class CitizensController {
  constructor(
    private readonly phones: PhoneVerification,
    private readonly inPerson: InPersonVerification,
    @Inject(TokenService) private readonly tokens: TokenService,
    private readonly streams: Streams,
    @Inject(PG_POOL) private readonly pool: pg.Pool,
  ) {}

  /** An agent checked the resident's identity document (the resident shows the QR code of their id). */
  @Post(':citizenId/verifications')
  @HttpCode(201)
  async verifyInPerson(@Param('citizenId') rawId: string, @Body() raw: unknown, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    requireStaff(principal, [...agentRoles]);
    const citizenId = parseOrProblem(citizenIdSchema, rawId, 'path.citizenId');
    const body = parseOrProblem(verificationRequestSchema, raw, 'body');
    return this.inPerson.verify(principal, citizenId, { documentNumber: body.documentNumber, quartierId: body.quartierId ?? null, birthDate: body.birthDate ?? null }, {
      commandId: commandIdFor(principal.id, null, 'verify-in-person'),
      correlationId: correlationIdOf(request),
    });
  }

  /** An admin withdraws a resident's in-person check, saying why. */
  @Post(':citizenId/verifications/revoke')
  @HttpCode(200)
  async revokeInPerson(@Param('citizenId') rawId: string, @Body() raw: unknown, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    requireStaff(principal, ['admin']);
    const citizenId = parseOrProblem(citizenIdSchema, rawId, 'path.citizenId');
    const body = parseOrProblem(revokeRequestSchema, raw, 'body');
    return this.inPerson.revoke(principal, citizenId, body.reason, { commandId: commandIdFor(principal.id, null, 'revoke-in-person'), correlationId: correlationIdOf(request) });
  }

  /** Documents shown for a second resident: for an admin to look into. */
  @Get('identity-conflicts')
  async conflicts(@CurrentPrincipal() principal: Principal) {
    requireStaff(principal, ['admin']);
    return { conflicts: await this.inPerson.conflicts(principal) };
  }

  @Get('me')
  async me(@CurrentPrincipal() principal: Principal) {
    requireCitizen(principal);
    const citizen = (await this.streams.load(citizenDecider, principal.id)).state;
    const residence = residenceOf(citizen);
    return { id: principal.id, level: await this.phones.level(principal.id), residence: residence && { ...residence, checked: citizen.inPerson !== null } };
  }

  /** The citizen says where they live: believed for consultations that ask for a phone-verified identity, checked in person for the others. */
  @Put('me/residence')
  async declareResidence(@Body() raw: unknown, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    requireCitizen(principal);
    const body = parseOrProblem(residenceRequestSchema, raw, 'body');
    const quartierId = body.quartierId ?? null;
    const { rows } = await this.pool.query<{ quartier: boolean }>(
      'SELECT $2::text IS NULL OR EXISTS (SELECT 1 FROM reference.quartiers q WHERE q.id = $2 AND q.commune_id = c.id) AS quartier FROM reference.communes c WHERE c.id = $1',
      [body.communeId, quartierId],
    );
    if (!rows[0]) throw new ProblemError(400, 'citizen.unknown_commune', `There is no commune ${body.communeId}.`, [{ path: 'body.communeId', message: 'not a commune of Palabre' }]);
    if (!rows[0].quartier) throw new ProblemError(400, 'citizen.unknown_quartier', `There is no quartier ${quartierId} in ${body.communeId}.`, [{ path: 'body.quartierId', message: 'not a quartier of that commune' }]);
    await this.streams.execute(citizenDecider, principal, {
      name: 'DeclareResidence',
      id: principal.id,
      commandId: commandIdFor(principal.id, null, 'declare-residence'),
      correlationId: correlationIdOf(request),
      build: (meta) => ({ type: 'DeclareResidence' as const, data: { citizenId: principal.id, communeId: body.communeId, quartierId }, meta }),
      communeOf: () => body.communeId,
    });
    return this.me(principal);
  }

  @Post('me/phone')
  @HttpCode(202)
  async sendCode(@Body() raw: unknown, @CurrentPrincipal() principal: Principal) {
    requireCitizen(principal);
    const body = parseOrProblem(phoneRequestSchema, raw, 'body');
    return this.phones.sendCode(principal, body.phone);
  }

  @Post('me/phone/verify')
  @HttpCode(200)
  async verify(@Body() raw: unknown, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    requireCitizen(principal);
    const body = parseOrProblem(codeRequestSchema, raw, 'body');
    const verified = await this.phones.verifyCode(principal, body.code, { commandId: commandIdFor(principal.id, null, 'verify-phone'), correlationId: correlationIdOf(request) });
    if (verified.recoveredAs === null) return { id: verified.id, level: verified.level, recovered: false };
    // This device proved the number of an earlier citizen: from now on it is that citizen, with their reports.
    const session = await this.tokens.startSession({ sub: verified.recoveredAs, kind: 'citizen', role: 'citizen', communes: '*' });
    return { id: verified.id, level: verified.level, recovered: true, ...sessionBody(session) };
  }
}

/** Development only: the messages the development gateway kept, for staff to read codes off the console. */
@Controller('api/sms')
@UseGuards(AuthGuard)
export class DevelopmentSmsController {
  constructor(@Inject(SMS_GATEWAY) private readonly sms: SmsGateway) {}

  @Get('development')
  messages(@CurrentPrincipal() principal: Principal) {
    requireStaff(principal, ['admin', 'dispatcher']);
    if (!(this.sms instanceof DevelopmentSmsGateway)) {
      throw new ProblemError(404, 'sms.not_development', 'Messages go through the SMS gateway (SMS_GATEWAY_URL); none are kept here.');
    }
    return { messages: this.sms.messages() };
  }
}
