import { type CommandMeta, isAgentRole, isOrganiserRole } from '../shared/command.js';
import type { Decider } from '../shared/decider.js';
import { assertNever, DomainRuleError } from '../shared/errors.js';
import type { ProjectCommand } from './commands.js';
import { type CommitteeRole, type Currency, parseProjectEvent, type ProjectEvent, projectEventVersions, projectStreamId, type Programme } from './events.js';

export type ProjectStatus = 'none' | 'active' | 'suspended' | 'completed';

export interface ProjectBudget {
  readonly planned: number;
  readonly committed: number;
  readonly spent: number;
}

export interface Project {
  readonly status: ProjectStatus;
  readonly projectId: string | null;
  readonly communeId: string | null;
  readonly programme: Programme | null;
  readonly currency: Currency | null;
  /** The stage it is in; null before the first. */
  readonly stage: string | null;
  readonly percent: number;
  readonly budget: ProjectBudget | null;
  readonly milestoneIds: readonly string[];
  /** The village committee by role; who each member is stays in the vault under `subjectId`. */
  readonly committee: readonly { readonly role: CommitteeRole; readonly subjectId: string }[];
}

export const initialProject = (): Project => ({ status: 'none', projectId: null, communeId: null, programme: null, currency: null, stage: null, percent: 0, budget: null, milestoneIds: [], committee: [] });

const refuse = (code: string, message: string): never => {
  throw new DomainRuleError(code, message);
};

/** The commune's staff run its projects; national staff (no commune) any; field agents record what they see on site. */
function requireStaff(meta: CommandMeta, communeId: string | null, onSite: boolean): void {
  const allowed = onSite ? isAgentRole(meta.actor.role) : isOrganiserRole(meta.actor.role);
  if (!allowed) refuse('project.forbidden', onSite ? 'Only commune staff and field agents record a project’s progress.' : 'Only commune staff run a project.');
  if (meta.communeId !== null && communeId !== null && meta.communeId !== communeId) {
    refuse('project.forbidden', `This project belongs to commune ${communeId}; you act for commune ${meta.communeId}.`);
  }
}

function requireRunning(project: Project, projectId: string): void {
  if (project.status === 'none' || project.projectId !== projectId) refuse('project.not_found', `There is no project ${projectId}.`);
  if (project.status === 'completed') refuse('project.completed', 'This project is completed; its record is closed.');
  if (project.status === 'suspended') refuse('project.suspended', 'This project is suspended; resume it first.');
}

