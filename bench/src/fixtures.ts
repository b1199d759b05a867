import { randomUUID } from 'node:crypto';
import type pg from 'pg';
import { ticketEventVersions, type TicketEvent } from '@palabre/domain';
import { canonicalJson, eventIdFor, type NewEvent } from '@palabre/event-store';

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
      about: null,
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

export const EVENTS_PER_TICKET = 5;

/**
 * Writes a synthetic log of tickets (5 events each, two communes) straight into the store's tables,
 * 20,000 events per transaction: a million events in about a minute, for benches that need a big log.
 */
export async function seedTicketLog(pool: pg.Pool, count: number): Promise<void> {
  const chunk = 20_000;
  for (let first = 0; first < count; first += chunk) {
    const rows = { stream: [] as string[], revision: [] as number[], id: [] as string[], type: [] as string[], data: [] as string[], metadata: [] as string[] };
    for (let i = first; i < Math.min(first + chunk, count); i++) {
      const ticket = Math.floor(i / EVENTS_PER_TICKET);
      const revision = i % EVENTS_PER_TICKET;
      const ticketId = `B${ticket.toString(36).toUpperCase().padStart(6, '0')}`;
      const communeId = ticket % 2 === 0 ? 'soa' : 'dschang';
      const at = new Date(Date.UTC(2026, 0, 1) + i * 30_000).toISOString();
      const event = ticketEvent(revision, ticketId, communeId, ticket, at);
      const eventId = randomUUID();
      const actor = revision === 0 ? { id: `C${ticket % 5000}`, role: 'citizen' } : revision === 1 ? { id: 'router', role: 'system' } : { id: `U${ticket % 40}`, role: 'dispatcher' };
      rows.stream.push(`ticket-${ticketId}`);
      rows.revision.push(revision);
      rows.id.push(eventId);
      rows.type.push(event.type);
      // As the store's append writes them: canonical text, marked so.
      rows.data.push(canonicalJson(event.data));
      rows.metadata.push(
        canonicalJson({ eventId, commandId: `bench-${i}`, correlationId: `bench-${i}`, causationId: `bench-${i}`, actor, communeId, recordedAt: at, schemaVersion: ticketEventVersions[event.type] }),
      );
    }
    await pool.query(
      `INSERT INTO event_store.events (stream_id, revision, event_id, type, data, metadata, canonical)
       SELECT *, true FROM unnest($1::text[], $2::bigint[], $3::uuid[], $4::text[], $5::json[], $6::json[])`,
      [rows.stream, rows.revision, rows.id, rows.type, rows.data, rows.metadata],
    );
  }
}

function ticketEvent(revision: number, ticketId: string, communeId: string, n: number, at: string): TicketEvent {
  switch (revision) {
    case 0:
      return {
        type: 'TicketReported',
        data: {
          ticketId, category: 'salubrite', subcategory: 'bacs-pleins', description: `Bench report ${n}: le bac déborde près du marché`,
          location: { lat: 3.98 + ((n % 100) - 50) * 0.0002, lon: 11.6 + ((n % 97) - 48) * 0.0002, accuracy: 12 }, landmark: 'près du carrefour',
          mediaIds: [], reporterId: `C${n % 5000}`, contactSubjectId: null, anonymous: false, confidential: n % 10 === 0, channel: 'app', clientTime: null, about: null, reportedAt: at,
        },
      };
    case 1:
      return { type: 'TicketRouted', data: { ticketId, communeId, quartierId: null, teamId: `${communeId}-salubrite`, rule: { boundary: `commune:${communeId}`, team: 'salubrite' }, routedAt: at } };
    case 2:
      return { type: 'TicketTriaged', data: { ticketId, category: 'salubrite', subcategory: 'bacs-pleins', priority: 'high', triagedAt: at } };
    case 3:
      return { type: 'TicketAssigned', data: { ticketId, teamId: `${communeId}-salubrite`, agentId: `U${n % 40}`, assignedAt: at } };
    default:
      return { type: 'TicketResolved', data: { ticketId, note: 'Bac vidé, zone nettoyée', mediaIds: [], resolvedAt: at } };
  }
}
