import { CommandHandler } from '@nestjs/cqrs';
import { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';

export class AssignTicketCommand extends TicketCommandMessage {
  readonly type = 'AssignTicket' as const;
}

@CommandHandler(AssignTicketCommand)
export class AssignTicketHandler extends TicketCommandHandler<AssignTicketCommand> {}
