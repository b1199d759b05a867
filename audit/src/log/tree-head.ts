import type { KeyObject } from 'node:crypto';
import { canonicalJsonBytes } from '@palabre/event-store';
import { type TreeHeadSigner, verifySignature } from '../signing/keys.js';

/** A signed statement "the log had `treeSize` events, and this was their Merkle root, at `timestamp`". */
export interface SignedTreeHead {
  readonly treeSize: number;
  /** Base64 of the 32-byte RFC 6962 root. */
  readonly rootHash: string;
  /** ISO-8601 UTC, millisecond precision. */
  readonly timestamp: string;
  /** Base64 Ed25519 signature over `treeHeadPayload`. */
  readonly signature: string;
  readonly keyId: string;
}

/** The signed bytes: RFC 8785 JSON of exactly these three members. */
export const treeHeadPayload = (head: Pick<SignedTreeHead, 'treeSize' | 'rootHash' | 'timestamp'>): Buffer =>
  canonicalJsonBytes({ treeSize: head.treeSize, rootHash: head.rootHash, timestamp: head.timestamp });

export function signTreeHead(signer: TreeHeadSigner, treeSize: number, root: Buffer, at: Date): SignedTreeHead {
  const unsigned = { treeSize, rootHash: root.toString('base64'), timestamp: at.toISOString() };
  return { ...unsigned, signature: signer.sign(treeHeadPayload(unsigned)).toString('base64'), keyId: signer.keyId };
}

export const verifyTreeHead = (head: SignedTreeHead, publicKey: KeyObject): boolean =>
  typeof head.signature === 'string' && verifySignature(publicKey, treeHeadPayload(head), Buffer.from(head.signature, 'base64'));
