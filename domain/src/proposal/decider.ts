import { meetsLevel } from '../consultation/ballot-rules.js';
import { type CommandMeta, isAgentRole, isOrganiserRole } from '../shared/command.js';
import type { Decider } from '../shared/decider.js';
import { assertNever, DomainRuleError } from '../shared/errors.js';
import type { ProposalCommand, SupportCommand } from './commands.js';
import {
  parseProposalEvent,
  parseSupportEvent,
  type ProposalAuthor,
  type ProposalContent,
  type ProposalEvent,
  proposalEventVersions,
  type ProposalRules,
  proposalStreamId,
  type SupportEvent,
  supportEventVersions,
  supportStreamId,
} from './events.js';
import { defaultProposalPolicy, type ProposalPolicy } from './policy.js';

export type ProposalStatus = 'none' | 'published' | 'hidden' | 'withdrawn' | 'merged';

export interface Proposal {
  readonly status: ProposalStatus;
  readonly proposalId: string | null;
  readonly communeId: string | null;
  readonly author: ProposalAuthor | null;
  readonly content: ProposalContent | null;
  /** The latest answer; `final` ends the proposal's life as a proposal (no supports, no edits). */
  readonly answer: { readonly state: string; readonly final: boolean } | null;
  /** Citizens who flagged it, ever (one flag each). */
  readonly flaggedBy: readonly string[];
  /** Flags since a moderator last restored it: what the policy's threshold counts. */
  readonly flagsSinceReview: number;
  readonly mergedInto: string | null;
  /** The threshold and days to answer it was submitted under. */
  readonly rules: ProposalRules | null;
}

export const initialProposal = (): Proposal => ({
  status: 'none',
  proposalId: null,
  communeId: null,
  author: null,
  content: null,
  answer: null,
  flaggedBy: [],
  flagsSinceReview: 0,
  mergedInto: null,
  rules: null,
});

const refuse = (code: string, message: string): never => {
  throw new DomainRuleError(code, message);
};

function requireExisting(proposal: Proposal, proposalId: string): void {
  if (proposal.status === 'none' || proposal.proposalId !== proposalId) refuse('proposal.not_found', `There is no proposal ${proposalId}.`);
}

/** Still a proposal residents act on: not withdrawn, merged, or answered for good. */
function requireOpen(proposal: Proposal): void {
  if (proposal.status === 'withdrawn') refuse('proposal.withdrawn', 'Its author withdrew this proposal.');
  if (proposal.status === 'merged') refuse('proposal.merged', `This proposal was merged into ${proposal.mergedInto}; support that one.`);
  if (proposal.answer?.final) refuse('proposal.answered', 'The commune has answered this proposal; its supports are closed.');
}

/** The commune's staff who moderate and answer; national staff (no commune) any commune's. */
function requireModerator(meta: CommandMeta, communeId: string | null, action: string): void {
  if (!isOrganiserRole(meta.actor.role)) refuse('proposal.forbidden', `Only commune staff may ${action}.`);
  if (meta.communeId !== null && communeId !== null && meta.communeId !== communeId) {
    refuse('proposal.forbidden', `This proposal belongs to commune ${communeId}; you act for commune ${meta.communeId}.`);
  }
}

/** The author in person: the citizen, or for a group's proposal the staff member who filed it. */
const isAuthor = (proposal: Proposal, meta: CommandMeta): boolean =>
  proposal.author?.kind === 'citizen' ? meta.actor.role === 'citizen' && meta.actor.id === proposal.author.citizenId : proposal.author?.kind === 'group' && meta.actor.id === proposal.author.filedBy;

function validateContent(content: ProposalContent): void {
  if (content.location === null && content.quartierId === null) refuse('proposal.no_place', 'Say where: a point on the map, a quartier, or both.');
}

