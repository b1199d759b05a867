import { CommandHandler } from '@nestjs/cqrs';
import { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';

export class CloseTicketCommand extends TicketCommandMessage {
  readonly type = 'CloseTicket' as const;
}

@CommandHandler(CloseTicketCommand)
export class CloseTicketHandler extends TicketCommandHandler<CloseTicketCommand> {}
