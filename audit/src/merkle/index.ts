export { HASH_BYTES, EMPTY_ROOT, leafHash, leafHashOfText, nodeHash } from './hashing.js';
export { type NodeSource, type CompletedNode, Frontier, MemoryTree, subtreeHash, rootHash, inclusionProof, consistencyProof, frontierKeys, levelBuffers, hashLevels, levelRuns } from './tree.js';
export { verifyInclusion, verifyConsistency, InclusionVerifier, decodeHash } from './verify.js';
export { ProofTexts } from './proof-text.js';
