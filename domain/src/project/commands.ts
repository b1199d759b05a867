import { z } from 'zod';
import { commandMetaSchema, idSchema } from '../shared/command.js';
import { projectEventDataSchemas } from './events.js';

const { ProjectCreated, StageEntered, MilestoneReached, ProgressReported, BudgetReported, ProjectSuspended, CommitteeMemberNamed } = projectEventDataSchemas;

export const projectCommandDataSchemas = {
  CreateProject: ProjectCreated.omit({ createdBy: true, createdAt: true }),
  EnterStage: StageEntered.omit({ enteredBy: true, enteredAt: true }),
  RecordMilestone: MilestoneReached.omit({ recordedBy: true, recordedAt: true }),
  ReportProgress: ProgressReported.omit({ reportedBy: true, reportedAt: true }),
  ReportBudget: BudgetReported.omit({ reportedBy: true, reportedAt: true }),
  SuspendProject: ProjectSuspended.omit({ suspendedBy: true, suspendedAt: true }),
  ResumeProject: z.object({ projectId: idSchema }),
  CompleteProject: z.object({ projectId: idSchema }),
  NameCommitteeMember: CommitteeMemberNamed.omit({ namedBy: true, namedAt: true }),
} as const;

type Meta = z.infer<typeof commandMetaSchema>;
export type ProjectCommandType = keyof typeof projectCommandDataSchemas;
export type ProjectCommandOf<T extends ProjectCommandType> = { type: T; data: z.infer<(typeof projectCommandDataSchemas)[T]>; meta: Meta };
export type ProjectCommand = { [T in ProjectCommandType]: ProjectCommandOf<T> }[ProjectCommandType];

/** Validates a command's data and meta with the same schemas the HTTP layer uses. */
export function parseProjectCommand<T extends ProjectCommandType>(type: T, data: unknown, meta: unknown): ProjectCommandOf<T> {
  return { type, data: projectCommandDataSchemas[type].parse(data), meta: commandMetaSchema.parse(meta) } as ProjectCommandOf<T>;
}