/** Decides what a command does to a project: stages in the programme's order, honest budgets, nothing after completion. */
export function decideProject(command: ProjectCommand, project: Project): ProjectEvent[] {
  const { meta } = command;
  const now = meta.now;
  const by = meta.actor.id;
  switch (command.type) {
    case 'CreateProject': {
      const { data } = command;
      requireStaff(meta, data.communeId, false);
      if (project.status !== 'none') refuse('project.already_exists', `Project ${data.projectId} already exists.`);
      if (new Set(data.programme.stages).size !== data.programme.stages.length) refuse('project.duplicate_stage', 'Each stage of the programme appears once.');
      return [{ type: 'ProjectCreated', data: { ...data, createdBy: by, createdAt: now } }];
    }
    case 'EnterStage': {
      const { projectId, stage } = command.data;
      requireRunning(project, projectId);
      requireStaff(meta, project.communeId, true);
      const stages = project.programme!.stages;
      const next = stages.indexOf(stage);
      if (next < 0) refuse('project.unknown_stage', `The programme's stages are ${stages.join(', ')}; not ${stage}.`);
      if (project.stage === stage) return [];
      if (project.stage !== null && next < stages.indexOf(project.stage)) refuse('project.stage_backwards', `The project is at ${project.stage}; stages go forward.`);
      return [{ type: 'StageEntered', data: { projectId, stage, enteredBy: by, enteredAt: now } }];
    }
    case 'RecordMilestone': {
      const { data } = command;
      requireRunning(project, data.projectId);
      requireStaff(meta, project.communeId, true);
      if (project.milestoneIds.includes(data.milestoneId)) return [];
      if (Date.parse(`${data.reachedOn}T00:00:00Z`) > Date.parse(now)) refuse('project.milestone_in_future', `A milestone is recorded once reached; ${data.reachedOn} is still to come.`);
      return [{ type: 'MilestoneReached', data: { ...data, recordedBy: by, recordedAt: now } }];
    }
    case 'ReportProgress': {
      const { projectId, percent } = command.data;
      requireRunning(project, projectId);
      requireStaff(meta, project.communeId, true);
      if (percent === project.percent) return [];
      return [{ type: 'ProgressReported', data: { projectId, percent, reportedBy: by, reportedAt: now } }];
    }
    case 'ReportBudget': {
      const { projectId, planned, committed, spent, reason } = command.data;
      requireRunning(project, projectId);
      requireStaff(meta, project.communeId, false);
      // Commitments beyond the plan, or spending beyond the commitments, are said and explained.
      if ((committed > planned || spent > committed) && reason === null) {
        refuse('project.overspent_without_reason', `${spent > committed ? 'Spent exceeds committed' : 'Committed exceeds planned'}: say why in \`reason\`.`);
      }
      return [{ type: 'BudgetReported', data: { projectId, planned, committed, spent, reason, reportedBy: by, reportedAt: now } }];
    }
    case 'SuspendProject': {
      const { projectId, reason } = command.data;
      if (project.status === 'suspended') return [];
      requireRunning(project, projectId);
      requireStaff(meta, project.communeId, false);
      return [{ type: 'ProjectSuspended', data: { projectId, reason, suspendedBy: by, suspendedAt: now } }];
    }
    case 'ResumeProject': {
      const { projectId } = command.data;
      if (project.status === 'none' || project.projectId !== projectId) refuse('project.not_found', `There is no project ${projectId}.`);
      requireStaff(meta, project.communeId, false);
      if (project.status === 'active') return [];
      if (project.status !== 'suspended') refuse('project.completed', 'This project is completed; its record is closed.');
      return [{ type: 'ProjectResumed', data: { projectId, resumedBy: by, resumedAt: now } }];
    }
    case 'CompleteProject': {
      const { projectId } = command.data;
      if (project.status === 'completed') return [];
      requireRunning(project, projectId);
      requireStaff(meta, project.communeId, false);
      return [{ type: 'ProjectCompleted', data: { projectId, completedBy: by, completedAt: now } }];
    }
    case 'NameCommitteeMember': {
      const { data } = command;
      requireRunning(project, data.projectId);
      requireStaff(meta, project.communeId, true);
      return [{ type: 'CommitteeMemberNamed', data: { ...data, namedBy: by, namedAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveProject(project: Project, event: ProjectEvent): Project {
  switch (event.type) {
    case 'ProjectCreated':
      return { ...project, status: 'active', projectId: event.data.projectId, communeId: event.data.communeId, programme: event.data.programme, currency: event.data.currency };
    case 'StageEntered':
      return { ...project, stage: event.data.stage };
    case 'MilestoneReached':
      return { ...project, milestoneIds: [...project.milestoneIds, event.data.milestoneId] };
    case 'ProgressReported':
      return { ...project, percent: event.data.percent };
    case 'BudgetReported':
      return { ...project, budget: { planned: event.data.planned, committed: event.data.committed, spent: event.data.spent } };
    case 'ProjectSuspended':
      return { ...project, status: 'suspended' };
    case 'ProjectResumed':
      return { ...project, status: 'active' };
    case 'ProjectCompleted':
      return { ...project, status: 'completed', percent: 100 };
    case 'CommitteeMemberNamed': {
      // One member a role, except plain members: naming a president again replaces the previous one.
      const { role, subjectId } = event.data;
      const others = role === 'member' ? project.committee.filter((m) => m.subjectId !== subjectId) : project.committee.filter((m) => m.role !== role);
      return { ...project, committee: [...others, { role, subjectId }] };
    }
    default:
      return assertNever(event);
  }
}

export const projectDecider = {
  streamId: projectStreamId,
  initialState: initialProject,
  decide: decideProject,
  evolve: evolveProject,
  parseEvent: parseProjectEvent,
  eventVersions: projectEventVersions,
} as const satisfies Decider<ProjectCommand, ProjectEvent, Project>;
