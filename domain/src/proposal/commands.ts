import { z } from 'zod';
import { identityLevelSchema } from '../consultation/events.js';
import { commandMetaSchema, idSchema } from '../shared/command.js';
import { proposalAnswerSchema, authorSchema, flagReasonSchema, proposalContentSchema } from './events.js';

const reason = z.string().trim().min(1).max(500);

export const proposalCommandDataSchemas = {
  /** `level`: the author's identity level as the edge knows it (a group's proposal is filed by an agent). */
  SubmitProposal: proposalContentSchema.extend({ proposalId: idSchema, communeId: idSchema, author: authorSchema, level: identityLevelSchema.nullable() }),
  /** `supported`: whether anyone supports it yet, as the edge counts it; an edit is refused from the first support. */
  EditProposal: proposalContentSchema.extend({ proposalId: idSchema, supported: z.boolean() }),
  FlagProposal: z.object({ proposalId: idSchema, reason: flagReasonSchema }),
  HideProposal: z.object({ proposalId: idSchema, reason }),
  RestoreProposal: z.object({ proposalId: idSchema, reason }),
  AnswerProposal: proposalAnswerSchema.extend({ proposalId: idSchema }),
  MergeProposal: z.object({ proposalId: idSchema, into: idSchema }),
  WithdrawProposal: z.object({ proposalId: idSchema }),
} as const;

export const supportCommandDataSchemas = {
  SupportProposal: z.object({ proposalId: idSchema, citizenId: idSchema, level: identityLevelSchema }),
  WithdrawSupport: z.object({ proposalId: idSchema, citizenId: idSchema }),
} as const;

type Meta = z.infer<typeof commandMetaSchema>;
export type ProposalCommandType = keyof typeof proposalCommandDataSchemas;
export type ProposalCommandOf<T extends ProposalCommandType> = { type: T; data: z.infer<(typeof proposalCommandDataSchemas)[T]>; meta: Meta };
export type ProposalCommand = { [T in ProposalCommandType]: ProposalCommandOf<T> }[ProposalCommandType];
export type SupportCommandType = keyof typeof supportCommandDataSchemas;
export type SupportCommandOf<T extends SupportCommandType> = { type: T; data: z.infer<(typeof supportCommandDataSchemas)[T]>; meta: Meta };
export type SupportCommand = { [T in SupportCommandType]: SupportCommandOf<T> }[SupportCommandType];

/** Validates a command's data and meta with the same schemas the HTTP layer uses. */
export function parseProposalCommand<T extends ProposalCommandType>(type: T, data: unknown, meta: unknown): ProposalCommandOf<T> {
  return { type, data: proposalCommandDataSchemas[type].parse(data), meta: commandMetaSchema.parse(meta) } as ProposalCommandOf<T>;
}

export function parseSupportCommand<T extends SupportCommandType>(type: T, data: unknown, meta: unknown): SupportCommandOf<T> {
  return { type, data: supportCommandDataSchemas[type].parse(data), meta: commandMetaSchema.parse(meta) } as SupportCommandOf<T>;
}
