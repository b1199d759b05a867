import { CommandHandler } from '@nestjs/cqrs';
import { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';

export class RejectTicketCommand extends TicketCommandMessage {
  readonly type = 'RejectTicket' as const;
}

@CommandHandler(RejectTicketCommand)
export class RejectTicketHandler extends TicketCommandHandler<RejectTicketCommand> {}
