import { CommandHandler } from '@nestjs/cqrs';
import { StaffCommandHandler, StaffCommandMessage } from './staff-command.js';

export class DisableStaffUserCommand extends StaffCommandMessage {
  readonly type = 'DisableStaffUser' as const;
}

@CommandHandler(DisableStaffUserCommand)
export class DisableStaffUserHandler extends StaffCommandHandler<DisableStaffUserCommand> {}
