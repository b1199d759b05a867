export { type ExportOptions, type ExportProgress, exportBundle } from './export-bundle.js';
export { ExportError, normaliseScope, parseBound, scopeMatcher, scopeIsWholeRange } from './scope.js';
export { type ContactStatus } from './contact-status.js';
export { csvCell } from './readable.js';
