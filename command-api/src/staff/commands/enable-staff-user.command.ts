import { CommandHandler } from '@nestjs/cqrs';
import { StaffCommandHandler, StaffCommandMessage } from './staff-command.js';

export class EnableStaffUserCommand extends StaffCommandMessage {
  readonly type = 'EnableStaffUser' as const;
}

@CommandHandler(EnableStaffUserCommand)
export class EnableStaffUserHandler extends StaffCommandHandler<EnableStaffUserCommand> {}
