import { type Upcaster, UpcasterRegistry, createEventParser } from '../shared/upcasting.js';
import { type TicketEvent, type TicketEventType, ticketEventDataSchemas, ticketEventVersions } from './events.js';

/** Upcasters of ticket events, registered once at module load beside the schema change they follow. */
const ticketUpcasters = new UpcasterRegistry();

/**
 * Declares how `type` data written at `fromVersion` becomes `fromVersion + 1`. Bump
 * `ticketEventVersions[type]` in the same change; every step up to the current version must exist.
 */
export function registerUpcaster(type: TicketEventType, fromVersion: number, upcast: Upcaster): void {
  const current = ticketEventVersions[type];
  if (fromVersion >= current) {
    throw new Error(`${type} is at v${current}; an upcaster from v${fromVersion} would lead past it`);
  }
  ticketUpcasters.register(type, fromVersion, upcast);
}

const parse = createEventParser({ schemas: ticketEventDataSchemas, versions: ticketEventVersions, upcasters: ticketUpcasters });

/**
 * Reads a ticket event back from the log: upcasts it to the current version, then validates it.
 * Throws UnknownEventTypeError (unknown type or a version this code cannot read) or InvalidEventDataError.
 */
export function parseTicketEvent(raw: { type: string; data: unknown; schemaVersion: number }): TicketEvent {
  return parse(raw) as TicketEvent;
}
