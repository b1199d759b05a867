import { describe, expect, it } from 'vitest';
import type { TicketView } from '../api/types.ts';
import { TicketStore, type StatusChange } from './store.ts';

const ticket = (id: string, overrides: Partial<TicketView> = {}): TicketView => ({
  id,
  reference: `DSC-${id}`,
  communeId: 'dschang',
  quartierId: 'dschang-centre-ville',
  category: 'reseaux',
  subcategory: 'fuite-eau',
  status: 'new',
  priority: null,
  location: { lat: 5.45, lon: 10.05, accuracy: 10 },
  plusCode: '6FV5CX22+22',
  landmark: null,
  description: 'Fuite',
  media: [],
  anonymous: false,
  confidential: false,
  confirmations: 0,
  reportedAt: '2026-11-23T08:00:00Z',
  acknowledgedAt: null,
  resolvedAt: null,
  closedAt: null,
  updatedAt: '2026-11-23T08:00:00Z',
  resolution: null,
  rejection: null,
  revision: 1,
  ...overrides,
});

function memoryStorage() {
  const values = new Map<string, string>();
  return { getItem: (k: string) => values.get(k) ?? null, setItem: (k: string, v: string) => void values.set(k, v) };
}

describe('the ticket store', () => {
  it('reports a status change of an own report once, and ignores older copies', () => {
    const store = new TicketStore(memoryStorage());
    const changes: StatusChange[] = [];
    store.onStatusChange((c) => changes.push(c));
    store.upsert(ticket('a'), { mine: true });
    store.upsert(ticket('a', { status: 'triaged', revision: 3 }));
    store.upsert(ticket('a', { status: 'new', revision: 2 })); // a late HTTP answer
    store.upsert(ticket('a', { status: 'triaged', revision: 3 })); // the same update twice

    expect(changes.map((c) => [c.previous, c.ticket.status])).toEqual([['new', 'triaged']]);
    expect(store.get('a')?.status).toBe('triaged');
  });

  it('does not notify about neighbours’ reports', () => {
    const store = new TicketStore(memoryStorage());
    const changes: StatusChange[] = [];
    store.onStatusChange((c) => changes.push(c));
    store.setNearby([ticket('n')]);
    store.upsert(ticket('n', { status: 'resolved', revision: 5 }));
    expect(changes).toEqual([]);
    expect(store.nearbyList()[0]?.status).toBe('resolved');
  });

  it('keeps own reports across restarts and notices what changed while the app was closed', () => {
    const storage = memoryStorage();
    const before = new TicketStore(storage);
    before.setMine([ticket('a'), ticket('b', { reportedAt: '2026-11-23T09:00:00Z' })]);

    const after = new TicketStore(storage);
    expect(after.mineList().map((t) => t.id)).toEqual(['b', 'a']);
    const changes: StatusChange[] = [];
    after.onStatusChange((c) => changes.push(c));
    after.setMine([ticket('a', { status: 'resolved', revision: 6 }), ticket('b')]);
    expect(changes.map((c) => [c.ticket.id, c.ticket.status])).toEqual([['a', 'resolved']]);
  });
});

describe('a "me too" once given', () => {
  it('survives a live update that carries only the public view', () => {
    const store = new TicketStore(memoryStorage());
    store.setNearby([ticket('n', { confirmedByMe: true, confirmations: 1, revision: 2 })]);
    store.upsert(ticket('n', { confirmations: 2, revision: 3 }));
    expect(store.get('n')).toMatchObject({ confirmedByMe: true, confirmations: 2 });
  });
});
