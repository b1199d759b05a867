import { isPowerOfTwo, splitPoint } from './hashing.js';
import { type NodeSource, subtreeHash } from './tree.js';

/** Leaves per block whose proofs share their upper part. */
const BLOCK = 16;

/**
 * Inclusion proofs of one tree size as JSON text (base64 hashes, leaf to root), for exports:
 * consecutive leaves share most of their path, so each node's base64 is computed once.
 */
export class ProofTexts {
  private readonly cache = new Map<number, string>();
  /** The upper part of the proofs of a block of leaves (every sibling above it), by block start. */
  private readonly upper = new Map<number, string>();

  constructor(
    private readonly tree: NodeSource,
    readonly size: number,
  ) {}

  /** `["…","…"]`: the same hashes `inclusionProof` gives, in the same order. */
  proof(leafIndex: number): string {
    if (!(leafIndex >= 0 && leafIndex < this.size)) throw new RangeError(`Leaf ${leafIndex} is not in a tree of ${this.size} leaves`);
    // Descend to the block of at most BLOCK leaves holding the leaf: the siblings met on the way are
    // the same for every leaf of the block, so their text is joined once per block.
    let start = 0;
    let end = this.size;
    while (end - start > BLOCK) {
      const k = splitPoint(end - start);
      if (leafIndex < start + k) end = start + k;
      else start += k;
    }
    let upper = this.upper.get(start);
    if (upper === undefined) {
      upper = this.upperPart(leafIndex, start);
      if (this.upper.size >= 100_000) this.upper.clear();
      this.upper.set(start, upper);
    }
    const parts: string[] = [];
    this.walk(leafIndex - start, start, end, parts);
    const lower = parts.join('","');
    if (lower.length === 0) return upper.length === 0 ? '[]' : `["${upper}"]`;
    return upper.length === 0 ? `["${lower}"]` : `["${lower}","${upper}"]`;
  }

  /** Siblings from the block starting at `blockStart` up to the root, leaf side first, joined. */
  private upperPart(leafIndex: number, blockStart: number): string {
    const parts: string[] = [];
    let start = 0;
    let end = this.size;
    while (end - start > BLOCK) {
      const k = splitPoint(end - start);
      if (leafIndex < start + k) {
        parts.push(this.text(start + k, end));
        end = start + k;
      } else {
        parts.push(this.text(start, start + k));
        start += k;
      }
    }
    if (start !== blockStart) throw new Error('unreachable: the block moved');
    return parts.reverse().join('","');
  }

  private walk(m: number, start: number, end: number, parts: string[]): void {
    const n = end - start;
    if (n === 1) return;
    const k = splitPoint(n);
    if (m < k) {
      this.walk(m, start, start + k, parts);
      parts.push(this.text(start + k, end));
    } else {
      this.walk(m - k, start + k, end, parts);
      parts.push(this.text(start, start + k));
    }
  }

  private text(start: number, end: number): string {
    const n = end - start;
    // Perfect nodes by (index, level); the unbalanced ones all end at `size`, so their start names them.
    const key = isPowerOfTwo(n) && start % n === 0 ? (start / n) * 64 + Math.log2(n) : -(start + 1);
    let text = this.cache.get(key);
    if (text === undefined) {
      if (this.cache.size >= 200_000) this.cache.clear();
      text = subtreeHash(this.tree, start, end).toString('base64');
      this.cache.set(key, text);
    }
    return text;
  }
}
