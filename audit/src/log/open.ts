import { join } from 'node:path';
import type { Projector } from '@palabre/projections';
import { loadOrCreateSigningKey, type TreeHeadSigner } from '../signing/keys.js';
import { defaultSigningPolicy, type SigningPolicy, transparencyLogProjector } from './projector.js';

export interface TransparencyLog {
  readonly signer: TreeHeadSigner;
  /** Start it beside the read-model projectors (same runner, own checkpoint `audit-tree`). */
  readonly projector: Projector;
  readonly policy: SigningPolicy;
}

/**
 * The signing key (PALABRE_AUDIT_SIGNING_KEY, else `<data dir>/audit-signing.key`, generated on
 * first start) and the projector that uses it. Every process that projects or signs must see the same key.
 */
export function openTransparencyLog(options: { dataDir: string; env?: string | null; policy?: SigningPolicy }): TransparencyLog {
  const signer = loadOrCreateSigningKey({ env: options.env ?? process.env.PALABRE_AUDIT_SIGNING_KEY, file: join(options.dataDir, 'audit-signing.key') });
  const policy = options.policy ?? defaultSigningPolicy;
  return { signer, policy, projector: transparencyLogProjector({ signer, policy }) };
}
