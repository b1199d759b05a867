export * from './types.js';
export * from './lookup.js';
export * from './demo.js';
export * from './hierarchy.js';
