import { isPowerOfTwo, splitPoint } from './hashing.js';
import { type NodeSource, subtreeHash } from './tree.js';

/**
 * Inclusion proofs of one tree size as JSON text (base64 hashes, leaf to root), for exports:
 * consecutive leaves share most of their path, so each node's base64 is computed once.
 */
export class ProofTexts {
  private readonly cache = new Map<number, string>();

  constructor(
    private readonly tree: NodeSource,
    readonly size: number,
  ) {}

  /** `["…","…"]`: the same hashes `inclusionProof` gives, in the same order. */
  proof(leafIndex: number): string {
    if (!(leafIndex >= 0 && leafIndex < this.size)) throw new RangeError(`Leaf ${leafIndex} is not in a tree of ${this.size} leaves`);
    const parts: string[] = [];
    this.walk(leafIndex, 0, this.size, parts);
    return parts.length === 0 ? '[]' : `["${parts.join('","')}"]`;
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
