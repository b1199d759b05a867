/** Opaque keyset cursor: the sort it belongs to, the last row's sort value and id. */
export interface Cursor {
  readonly sort: string;
  readonly direction: 'asc' | 'desc';
  readonly value: string;
  readonly id: string;
}

export const encodeCursor = (cursor: Cursor): string =>
  Buffer.from(JSON.stringify([cursor.sort, cursor.direction, cursor.value, cursor.id])).toString('base64url');

export function decodeCursor(text: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 4 || !parsed.every((p) => typeof p === 'string')) throw new InvalidCursorError();
  const [sort, direction, value, id] = parsed as [string, string, string, string];
  if (direction !== 'asc' && direction !== 'desc') throw new InvalidCursorError();
  return { sort, direction, value, id };
}

/** The cursor is not one this API issued for the requested sort; the API maps it to HTTP 400. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  constructor(message = 'The page cursor is invalid or belongs to another sort order') {
    super(message);
  }
}
