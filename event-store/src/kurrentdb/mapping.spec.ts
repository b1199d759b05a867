import { describe, expect, it } from 'vitest';
import { ANY, NO_STREAM, STREAM_EXISTS, type AllStreamResolvedEvent } from '@kurrent/kurrentdb-client';
import { newEvent } from '../testing/events.js';
import { isAfter, isPalabreEvent, toActualRevision, toRecordedEvent, toStreamState } from './mapping.js';

const stored = (overrides: Partial<NonNullable<AllStreamResolvedEvent['event']>> = {}): AllStreamResolvedEvent => {
  const sent = newEvent('TicketReported', { ticketId: 't-1' });
  return {
    event: {
      streamId: 'ticket-t-1',
      id: sent.metadata.eventId,
      isJson: true,
      revision: 3n,
      type: sent.type,
      created: new Date('2026-11-23T09:15:00Z'),
      data: sent.data as Record<string, unknown>,
      metadata: sent.metadata as unknown as Record<string, unknown>,
      position: { commit: 1200n, prepare: 1100n },
      ...overrides,
    } as NonNullable<AllStreamResolvedEvent['event']>,
  };
};

describe('KurrentDB mapping (runs without a server)', () => {
  it('maps expected revisions to stream states', () => {
    expect(toStreamState('any')).toBe(ANY);
    expect(toStreamState('no_stream')).toBe(NO_STREAM);
    expect(toStreamState('exists')).toBe(STREAM_EXISTS);
    expect(toStreamState(7)).toBe(7n);
  });

  it('maps the actual state of a conflict to the port', () => {
    expect(toActualRevision(NO_STREAM)).toBe('no_stream');
    expect(toActualRevision(-1n)).toBe('no_stream');
    expect(toActualRevision(4n)).toBe(4);
  });

  it('keeps the envelope and the $all position of a stored event', () => {
    const resolved = stored();
    expect(toRecordedEvent(resolved)).toEqual({
      streamId: 'ticket-t-1',
      revision: 3,
      position: { commit: 1200n, prepare: 1100n },
      type: 'TicketReported',
      data: { ticketId: 't-1' },
      metadata: resolved.event!.metadata,
    });
  });

  it('leaves out system events, system streams and links', () => {
    expect(isPalabreEvent(stored())).toBe(true);
    expect(isPalabreEvent(stored({ type: '$metadata' }))).toBe(false);
    expect(isPalabreEvent(stored({ streamId: '$stats-127.0.0.1:2113' }))).toBe(false);
    expect(isPalabreEvent({ ...stored(), link: stored().event as never })).toBe(false);
    expect(isPalabreEvent({})).toBe(false);
  });

  it('compares against a checkpoint strictly', () => {
    const event = toRecordedEvent(stored());
    expect(isAfter(event, null)).toBe(true);
    expect(isAfter(event, { commit: 1200n, prepare: 1100n })).toBe(false);
    expect(isAfter(event, { commit: 1200n, prepare: 1099n })).toBe(true);
  });
});
