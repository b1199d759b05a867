import { describe, expect, it } from 'vitest';
import { canonicalJson, type RecordedEvent } from '@palabre/event-store';
import { envelopeLeafHash, envelopeOf, envelopeText, eventLeafHash } from './envelope.js';

const metadata = {
  eventId: '0b5e2a52-3f0c-4c4e-9d7e-1f3f6a0c2b11',
  commandId: 'cmd "quoted" ✓',
  correlationId: 'corr-1',
  causationId: 'cmd-1',
  actor: { id: 'agent\\soa', role: 'field_agent' },
  communeId: 'soa',
  recordedAt: '2026-11-23T10:15:00.000+01:00',
  schemaVersion: 2,
};
const data = { zeta: 1e21, alpha: ['é', '😀', 'tab\there'], nested: { b: -0, a: 0.1 + 0.2 }, none: null };

const event = (canonical: boolean): RecordedEvent => ({
  streamId: 'ticket-Ünïcode "T1"',
  revision: 12,
  position: { commit: 7n, prepare: 3n },
  type: 'TicketNoted',
  data,
  metadata,
  ...(canonical ? { canonical: { data: canonicalJson(data), metadata: canonicalJson(metadata) } } : {}),
});

describe('the canonical text of an envelope', () => {
  it('put together around stored canonical data and metadata, equals writing the whole envelope', () => {
    expect(envelopeText(event(true))).toBe(canonicalJson(envelopeOf(event(false))));
    expect(envelopeText(event(false))).toBe(canonicalJson(envelopeOf(event(false))));
    expect(eventLeafHash(event(true))).toEqual(envelopeLeafHash(envelopeOf(event(false))));
    expect(Object.keys(JSON.parse(envelopeText(event(true))))).toEqual(['data', 'id', 'metadata', 'recordedAt', 'revision', 'stream', 'type']);
  });
});
