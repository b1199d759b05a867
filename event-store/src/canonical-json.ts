/**
 * RFC 8785 JSON Canonicalization Scheme: object members sorted by the UTF-16 code units of their
 * names, ECMAScript number serialisation, no whitespace. The form in which the PostgreSQL log
 * stores data and metadata, and the bytes every leaf of the transparency log hashes.
 */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  constructor(
    readonly reason: string,
    /** Where in the value, JSONPath-like: `$.data.location.lat`. */
    readonly path = '$',
  ) {
    super(`${path}: ${reason}`);
  }

  /** The same error one level further out (paths are built only when something fails). */
  within(segment: string): CanonicalJsonError {
    return new CanonicalJsonError(this.reason, `$${segment}${this.path.slice(1)}`);
  }
}

export function canonicalJson(value: unknown): string {
  // Fast path: a value already in canonical order (as read back from a bundle) is what JSON.stringify writes.
  if (alreadyCanonical(value)) {
    const text = JSON.stringify(value);
    if (!ESCAPED_LONE_SURROGATE.test(text)) return text;
  }
  // Next fastest: a copy with members in canonical order, written by JSON.stringify in one native
  // pass. The member-by-member writer below handles what a copy cannot (and names where it fails).
  const copy = sortedCopy(value);
  if (copy === NOT_PLAIN) return write(value);
  const text = JSON.stringify(copy);
  return ESCAPED_LONE_SURROGATE.test(text) ? write(value) : text;
}

const NOT_PLAIN = Symbol('not plain JSON');

/** Array-index names: a JavaScript object lists them first, in numeric order, whatever the insertion order. */
const INDEX_NAME = /^(?:0|[1-9][0-9]{0,9})$/;
const isDigit = (code: number) => code >= 0x30 && code <= 0x39;

/**
 * The value with every object's members inserted in canonical order, or NOT_PLAIN for anything
 * JSON.stringify would write differently from RFC 8785 (a non-finite number, a toJSON method, a
 * member name an object cannot keep in insertion order) except lone surrogates, which JSON.stringify
 * escapes where they can be found.
 */
function sortedCopy(value: unknown): unknown {
  switch (typeof value) {
    case 'string': // a lone surrogate shows in the text JSON.stringify writes, checked there once
      return value;
    case 'number':
      return Number.isFinite(value) ? value : NOT_PLAIN;
    case 'boolean':
      return value;
    case 'object': {
      if (value === null) return null;
      if (Array.isArray(value)) {
        const items: unknown[] = new Array(value.length);
        let same = true;
        for (let i = 0; i < value.length; i++) {
          const item = value[i];
          const copy = item === undefined ? null : sortedCopy(item);
          if (copy === NOT_PLAIN) return NOT_PLAIN;
          items[i] = copy;
          if (copy !== item) same = false;
        }
        return same ? value : items;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return NOT_PLAIN;
      const keys = Object.keys(value);
      let ordered = true;
      for (let i = 1; i < keys.length && ordered; i++) ordered = keys[i - 1]! < keys[i]!;
      if (!ordered) keys.sort();
      // An object already in canonical order whose members need no copy is kept as it is.
      let same = ordered;
      const members: Record<string, unknown> = {};
      for (const key of keys) {
        const member = (value as Record<string, unknown>)[key];
        if (member === undefined) {
          same = false;
          continue;
        }
        if (key === '__proto__' || (isDigit(key.charCodeAt(0)) && INDEX_NAME.test(key))) return NOT_PLAIN;
        const copy = sortedCopy(member);
        if (copy === NOT_PLAIN) return NOT_PLAIN;
        members[key] = copy;
        if (copy !== member) same = false;
      }
      return same ? value : members;
    }
    default:
      return NOT_PLAIN;
  }
}

/** JSON.stringify's escape of a lone surrogate (`\ud800`), not preceded by an escaped backslash. */
const ESCAPED_LONE_SURROGATE = /(?<!\\)(?:\\\\)*\\ud[89a-f][0-9a-f]{2}/i;

/** Sorted member names all the way down, finite numbers, nothing JSON.stringify would drop or convert. */
function alreadyCanonical(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value);
    case 'object': {
      if (value === null) return true;
      if (Array.isArray(value)) {
        for (const item of value) if (item === undefined || !alreadyCanonical(item)) return false;
        return true;
      }
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
      const keys = Object.keys(value);
      for (let i = 0; i < keys.length; i++) {
        if (i > 0 && !(keys[i - 1]! < keys[i]!)) return false;
        const member = (value as Record<string, unknown>)[keys[i]!];
        if (member === undefined || !alreadyCanonical(member)) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

export const canonicalJsonBytes = (value: unknown): Buffer => Buffer.from(canonicalJson(value), 'utf8');

// The careful path, member by member: for what a sorted copy cannot carry, and to name where a value fails.
function write(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return canonicalString(value);
    case 'number':
      // Number#toString is the ECMAScript serialisation RFC 8785 §3.2.2.3 names; -0 becomes "0".
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${value} has no JSON form`);
      return value === 0 ? '0' : String(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value === null) return 'null';
      return Array.isArray(value) ? writeArray(value) : writeObject(value as Record<string, unknown>);
    default:
      throw new CanonicalJsonError(`a ${typeof value} has no JSON form`);
  }
}

function writeArray(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    // Like JSON.stringify: a hole or undefined in an array is null.
    const item = items[i];
    try {
      out += write(item === undefined ? null : item);
    } catch (error) {
      throw error instanceof CanonicalJsonError ? error.within(`[${i}]`) : error;
    }
  }
  return `${out}]`;
}

function writeObject(object: Record<string, unknown>): string {
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') return write((object as { toJSON: () => unknown }).toJSON());
  // The default sort compares UTF-16 code units, exactly what RFC 8785 §3.2.3 asks for.
  const keys = Object.keys(object).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue; // absent, as in JSON.stringify
    if (!first) out += ',';
    first = false;
    try {
      out += `${canonicalString(key)}:${write(member)}`;
    } catch (error) {
      throw error instanceof CanonicalJsonError ? error.within(`.${key}`) : error;
    }
  }
  return `${out}}`;
}

/** A string in canonical form (a lone surrogate has none). */
export function canonicalString(text: string): string {
  // RFC 8785 requires well-formed Unicode; JSON.stringify would escape a lone surrogate instead.
  if (!text.isWellFormed()) throw new CanonicalJsonError('a string holds a lone surrogate');
  // JSON.stringify escapes exactly as RFC 8785 §3.2.2.2 asks: \b \t \n \f \r, \u00xx lower-case, " and \.
  return JSON.stringify(text);
}
