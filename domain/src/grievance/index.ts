export * from './tracking-code.js';
