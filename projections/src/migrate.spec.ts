import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '@palabre/event-store/testing/database';
import { migrate } from './migrate.js';
import { loadMigrations } from './migrations.js';

describe('migrate', () => {
  let pools: pg.Pool[];

  beforeAll(async () => {
    const url = await createTestDatabase('projections_migrate');
    pools = [0, 1, 2].map(() => new pg.Pool({ connectionString: url, max: 2 }));
  });
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.end()));
  });

  it('applies every migration once even when several processes start together', async () => {
    const results = await Promise.all(pools.map((p) => migrate(p)));
    const applied = results.flatMap((r) => r.applied);
    expect(applied.sort()).toEqual(loadMigrations().map((m) => m.version));
    const { rows } = await pools[0]!.query('SELECT version FROM projections.schema_migrations ORDER BY version');
    expect(rows.map((r) => r.version)).toEqual(loadMigrations().map((m) => m.version));
  });

  it('does nothing the second time', async () => {
    expect(await migrate(pools[0]!)).toEqual({ applied: [] });
  });

  it('puts the read models in their own schema, not public', async () => {
    const { rows } = await pools[0]!.query(
      `SELECT table_schema, table_name FROM information_schema.tables WHERE table_name LIKE 'ticket%' ORDER BY table_name`,
    );
    expect(rows.map((r) => `${r.table_schema}.${r.table_name}`)).toEqual([
      'read.ticket_confirmations',
      'read.ticket_durations',
      'read.ticket_timeline',
      'read.tickets',
    ]);
  });

  it('refuses to run when an applied migration was edited', async () => {
    await pools[0]!.query(`UPDATE projections.schema_migrations SET checksum = 'edited' WHERE version = 1`);
    try {
      await expect(migrate(pools[0]!)).rejects.toThrow(/was edited after being applied/);
    } finally {
      await pools[0]!.query(`UPDATE projections.schema_migrations SET checksum = $1 WHERE version = 1`, [loadMigrations()[0]!.checksum]);
    }
  });
});
