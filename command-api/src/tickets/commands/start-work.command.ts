import { CommandHandler } from '@nestjs/cqrs';
import { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';

export class StartWorkCommand extends TicketCommandMessage {
  readonly type = 'StartWork' as const;
}

@CommandHandler(StartWorkCommand)
export class StartWorkHandler extends TicketCommandHandler<StartWorkCommand> {}
