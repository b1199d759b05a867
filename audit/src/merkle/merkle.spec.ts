import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { EMPTY_ROOT, leafHash, nodeHash } from './hashing.js';
import { consistencyProof, Frontier, frontierKeys, hashLevels, inclusionProof, levelBuffers, levelRuns, MemoryTree, rootHash } from './tree.js';
import { InclusionVerifier, verifyConsistency, verifyInclusion } from './verify.js';
import { ProofTexts } from './proof-text.js';

const leaves = (n: number) => Array.from({ length: n }, (_, i) => leafHash(Buffer.from(`event ${i}`)));
const treeOf = (hashes: Buffer[]) => new MemoryTree(Buffer.concat(hashes));

/** MTH straight from RFC 6962 §2.1, recursive over the leaf list: the reference the fast code must match. */
function referenceRoot(hashes: Buffer[]): Buffer {
  if (hashes.length === 0) return EMPTY_ROOT;
  if (hashes.length === 1) return hashes[0]!;
  let k = 1;
  while (k * 2 < hashes.length) k *= 2;
  return nodeHash(referenceRoot(hashes.slice(0, k)), referenceRoot(hashes.slice(k)));
}

describe('RFC 6962 Merkle tree', () => {
  it('hashes leaves and nodes with the 0x00 / 0x01 prefixes', () => {
    expect(leafHash(Buffer.from('')).toString('hex')).toBe('6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d');
    expect(EMPTY_ROOT.toString('hex')).toBe(createHash('sha256').digest('hex'));
    const [a, b] = leaves(2) as [Buffer, Buffer];
    expect(nodeHash(a, b)).toEqual(createHash('sha256').update(Buffer.concat([Buffer.from([1]), a, b])).digest());
  });

  it('gives the reference root for every size up to 70, in memory and through the frontier', () => {
    const all = leaves(70);
    const frontier = new Frontier(0, []);
    for (let size = 1; size <= all.length; size++) {
      frontier.append(all[size - 1]!);
      const expected = referenceRoot(all.slice(0, size));
      expect(rootHash(treeOf(all.slice(0, size)), size)).toEqual(expected);
      expect(frontier.root()).toEqual(expected);
    }
  });

  it('builds the same levels when runs of leaves are hashed apart (as export workers do) and the top joined after', () => {
    const all = leaves(70);
    for (let size = 1; size <= all.length; size++) {
      const whole = treeOf(all.slice(0, size));
      for (const parts of [2, 3, 4]) {
        const levels = levelBuffers(size, (bytes) => Buffer.alloc(bytes));
        Buffer.concat(all.slice(0, size)).copy(levels[0]!);
        const { highest, runs } = levelRuns(size, parts);
        expect(runs.length).toBeLessThanOrEqual(parts);
        for (const [from, to] of runs) hashLevels(levels, from, to, 1, highest);
        hashLevels(levels, 0, size, highest + 1, levels.length - 1);
        expect(MemoryTree.fromLevels(levels).sharedLevels().map((l) => Buffer.from(l))).toEqual(whole.sharedLevels().map((l) => Buffer.from(l)));
      }
    }
  });

  it('reports every interior node the frontier completes, and resumes from stored nodes', () => {
    const all = leaves(37);
    const tree = treeOf(all);
    const frontier = new Frontier(0, []);
    const completed = all.flatMap((leaf) => frontier.append(leaf));
    expect(completed.length).toBe(37 - 3); // 37 = 32 + 4 + 1: one interior node per merge
    for (const node of completed) expect(node.hash).toEqual(tree.node(node.level, node.index));
    const resumed = new Frontier(21, frontierKeys(21).map((k) => tree.node(k.level, k.index)));
    for (const leaf of all.slice(21)) resumed.append(leaf);
    expect(resumed.root()).toEqual(frontier.root());
  });

  it('proves inclusion of every leaf in every tree size up to 40, and nothing else', () => {
    const all = leaves(40);
    for (let size = 1; size <= all.length; size++) {
      const tree = treeOf(all.slice(0, size));
      const root = rootHash(tree, size);
      for (let m = 0; m < size; m++) {
        const proof = inclusionProof(tree, m, size);
        expect(verifyInclusion(m, size, all[m]!, proof, root)).toBe(true);
        expect(verifyInclusion(m, size, all[(m + 1) % 40]!, proof, root)).toBe(false);
        if (size > 1) expect(verifyInclusion((m + 1) % size, size, all[m]!, proof, root)).toBe(false);
      }
    }
  });

  it('proves consistency between every pair of sizes up to 40, and refuses a different history', () => {
    const all = leaves(40);
    const tree = treeOf(all);
    const forked = [...all];
    forked[3] = leafHash(Buffer.from('rewritten'));
    for (let second = 1; second <= 40; second++) {
      for (let first = 1; first <= second; first++) {
        const proof = consistencyProof(tree, first, second);
        const root1 = rootHash(tree, first);
        const root2 = rootHash(tree, second);
        expect(verifyConsistency(first, second, root1, root2, proof)).toBe(true);
        if (first > 3) expect(verifyConsistency(first, second, referenceRoot(forked.slice(0, first)), root2, proof)).toBe(false);
      }
    }
  });

  it('writes the same proofs as JSON text, for every leaf of odd and even sizes', () => {
    for (const size of [1, 2, 7, 16, 17, 64, 100, 1000, 1025]) {
      const tree = treeOf(leaves(size));
      const texts = new ProofTexts(tree, size);
      for (let m = 0; m < size; m++) expect(JSON.parse(texts.proof(m))).toEqual(inclusionProof(tree, m, size).map((h) => h.toString('base64')));
      // Out of order too: what is remembered per block must not depend on which leaf came first.
      const fresh = new ProofTexts(tree, size);
      for (let m = size - 1; m >= 0; m -= 3) expect(JSON.parse(fresh.proof(m))).toEqual(inclusionProof(tree, m, size).map((h) => h.toString('base64')));
    }
  });

  it('checks many proofs against one root with shared work, catching any bad leaf or sibling', () => {
    const all = leaves(1000);
    const tree = treeOf(all);
    const root = rootHash(tree, 1000);
    const b64 = (m: number) => inclusionProof(tree, m, 1000).map((h) => h.toString('base64'));
    const verifier = new InclusionVerifier(1000, root);
    for (let m = 0; m < 1000; m++) expect(verifier.verify(m, all[m]!, b64(m))).toBe(true);
    expect(verifier.verify(500, all[501]!, b64(500))).toBe(false);
    const badSibling = b64(501);
    badSibling[badSibling.length - 1] = Buffer.alloc(32).toString('base64');
    expect(verifier.verify(501, all[501]!, badSibling)).toBe(false);
    expect(verifier.verify(1000, all[0]!, b64(0))).toBe(false);
    expect(verifier.verify(502, all[502]!, b64(502))).toBe(true);
  });
});
