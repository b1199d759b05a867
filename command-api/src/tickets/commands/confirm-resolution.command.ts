import { CommandHandler } from '@nestjs/cqrs';
import { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';

export class ConfirmResolutionCommand extends TicketCommandMessage {
  readonly type = 'ConfirmResolution' as const;
}

@CommandHandler(ConfirmResolutionCommand)
export class ConfirmResolutionHandler extends TicketCommandHandler<ConfirmResolutionCommand> {}
