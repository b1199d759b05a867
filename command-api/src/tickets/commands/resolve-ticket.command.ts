import { CommandHandler } from '@nestjs/cqrs';
import { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';

export class ResolveTicketCommand extends TicketCommandMessage {
  readonly type = 'ResolveTicket' as const;
}

@CommandHandler(ResolveTicketCommand)
export class ResolveTicketHandler extends TicketCommandHandler<ResolveTicketCommand> {}
