import { CommandHandler } from '@nestjs/cqrs';
import { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';

export class DisputeResolutionCommand extends TicketCommandMessage {
  readonly type = 'DisputeResolution' as const;
}

@CommandHandler(DisputeResolutionCommand)
export class DisputeResolutionHandler extends TicketCommandHandler<DisputeResolutionCommand> {}
