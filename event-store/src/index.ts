export * from './port.js';
export * from './postgres/index.js';
export * from './kurrentdb/index.js';
export { eventIdFor, isUuid } from './ids.js';
export { validateAppend } from './validation.js';
export { canonicalJson, canonicalJsonBytes, CanonicalJsonError, canonicalString } from './canonical-json.js';
export { envelopesFor, type CommandContext } from './envelope.js';
