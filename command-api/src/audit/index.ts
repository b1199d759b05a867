export { AuditModule } from './audit.module.js';
export { AuditLog } from './audit-log.js';
export { ExportJobs, type ExportJob } from './export-jobs.js';
