import { EMPTY_ROOT, isPowerOfTwo, nodeHash, pairHasher, splitPoint } from './hashing.js';

/**
 * Hashes of perfect subtrees: node (level, index) covers leaves [index·2^level, (index+1)·2^level);
 * level 0 is the leaf hashes. Any RFC 6962 root or proof is built from O(log² n) of them.
 */
export interface NodeSource {
  node(level: number, index: number): Buffer;
  /** Where to keep hashes of unbalanced (right-edge) subtrees, which every proof of one tree size shares. */
  readonly memo?: Map<string, Buffer>;
}

/** MTH(D[start:end]) of RFC 6962 §2.1. */
export function subtreeHash(source: NodeSource, start: number, end: number): Buffer {
  const n = end - start;
  if (n === 1) return source.node(0, start);
  if (isPowerOfTwo(n) && start % n === 0) return source.node(Math.log2(n), start / n);
  const key = source.memo ? `${start}:${end}` : '';
  const known = source.memo?.get(key);
  if (known) return known;
  const k = splitPoint(n);
  const hash = nodeHash(subtreeHash(source, start, start + k), subtreeHash(source, start + k, end));
  source.memo?.set(key, hash);
  return hash;
}

export const rootHash = (source: NodeSource, size: number): Buffer => (size === 0 ? EMPTY_ROOT : subtreeHash(source, 0, size));

/** PATH(m, D[0:size]) of RFC 6962 §2.1.1, leaf to root (the order RFC 9162 verifiers read). */
export function inclusionProof(source: NodeSource, leafIndex: number, size: number): Buffer[] {
  if (!(leafIndex >= 0 && leafIndex < size)) throw new RangeError(`Leaf ${leafIndex} is not in a tree of ${size} leaves`);
  const path: Buffer[] = [];
  const walk = (m: number, start: number, end: number): void => {
    const n = end - start;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      walk(m, start, start + k);
      path.push(subtreeHash(source, start + k, end));
    } else {
      walk(m - k, start + k, end);
      path.push(subtreeHash(source, start, start + k));
    }
  };
  walk(leafIndex, 0, size);
  return path;
}

/** PROOF(m, D[0:size]) of RFC 6962 §2.1.2: the tree of `size` leaves extends the one of `first`. */
export function consistencyProof(source: NodeSource, first: number, size: number): Buffer[] {
  if (!(first >= 0 && first <= size)) throw new RangeError(`No consistency proof from ${first} to ${size} leaves`);
  if (first === 0 || first === size) return [];
  const proof: Buffer[] = [];
  const sub = (m: number, start: number, end: number, whole: boolean): void => {
    const n = end - start;
    if (m === n) {
      if (!whole) proof.push(subtreeHash(source, start, end));
      return;
    }
    const k = splitPoint(n);
    if (m <= k) {
      sub(m, start, start + k, whole);
      proof.push(subtreeHash(source, start + k, end));
    } else {
      sub(m - k, start + k, end, false);
      proof.push(subtreeHash(source, start, start + k));
    }
  };
  sub(first, 0, size, true);
  return proof;
}

/** The perfect nodes of the compact range [0, size), largest first: all a tree needs to grow and give its root. */
export function frontierKeys(size: number): { level: number; index: number }[] {
  const keys: { level: number; index: number }[] = [];
  let start = 0;
  for (let level = Math.floor(Math.log2(Math.max(size, 1))) + 1; level >= 0; level--) {
    const width = 2 ** level;
    if (size - start >= width) {
      keys.push({ level, index: start / width });
      start += width;
    }
  }
  return keys;
}

export interface CompletedNode {
  readonly level: number;
  readonly index: number;
  readonly hash: Buffer;
}

/**
 * The right edge of a growing tree (a compact range): appending a leaf completes the perfect
 * subtrees it closes, like a carry in binary addition. O(log n) memory whatever the size.
 */
export class Frontier {
  private readonly nodes: CompletedNode[];

  /** `nodes` are the hashes of `frontierKeys(size)`, in that order. */
  constructor(
    private currentSize: number,
    nodes: readonly Buffer[],
  ) {
    const keys = frontierKeys(currentSize);
    if (keys.length !== nodes.length) throw new RangeError(`A tree of ${currentSize} leaves has ${keys.length} frontier nodes, got ${nodes.length}`);
    this.nodes = keys.map((key, i) => ({ ...key, hash: nodes[i]! }));
  }

  get size(): number {
    return this.currentSize;
  }

