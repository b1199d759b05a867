import { randomUUID } from 'node:crypto';
import { comparePositions, type EventMetadata, type EventStore, type GlobalPosition, type NewEvent, type RecordedEvent, type Subscription } from '../port.js';

/** A fully populated event, as the edge would build it; `overrides` replace metadata fields. */
export function newEvent(type: string, data: unknown = { at: type }, overrides: Partial<EventMetadata> = {}): NewEvent {
  const commandId = `cmd-${randomUUID()}`;
  return {
    type,
    data,
    metadata: {
      eventId: randomUUID(),
      commandId,
      correlationId: `corr-${randomUUID()}`,
      causationId: commandId,
      actor: { id: 'dispatcher-amina', role: 'dispatcher' },
      communeId: 'soa',
      recordedAt: '2026-11-23T10:15:00.000+01:00',
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
      tracestate: 'palabre=t61rcWkgMzE',
      schemaVersion: 1,
      ...overrides,
    },
  };
}

export const events = (count: number, prefix = 'TicketNoted'): NewEvent[] =>
  Array.from({ length: count }, (_, i) => newEvent(`${prefix}${i}`, { index: i }));

/**
 * Pulls batches until `count` events accepted by `keep` have arrived (other writers may share the
 * log); returns them with every batch seen, in delivery order.
 */
export async function take(
  subscription: Subscription,
  count: number,
  keep: (event: RecordedEvent) => boolean,
): Promise<{ events: RecordedEvent[]; delivered: RecordedEvent[] }> {
  const iterator = subscription[Symbol.asyncIterator]();
  const kept: RecordedEvent[] = [];
  const delivered: RecordedEvent[] = [];
  while (kept.length < count) {
    const next = await iterator.next();
    if (next.done) throw new Error(`Subscription ended after ${kept.length} of ${count} events`);
    delivered.push(...next.value);
    kept.push(...next.value.filter(keep));
  }
  return { events: kept, delivered };
}

/** readAll may trail fresh appends while older transactions are still open (see headPosition). */
export async function untilVisible(store: EventStore, position: GlobalPosition): Promise<void> {
  for (;;) {
    const head = await store.headPosition();
    if (head && comparePositions(head, position) >= 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
