export * from './sms.js';
export * from './http-gateway.js';
export * from './development-gateway.js';
export * from './tokens.js';
