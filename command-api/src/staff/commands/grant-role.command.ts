import { CommandHandler } from '@nestjs/cqrs';
import { StaffCommandHandler, StaffCommandMessage } from './staff-command.js';

export class GrantRoleCommand extends StaffCommandMessage {
  readonly type = 'GrantRole' as const;
}

@CommandHandler(GrantRoleCommand)
export class GrantRoleHandler extends StaffCommandHandler<GrantRoleCommand> {}
