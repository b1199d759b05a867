import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Fixture, openFixture } from './testing/fixture.js';
import pg from 'pg';
import { readOnceInScope, textArrayLiteral, withCommuneScope } from './scope.js';

const tables = ['tickets', 'ticket_timeline', 'ticket_confirmations', 'ticket_durations', 'commune_daily_stats'];

describe('row-level security by commune', () => {
  let f: Fixture;

  beforeAll(async () => {
    f = await openFixture('projections_scope');
    // Rows written as the projector would, one ticket per commune, straight into every table.
    for (const [id, commune] of [
      ['S-1', 'soa'],
      ['D-1', 'dschang'],
    ] as const) {
      await f.pool.query(
        `INSERT INTO read.tickets (id, commune_id, category, status, priority, created_at, updated_at, revision, position, state, reported_at)
         VALUES ($1, $2, 'voirie', 'new', 'normal', now(), now(), 0, '1/1', '{}', now())`,
        [id, commune],
      );
      await f.pool.query(
        `INSERT INTO read.ticket_timeline (ticket_id, revision, commune_id, position, event_id, event_type, summary, summary_data,
                                           internal_data, actor_id, actor_role, at, visibility)
         VALUES ($1, 0, $2, '1/1', $1, 'TicketReported', 'ticket.reported', '{}', '{}', 'c', 'citizen', now(), 'public')`,
        [id, commune],
      );
      await f.pool.query(`INSERT INTO read.ticket_confirmations VALUES ($1, 'citizen-9', $2, now())`, [id, commune]);
      await f.pool.query(
        `INSERT INTO read.ticket_durations (ticket_id, commune_id, category, reported_at, reported_day) VALUES ($1, $2, 'voirie', now(), current_date)`,
        [id, commune],
      );
    }
  });
  afterAll(() => f.close());

  const communesSeen = (scope: '*' | string[], table: string) =>
    withCommuneScope(f.pool, scope, async (client) => {
      // Deliberately no commune filter: the policy alone must hide other communes.
      const { rows } = await client.query(`SELECT DISTINCT commune_id FROM read.${table} ORDER BY commune_id`);
      return rows.map((r) => r.commune_id);
    });

  it.each(tables)('a Soa scope never sees a Dschang row of %s', async (table) => {
    expect(await communesSeen(['soa'], table)).toEqual(['soa']);
  });

  it.each(tables)('national scope sees every commune in %s', async (table) => {
    expect(await communesSeen('*', table)).toEqual(['dschang', 'soa']);
  });

  it.each(tables)('an empty scope sees nothing in %s', async (table) => {
    expect(await communesSeen([], table)).toEqual([]);
  });

  it('a reader that never set the scope sees nothing', async () => {
    const client = await f.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('SET LOCAL ROLE palabre_reader');
      const { rows } = await client.query('SELECT count(*)::integer AS n FROM read.tickets');
      expect(rows[0].n).toBe(0);
      await client.query('ROLLBACK');
    } finally {
      client.release();
    }
  });

  it('the scope is read-only', async () => {
    await expect(withCommuneScope(f.pool, '*', (client) => client.query(`DELETE FROM read.tickets`))).rejects.toThrow(
      /read-only transaction/,
    );
  });

  it('the scope does not leak into the next use of the pooled connection', async () => {
    await withCommuneScope(f.pool, ['soa'], async () => undefined);
    const { rows } = await f.pool.query(`SELECT current_user, current_setting('palabre.communes', true) AS communes`);
    expect(rows[0].current_user).toBe('postgres');
    expect(rows[0].communes ?? '').toBe('');
  });

  it('rejects commune ids that would widen the scope', async () => {
    await expect(communesSeen(['soa,dschang'], 'tickets')).rejects.toThrow(RangeError);
    await expect(communesSeen(['*'], 'tickets')).rejects.toThrow(RangeError);
  });

  describe('readOnceInScope (one round trip)', () => {
    it('reads as palabre_reader within the scope, in every table', async () => {
      for (const table of tables) {
        const seen = async (scope: '*' | string[]) =>
          (await readOnceInScope<{ commune_id: string }>(f.pool, scope, `SELECT DISTINCT commune_id FROM read.${table} ORDER BY commune_id`)).map((r) => r.commune_id);
        expect(await seen(['soa']), table).toEqual(['soa']);
        expect(await seen(['dschang']), table).toEqual(['dschang']);
        expect(await seen('*'), table).toEqual(['dschang', 'soa']);
        expect(await seen([]), table).toEqual([]);
      }
      expect(await readOnceInScope(f.pool, ['soa'], 'SELECT current_user AS who')).toEqual([{ who: 'palabre_reader' }]);
    });

    it('is read-only, and neither its role nor its scope outlives it, even when it fails', async () => {
      const single = new pg.Pool({ connectionString: f.url, max: 1 });
      try {
        await expect(readOnceInScope(single, '*', 'DELETE FROM read.tickets')).rejects.toThrow(/read-only transaction/);
        await expect(readOnceInScope(single, ['soa'], 'SELECT 1/0')).rejects.toThrow(/division by zero/);
        const { rows } = await single.query(`SELECT current_user, current_setting('palabre.communes', true) AS communes, count(*)::int AS n FROM read.tickets`);
        expect(rows[0]).toMatchObject({ current_user: 'postgres', n: 2 });
        expect(rows[0].communes ?? '').toBe('');
      } finally {
        await single.end();
      }
    });

    it('writes any list of strings as a text[] literal PostgreSQL reads back unchanged', async () => {
      const awkward = ["it's", 'a "quoted" word', 'back\\slash', 'comma,brace}{', '', 'NULL', 'é 🗑️', "'; DROP TABLE read.tickets; --"];
      const { rows } = await f.pool.query(`SELECT ${textArrayLiteral(awkward)} AS items`);
      expect(rows[0].items).toEqual(awkward);
      expect((await f.pool.query(`SELECT ${textArrayLiteral([])} AS items`)).rows[0].items).toEqual([]);
    });
  });
});