  /** Adds a leaf; returns the interior nodes (level ≥ 1) it completed, lowest first. */
  append(leaf: Buffer): CompletedNode[] {
    const completed: CompletedNode[] = [];
    let carry: CompletedNode = { level: 0, index: this.currentSize, hash: leaf };
    for (let top = this.nodes.at(-1); top !== undefined && top.level === carry.level; top = this.nodes.at(-1)) {
      this.nodes.pop();
      carry = { level: carry.level + 1, index: top.index / 2, hash: nodeHash(top.hash, carry.hash) };
      completed.push(carry);
    }
    this.nodes.push(carry);
    this.currentSize += 1;
    return completed;
  }

  root(): Buffer {
    if (this.nodes.length === 0) return EMPTY_ROOT;
    let hash = this.nodes.at(-1)!.hash;
    for (let i = this.nodes.length - 2; i >= 0; i--) hash = nodeHash(this.nodes[i]!.hash, hash);
    return hash;
  }
}

/** A whole tree in memory, each level one contiguous buffer: for exports and benches. */
export class MemoryTree implements NodeSource {
  private readonly levels: Buffer[];
  readonly memo = new Map<string, Buffer>();

  /** `leaves` is the concatenation of the leaf hashes, 32 bytes each. */
  constructor(leaves: Buffer) {
    this.levels = levelBuffers(leaves.length / 32, (bytes) => Buffer.allocUnsafe(bytes), leaves);
    hashLevels(this.levels, 0, leaves.length / 32, 1, this.levels.length - 1);
  }

  /** A tree over levels computed elsewhere (`hashLevels`, e.g. by worker threads over shared memory). */
  static fromLevels(levels: readonly Buffer[]): MemoryTree {
    const tree = Object.create(MemoryTree.prototype) as MemoryTree;
    Object.assign(tree, { levels: [...levels], memo: new Map<string, Buffer>() });
    return tree;
  }

  /** Every level in shared memory, for worker threads (`fromLevels` on the other side); copied only if not shared already. */
  sharedLevels(): SharedArrayBuffer[] {
    return this.levels.map((level) => {
      if (level.buffer instanceof SharedArrayBuffer && level.byteOffset === 0 && level.byteLength === level.buffer.byteLength) return level.buffer;
      const shared = new SharedArrayBuffer(level.length);
      level.copy(Buffer.from(shared));
      return shared;
    });
  }

  get size(): number {
    return this.levels[0]!.length / 32;
  }

  node(level: number, index: number): Buffer {
    const hashes = this.levels[level];
    if (!hashes || (index + 1) * 32 > hashes.length) throw new RangeError(`No complete node (${level}, ${index}) in a tree of ${this.size} leaves`);
    return hashes.subarray(index * 32, index * 32 + 32);
  }
}

/**
 * Buffers for every level of a MemoryTree of `size` leaves, leaves first (`leaves` when given,
 * else a new buffer to fill): level l holds the floor(size / 2^l) complete nodes of that height.
 */
export function levelBuffers(size: number, allocate: (bytes: number) => Buffer, leaves: Buffer = allocate(size * 32)): Buffer[] {
  const levels = [leaves];
  for (let count = Math.floor(size / 2); levels.at(-1)!.length >= 64; count = Math.floor(count / 2)) levels.push(allocate(count * 32));
  return levels;
}

/**
 * Hashes levels `lowest`…`highest` of `levels` over the leaves [from, to), each node from the two
 * below it. `from` must be a multiple of 2^highest and `to` one too or the tree's size: parts cut
 * that way share no node up to `highest`, so threads can compute them side by side.
 */
export function hashLevels(levels: readonly Buffer[], from: number, to: number, lowest: number, highest: number): void {
  const pairOf = pairHasher();
  for (let l = lowest; l <= highest && l < levels.length; l++) {
    const below = levels[l - 1]!;
    const level = levels[l]!;
    const end = Math.min(Math.floor(to / 2 ** l), level.length / 32);
    for (let i = from / 2 ** l; i < end; i++) pairOf(below.subarray(i * 64, i * 64 + 64)).copy(level, i * 32);
  }
}

/**
 * How to cut a tree of `size` leaves into at most `parts` runs that `hashLevels` can hash apart:
 * runs of 2^highest leaves (the last one shorter), no node up to `highest` spanning two of them.
 * Levels above `highest` are then hashed over the whole tree.
 */
export function levelRuns(size: number, parts: number): { readonly highest: number; readonly runs: readonly (readonly [from: number, to: number])[] } {
  const highest = Math.max(0, Math.ceil(Math.log2(Math.max(1, size / parts))));
  const run = 2 ** highest;
  const runs: [number, number][] = [];
  for (let from = 0; from < size; from += run) runs.push([from, Math.min(from + run, size)]);
  return { highest, runs };
}
