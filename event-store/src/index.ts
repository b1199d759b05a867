export * from './port.js';
export * from './postgres/server.js';
