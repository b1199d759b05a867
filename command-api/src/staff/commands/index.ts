import { CreateStaffUserCommand, CreateStaffUserHandler } from './create-staff-user.command.js';
import { DisableStaffUserCommand, DisableStaffUserHandler } from './disable-staff-user.command.js';
import { EnableStaffUserCommand, EnableStaffUserHandler } from './enable-staff-user.command.js';
import { GrantRoleCommand, GrantRoleHandler } from './grant-role.command.js';
import { RevokeRoleCommand, RevokeRoleHandler } from './revoke-role.command.js';

export { StaffCommandMessage, type StaffOutcome } from './staff-command.js';
export { CreateStaffUserCommand, DisableStaffUserCommand, EnableStaffUserCommand, GrantRoleCommand, RevokeRoleCommand };
export const staffCommandHandlers = [CreateStaffUserHandler, GrantRoleHandler, RevokeRoleHandler, DisableStaffUserHandler, EnableStaffUserHandler];
