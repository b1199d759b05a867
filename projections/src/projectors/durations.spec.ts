import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TicketEvent, ticketEventVersions, ticketStreamId } from '@palabre/domain';
import type { RecordedEvent } from '@palabre/event-store';
import { type Fixture, openFixture } from '../testing/fixture.js';
import { enterReadSchema } from '../runner.js';
import { ticketsProjector } from './tickets.js';

/** `ticket_durations` counts each ticket's days in its commune's own time zone. */
describe('ticket durations', () => {
  let f: Fixture;
  let sequence = 0n;
  beforeAll(async () => {
    f = await openFixture('durations_zones');
  });
  afterAll(() => f.close());

  /** A report and its routing to `communeId`, then its acknowledgement by triage at `ackAt`. */
  function ticket(ticketId: string, communeId: string, reportedAt: string, ackAt: string): RecordedEvent[] {
    const events: TicketEvent[] = [
      {
        type: 'TicketReported',
        data: {
          ticketId, category: 'voirie', subcategory: null, description: 'Nid-de-poule', location: { lat: 3.98, lon: 11.6, accuracy: 10 },
          landmark: null, mediaIds: [], reporterId: 'c1', contactSubjectId: null, anonymous: false, confidential: false, channel: 'app', clientTime: null, reportedAt,
        },
      },
      { type: 'TicketRouted', data: { ticketId, communeId, quartierId: null, teamId: null, rule: { boundary: `commune:${communeId}`, team: null }, routedAt: reportedAt } },
      { type: 'TicketTriaged', data: { ticketId, category: 'voirie', subcategory: null, priority: 'high', triagedAt: ackAt } },
    ];
    return events.map((event, revision) => ({
      streamId: ticketStreamId(ticketId),
      revision,
      position: { commit: 100n, prepare: ++sequence },
      type: event.type,
      data: event.data as unknown as Record<string, unknown>,
      metadata: {
        eventId: `${ticketId}-${revision}`, commandId: ticketId, correlationId: ticketId, causationId: ticketId, actor: { id: 'u1', role: 'dispatcher' },
        communeId, recordedAt: revision === 2 ? ackAt : reportedAt, schemaVersion: ticketEventVersions[event.type],
      },
    })) as unknown as RecordedEvent[];
  }

  async function project(client: import('pg').PoolClient, events: RecordedEvent[]) {
    await client.query('BEGIN');
    await enterReadSchema(client, 'read');
    await ticketsProjector.handle(client, events);
    await client.query('COMMIT');
  }

  const days = async () =>
    Object.fromEntries(
      (await f.pool.query<{ ticket_id: string; reported_day: string; acknowledged_day: string; ack_seconds: number }>(
        `SELECT ticket_id, reported_day::text, acknowledged_day::text, ack_seconds FROM read.ticket_durations ORDER BY ticket_id`,
      )).rows.map((r) => [r.ticket_id, [r.reported_day, r.acknowledged_day, r.ack_seconds]]),
    );

  it('uses each commune zone, including one added after the projector first ran', async () => {
    await f.pool.query(`INSERT INTO read.communes (id, name, time_zone) VALUES ('lyon', 'Lyon', 'Europe/Paris')`);
    const client = await f.pool.connect();
    try {
      // 22:30 UTC on 29 March 2026: 23:30 in Douala, already 00:30 on the 30th in Paris (summer time since 01:00 UTC).
      await project(client, [...ticket('T-SOA', 'soa', '2026-03-29T22:30:00.000Z', '2026-03-30T01:15:00.000Z'), ...ticket('T-LYON', 'lyon', '2026-03-29T22:30:00.000Z', '2026-03-30T21:59:59.000Z')]);
      // A commune created while the projector runs: its zone is read when a batch first names it.
      await f.pool.query(`INSERT INTO read.communes (id, name, time_zone) VALUES ('nyc', 'New York', 'America/New_York')`);
      await project(client, ticket('T-NYC', 'nyc', '2026-03-30T03:30:00.000Z', '2026-03-30T04:00:00.000Z'));
    } finally {
      client.release();
    }
    expect(await days()).toEqual({
      'T-SOA': ['2026-03-29', '2026-03-30', 9900],
      'T-LYON': ['2026-03-30', '2026-03-30', 84599],
      'T-NYC': ['2026-03-29', '2026-03-30', 1800],
    });
  });
});
