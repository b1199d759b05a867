import { Injectable } from '@nestjs/common';
import { Command, type ICommandHandler } from '@nestjs/cqrs';
import type { StaffCommandType } from '@palabre/domain';
import type { Principal } from '../../platform/principal.js';
import { StaffDirectory } from '../staff-directory.js';

export interface StaffOutcome {
  readonly userId: string;
  readonly revision: number;
  readonly events: readonly string[];
}

/** A staff-lifecycle command from the admin endpoints: body, acting admin, command id. */
export abstract class StaffCommandMessage extends Command<StaffOutcome> {
  abstract readonly type: StaffCommandType;
  constructor(
    readonly data: Record<string, unknown>,
    readonly principal: Principal,
    readonly commandId: string,
    readonly correlationId: string,
    readonly expectedRevision?: number,
  ) {
    super();
  }
}

// Decorated so its constructor's parameter types are recorded; handlers inherit them.
@Injectable()
export abstract class StaffCommandHandler<C extends StaffCommandMessage> implements ICommandHandler<StaffCommandMessage> {
  constructor(protected readonly staff: StaffDirectory) {}

  execute(c: C): Promise<StaffOutcome> {
    return this.staff.execute({ type: c.type, data: c.data } as never, c.principal, c.commandId, c.correlationId, c.expectedRevision);
  }
}
