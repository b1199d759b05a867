export * from './shared/errors.js';
export * from './shared/command.js';
export * from './ticket/events.js';
export * from './ticket/commands.js';
