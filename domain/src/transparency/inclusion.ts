const odd = (n: number) => n % 2 === 1;
const half = (n: number) => Math.floor(n / 2);

/**
 * RFC 9162 §2.1.3.2: the root an inclusion proof leads to from the leaf at `leafIndex` in a tree of
 * `treeSize` leaves, or null when the proof cannot belong to that position (wrong length, index out
 * of range). The hash is given, so the same path runs on Node's crypto (the verifier) and on a
 * phone's (the app's "check my ballot"); the caller compares the result with the signed root.
 */
export function inclusionRoot<H>(leafIndex: number, treeSize: number, leaf: H, proof: readonly H[], node: (left: H, right: H) => H): H | null {
  if (!(Number.isInteger(leafIndex) && leafIndex >= 0 && leafIndex < treeSize)) return null;
  let fn = leafIndex;
  let sn = treeSize - 1;
  let r = leaf;
  for (const p of proof) {
    if (sn === 0) return null;
    if (odd(fn) || fn === sn) {
      r = node(p, r);
      if (!odd(fn)) while (!odd(fn) && fn !== 0) (fn = half(fn)), (sn = half(sn));
    } else {
      r = node(r, p);
    }
    fn = half(fn);
    sn = half(sn);
  }
  return sn === 0 ? r : null;
}
