import { CommandHandler } from '@nestjs/cqrs';
import { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';

export class TriageTicketCommand extends TicketCommandMessage {
  readonly type = 'TriageTicket' as const;
}

@CommandHandler(TriageTicketCommand)
export class TriageTicketHandler extends TicketCommandHandler<TriageTicketCommand> {}
