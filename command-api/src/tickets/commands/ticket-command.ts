import { Injectable } from '@nestjs/common';
import { Command, type ICommandHandler } from '@nestjs/cqrs';
import type { TicketCommandType } from '@palabre/domain';
import type { Principal } from '../../platform/principal.js';
import { type CommandOutcome, type ExecuteOptions, TicketStreams } from '../ticket-streams.js';

/** What every ticket command carries from HTTP to its handler: the body, who asks, and the revision decided on. */
export abstract class TicketCommandMessage extends Command<CommandOutcome> {
  abstract readonly type: TicketCommandType;
  constructor(
    readonly data: Record<string, unknown>,
    readonly principal: Principal,
    readonly options: ExecuteOptions,
  ) {
    super();
  }
}

/** Handlers stay thin: load stream, decide, append — all in TicketStreams. */
// Decorated so its constructor's parameter types are recorded; handlers inherit them.
@Injectable()
export abstract class TicketCommandHandler<C extends TicketCommandMessage> implements ICommandHandler<TicketCommandMessage> {
  constructor(protected readonly tickets: TicketStreams) {}

  execute(command: C): Promise<CommandOutcome> {
    return this.tickets.execute(command.type, command.data, command.principal, command.options);
  }
}
