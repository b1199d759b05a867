import type { KeyObject } from 'node:crypto';
import type { SignedResult } from '@palabre/domain';
import { canonicalJsonBytes } from '@palabre/event-store';
import { keyIdOf, type TreeHeadSigner, verifySignature } from '../signing/keys.js';

/** What a published result says: this consultation's tally, computed over the log at this signed tree head. */
export interface ResultStatement {
  readonly consultationId: string;
  readonly treeSize: number;
  readonly rootHash: string;
  readonly results: Record<string, unknown>;
}

/** The signed bytes: RFC 8785 JSON of exactly these four members. */
export const resultStatementPayload = (statement: ResultStatement): Buffer =>
  canonicalJsonBytes({ consultationId: statement.consultationId, treeSize: statement.treeSize, rootHash: statement.rootHash, results: statement.results });

/** Signs a consultation's result with the audit key (the key that signs tree heads). */
export function signResult(signer: TreeHeadSigner, statement: ResultStatement): SignedResult {
  const signature = signer.sign(resultStatementPayload(statement)).toString('base64');
  return { treeSize: statement.treeSize, rootHash: statement.rootHash, results: statement.results, keyId: signer.keyId, signature };
}

/** Whether `signed` is this consultation's result signed by `publicKey`. */
export function verifyResultSignature(publicKey: KeyObject, consultationId: string, signed: SignedResult): boolean {
  if (signed.keyId !== keyIdOf(publicKey)) return false;
  const payload = resultStatementPayload({ consultationId, treeSize: signed.treeSize, rootHash: signed.rootHash, results: signed.results });
  return verifySignature(publicKey, payload, Buffer.from(signed.signature, 'base64'));
}
