import { sha256 } from '@noble/hashes/sha2.js';
import { inclusionRoot } from '@palabre/domain/transparency/inclusion';
import type { BallotAnswer, ReceiptRecord } from '../api/types.ts';

/** What "check my ballot" established, each step on the phone itself, trusting only the audit key. */
export interface BallotCheck {
  /** The ballot the log holds says what the receipt page shows. */
  readonly sameAnswers: boolean;
  /** That ballot hashes to the leaf the proof starts from. */
  readonly leafMatches: boolean;
  /** The proof leads from that leaf to the signed root. */
  readonly included: boolean;
  /** The root's tree head is signed by the key this phone first saw. */
  readonly signed: boolean;
  /** No signed tree head covers the ballot yet (heads are signed every few minutes). */
  readonly pending: boolean;
}

const fromBase64 = (text: string): Uint8Array => Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
const concat = (...parts: Uint8Array[]): Uint8Array => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
};
const equal = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((byte, i) => byte === b[i]);
/** RFC 6962: leaves are SHA-256(0x00 ‖ data), nodes SHA-256(0x01 ‖ left ‖ right). */
const leafHash = (bytes: Uint8Array) => sha256(concat(new Uint8Array([0]), bytes));
const nodeHash = (left: Uint8Array, right: Uint8Array) => sha256(concat(new Uint8Array([1]), left, right));

const sameAnswer = (a: BallotAnswer | undefined, b: BallotAnswer | undefined) => JSON.stringify(a) === JSON.stringify(b);

/**
 * Checks a ballot's receipt record: the event the log hashed holds these answers, it is the leaf the
 * proof starts from, the proof leads to the root, and the audit key signed that root.
 */
export async function checkBallot(record: ReceiptRecord, publicKeyPem: string): Promise<BallotCheck> {
  const event = JSON.parse(record.envelope) as { data: { answers: Record<string, BallotAnswer> } };
  const keys = new Set([...Object.keys(event.data.answers), ...Object.keys(record.answers)]);
  const sameAnswers = [...keys].every((k) => sameAnswer(event.data.answers[k], record.answers[k]));
  const leaf = leafHash(new TextEncoder().encode(record.envelope));
  if (!record.inclusion) return { sameAnswers, leafMatches: false, included: false, signed: false, pending: true };
  const { inclusion } = record;
  const leafMatches = equal(leaf, fromBase64(inclusion.leafHash));
  const root = inclusionRoot(inclusion.leafIndex, inclusion.treeSize, leaf, inclusion.inclusionProof.map(fromBase64), nodeHash);
  const included = root !== null && equal(root, fromBase64(inclusion.treeHead.rootHash)) && inclusion.treeHead.treeSize === inclusion.treeSize;
  const signed = await verifyTreeHead(inclusion.treeHead, publicKeyPem);
  return { sameAnswers, leafMatches, included, signed, pending: false };
}

/** Ed25519 over RFC 8785 JSON of {rootHash, timestamp, treeSize} (members in that order, as the log signs them). */
async function verifyTreeHead(head: { treeSize: number; rootHash: string; timestamp: string; signature: string }, publicKeyPem: string): Promise<boolean> {
  try {
    const der = fromBase64(publicKeyPem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
    const key = await crypto.subtle.importKey('spki', der as BufferSource, { name: 'Ed25519' }, false, ['verify']);
    const payload = new TextEncoder().encode(`{"rootHash":${JSON.stringify(head.rootHash)},"timestamp":${JSON.stringify(head.timestamp)},"treeSize":${head.treeSize}}`);
    return await crypto.subtle.verify({ name: 'Ed25519' }, key, fromBase64(head.signature) as BufferSource, payload as BufferSource);
  } catch {
    // A browser without Ed25519 in WebCrypto cannot check the signature: say so rather than pass.
    return false;
  }
}
