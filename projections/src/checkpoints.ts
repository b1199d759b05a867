import type pg from 'pg';
import { type GlobalPosition, formatPosition, parsePosition } from '@palabre/event-store';

/** Makes sure the projector has a checkpoint row (null = from the start) and returns its position. */
export async function readCheckpoint(client: pg.ClientBase, name: string): Promise<GlobalPosition | null> {
  await client.query('INSERT INTO projections.checkpoints (name, position) VALUES ($1, NULL) ON CONFLICT (name) DO NOTHING', [name]);
  const { rows } = await client.query<{ position: string | null }>('SELECT position FROM projections.checkpoints WHERE name = $1', [name]);
  return parseNullable(rows[0]?.position ?? null);
}

export async function writeCheckpoint(client: pg.ClientBase, name: string, position: GlobalPosition): Promise<void> {
  await client.query(
    `INSERT INTO projections.checkpoints (name, position, updated_at) VALUES ($1, $2, now())
     ON CONFLICT (name) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
    [name, formatPosition(position)],
  );
}

export const formatNullable = (p: GlobalPosition | null): string | null => (p === null ? null : formatPosition(p));
export const parseNullable = (text: string | null): GlobalPosition | null => (text === null ? null : parsePosition(text));
