// What other workspaces (benches) use of the edge; the server itself starts from main.ts.
export * from './backup/index.js';
export { prepareSchemas } from './platform/infrastructure.js';
export { processUpload } from './media/index.js';
