import type pg from 'pg';
import { type SlaDeadlines, type Ticket, defaultSlaPolicy, evolve, initialState, slaDeadlines } from '@palabre/domain';
import { formatPosition } from '@palabre/event-store';
import type { ProjectedBatch, Projector, ProjectedChange } from '../projector.js';
import { ProjectionError } from '../projector.js';
import { isTicketStream, ticketEventsByTicket, ticketsSeenBefore } from './ticket-events.js';
import { copyColumns, insertRows } from '../copy.js';
import { LocalDays } from './local-day.js';

/** Days are counted in this zone for communes missing from `communes` (every pilot commune is in Cameroon). */
export const DEFAULT_TIME_ZONE = 'Africa/Douala';

interface StoredTicket {
  id: string;
  state: Ticket;
  revision: number;
  created_at: string;
}

/**
 * `tickets` (current state, folded with the domain's own `evolve`), `ticket_confirmations` and
 * `ticket_durations` (the facts behind `commune_daily_stats`).
 */
export const ticketsProjector: Projector = {
  name: 'tickets',
  tables: ['tickets', 'ticket_confirmations', 'ticket_durations'],
  reads: isTicketStream,
  async handle(client: pg.ClientBase, events): Promise<ProjectedBatch> {
    const byTicket = ticketEventsByTicket(events);
    if (byTicket.size === 0) return { changes: [] };

    const seenBefore = ticketsSeenBefore(byTicket);
    const { rows } =
      seenBefore.length === 0
        ? { rows: [] }
        : await client.query<StoredTicket>(`SELECT id, state, revision, created_at::text FROM tickets WHERE id = ANY($1::text[])`, [seenBefore]);
    const stored = new Map(rows.map((r) => [r.id, r]));

    const ticketRows: Record<string, unknown>[] = [];
    const confirmations: Record<string, unknown>[] = [];
    const changes: ProjectedChange[] = [];
    for (const [ticketId, group] of byTicket) {
      const before = stored.get(ticketId);
      // Fields added to the domain's Ticket since this row was written start from their initial value.
      let state: Ticket = before ? { ...initialState(), ...before.state } : initialState();
      let revision = before?.revision ?? -1;
      const createdAt = before?.created_at ?? group[0]!.recorded.metadata.recordedAt;
      const newConfirmations: { citizenId: string; confirmedAt: string }[] = [];
      for (const { event, recorded } of group) {
        // Exactly-once is the runner's job; a gap or a repeat here means a bug, never something to paper over.
        if (recorded.revision !== revision + 1) {
          throw new ProjectionError(`Ticket ${ticketId}: expected revision ${revision + 1}, got ${recorded.revision}`);
        }
        const next = evolve(state, event);
        if (event.type === 'TicketConfirmed' && next.confirmations.length > state.confirmations.length) {
          newConfirmations.push({ citizenId: event.data.citizenId, confirmedAt: event.data.confirmedAt });
        }
        state = next;
        revision = recorded.revision;
      }
      const last = group[group.length - 1]!.recorded;
      ticketRows.push(ticketRow(ticketId, state, revision, formatPosition(last.position), createdAt, last.metadata.recordedAt));
      for (const c of newConfirmations) confirmations.push({ ticket_id: ticketId, citizen_id: c.citizenId, commune_id: state.communeId, confirmed_at: c.confirmedAt });
      changes.push({ kind: 'ticket', id: ticketId, communeId: state.communeId, revision });
    }

    // Tickets this batch creates are inserted; only those that already had a row are upserted.
    await insertRows(client, 'tickets', TICKET_FIELDS, ticketRows.filter((row) => !stored.has(row.id as string)));
    const updated = ticketRows.filter((row) => stored.has(row.id as string));
    if (updated.length > 0) await client.query(UPSERT_TICKETS, [JSON.stringify(updated)]);
    if (confirmations.length > 0) await client.query(INSERT_CONFIRMATIONS, [JSON.stringify(confirmations)]);
    await writeDurations(client, ticketRows);
    return { changes, tickets: ticketRows };
  },
};

