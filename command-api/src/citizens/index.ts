export * from './citizens.controller.js';
export * from './phone-verification.js';
export * from './schema.js';
export * from './in-person-verification.js';
export * from './census.js';
export * from './census.controller.js';
export * from './document-digests.js';
