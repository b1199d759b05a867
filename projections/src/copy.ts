import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** How a value is written into a COPY cell. */
export type CopyKind = 'text' | 'number' | 'boolean' | 'json' | 'text[]';

export interface CopyColumn {
  readonly name: string;
  readonly kind: CopyKind;
}

/** A column with its SQL type, as `json_to_recordset` needs it. */
export interface TypedColumn extends CopyColumn {
  readonly type: string;
}

/**
 * Below this many rows, one INSERT beats COPY: a COPY takes two round trips (PostgreSQL must answer
 * it before the data may follow), and in a busy API process each round trip waits its turn in the
 * event loop while live updates wait for the commit. Above it, COPY's cheaper parsing wins.
 */
export const COPY_MIN_ROWS = 100;

/**
 * Inserts rows known to be new: a small batch in one `INSERT ... SELECT FROM json_to_recordset`,
 * a large one with COPY. Either way a repeated key fails the whole statement, as it should.
 */
export async function insertRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly TypedColumn[],
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  if (rows.length >= COPY_MIN_ROWS) return copyRows(client, table, columns, rows);
  const names = columns.map((c) => c.name).join(', ');
  const types = columns.map((c) => `${c.name} ${c.type}`).join(', ');
  await client.query(`INSERT INTO ${table} (${names}) SELECT ${names} FROM json_to_recordset($1::json) AS r(${types})`, [JSON.stringify(rows)]);
}

/**
 * Writes rows with COPY FROM STDIN (text format): PostgreSQL parses one tab-separated line per row
 * instead of a JSON document, about twice as cheap for wide rows. For rows known to be new only;
 * COPY has no ON CONFLICT, and a repeated key fails the whole statement, as it should.
 */
export async function copyRows(
  client: pg.ClientBase,
  table: string,
  columns: readonly CopyColumn[],
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  if (rows.length === 0) return;
  const lines = rows.map((row) => columns.map((c) => cell(row[c.name], c.kind)).join('\t'));
  const text = `${lines.join('\n')}\n`;
  const names = columns.map((c) => c.name).join(', ');
  await pipeline(Readable.from([text]), client.query(copyFrom(`COPY ${table} (${names}) FROM STDIN`)));
}

/** The COPY columns of a SQL column list such as `id text, n integer, tags text[]` (one list serves both COPY and json_to_recordset). */
export function copyColumns(columnsSql: string): TypedColumn[] {
  return columnsSql.split(',').map((column) => {
    const [name, ...words] = column.trim().split(/\s+/);
    const type = words.join(' ');
    return { name: name!, kind: copyKind(type), type };
  });
}

/** The COPY kind of a SQL column type, as written in a column list. */
export function copyKind(sqlType: string): CopyKind {
  switch (sqlType) {
    case 'integer':
    case 'bigint':
    case 'double precision':
      return 'number';
    case 'boolean':
      return 'boolean';
    case 'json':
    case 'jsonb':
      return 'json';
    case 'text[]':
      return 'text[]';
    default:
      return 'text'; // text and timestamptz (ISO strings)
  }
}

function cell(value: unknown, kind: CopyKind): string {
  if (value === null || value === undefined) return '\\N';
  switch (kind) {
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new TypeError(`Not a finite number: ${String(value)}`);
      return String(value);
    case 'boolean':
      return value ? 't' : 'f';
    case 'json':
      return escape(JSON.stringify(value));
    case 'text[]':
      return escape(`{${(value as readonly string[]).map((item) => `"${item.replace(/[\\"]/g, '\\$&')}"`).join(',')}}`);
    case 'text':
      return escape(String(value));
  }
}

/** COPY's text format: backslash, newline, carriage return and tab are escaped. */
const escape = (text: string): string => (/[\\\n\r\t]/.test(text) ? text.replace(/[\\\n\r\t]/g, (c) => ESCAPES[c]!) : text);

const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };
