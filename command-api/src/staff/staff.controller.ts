import { Body, Controller, Get, Headers, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Request } from 'express';
import { idSchema, staffStreamId } from '@palabre/domain';
import type { EventStore } from '@palabre/event-store';
import { AuthGuard, requireStaff } from '../auth/auth.guard.js';
import { Credentials } from '../auth/credentials.js';
import { TokenService } from '../auth/tokens.js';
import { commandIdFor, optionalIdempotencyKey } from '../http/headers.js';
import { correlationIdOf, CurrentPrincipal } from '../http/principal.decorator.js';
import { parseOrProblem, ProblemError } from '../http/problem.js';
import { canSeeCommune, type Principal } from '../platform/principal.js';
import { EVENT_STORE } from '../platform/tokens.js';
import { CreateStaffUserCommand, DisableStaffUserCommand, EnableStaffUserCommand, GrantRoleCommand, RevokeRoleCommand } from './commands/index.js';
import { createSchema, disableSchema, grantSchema, type StaffAccountView } from './requests.js';
import { type StaffAccount, StaffDirectory } from './staff-directory.js';

const view = (a: StaffAccount): StaffAccountView => ({ id: a.userId, username: a.username, communeId: a.communeId, status: a.status, grants: a.grants, revision: a.revision });

/** Staff lifecycle for admins; every change is an event, so who could do what, when, stays auditable. */
@Controller('api/admin/staff')
@UseGuards(AuthGuard)
export class StaffController {
  constructor(
    private readonly commands: CommandBus,
    private readonly staff: StaffDirectory,
    private readonly credentials: Credentials,
    private readonly tokens: TokenService,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get()
  async list(@CurrentPrincipal() principal: Principal) {
    requireStaff(principal, ['admin', 'auditor']);
    const accounts = await this.staff.list();
    return { items: accounts.filter((a) => principal.communes === '*' || (a.communeId !== null && canSeeCommune(principal, a.communeId))).map(view) };
  }

  @Get(':id/history')
  async history(@Param('id') rawId: string, @CurrentPrincipal() principal: Principal) {
    requireStaff(principal, ['admin', 'auditor']);
    const account = await this.visible(rawId, principal);
    const events = await this.store.readStream(staffStreamId(account.userId!));
    return { items: events.map((e) => ({ revision: e.revision, type: e.type, data: e.data, actor: e.metadata.actor, at: e.metadata.recordedAt })) };
  }

  @Post()
  async create(@Body() raw: unknown, @Headers('idempotency-key') key: string | undefined, @CurrentPrincipal() principal: Principal, @Req() request: Request) {
    requireStaff(principal, ['admin']);
    const body = parseOrProblem(createSchema, raw, 'body');
    // Checked before anything is appended: a taken username must not leave an account without credentials.
    if ((await this.credentials.userIdOf(body.username)) !== null) {
      throw new ProblemError(409, 'auth.username_taken', `The username ${body.username} is already taken.`, [{ path: 'body.username', message: 'taken' }]);
    }
    const commandId = commandIdFor(principal.id, optionalIdempotencyKey(key), 'create-staff');
    const userId = `U${commandId.replace(/[^A-Za-z0-9]/g, '').slice(0, 16)}`;
    const correlationId = correlationIdOf(request);
    await this.commands.execute(new CreateStaffUserCommand({ userId, username: body.username, communeId: body.communeId }, principal, commandId, correlationId));
    await this.commands.execute(new GrantRoleCommand({ userId, role: body.role, communeId: body.communeId }, principal, `${commandId}:grant`, correlationId));
    await this.credentials.setPassword(userId, body.username, body.password);
    return view(await this.staff.load(userId));
  }

  @Post(':id/roles')
  @HttpCode(200)
  grant(@Param('id') id: string, @Body() raw: unknown, @CurrentPrincipal() p: Principal, @Req() r: Request) {
    const body = parseOrProblem(grantSchema, raw, 'body');
    return this.run(GrantRoleCommand, { userId: id, ...body }, p, r);
  }

  @Post(':id/roles/revoke')
  @HttpCode(200)
  revoke(@Param('id') id: string, @Body() raw: unknown, @CurrentPrincipal() p: Principal, @Req() r: Request) {
    const body = parseOrProblem(grantSchema, raw, 'body');
    return this.run(RevokeRoleCommand, { userId: id, ...body }, p, r);
  }

  @Post(':id/disable')
  @HttpCode(200)
  disable(@Param('id') id: string, @Body() raw: unknown, @CurrentPrincipal() p: Principal, @Req() r: Request) {
    const body = parseOrProblem(disableSchema, raw, 'body');
    return this.run(DisableStaffUserCommand, { userId: id, ...body }, p, r);
  }

  @Post(':id/enable')
  @HttpCode(200)
  enable(@Param('id') id: string, @CurrentPrincipal() p: Principal, @Req() r: Request) {
    return this.run(EnableStaffUserCommand, { userId: id }, p, r);
  }

  private async run(
    Message: typeof GrantRoleCommand | typeof RevokeRoleCommand | typeof DisableStaffUserCommand | typeof EnableStaffUserCommand,
    data: { userId: string } & Record<string, unknown>,
    principal: Principal,
    request: Request,
  ) {
    requireStaff(principal, ['admin']);
    parseOrProblem(idSchema, data.userId, 'path.id');
    const commandId = commandIdFor(principal.id, optionalIdempotencyKey(request.header('idempotency-key')), `${Message.name}:${data.userId}`);
    const outcome = await this.commands.execute(new Message(data, principal, commandId, correlationIdOf(request)));
    // A disabled account loses its refresh tokens now; its access token dies within minutes.
    if (Message === DisableStaffUserCommand) await this.tokens.revokeAllFor(data.userId);
    return outcome;
  }

  private async visible(rawId: string, principal: Principal): Promise<StaffAccount> {
    const id = parseOrProblem(idSchema, rawId, 'path.id');
    const account = await this.staff.load(id);
    if (account.status === 'none' || (principal.communes !== '*' && !(account.communeId !== null && canSeeCommune(principal, account.communeId)))) {
      throw new ProblemError(404, 'staff.not_found', `No staff account ${id} that you may see.`);
    }
    return account;
  }
}
