import pg from 'pg';
import { type GlobalPosition, formatPosition, parsePosition } from '@palabre/event-store';
import { PROJECTION_CHANNEL, noticePayloads } from './notify.js';
import type { ProjectedChange } from './projector.js';

/** Makes sure the projector has a checkpoint row (null = from the start) and returns its position. */
export async function readCheckpoint(client: pg.ClientBase, name: string): Promise<GlobalPosition | null> {
  await client.query('INSERT INTO projections.checkpoints (name, position) VALUES ($1, NULL) ON CONFLICT (name) DO NOTHING', [name]);
  const { rows } = await client.query<{ position: string | null }>('SELECT position FROM projections.checkpoints WHERE name = $1', [name]);
  return parseNullable(rows[0]?.position ?? null);
}

/**
 * Statements (literals escaped, for one simple query inside the caller's transaction) that move a
 * projector's checkpoint to `position` and send the NOTIFY payloads of its batch: both commit with
 * the batch's rows or not at all.
 */
export function checkpointStatements(name: string, position: GlobalPosition, changes: readonly ProjectedChange[], rebuilt = false, origin?: string): string {
  const at = formatPosition(position);
  const notices = noticePayloads(name, at, changes, rebuilt, origin).map((payload) => `SELECT pg_notify(${pg.escapeLiteral(PROJECTION_CHANNEL)}, ${pg.escapeLiteral(payload)});`);
  return `INSERT INTO projections.checkpoints (name, position, updated_at) VALUES (${pg.escapeLiteral(name)}, ${pg.escapeLiteral(at)}, now())
    ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at; ${notices.join(' ')}`;
}

export const formatNullable = (p: GlobalPosition | null): string | null => (p === null ? null : formatPosition(p));
export const parseNullable = (text: string | null): GlobalPosition | null => (text === null ? null : parsePosition(text));
