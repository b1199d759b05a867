import type { ExportScope } from '../bundle/format.js';
import type { EventEnvelope } from '../log/envelope.js';
import { streamTypeOf } from '../log/envelope.js';

export class ExportError extends Error {
  override readonly name = 'ExportError';
  constructor(
    /** `export.invalid_scope`, `export.no_tree_head`, `export.tree_mismatch`. */
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A bound as typed by a person: a day (`2026-07-01`, taken in UTC, whole day inclusive) or an
 * ISO-8601 instant with its offset.
 */
export function parseBound(text: string, side: 'from' | 'to'): string {
  const value = text.trim();
  const iso = DAY.test(value) ? `${value}T${side === 'from' ? '00:00:00.000' : '23:59:59.999'}Z` : value;
  const ms = Date.parse(iso);
  if (!/^\d{4}-\d{2}-\d{2}(T.+)?$/.test(value) || Number.isNaN(ms)) {
    throw new ExportError('export.invalid_scope', `"${text}" is not a date (YYYY-MM-DD) or an ISO-8601 time`);
  }
  return new Date(ms).toISOString();
}

export function normaliseScope(input: {
  communeId?: string | null;
  from?: string | null;
  to?: string | null;
  streamTypes?: readonly string[] | null;
  excludedStreamTypes?: readonly string[];
}): ExportScope {
  const from = input.from ? parseBound(input.from, 'from') : null;
  const to = input.to ? parseBound(input.to, 'to') : null;
  if (from && to && from > to) throw new ExportError('export.invalid_scope', `"from" (${from}) is after "to" (${to})`);
  const streamTypes = input.streamTypes && input.streamTypes.length > 0 ? [...new Set(input.streamTypes)].sort() : null;
  for (const t of streamTypes ?? []) if (!/^[a-z][a-z0-9_]{0,39}$/.test(t)) throw new ExportError('export.invalid_scope', `"${t}" is not a stream type`);
  return { communeId: input.communeId ?? null, from, to, streamTypes, excludedStreamTypes: [...new Set(input.excludedStreamTypes ?? [])].sort() };
}

/** What the scope looks at in an envelope. */
export type ScopedFields = Pick<EventEnvelope, 'stream' | 'metadata' | 'recordedAt'>;

/** A predicate over envelopes, with the bounds parsed once. */
export function scopeMatcher(scope: ExportScope): (envelope: ScopedFields) => boolean {
  const from = scope.from === null ? -Infinity : Date.parse(scope.from);
  const to = scope.to === null ? Infinity : Date.parse(scope.to);
  const types = scope.streamTypes === null ? null : new Set(scope.streamTypes);
  const excluded = new Set(scope.excludedStreamTypes ?? []);
  return (envelope) => {
    if (scope.communeId !== null && envelope.metadata?.communeId !== scope.communeId) return false;
    const type = streamTypeOf(String(envelope.stream));
    if ((types !== null && !types.has(type)) || excluded.has(type)) return false;
    if (scope.from === null && scope.to === null) return true;
    const at = Date.parse(envelope.recordedAt);
    return at >= from && at <= to;
  };
}

/** Does the scope take every leaf of its range (so the verifier may demand they are all there)? */
export const scopeIsWholeRange = (scope: ExportScope): boolean =>
  scope.communeId === null && scope.streamTypes === null && (scope.excludedStreamTypes ?? []).length === 0;

/** May the scope hold streams of this type (`proposal-…`, `project-…`)? */
export const scopeAdmits = (scope: ExportScope, streamType: string): boolean =>
  (scope.streamTypes === null || scope.streamTypes.includes(streamType)) && !(scope.excludedStreamTypes ?? []).includes(streamType);
