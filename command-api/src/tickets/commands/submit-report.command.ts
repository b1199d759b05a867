import { CommandHandler } from '@nestjs/cqrs';
import { TicketCommandHandler, TicketCommandMessage } from './ticket-command.js';

export class SubmitReportCommand extends TicketCommandMessage {
  readonly type = 'SubmitReport' as const;
}

@CommandHandler(SubmitReportCommand)
export class SubmitReportHandler extends TicketCommandHandler<SubmitReportCommand> {}
