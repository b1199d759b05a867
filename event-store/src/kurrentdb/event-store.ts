import {
  BACKWARDS,
  ErrorType,
  FORWARDS,
  KurrentDBClient,
  WrongExpectedVersionError,
  isCommandError,
  jsonEvent,
  type JSONType,
} from '@kurrent/kurrentdb-client';
import {
  InvalidEventError,
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type GlobalPosition,
  type ReadStreamOptions,
  type RecordedEvent,
} from '../port.js';
import { validateAppend } from '../validation.js';
import { isPalabreEvent, toActualRevision, toRecordedEvent, toStreamState } from './mapping.js';
import { scanAll } from './scan.js';
import { KurrentSubscription } from './subscription.js';

const MAX_CHUNK = 1000;

export type KurrentEventStoreOptions = { readonly connectionString: string } | { readonly client: KurrentDBClient };

/**
 * The log in KurrentDB/EventStoreDB. Event ids are the metadata's `eventId`, so the server's own
 * idempotency recognises retried commands; the envelope is stored as the event's JSON metadata.
 */
export async function createKurrentEventStore(options: KurrentEventStoreOptions): Promise<EventStore> {
  const ownsClient = !('client' in options);
  const client = 'client' in options ? options.client : KurrentDBClient.connectionString(options.connectionString);
  const subscriptions = new Set<KurrentSubscription>();

  async function positionOfRevision(streamId: string, revision: number): Promise<GlobalPosition> {
    for await (const resolved of client.readStream(streamId, { fromRevision: BigInt(revision), maxCount: 1 })) {
      if (resolved.event?.position) return resolved.event.position;
    }
    throw new Error(`KurrentDB did not return ${streamId}@${revision} after appending it`);
  }

  return {
    async append(streamId, events, expected): Promise<AppendResult> {
      validateAppend(streamId, events, expected);
      const data = events.map((event) =>
        jsonEvent({
          id: event.metadata.eventId,
          type: event.type,
          data: event.data as JSONType,
          metadata: event.metadata as unknown as JSONType,
        }),
      );
      try {
        const result = await client.appendToStream(streamId, data, { streamState: toStreamState(expected) });
        // Only when the client is configured with throwOnAppendFailure=false.
        if (!result.success) throw new WrongExpectedRevisionError(streamId, expected, toActualRevision(result.nextExpectedRevision));
        const nextRevision = Number(result.nextExpectedRevision);
        // An idempotent replay may come back without a position: look up the original event's.
        const position = result.position ?? (await positionOfRevision(streamId, nextRevision));
        return { nextRevision, position: { commit: position.commit, prepare: position.prepare } };
      } catch (error) {
        if (error instanceof WrongExpectedVersionError) {
          throw new WrongExpectedRevisionError(streamId, expected, toActualRevision(error.actualState));
        }
        throw error;
      }
    },

    async readStream(streamId: string, { fromRevision = 0, maxCount }: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
      if (!Number.isSafeInteger(fromRevision) || fromRevision < 0) throw new InvalidEventError(`fromRevision must be >= 0, got ${fromRevision}`);
      if (maxCount !== undefined && (!Number.isSafeInteger(maxCount) || maxCount < 0)) throw new InvalidEventError(`maxCount must be >= 0, got ${maxCount}`);
      if (maxCount === 0) return [];
      const read: RecordedEvent[] = [];
      try {
        for await (const resolved of client.readStream(streamId, { fromRevision: BigInt(fromRevision), direction: FORWARDS, ...(maxCount === undefined ? {} : { maxCount }) })) {
          if (isPalabreEvent(resolved)) read.push(toRecordedEvent(resolved));
        }
      } catch (error) {
        if (isCommandError(error as Error) && (error as { type: ErrorType }).type === ErrorType.STREAM_NOT_FOUND) return [];
        throw error;
      }
      return read;
    },

    async readAll(from: GlobalPosition | null, limit: number): Promise<RecordedEvent[]> {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new InvalidEventError(`limit must be >= 0, got ${limit}`);
      const read: RecordedEvent[] = [];
      if (limit === 0) return read;
      // One more than asked: the event at `from` itself may come back first.
      for await (const event of scanAll(client, from, FORWARDS, Math.min(limit + 1, MAX_CHUNK))) {
        read.push(event);
        if (read.length === limit) break;
      }
      return read;
    },

    subscribe(from, subscribeOptions = {}) {
      const subscription: KurrentSubscription = new KurrentSubscription(client, from, subscribeOptions, () => subscriptions.delete(subscription));
      subscriptions.add(subscription);
      return subscription;
    },

    async headPosition(): Promise<GlobalPosition | null> {
      for await (const event of scanAll(client, null, BACKWARDS, 1)) return event.position;
      return null;
    },

    async close(): Promise<void> {
      await Promise.all([...subscriptions].map((subscription) => subscription.close()));
      if (ownsClient) await client.dispose();
    },
  };
}
