import { inclusionRoot } from '@palabre/domain';
import { isPowerOfTwo, nodeHash } from './hashing.js';

const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/** RFC 9162 §2.1.3.2: does `proof` lead from the leaf at `leafIndex` to `root` in a tree of `treeSize`? (The path is the domain's, shared with the app.) */
export function verifyInclusion(leafIndex: number, treeSize: number, leaf: Buffer, proof: readonly Buffer[], root: Buffer): boolean {
  const reached = inclusionRoot(leafIndex, treeSize, leaf, proof, nodeHash);
  return reached !== null && reached.equals(root);
}

/** RFC 9162 §2.1.4.2: is the tree of `second` leaves (root2) an append-only extension of the one of `first` (root1)? */
export function verifyConsistency(first: number, second: number, root1: Buffer, root2: Buffer, proof: readonly Buffer[]): boolean {
  if (!(first >= 0 && first <= second)) return false;
  if (first === second) return proof.length === 0 && root1.equals(root2);
  if (first === 0) return proof.length === 0; // the empty tree is a prefix of every tree
  if (proof.length === 0) return false;
  // A power-of-two first tree is a node of the second: its root opens the path.
  const path = isPowerOfTwo(first) ? [root1, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (odd(fn)) (fn = half(fn)), (sn = half(sn));
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (odd(fn) || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (!odd(fn)) while (!odd(fn) && fn !== 0) (fn = half(fn)), (sn = half(sn));
    } else {
      sr = nodeHash(sr, c);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return fr.equals(root1) && sr.equals(root2) && sn === 0;
}

interface VerifiedNode {
  readonly fn: number;
  readonly hash: Buffer;
  /** The two children it was hashed from. */
  readonly left: Buffer;
  readonly right: Buffer;
  /** The proof that authenticated this node and where its remaining siblings start in it. */
  readonly proof: readonly string[];
  readonly next: number;
}

/**
 * Checks many inclusion proofs against one root. A node already authenticated by an earlier proof
 * ends the walk early: its remaining siblings must then be the very same, compared as text. When
 * the walk reaches it from the very same two children, their hash is known without hashing them
 * again. Leaves in index order cost about one node hash each instead of log n.
 */
export class InclusionVerifier {
  /** By number of right shifts (the node's level in RFC 9162's walk). */
  private verified: (VerifiedNode | undefined)[] = [];

  constructor(
    readonly treeSize: number,
    private readonly root: Buffer,
  ) {}

  /** `proof` holds base64 hashes, leaf to root. */
  verify(leafIndex: number, leaf: Buffer, proof: readonly string[]): boolean {
    if (!(Number.isSafeInteger(leafIndex) && leafIndex >= 0 && leafIndex < this.treeSize)) return false;
    let fn = leafIndex;
    let sn = this.treeSize - 1;
    let shifts = 0;
    let r = leaf;
    const walked: { shifts: number; node: VerifiedNode }[] = [];
    for (let j = 0; j < proof.length; j++) {
      if (sn === 0) return false;
      const p = decodeHash(proof[j]!);
      if (p === null) return false;
      let left = r;
      let right = p;
      if (odd(fn) || fn === sn) {
        left = p;
        right = r;
        if (!odd(fn)) while (!odd(fn) && fn !== 0) (fn = half(fn)), (sn = half(sn)), shifts++;
      }
      fn = half(fn);
      sn = half(sn);
      shifts++;
      const known = this.verified[shifts];
      if (known !== undefined && known.fn === fn) {
        const same = left.equals(known.left) && right.equals(known.right);
        if ((!same && !nodeHash(left, right).equals(known.hash)) || !sameTail(proof, j + 1, known.proof, known.next)) return false;
        this.remember(walked);
        return true;
      }
      r = nodeHash(left, right);
      walked.push({ shifts, node: { fn, hash: r, left, right, proof, next: j + 1 } });
    }
    if (!(sn === 0 && r.equals(this.root))) return false;
    this.verified = [];
    this.remember(walked);
    return true;
  }

  private remember(walked: readonly { shifts: number; node: VerifiedNode }[]): void {
    for (const { shifts, node } of walked) this.verified[shifts] = node;
  }
}

function sameTail(a: readonly string[], i: number, b: readonly string[], j: number): boolean {
  if (a.length - i !== b.length - j) return false;
  for (; i < a.length; i++, j++) if (a[i] !== b[j]) return false;
  return true;
}

/** Which character codes below 128 are base64 digits. */
const BASE64_DIGIT = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') BASE64_DIGIT[c.charCodeAt(0)] = 1;

/** A 32-byte hash from its base64 form (43 digits and one `=`), or null when it is not one. */
export function decodeHash(text: string): Buffer | null {
  if (typeof text !== 'string' || text.length !== 44 || text.charCodeAt(43) !== 0x3d) return null;
  // A loop over the digits: a regular expression costs more than the decoding itself here.
  for (let i = 0; i < 43; i++) if (BASE64_DIGIT[text.charCodeAt(i)] !== 1) return null;
  return Buffer.from(text, 'base64');
}
