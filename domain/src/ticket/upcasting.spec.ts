import { describe, expect, it } from 'vitest';
import { InvalidEventDataError, UnknownEventTypeError } from '../shared/errors.js';
import { histories } from '../testing/given.js';
import { ticketEventVersions } from './events.js';
import { parseTicketEvent, registerUpcaster } from './upcasting.js';

const reported = () => histories.reported()[0]!;

describe('parseTicketEvent', () => {
  it('reads back every event the decider writes', () => {
    for (const event of histories.closed()) {
      expect(parseTicketEvent({ type: event.type, data: structuredClone(event.data), schemaVersion: ticketEventVersions[event.type] })).toEqual(event);
    }
  });

  it('refuses a latitude beyond the pole, naming the field', () => {
    const event = reported();
    const data = { ...event.data, location: { lat: 91, lon: 11.6, accuracy: null } };
    try {
      parseTicketEvent({ type: event.type, data, schemaVersion: 1 });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InvalidEventDataError);
      expect((error as InvalidEventDataError).issues).toEqual([{ path: 'location.lat', message: expect.any(String) }]);
    }
  });

  it('refuses an empty description and an unknown priority', () => {
    const event = reported();
    expect(() => parseTicketEvent({ type: event.type, data: { ...event.data, description: '   ' }, schemaVersion: 1 })).toThrow(InvalidEventDataError);
    expect(() =>
      parseTicketEvent({
        type: 'TicketTriaged',
        data: { ticketId: 'T-1', category: 'voirie', subcategory: null, priority: 'critical', triagedAt: '2026-03-02T08:00:00Z' },
        schemaVersion: 1,
      }),
    ).toThrow(/priority/);
  });

  it('reads a note written before notes had an author as a staff note', () => {
    const parsed = parseTicketEvent({
      type: 'TicketNoteAdded',
      data: { ticketId: 'T-1', noteId: 'n-1', text: 'Vu', visibility: 'public', addedAt: '2026-03-02T08:00:00Z' },
      schemaVersion: 1,
    });
    expect(parsed.data).toMatchObject({ author: 'staff' });
  });

  it('refuses an unknown type and a version from newer code', () => {
    expect(() => parseTicketEvent({ type: 'TicketTeleported', data: {}, schemaVersion: 1 })).toThrow(UnknownEventTypeError);
    expect(() => parseTicketEvent({ type: 'TicketReported', data: reported().data, schemaVersion: 2 })).toThrow(UnknownEventTypeError);
    expect(() => parseTicketEvent({ type: 'TicketReported', data: reported().data, schemaVersion: 0 })).toThrow(UnknownEventTypeError);
  });
});

describe('registerUpcaster', () => {
  it('refuses an upcaster that would lead past the current version', () => {
    expect(() => registerUpcaster('TicketReported', ticketEventVersions.TicketReported, (d) => d)).toThrow(/would lead past/);
  });
});
