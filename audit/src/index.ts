export { canonicalJson, canonicalJsonBytes, CanonicalJsonError } from './canonical-json.js';
export * from './merkle/index.js';
export * from './log/index.js';
export * from './export/index.js';
export * from './bundle/format.js';
export { type TreeHeadSigner, type SigningKeyOptions, loadOrCreateSigningKey, loadSigningKeyIfPresent, signerFromSeed, keyIdOf, publicKeyFromPem, verifySignature } from './signing/keys.js';
export { type VerifyFailure, type VerifyReport, type VerifyOptions, verifyBundle } from './verify/verify-bundle.js';
