import { randomUUID } from 'node:crypto';
import { ticketEventVersions, type TicketEvent } from '@palabre/domain';
import { eventIdFor, type NewEvent } from '@palabre/event-store';

const categories = ['salubrite', 'eclairage', 'voirie', 'reseaux', 'foncier'] as const;

/** A realistic envelope around a ticket event, as the API would append it. */
export function envelope(event: TicketEvent, commandId: string, index: number, communeId: string, at: string): NewEvent {
  return {
    type: event.type,
    data: event.data,
    metadata: {
      eventId: eventIdFor(commandId, index),
      commandId,
      correlationId: commandId,
      causationId: commandId,
      actor: { id: 'bench', role: 'dispatcher' },
      communeId,
      recordedAt: at,
      schemaVersion: ticketEventVersions[event.type],
    },
  };
}

/** The two events of a new report in Soa or Dschang (reported + routed). */
export function reportEvents(ticketId: string, n: number, at = new Date().toISOString()): NewEvent[] {
  const soa = n % 2 === 0;
  const communeId = soa ? 'soa' : 'dschang';
  const category = categories[n % categories.length]!;
  const commandId = `bench-report-${ticketId}`;
  const lat = (soa ? 3.98 : 5.45) + ((n % 100) - 50) * 0.0002;
  const lon = (soa ? 11.6 : 10.05) + ((n % 97) - 48) * 0.0002;
  const reported: TicketEvent = {
    type: 'TicketReported',
    data: {
      ticketId,
      category,
      subcategory: null,
      description: `Bench report ${n}: bac plein près du marché`,
      location: { lat, lon, accuracy: 12 },
      landmark: 'près du carrefour',
      mediaIds: [],
      reporterId: `citizen-${n % 5000}`,
      contactSubjectId: null,
      anonymous: false,
      confidential: false,
      channel: 'app',
      clientTime: null,
      reportedAt: at,
    },
  };
  const routed: TicketEvent = {
    type: 'TicketRouted',
    data: {
      ticketId,
      communeId,
      quartierId: null,
      teamId: `${communeId}-${category}`,
      rule: { boundary: `commune:${communeId}`, team: `${communeId}/${category}` },
      routedAt: at,
    },
  };
  return [envelope(reported, commandId, 0, communeId, at), envelope(routed, commandId, 1, communeId, at)];
}

/** One public staff note: a single-event command on an existing ticket. */
export function noteEvent(ticketId: string, communeId: string, at = new Date().toISOString()): NewEvent {
  const commandId = randomUUID();
  return envelope(
    {
      type: 'TicketNoteAdded',
      data: { ticketId, noteId: `N${commandId.slice(0, 8)}`, text: 'Équipe en route / team on the way', visibility: 'public', author: 'staff', addedAt: at },
    },
    commandId,
    0,
    communeId,
    at,
  );
}
