/**
 * Log positions arrive as opaque strings ("commit/prepare" from PostgreSQL, e.g. "1234/1234").
 * Returns the later of the two; an unparsable one loses, so a bad value never replaces a good one.
 */
export function laterPosition(current: string | null, candidate: string): string {
  const next = parse(candidate);
  if (!next) return current ?? candidate;
  const known = current ? parse(current) : null;
  if (!known) return candidate;
  for (let i = 0; i < Math.max(known.length, next.length); i++) {
    const a = known[i] ?? 0n;
    const b = next[i] ?? 0n;
    if (a !== b) return b > a ? candidate : current!;
  }
  return current!;
}

function parse(position: string): bigint[] | null {
  if (!/^\d+(\/\d+)*$/.test(position)) return null;
  return position.split('/').map((part) => BigInt(part));
}
