import { describe, expect, it } from 'vitest';
import { type ProjectionNotice, noticePayloads } from './notify.js';

describe('projection notices', () => {
  it('splits a large batch into numbered payloads that each fit in one NOTIFY', () => {
    const changes = Array.from({ length: 900 }, (_, i) => ({ kind: 'ticket', id: `ticket-${'x'.repeat(60)}-${i}`, communeId: 'dschang', revision: i % 17 }));
    const payloads = noticePayloads('tickets', '123456/789', changes);
    const notices = payloads.map((p) => JSON.parse(p) as ProjectionNotice);
    expect(payloads.length).toBeGreaterThan(1);
    expect(payloads.every((p) => Buffer.byteLength(p) < 8000)).toBe(true);
    expect(notices.flatMap((n) => n.changes)).toEqual(changes);
    expect(notices.map((n) => [n.part, n.parts, n.position, n.projector])).toEqual(
      notices.map((_, i) => [i + 1, notices.length, '123456/789', 'tickets']),
    );
  });

  it('sends one payload, without changes, for a batch of other streams', () => {
    expect(noticePayloads('timeline', '1/2', []).map((p) => JSON.parse(p))).toEqual([
      { projector: 'timeline', position: '1/2', changes: [], part: 1, parts: 1 },
    ]);
  });

  it('marks the notice of a rebuild', () => {
    expect(JSON.parse(noticePayloads('tickets', '1/2', [], true)[0]!)).toMatchObject({ rebuilt: true });
  });
});
