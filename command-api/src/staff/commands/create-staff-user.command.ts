import { CommandHandler } from '@nestjs/cqrs';
import { StaffCommandHandler, StaffCommandMessage } from './staff-command.js';

export class CreateStaffUserCommand extends StaffCommandMessage {
  readonly type = 'CreateStaffUser' as const;
}

@CommandHandler(CreateStaffUserCommand)
export class CreateStaffUserHandler extends StaffCommandHandler<CreateStaffUserCommand> {}
