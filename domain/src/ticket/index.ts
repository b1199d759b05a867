export * from './events.js';
export * from './commands.js';
export * from './state.js';
export * from './decider.js';
export { ticketPermissions, type TicketPermission } from './permissions.js';
export * from './upcasting.js';
export * from './routing.js';
export * from './sla.js';
