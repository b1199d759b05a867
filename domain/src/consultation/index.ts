export * from './events.js';
export * from './commands.js';
export * from './ballot-rules.js';
export * from './decider.js';
export * from './tally.js';
export * from './receipt.js';
export * from './polling-table.js';
