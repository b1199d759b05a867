import type pg from 'pg';
import { type EventStore, type GlobalPosition, comparePositions, formatPosition, parsePosition } from '@palabre/event-store';

export interface ProjectorStatus {
  readonly name: string;
  /** Checkpoint, `commit/prepare`; null before the first event. */
  readonly position: string | null;
  readonly updatedAt: string;
  /** Head of the log, `commit/prepare`; null when the log is empty. */
  readonly head: string | null;
  readonly caughtUp: boolean;
  /** Age of the oldest event not yet projected, 0 when caught up. */
  readonly lagSeconds: number;
}

/** Checkpoints and how far each projector trails the log; for `/health` and dashboards. */
export async function projectorStatus(pool: pg.Pool, store: EventStore, now: Date = new Date()): Promise<ProjectorStatus[]> {
  const [{ rows }, head] = await Promise.all([
    pool.query<{ name: string; position: string | null; updated_at: Date }>(
      'SELECT name, position, updated_at FROM projections.checkpoints ORDER BY name',
    ),
    store.headPosition(),
  ]);
  return Promise.all(
    rows.map(async (row) => {
      const position: GlobalPosition | null = row.position === null ? null : parsePosition(row.position);
      const caughtUp = head === null || (position !== null && comparePositions(position, head) >= 0);
      let lagSeconds = 0;
      if (!caughtUp) {
        const [next] = await store.readAll(position, 1);
        if (next) lagSeconds = Math.max(0, (now.getTime() - Date.parse(next.metadata.recordedAt)) / 1000);
      }
      return {
        name: row.name,
        position: row.position,
        updatedAt: row.updated_at.toISOString(),
        head: head === null ? null : formatPosition(head),
        caughtUp,
        lagSeconds,
      };
    }),
  );
}
