import type { CommandMeta } from '../shared/command.js';
import { type ProposalCommandOf, parseProposalCommand, parseSupportCommand, type ProposalCommand } from '../proposal/commands.js';
import { type Proposal, proposalDecider, supportDecider } from '../proposal/decider.js';
import type { ProposalEvent } from '../proposal/events.js';
import { defaultProposalPolicy, type ProposalPolicy } from '../proposal/policy.js';
import { historyThrough, scenariosOf } from './scenario.js';

/** Dschang's policy in the tests: a threshold of 3 and 2 flags, so scenarios stay short. */
export const policy: ProposalPolicy = { ...defaultProposalPolicy, supportThreshold: 3, flagsToHide: 2 };
export const proposalId = 'P-1';
export const submittedAt = '2027-01-10T08:00:00.000Z';

export const citizenMeta = (citizenId: string, m: Partial<CommandMeta> = {}): CommandMeta => ({
  commandId: `cmd-${citizenId}`,
  now: submittedAt,
  actor: { id: citizenId, role: 'citizen' },
  communeId: null,
  ...m,
});

export const staffMeta = (m: Partial<CommandMeta> = {}): CommandMeta => ({
  commandId: 'cmd-staff',
  now: '2027-01-20T08:00:00.000Z',
  actor: { id: 'dispatcher-dschang', role: 'dispatcher' },
  communeId: 'dschang',
  ...m,
});

/** "A footbridge over the stream in quartier Foto", by resident C-amina, with a photo. */
export const footbridge = {
  title: 'Une passerelle sur le ruisseau à Foto',
  description: 'Les enfants traversent le ruisseau à gué pour aller à l’école ; en saison des pluies c’est dangereux.',
  category: 'voirie',
  location: { lat: 5.447, lon: 10.061 },
  quartierId: 'dschang-foto',
  mediaIds: ['M-photo-1'],
  costEstimate: 2_500_000,
};

export const submit = (data: Partial<ProposalCommandOf<'SubmitProposal'>['data']> = {}, m: Partial<CommandMeta> = {}) =>
  parseProposalCommand('SubmitProposal', { proposalId, communeId: 'dschang', author: { kind: 'citizen', citizenId: 'C-amina' }, level: 'phone', ...footbridge, ...data }, citizenMeta('C-amina', m));

export const edit = (data: Partial<ProposalCommandOf<'EditProposal'>['data']> = {}, m: Partial<CommandMeta> = {}) =>
  parseProposalCommand('EditProposal', { proposalId, supported: false, ...footbridge, title: 'Une passerelle solide sur le ruisseau à Foto', ...data }, citizenMeta('C-amina', m));

export const flag = (citizenId: string, reason = 'offensive') => parseProposalCommand('FlagProposal', { proposalId, reason }, citizenMeta(citizenId));
export const hide = (m: Partial<CommandMeta> = {}) => parseProposalCommand('HideProposal', { proposalId, reason: 'Propos injurieux envers un voisin' }, staffMeta(m));
export const restore = (m: Partial<CommandMeta> = {}) => parseProposalCommand('RestoreProposal', { proposalId, reason: 'Relu : rien d’injurieux' }, staffMeta(m));
export const answer = (data: Partial<ProposalCommandOf<'AnswerProposal'>['data']> = {}, m: Partial<CommandMeta> = {}) =>
  parseProposalCommand('AnswerProposal', { proposalId, state: 'accepted', text: { fr: 'Inscrite au budget 2027.' }, cost: null, ...data }, staffMeta(m));
export const merge = (into: string, m: Partial<CommandMeta> = {}) => parseProposalCommand('MergeProposal', { proposalId, into }, staffMeta(m));
export const withdraw = (m: Partial<CommandMeta> = {}) => parseProposalCommand('WithdrawProposal', { proposalId }, citizenMeta('C-amina', m));

export const support = (citizenId: string, level = 'phone') => parseSupportCommand('SupportProposal', { proposalId, citizenId, level }, citizenMeta(citizenId));
export const unsupport = (citizenId: string) => parseSupportCommand('WithdrawSupport', { proposalId, citizenId }, citizenMeta(citizenId));

const proposals = proposalDecider(() => policy);
export const givenProposal = scenariosOf(proposals);
export const proposalHistory = (...commands: ProposalCommand[]): ProposalEvent[] => historyThrough(proposals, commands);
export const proposalAfter = (...commands: ProposalCommand[]): Proposal => proposalHistory(...commands).reduce(proposals.evolve, proposals.initialState());
export const givenSupport = (proposal: Proposal) => scenariosOf(supportDecider(proposal, policy));
