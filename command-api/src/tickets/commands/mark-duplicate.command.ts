import { CommandHandler } from '@nestjs/cqrs';
import { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';

export class MarkDuplicateCommand extends TicketCommandMessage {
  readonly type = 'MarkDuplicate' as const;
}

@CommandHandler(MarkDuplicateCommand)
export class MarkDuplicateHandler extends TicketCommandHandler<MarkDuplicateCommand> {}
