export * from './shared/errors.js';
export * from './shared/command.js';
export * from './shared/upcasting.js';
export * from './shared/decider.js';
export * from './ticket/index.js';
export * from './staff/index.js';
export * from './reference/index.js';
export * from './geo/index.js';
