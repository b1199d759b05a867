/**
 * RFC 8785 JSON Canonicalization Scheme: object members sorted by the UTF-16 code units of their
 * names, ECMAScript number serialisation, no whitespace. The bytes every leaf hash is taken over.
 */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
}

export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, parts, '$');
  return parts.join('');
}

export const canonicalJsonBytes = (value: unknown): Buffer => Buffer.from(canonicalJson(value), 'utf8');

function write(value: unknown, out: string[], path: string): void {
  switch (typeof value) {
    case 'string':
      out.push(quote(value, path));
      return;
    case 'number':
      // Number#toString is the ECMAScript serialisation RFC 8785 §3.2.2.3 names; -0 becomes "0".
      if (!Number.isFinite(value)) throw new CanonicalJsonError(`${path}: ${value} has no JSON form`);
      out.push(Object.is(value, -0) ? '0' : String(value));
      return;
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'object':
      if (value === null) out.push('null');
      else if (Array.isArray(value)) writeArray(value, out, path);
      else writeObject(value as Record<string, unknown>, out, path);
      return;
    default:
      throw new CanonicalJsonError(`${path}: a ${typeof value} has no JSON form`);
  }
}

function writeArray(items: readonly unknown[], out: string[], path: string): void {
  out.push('[');
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out.push(',');
    // Like JSON.stringify: a hole or undefined in an array is null.
    const item = items[i];
    write(item === undefined ? null : item, out, `${path}[${i}]`);
  }
  out.push(']');
}

function writeObject(object: Record<string, unknown>, out: string[], path: string): void {
  if (typeof (object as { toJSON?: unknown }).toJSON === 'function') {
    write((object as { toJSON: () => unknown }).toJSON(), out, path);
    return;
  }
  // The default sort compares UTF-16 code units, exactly what RFC 8785 §3.2.3 asks for.
  const keys = Object.keys(object).sort();
  out.push('{');
  let first = true;
  for (const key of keys) {
    const member = object[key];
    if (member === undefined) continue; // absent, as in JSON.stringify
    if (!first) out.push(',');
    first = false;
    out.push(quote(key, path), ':');
    write(member, out, `${path}.${key}`);
  }
  out.push('}');
}

const LONE_SURROGATE = /\p{Cs}/u;

function quote(text: string, path: string): string {
  // RFC 8785 requires well-formed Unicode; JSON.stringify would escape a lone surrogate instead.
  if (LONE_SURROGATE.test(text)) throw new CanonicalJsonError(`${path}: a string holds a lone surrogate`);
  // JSON.stringify escapes exactly as RFC 8785 §3.2.2.2 asks: \b \t \n \f \r, \u00xx lower-case, " and \.
  return JSON.stringify(text);
}
