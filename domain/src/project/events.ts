import { z } from 'zod';
import { idSchema } from '../shared/command.js';
import { createEventParser, firstVersions, type StoredEventData, UpcasterRegistry } from '../shared/upcasting.js';

const at = z.iso.datetime({ offset: true });
const day = z.iso.date();
const point = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });
const reason = z.string().trim().min(1).max(500);

/** Francs CFA of Central (XAF: Cameroon, Congo) or West Africa (XOF: Togo, Côte d'Ivoire), in whole francs. */
export const currencySchema = z.enum(['XAF', 'XOF']);
export type Currency = z.infer<typeof currencySchema>;
const francs = z.number().int().min(0).max(1e13);

/** A programme's stages, in order: the community subproject cycle of a social-cohesion project by default. */
export const programmeSchema = z.object({ id: idSchema, stages: z.array(idSchema).min(1).max(20) });
export type Programme = z.infer<typeof programmeSchema>;

/** A photo kept as evidence: where it was taken (from the phone's GPS, before the media library strips it) is part of the record. */
export const evidenceSchema = z.object({ mediaId: idSchema, point: point.nullable() });

/** A village committee's roles (the DCC cycle's community committee). */
export const committeeRoleSchema = z.enum(['president', 'secretary', 'treasurer', 'member']);
export type CommitteeRole = z.infer<typeof committeeRoleSchema>;

export const projectEventDataSchemas = {
  ProjectCreated: z.object({
    projectId: idSchema,
    communeId: idSchema,
    title: z.string().trim().min(3).max(200),
    description: z.string().trim().max(5000).nullable(),
    /** The accepted proposals it carries out; empty for a programme's subproject created by staff. */
    proposalIds: z.array(idSchema).max(20),
    programme: programmeSchema,
    currency: currencySchema,
    createdBy: idSchema,
    createdAt: at,
  }),
  StageEntered: z.object({ projectId: idSchema, stage: idSchema, enteredBy: idSchema, enteredAt: at }),
  MilestoneReached: z.object({
    projectId: idSchema,
    milestoneId: idSchema,
    title: z.string().trim().min(3).max(200),
    note: z.string().trim().max(2000).nullable(),
    /** The day it was reached, as the agent on site says. */
    reachedOn: day,
    evidence: z.array(evidenceSchema).max(10),
    recordedBy: idSchema,
    recordedAt: at,
  }),
  ProgressReported: z.object({ projectId: idSchema, percent: z.number().int().min(0).max(100), reportedBy: idSchema, reportedAt: at }),
  BudgetReported: z.object({ projectId: idSchema, planned: francs, committed: francs, spent: francs, reason: reason.nullable(), reportedBy: idSchema, reportedAt: at }),
  ProjectSuspended: z.object({ projectId: idSchema, reason, suspendedBy: idSchema, suspendedAt: at }),
  ProjectResumed: z.object({ projectId: idSchema, resumedBy: idSchema, resumedAt: at }),
  ProjectCompleted: z.object({ projectId: idSchema, completedBy: idSchema, completedAt: at }),
  /** A committee member by role; who they are (name, phone) is in the vault under `subjectId`. */
  CommitteeMemberNamed: z.object({ projectId: idSchema, role: committeeRoleSchema, subjectId: idSchema, namedBy: idSchema, namedAt: at }),
} as const;

export type ProjectEventType = keyof typeof projectEventDataSchemas;
export type ProjectEventOf<T extends ProjectEventType> = { type: T; data: z.infer<(typeof projectEventDataSchemas)[T]> };
export type ProjectEvent = { [T in ProjectEventType]: ProjectEventOf<T> }[ProjectEventType];

export const projectEventVersions = firstVersions(projectEventDataSchemas);
export const projectStreamId = (projectId: string): string => `project-${projectId}`;

/** Register here when a project event's shape changes (and bump its version). */
export const projectUpcasters = new UpcasterRegistry();
export const parseProjectEvent = createEventParser({ schemas: projectEventDataSchemas, versions: projectEventVersions, upcasters: projectUpcasters }) as (raw: StoredEventData) => ProjectEvent;

/** The community subproject cycle (a village committee's needs, prioritised by a consultation, to the work handed over and kept up). */
export const defaultProgramme: Programme = {
  id: 'community-subprojects',
  stages: ['needs_identified', 'prioritised', 'planned', 'procured', 'built', 'handed_over', 'maintained'],
};
