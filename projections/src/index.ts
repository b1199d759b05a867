export { migrate, MIGRATION_LOCK, type MigrateResult } from './migrate.js';
export { READ_SCHEMA, loadMigrations, type Migration } from './migrations.js';
export { withCommuneScope, scopeSetting, type CommuneScope } from './scope.js';
export type { Projector, ProjectedBatch, ProjectedChange } from './projector.js';
export { ProjectionError } from './projector.js';
export * from './projectors/index.js';
export {
  startProjector,
  startProjectors,
  type BatchInfo,
  type RunnerOptions,
  type ProjectorHandle,
  type ProjectorGroup,
} from './runner.js';
export { PROJECTION_CHANNEL, type ProjectionNotice } from './notify.js';
export { projectorStatus, type ProjectorStatus } from './status.js';
export { rebuild, buildReadModels, type BuildOptions, type RebuildResult } from './rebuild.js';
export * from './queries/index.js';
export { startProjectorsInThread, serveProjectorsInThread, PROJECTOR_THREAD_APPLICATION, type ProjectorThreadData, type ProjectorThreadOptions } from './thread/index.js';
