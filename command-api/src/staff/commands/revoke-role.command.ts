import { CommandHandler } from '@nestjs/cqrs';
import { StaffCommandHandler, StaffCommandMessage } from './staff-command.js';

export class RevokeRoleCommand extends StaffCommandMessage {
  readonly type = 'RevokeRole' as const;
}

@CommandHandler(RevokeRoleCommand)
export class RevokeRoleHandler extends StaffCommandHandler<RevokeRoleCommand> {}
