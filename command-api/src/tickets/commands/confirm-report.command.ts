import { CommandHandler } from '@nestjs/cqrs';
import { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';

export class ConfirmReportCommand extends TicketCommandMessage {
  readonly type = 'ConfirmReport' as const;
}

@CommandHandler(ConfirmReportCommand)
export class ConfirmReportHandler extends TicketCommandHandler<ConfirmReportCommand> {}