/** The `tickets` row of a folded ticket (also how time travel shows a past state as the read model would have). */
export function ticketRow(id: string, t: Ticket, revision: number, position: string, createdAt: string, recordedAt: string): Record<string, unknown> {
  const due = deadlines(t);
  return {
    id,
    commune_id: t.communeId,
    quartier_id: t.quartierId,
    category: t.category,
    subcategory: t.subcategory,
    status: t.status,
    priority: t.priority,
    team_id: t.teamId,
    agent_id: t.agentId,
    lat: t.location?.lat ?? null,
    lon: t.location?.lon ?? null,
    accuracy: t.location?.accuracy ?? null,
    landmark: t.landmark,
    description: t.description,
    media_ids: t.mediaIds,
    reporter_id: t.reporterId,
    contact_subject_id: t.contactSubjectId,
    anonymous: t.anonymous,
    confidential: t.confidential,
    channel: t.channel,
    confirmations: t.confirmations.length,
    dispute_count: t.disputeCount,
    reported_at: t.reportedAt,
    acknowledged_at: t.acknowledgedAt,
    assigned_at: t.assignedAt,
    resolved_at: t.resolvedAt,
    closed_at: t.closedAt,
    rejected_at: t.rejection?.rejectedAt ?? null,
    rejection_reason: t.rejection?.reason ?? null,
    ack_due_at: due?.acknowledgeBy ?? null,
    resolve_due_at: due?.resolveBy ?? null,
    breach_at: due ? breachAt(t, due) : null,
    duplicate_of: t.duplicateOf,
    created_at: createdAt,
    updated_at: t.updatedAt ?? recordedAt,
    revision,
    position,
    state: t,
  };
}

// The commune-wide default policy; per-commune policies would be read from `communes` here.
const deadlines = (t: Ticket): SlaDeadlines | null =>
  t.reportedAt === null || t.category === null
    ? null
    : slaDeadlines(defaultSlaPolicy, { reportedAt: t.reportedAt, category: t.category, priority: t.priority });

/**
 * When the ticket becomes breached in the sense of the domain's `slaStatus`: a pending milestone at
 * its deadline, a late one since its deadline, an on-time one never. `slaStatus(t, now).breached`
 * equals `now > breachAt` for any `now` after the ticket's last event.
 */
function breachAt(t: Ticket, due: SlaDeadlines): string | null {
  const late = (done: string | null, deadline: string) => (done === null || Date.parse(done) > Date.parse(deadline) ? deadline : null);
  const ack = late(t.acknowledgedAt, due.acknowledgeBy);
  const resolve = t.status === 'rejected' || t.status === 'duplicate' ? null : late(t.resolvedAt, due.resolveBy);
  if (ack === null) return resolve;
  if (resolve === null) return ack;
  return Date.parse(ack) <= Date.parse(resolve) ? ack : resolve;
}

/**
 * `ticket_durations` rows of the batch's tickets, their days counted here in each commune's zone
 * (PostgreSQL would parse and convert every timestamp again), in one statement: in a busy API
 * process every round trip waits its turn in the event loop, and live updates wait for the commit.
 */
async function writeDurations(client: pg.ClientBase, ticketRows: readonly Record<string, unknown>[]): Promise<void> {
  const counted = ticketRows.filter((row) => row.commune_id !== null && row.category !== null && row.reported_at !== null);
  if (counted.length === 0) return;
  const zones = await communeZones(client, counted.map((row) => row.commune_id as string));
  const days = new LocalDays();
  const rows = counted.map((row) => {
    const zone = zones.get(row.commune_id as string) ?? DEFAULT_TIME_ZONE;
    const reportedAt = row.reported_at as string;
    const acknowledgedAt = row.acknowledged_at as string | null;
    const resolvedAt = row.resolved_at as string | null;
    return {
      ticket_id: row.id,
      commune_id: row.commune_id,
      category: row.category,
      reported_at: reportedAt,
      reported_day: days.dayOf(reportedAt, zone),
      acknowledged_day: acknowledgedAt === null ? null : days.dayOf(acknowledgedAt, zone),
      ack_seconds: acknowledgedAt === null ? null : secondsBetween(reportedAt, acknowledgedAt),
      resolved_day: resolvedAt === null ? null : days.dayOf(resolvedAt, zone),
      resolve_seconds: resolvedAt === null ? null : secondsBetween(reportedAt, resolvedAt),
    };
  });
  await client.query(UPSERT_DURATIONS, [JSON.stringify(rows)]);
}

