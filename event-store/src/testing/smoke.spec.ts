import { describe, expect, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase } from './database.ts';

describe('test database', () => {
  it('gives each test file its own PostgreSQL database', async () => {
    const client = new pg.Client({ connectionString: await createTestDatabase('smoke') });
    await client.connect();
    const { rows } = await client.query('select current_database() as db, version() as v');
    await client.end();
    expect(rows[0].db).toMatch(/^smoke_/);
    expect(rows[0].v).toMatch(/PostgreSQL 1[5-9]/);
  });
});
