export * from './geometry.js';
export * from './plus-code.js';
