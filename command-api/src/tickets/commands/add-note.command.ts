import { CommandHandler } from '@nestjs/cqrs';
import { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';

export class AddNoteCommand extends TicketCommandMessage {
  readonly type = 'AddNote' as const;
}

@CommandHandler(AddNoteCommand)
export class AddNoteHandler extends TicketCommandHandler<AddNoteCommand> {}
