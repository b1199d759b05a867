import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyColumns, copyKind, copyRows } from './copy.js';
import { type Fixture, openFixture } from './testing/fixture.js';

describe('copyRows', () => {
  let fixture: Fixture;
  beforeAll(async () => {
    fixture = await openFixture('copy');
    await fixture.pool.query(
      'CREATE TABLE copied (id text PRIMARY KEY, n double precision, i integer, b boolean, at timestamptz, tags text[], doc json)',
    );
  });
  afterAll(() => fixture.close());

  const columns = [
    { name: 'id', kind: 'text' },
    { name: 'n', kind: 'number' },
    { name: 'i', kind: 'number' },
    { name: 'b', kind: 'boolean' },
    { name: 'at', kind: 'text' },
    { name: 'tags', kind: 'text[]' },
    { name: 'doc', kind: 'json' },
  ] as const;

  it('round-trips what citizens type: tabs, newlines, backslashes, quotes, accents, emoji and nulls', async () => {
    const awkward = 'Bac plein\tprès du "marché"\nligne 2\r\\ fin \\N 🗑️';
    const rows = [
      { id: awkward, n: 3.98001, i: -7, b: true, at: '2026-11-23T10:15:00.000Z', tags: ['a,b', 'c"d', 'e\\f', 'g}h', ''], doc: { text: awkward, list: [1, null] } },
      { id: 'nulls', n: null, i: null, b: false, at: null, tags: null, doc: null },
      { id: 'empty', n: 0, i: 0, b: false, at: '2026-11-23T10:15:00+01:00', tags: [], doc: {} },
    ];
    const client = await fixture.pool.connect();
    try {
      await copyRows(client, 'copied', columns, rows);
    } finally {
      client.release();
    }
    const { rows: stored } = await fixture.pool.query(
      `SELECT id, n, i, b, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS at, tags, doc FROM copied ORDER BY id COLLATE "C"`,
    );
    expect(stored).toEqual([
      { id: awkward, n: 3.98001, i: -7, b: true, at: '2026-11-23T10:15:00', tags: ['a,b', 'c"d', 'e\\f', 'g}h', ''], doc: { text: awkward, list: [1, null] } },
      { id: 'empty', n: 0, i: 0, b: false, at: '2026-11-23T09:15:00', tags: [], doc: {} },
      { id: 'nulls', n: null, i: null, b: false, at: null, tags: null, doc: null },
    ]);
  });

  it('a repeated key fails the whole copy and writes nothing', async () => {
    const client = await fixture.pool.connect();
    try {
      const row = { id: 'twice', n: 1, i: 1, b: true, at: null, tags: [], doc: {} };
      await expect(copyRows(client, 'copied', columns, [row, row])).rejects.toThrow(/duplicate key/);
    } finally {
      client.release();
    }
    expect((await fixture.pool.query(`SELECT count(*)::int AS n FROM copied WHERE id = 'twice'`)).rows[0].n).toBe(0);
  });

  it('refuses a number that PostgreSQL would store as text garbage', async () => {
    const client = await fixture.pool.connect();
    try {
      await expect(copyRows(client, 'copied', [{ name: 'id', kind: 'text' }, { name: 'n', kind: 'number' }], [{ id: 'nan', n: Number.NaN }])).rejects.toThrow(
        /finite number/,
      );
    } finally {
      client.release();
    }
  });

  it('maps SQL column types to cell kinds', () => {
    expect(['integer', 'double precision', 'boolean', 'json', 'jsonb', 'text[]', 'timestamptz', 'text'].map(copyKind)).toEqual([
      'number',
      'number',
      'boolean',
      'json',
      'json',
      'text[]',
      'text',
      'text',
    ]);
  });

  it('reads a SQL column list, types of several words included', () => {
    expect(copyColumns('id text, n double precision,\n  tags text[], doc json, at timestamptz, ok boolean')).toEqual([
      { name: 'id', kind: 'text' },
      { name: 'n', kind: 'number' },
      { name: 'tags', kind: 'text[]' },
      { name: 'doc', kind: 'json' },
      { name: 'at', kind: 'text' },
      { name: 'ok', kind: 'boolean' },
    ]);
  });
});
