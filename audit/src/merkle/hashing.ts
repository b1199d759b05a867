import { createHash, hash } from 'node:crypto';

/** RFC 6962 §2.1: domain-separated SHA-256, so a leaf can never pass for an interior node. */
export const HASH_BYTES = 32;
const LEAF_PREFIX = Buffer.from([0x00]);
const NODE_PREFIX = Buffer.from([0x01]);

// One-shot crypto.hash: a streaming Hash object costs more than hashing a leaf does.
export const leafHash = (data: Uint8Array): Buffer => hash('sha256', Buffer.concat([LEAF_PREFIX, data]), 'buffer');

/** The leaf hash of UTF-8 text, without copying it into a buffer first (U+0000 is the byte 0x00). */
export const leafHashOfText = (text: string): Buffer => hash('sha256', `\u0000${text}`, 'buffer');

export const nodeHash = (left: Uint8Array, right: Uint8Array): Buffer => hash('sha256', Buffer.concat([NODE_PREFIX, left, right], 65), 'buffer');

/** nodeHash of two hashes lying side by side (64 bytes), through one reused buffer instead of a new one per node. */
export function pairHasher(): (pair: Uint8Array) => Buffer {
  const input = Buffer.alloc(65);
  input[0] = NODE_PREFIX[0]!;
  return (pair) => {
    input.set(pair, 1);
    return hash('sha256', input, 'buffer');
  };
}

/** MTH of the empty tree (RFC 6962 §2.1): the hash of the empty string. */
export const EMPTY_ROOT: Buffer = createHash('sha256').digest();

/** Largest power of two strictly below n (n ≥ 2): where RFC 6962 splits a tree of n leaves. */
export function splitPoint(n: number): number {
  // Bit arithmetic below 2^31 leaves (every log this software will hold), a loop beyond.
  if (n <= 0x7fffffff) return 2 ** (31 - Math.clz32(n - 1));
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

export const isPowerOfTwo = (n: number): boolean =>
  n > 0 && (n <= 0x7fffffff ? (n & (n - 1)) === 0 : 2 ** Math.round(Math.log2(n)) === n);
