import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COPY_MIN_ROWS, copyColumns, copyKind, copyRows, insertRows } from './copy.js';
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
      { name: 'id', kind: 'text', type: 'text' },
      { name: 'n', kind: 'number', type: 'double precision' },
      { name: 'tags', kind: 'text[]', type: 'text[]' },
      { name: 'doc', kind: 'json', type: 'json' },
      { name: 'at', kind: 'text', type: 'timestamptz' },
      { name: 'ok', kind: 'boolean', type: 'boolean' },
    ]);
  });

  describe('insertRows', () => {
    const typed = copyColumns('id text, n double precision, i integer, b boolean, at timestamptz, tags text[], doc json');
    const awkward = 'Bac plein\tprès du "marché"\nligne 2\r\\ fin \\N 🗑️';
    const rowsFor = (prefix: string, count: number) =>
      Array.from({ length: count }, (_, k) => ({
        id: `${prefix}-${String(k).padStart(3, '0')}`,
        n: k % 3 === 0 ? null : k / 7,
        i: -k,
        b: k % 2 === 0,
        at: k % 5 === 0 ? null : '2026-11-23T10:15:00.000Z',
        tags: k % 4 === 0 ? null : [awkward, 'a,b', ''],
        doc: k % 6 === 0 ? null : { text: awkward, k },
      }));
    const stored = async (prefix: string) =>
      (
        await fixture.pool.query(
          `SELECT substr(id, ${prefix.length + 2}) AS k, n, i, b, at, tags, doc FROM copied WHERE id LIKE $1 || '-%' ORDER BY id COLLATE "C"`,
          [prefix],
        )
      ).rows;

    it('writes a small batch in one INSERT and a large one with COPY, to the same rows', async () => {
      const client = await fixture.pool.connect();
      const statements: string[] = [];
      const query = client.query.bind(client);
      client.query = ((...args: Parameters<typeof query>) => (statements.push(typeof args[0] === 'string' ? args[0] : 'COPY'), query(...args))) as typeof client.query;
      try {
        await insertRows(client, 'copied', typed, rowsFor('small', COPY_MIN_ROWS - 1));
        expect(statements).toHaveLength(1);
        expect(statements[0]).toMatch(/^INSERT INTO copied .* json_to_recordset/);
        await insertRows(client, 'copied', typed, rowsFor('large', COPY_MIN_ROWS + 20));
        expect(statements).toEqual([statements[0], 'COPY']);
      } finally {
        client.query = query;
        client.release();
      }
      const small = await stored('small');
      expect(small).toHaveLength(COPY_MIN_ROWS - 1);
      expect(small).toEqual((await stored('large')).slice(0, COPY_MIN_ROWS - 1));
      expect(small[1]).toMatchObject({ n: 1 / 7, i: -1, b: false, tags: [awkward, 'a,b', ''], doc: { text: awkward, k: 1 } });
    });

    it('fails on a repeated key, both ways, and writes nothing', async () => {
      const client = await fixture.pool.connect();
      try {
        for (const count of [2, COPY_MIN_ROWS]) {
          const rows = rowsFor(`dup${count}`, count);
          await expect(insertRows(client, 'copied', typed, [...rows.slice(1), rows[0]!, rows[0]!])).rejects.toThrow(/duplicate key/);
        }
      } finally {
        client.release();
      }
      expect((await fixture.pool.query(`SELECT count(*)::int AS n FROM copied WHERE id LIKE 'dup%'`)).rows[0].n).toBe(0);
    });
  });
});
