export * from './events.js';
export * from './commands.js';
export * from './decider.js';
export * from './phone.js';
export * from './one-time-code.js';
export * from './age.js';