/**
 * Time zones of communes, remembered per connection: a commune's zone never changes (its past
 * days would all move), so they are read again only when a batch names a commune not yet seen.
 */
const zonesByConnection = new WeakMap<pg.ClientBase, Map<string, string>>();

async function communeZones(client: pg.ClientBase, communeIds: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const known = zonesByConnection.get(client);
  if (known && communeIds.every((id) => known.has(id))) return known;
  const { rows } = await client.query<{ id: string; time_zone: string }>('SELECT id, time_zone FROM communes');
  const zones = new Map(rows.map((c) => [c.id, c.time_zone]));
  zonesByConnection.set(client, zones);
  return zones;
}

const secondsBetween = (from: string, to: string): number => (Date.parse(to) - Date.parse(from)) / 1000;

const TICKET_COLUMNS = `id text, commune_id text, quartier_id text, category text, subcategory text, status text, priority text,
  team_id text, agent_id text, lat double precision, lon double precision, accuracy double precision, landmark text,
  description text, media_ids text[], reporter_id text, contact_subject_id text, anonymous boolean, confidential boolean,
  channel text, confirmations integer, dispute_count integer, reported_at timestamptz, acknowledged_at timestamptz,
  assigned_at timestamptz, resolved_at timestamptz, closed_at timestamptz, rejected_at timestamptz, rejection_reason text,
  ack_due_at timestamptz, resolve_due_at timestamptz, breach_at timestamptz, duplicate_of text, created_at timestamptz, updated_at timestamptz,
  revision integer, position text, state json`;

const TICKET_FIELDS = copyColumns(TICKET_COLUMNS);

const TICKET_NAMES = TICKET_FIELDS.map((c) => c.name);

const UPSERT_TICKETS = `
  INSERT INTO tickets (${TICKET_NAMES.join(', ')})
  SELECT ${TICKET_NAMES.join(', ')} FROM json_to_recordset($1::json) AS r(${TICKET_COLUMNS})
  ON CONFLICT (id) DO UPDATE SET ${TICKET_NAMES.filter((c) => c !== 'id' && c !== 'created_at')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')}`;

// A set: the domain ignores a repeated "me too", and so does this table.
const INSERT_CONFIRMATIONS = `
  INSERT INTO ticket_confirmations (ticket_id, citizen_id, commune_id, confirmed_at)
  SELECT ticket_id, citizen_id, commune_id, confirmed_at
  FROM json_to_recordset($1::json) AS r(ticket_id text, citizen_id text, commune_id text, confirmed_at timestamptz)
  ON CONFLICT (ticket_id, citizen_id) DO NOTHING`;

const DURATION_COLUMNS_SQL = `ticket_id text, commune_id text, category text, reported_at timestamptz, reported_day date,
  acknowledged_day date, ack_seconds double precision, resolved_day date, resolve_seconds double precision`;

const DURATION_NAMES = copyColumns(DURATION_COLUMNS_SQL).map((c) => c.name);

const UPSERT_DURATIONS = `
  INSERT INTO ticket_durations (${DURATION_NAMES.join(', ')})
  SELECT ${DURATION_NAMES.join(', ')} FROM json_to_recordset($1::json) AS r(${DURATION_COLUMNS_SQL})
  ON CONFLICT (ticket_id) DO UPDATE SET ${DURATION_NAMES.filter((c) => c !== 'ticket_id')
    .map((c) => `${c} = excluded.${c}`)
    .join(', ')}`;
