import { END, FORWARDS, START, excludeSystemEvents, type Direction, type KurrentDBClient, type Position } from '@kurrent/kurrentdb-client';
import { comparePositions, type GlobalPosition, type RecordedEvent } from '../port.js';
import { isPalabreEvent, toRecordedEvent } from './mapping.js';

/**
 * Palabre's events of `$all` strictly beyond `from`, read in chunks of `chunk`. A chunk can shrink
 * once foreign events are dropped, so it keeps reading until the server has nothing more, rather
 * than letting a short page pass for the end of the log.
 */
export async function* scanAll(
  client: KurrentDBClient,
  from: GlobalPosition | null,
  direction: Direction,
  chunk: number,
): AsyncGenerator<RecordedEvent, void, undefined> {
  const beyond = (position: GlobalPosition, cursor: GlobalPosition | null) =>
    cursor === null || comparePositions(position, cursor) === (direction === FORWARDS ? 1 : -1);
  let cursor = from;
  for (;;) {
    let returned = 0;
    let last: Position | undefined;
    const fromPosition = cursor ?? (direction === FORWARDS ? START : END);
    for await (const resolved of client.readAll({ fromPosition, direction, maxCount: chunk, filter: excludeSystemEvents() })) {
      returned++;
      last = resolved.event?.position ?? last;
      if (!isPalabreEvent(resolved)) continue;
      const event = toRecordedEvent(resolved);
      // `fromPosition` may be inclusive: never hand back the cursor itself.
      if (beyond(event.position, cursor)) yield event;
    }
    if (returned < chunk || last === undefined) return;
    cursor = { commit: last.commit, prepare: last.prepare };
  }
}
