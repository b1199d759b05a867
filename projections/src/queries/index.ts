export * from './tickets.js';
export * from './timeline.js';
export * from './stats.js';
export * from './confirmations.js';
export { InvalidCursorError } from './cursor.js';
export { type TicketSummary, type TicketDetail, toTicketDetail, projectedTicketDetail } from './ticket-row.js';
