export * from './tracking-code.js';
export * from './policy.js';
