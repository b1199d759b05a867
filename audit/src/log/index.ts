export { type EventEnvelope, envelopeOf, envelopeLeafHash, envelopeText, eventLeafHash, streamTypeOf } from './envelope.js';
export { ensureAuditSchema } from './schema.js';
export { type SignedTreeHead, treeHeadPayload, signTreeHead, verifyTreeHead } from './tree-head.js';
export {
  type Queryable,
  storedTreeSize,
  loadFrontier,
  latestTreeHead,
  treeHeadOfSize,
  listTreeHeads,
  publicKeys,
  rememberPublicKey,
  withStoredNodes,
} from './tree-store.js';
export {
  TRANSPARENCY_LOG_PROJECTOR,
  type SigningPolicy,
  defaultSigningPolicy,
  type TransparencyLogOptions,
  transparencyLogProjector,
  signLatestTreeHead,
} from './projector.js';
export { ProofError, type InclusionProofAnswer, type ConsistencyProofAnswer, inclusionProofFor, consistencyProofFor } from './proofs.js';
export { type LogCheckResult, checkLogAgainstTree } from './self-check.js';
export { type TransparencyLog, openTransparencyLog } from './open.js';
