import { randomUUID } from 'node:crypto';
import { type TicketEvent, ticketEventVersions } from '@palabre/domain';
import type { EventStore, GlobalPosition, NewEvent } from '@palabre/event-store';
import type pg from 'pg';
import { startProjector } from '@palabre/projections';
import { type Fixture, openFixture, waitVisible } from '@palabre/projections/testing/fixture';
import { ensureAuditSchema } from '../log/schema.js';
import { type SigningPolicy, transparencyLogProjector } from '../log/projector.js';
import { signerFromSeed, type TreeHeadSigner } from '../signing/keys.js';

export interface AuditFixture extends Fixture {
  readonly signer: TreeHeadSigner;
  /** Runs the transparency log projector until it has every visible event. */
  project(policy?: SigningPolicy): Promise<void>;
}

/**
 * The last committed event's position, visible to readers or not yet: other test files' open
 * transactions hold visibility (and so `headPosition`) back, and a test must wait for its own events.
 */
export async function lastCommitted(pool: Pick<pg.Pool, 'query'>): Promise<GlobalPosition | null> {
  const { rows } = await pool.query<{ commit: string; prepare: string }>(
    'SELECT transaction_id::text AS commit, sequence::text AS prepare FROM event_store.events ORDER BY transaction_id DESC, sequence DESC LIMIT 1',
  );
  return rows[0] ? { commit: BigInt(rows[0].commit), prepare: BigInt(rows[0].prepare) } : null;
}

export const testSigner = (): TreeHeadSigner => signerFromSeed(Buffer.alloc(32, 7));

export async function openAuditFixture(prefix: string): Promise<AuditFixture> {
  const fixture = await openFixture(prefix);
  await ensureAuditSchema(fixture.pool);
  const signer = testSigner();
  return {
    ...fixture,
    signer,
    async project(policy = { everyEvents: 10, everyMs: 3_600_000 }) {
      const head = await lastCommitted(fixture.pool);
      await waitVisible(fixture.store, head);
      const handle = startProjector(fixture.store, fixture.pool, transparencyLogProjector({ signer, policy }), { batchSize: 7, pollIntervalMs: 20 });
      try {
        await handle.waitFor(head);
      } finally {
        await handle.stop();
      }
    },
  };
}

export interface TicketStory {
  readonly ticketId: string;
  readonly communeId: string;
  /** Day of the report (UTC); later steps follow it by hours. */
  readonly day: string;
  readonly confidential?: boolean;
  readonly contactSubjectId?: string | null;
  /** How far the story goes. */
  readonly until?: 'reported' | 'assigned' | 'closed';
}

const citizen = (n: string) => ({ id: `C${n}`, role: 'citizen' as const });
const dispatcher = { id: 'U-dispatcher-soa', role: 'dispatcher' as const };
const agent = { id: 'U7QX2K9', role: 'field_agent' as const };

function envelope(event: TicketEvent, actor: { id: string; role: string }, communeId: string, at: string): NewEvent {
  const commandId = `cmd-${randomUUID()}`;
  return {
    type: event.type,
    data: event.data,
    metadata: { eventId: randomUUID(), commandId, correlationId: commandId, causationId: commandId, actor, communeId, recordedAt: at, schemaVersion: ticketEventVersions[event.type] },
  };
}

/** Appends a ticket's life one command at a time, as the API would. */
export async function tellTicket(store: EventStore, story: TicketStory): Promise<void> {
  const { ticketId, communeId } = story;
  const at = (hours: number) => new Date(Date.parse(`${story.day}T08:00:00.000Z`) + hours * 3_600_000).toISOString();
  const steps: [TicketEvent, { id: string; role: string }, string][] = [
    [
      {
        type: 'TicketReported',
        data: {
          ticketId, category: 'salubrite', subcategory: null, description: `Le bac déborde près du marché (${ticketId})`,
          location: { lat: 3.9812345, lon: 11.6054321, accuracy: 8 }, landmark: 'carrefour Total', mediaIds: [], reporterId: `C${ticketId}`,
          contactSubjectId: story.contactSubjectId ?? null, anonymous: false, confidential: story.confidential ?? false, channel: 'app', clientTime: null, reportedAt: at(0),
        },
      },
      citizen(ticketId),
      at(0),
    ],
    [{ type: 'TicketRouted', data: { ticketId, communeId, quartierId: null, teamId: `${communeId}-salubrite`, rule: { boundary: `commune:${communeId}`, team: 'salubrite' }, routedAt: at(0) } }, { id: 'router', role: 'system' }, at(0)],
  ];
  if (story.until !== 'reported') {
    steps.push([{ type: 'TicketTriaged', data: { ticketId, category: 'salubrite', subcategory: null, priority: 'high', triagedAt: at(1) } }, dispatcher, at(1)]);
    steps.push([{ type: 'TicketAssigned', data: { ticketId, teamId: `${communeId}-salubrite`, agentId: agent.id, assignedAt: at(2) } }, dispatcher, at(2)]);
  }
  if (story.until === 'closed') {
    steps.push([{ type: 'TicketResolved', data: { ticketId, note: 'Bac vidé', mediaIds: [], resolvedAt: at(5) } }, agent, at(5)]);
    steps.push([{ type: 'TicketClosed', data: { ticketId, note: null, closedAt: at(30) } }, dispatcher, at(30)]);
  }
  for (const [revision, [event, actor, recordedAt]] of steps.entries()) {
    await store.append(`ticket-${ticketId}`, [envelope(event, actor, communeId, recordedAt)], revision === 0 ? 'no_stream' : revision - 1);
  }
}

/** A staff account's creation, as the staff directory appends it (the only place a username is in the log). */
export async function createStaffAccount(store: EventStore, userId: string, username: string, communeId: string): Promise<void> {
  const commandId = `cmd-${randomUUID()}`;
  await store.append(
    `staff-${userId}`,
    [
      {
        type: 'StaffUserCreated',
        data: { userId, username, communeId, createdAt: '2026-06-01T08:00:00.000Z' },
        metadata: { eventId: randomUUID(), commandId, correlationId: commandId, causationId: commandId, actor: { id: 'system', role: 'system' }, communeId, recordedAt: '2026-06-01T08:00:00.000Z', schemaVersion: 1 },
      },
    ],
    'no_stream',
  );
}