/** Decides what a command does to a proposal, under the commune's policy (given by the edge). */
export function decideProposal(command: ProposalCommand, proposal: Proposal, policy: ProposalPolicy): ProposalEvent[] {
  const { meta } = command;
  const now = meta.now;
  const by = meta.actor.id;
  switch (command.type) {
    case 'SubmitProposal': {
      const { level, ...data } = command.data;
      if (proposal.status !== 'none') refuse('proposal.already_exists', `Proposal ${data.proposalId} already exists.`);
      if (data.author.kind === 'citizen') {
        if (meta.actor.role !== 'citizen' || meta.actor.id !== data.author.citizenId) refuse('proposal.forbidden', 'A resident proposes in their own name only.');
        if (level === null || !meetsLevel(level, policy.supportLevel)) refuse('proposal.level_too_low', `Proposing asks for a ${policy.supportLevel.replace('_', ' ')} verified identity.`);
      } else {
        // An agent meets the committee and files its proposal, in their own commune.
        if (!isAgentRole(meta.actor.role) || (meta.communeId !== null && meta.communeId !== data.communeId)) refuse('proposal.forbidden', 'A group’s proposal is filed by an agent of its commune.');
        if (data.author.filedBy !== by) refuse('proposal.forbidden', 'The agent filing for a group is the one named as filing it.');
      }
      validateContent(data);
      const rules = { supportThreshold: policy.supportThreshold, answerDays: policy.answerDays };
      return [{ type: 'ProposalSubmitted', data: { ...data, rules, submittedAt: now } }];
    }
    case 'EditProposal': {
      const { supported, ...data } = command.data;
      requireExisting(proposal, data.proposalId);
      if (!isAuthor(proposal, meta)) refuse('proposal.forbidden', 'Only its author edits a proposal.');
      requireOpen(proposal);
      if (supported) refuse('proposal.supported', 'Someone supports this proposal already: it stays as they supported it.');
      validateContent(data);
      return [{ type: 'ProposalEdited', data: { ...data, editedAt: now } }];
    }
    case 'FlagProposal': {
      const { proposalId, reason } = command.data;
      requireExisting(proposal, proposalId);
      if (meta.actor.role !== 'citizen') refuse('proposal.forbidden', 'Residents flag; staff hide or restore.');
      if (proposal.flaggedBy.includes(by)) refuse('proposal.already_flagged', 'You flagged this proposal already.');
      const flagged: ProposalEvent = { type: 'ProposalFlagged', data: { proposalId, citizenId: by, reason, flaggedAt: now } };
      // The flag that reaches the policy's number hides it until a moderator looks.
      if (proposal.status === 'published' && proposal.flagsSinceReview + 1 >= policy.flagsToHide) {
        return [flagged, { type: 'ProposalHidden', data: { proposalId, by: 'flags', reason: `${policy.flagsToHide} flags: pending review`, hiddenAt: now } }];
      }
      return [flagged];
    }
    case 'HideProposal': {
      const { proposalId, reason } = command.data;
      requireExisting(proposal, proposalId);
      requireModerator(meta, proposal.communeId, 'hide a proposal');
      if (proposal.status === 'hidden') return [];
      if (proposal.status !== 'published') refuse('proposal.not_published', 'Only a published proposal can be hidden.');
      return [{ type: 'ProposalHidden', data: { proposalId, by, reason, hiddenAt: now } }];
    }
    case 'RestoreProposal': {
      const { proposalId, reason } = command.data;
      requireExisting(proposal, proposalId);
      requireModerator(meta, proposal.communeId, 'restore a proposal');
      if (proposal.status !== 'hidden') refuse('proposal.not_hidden', 'Only a hidden proposal can be restored.');
      return [{ type: 'ProposalRestored', data: { proposalId, by, reason, restoredAt: now } }];
    }
    case 'AnswerProposal': {
      const { proposalId, ...answer } = command.data;
      requireExisting(proposal, proposalId);
      requireModerator(meta, proposal.communeId, 'answer a proposal');
      if (proposal.status === 'withdrawn' || proposal.status === 'merged') requireOpen(proposal);
      if (proposal.answer?.final) refuse('proposal.answered', `This proposal was answered for good (${proposal.answer.state}).`);
      const state = policy.answerStates.find((s) => s.id === answer.state);
      if (!state) refuse('proposal.unknown_answer_state', `The commune answers with ${policy.answerStates.map((s) => s.id).join(', ')}; not ${answer.state}.`);
      if (state!.needsText && !answer.text.fr && !answer.text.en) refuse('proposal.answer_text_required', `An answer "${answer.state}" says why, in French or English.`);
      if (state!.needsCost && answer.cost === null) refuse('proposal.answer_cost_required', `An answer "${answer.state}" gives the commune's cost estimate.`);
      return [{ type: 'ProposalAnswered', data: { proposalId, ...answer, final: state!.final, answeredBy: by, answeredAt: now } }];
    }
    case 'MergeProposal': {
      const { proposalId, into } = command.data;
      requireExisting(proposal, proposalId);
      requireModerator(meta, proposal.communeId, 'merge proposals');
      if (into === proposalId) refuse('proposal.merge_into_itself', 'A proposal cannot be merged into itself.');
      if (proposal.status === 'merged' && proposal.mergedInto === into) return [];
      requireOpen(proposal);
      return [{ type: 'ProposalMerged', data: { proposalId, into, mergedBy: by, mergedAt: now } }];
    }
    case 'WithdrawProposal': {
      const { proposalId } = command.data;
      requireExisting(proposal, proposalId);
      if (!isAuthor(proposal, meta)) refuse('proposal.forbidden', 'Only its author withdraws a proposal.');
      if (proposal.status === 'withdrawn') return [];
      requireOpen(proposal);
      return [{ type: 'ProposalWithdrawn', data: { proposalId, withdrawnAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

/** Folds an event; what it means never depends on the commune's policy of today (the events carry it). */
export function evolveProposal(proposal: Proposal, event: ProposalEvent): Proposal {
  switch (event.type) {
    case 'ProposalSubmitted': {
      const { proposalId, communeId, author, rules, submittedAt: _at, ...content } = event.data;
      return { ...proposal, status: 'published', proposalId, communeId, author, rules, content };
    }
    case 'ProposalEdited': {
      const { proposalId: _id, editedAt: _at, ...content } = event.data;
      return { ...proposal, content };
    }
    case 'ProposalFlagged':
      return { ...proposal, flaggedBy: [...proposal.flaggedBy, event.data.citizenId], flagsSinceReview: proposal.flagsSinceReview + 1 };
    case 'ProposalHidden':
      return { ...proposal, status: 'hidden' };
    case 'ProposalRestored':
      return { ...proposal, status: 'published', flagsSinceReview: 0 };
    case 'ProposalAnswered':
      return { ...proposal, answer: { state: event.data.state, final: event.data.final } };
    case 'ProposalMerged':
      return { ...proposal, status: 'merged', mergedInto: event.data.into };
    case 'ProposalWithdrawn':
      return { ...proposal, status: 'withdrawn' };
    default:
      return assertNever(event);
  }
}

/**
 * A proposal as the engine sees it, under its commune's policy: `policyOf` gives each commune's
 * (the one proposed in for a new proposal). Folding never needs it: the events carry what it decided.
 */
export function proposalDecider(policyOf: (communeId: string | null) => ProposalPolicy = () => defaultProposalPolicy): Decider<ProposalCommand, ProposalEvent, Proposal> {
  return {
    streamId: proposalStreamId,
    initialState: initialProposal,
    decide: (command, proposal) => decideProposal(command, proposal, policyOf(command.type === 'SubmitProposal' ? command.data.communeId : proposal.communeId)),
    evolve: evolveProposal,
    parseEvent: parseProposalEvent,
    eventVersions: proposalEventVersions,
  };
}

/** One citizen's support of one proposal. */
export interface Support {
  readonly supporting: boolean;
}

/**
 * Decides a support against the proposal's current state (loaded by the edge from its own stream):
 * each support is its own stream, so thousands of supporters of one proposal never conflict.
 */
export function decideSupport(command: SupportCommand, support: Support, proposal: Proposal, policy: ProposalPolicy): SupportEvent[] {
  const { meta, data } = command;
  requireExisting(proposal, data.proposalId);
  if (meta.actor.role !== 'citizen' || meta.actor.id !== data.citizenId) refuse('proposal.forbidden', 'Residents support in their own name only.');
  switch (command.type) {
    case 'SupportProposal': {
      requireOpen(proposal);
      if (proposal.status === 'hidden') refuse('proposal.hidden', 'This proposal is hidden while moderators review it.');
      if (proposal.author?.kind === 'citizen' && proposal.author.citizenId === data.citizenId) refuse('proposal.own', 'Authors do not support their own proposal.');
      if (!meetsLevel(command.data.level, policy.supportLevel)) refuse('proposal.level_too_low', `Supporting asks for a ${policy.supportLevel.replace('_', ' ')} verified identity.`);
      if (support.supporting) refuse('proposal.already_supported', 'You support this proposal already.');
      return [{ type: 'SupportGiven', data: { proposalId: data.proposalId, citizenId: data.citizenId, supportedAt: meta.now } }];
    }
    case 'WithdrawSupport': {
      if (!support.supporting) refuse('proposal.not_supported', 'You do not support this proposal.');
      requireOpen(proposal);
      return [{ type: 'SupportWithdrawn', data: { proposalId: data.proposalId, citizenId: data.citizenId, withdrawnAt: meta.now } }];
    }
    default:
      return assertNever(command);
  }
}

export const evolveSupport = (_support: Support, event: SupportEvent): Support => ({ supporting: event.type === 'SupportGiven' });

/** A citizen's support of a proposal as the engine sees it, bound to that proposal's current state. */
export function supportDecider(proposal: Proposal, policy: ProposalPolicy): Decider<SupportCommand, SupportEvent, Support> {
  return {
    streamId: supportStreamId,
    initialState: () => ({ supporting: false }),
    decide: (command, support) => decideSupport(command, support, proposal, policy),
    evolve: evolveSupport,
    parseEvent: parseSupportEvent,
    eventVersions: supportEventVersions,
  };
}
