import { describe, expect, it } from 'vitest';
import {
  answer,
  edit,
  flag,
  footbridge,
  givenProposal,
  givenSupport,
  hide,
  merge,
  policy,
  proposalAfter,
  proposalHistory,
  proposalId,
  restore,
  submit,
  submittedAt,
  support,
  unsupport,
  withdraw,
} from '../testing/proposal.js';
import { proposalDecider, supportDecider } from './decider.js';
import { parseProposalEvent, supportId } from './events.js';
import { answerDeadline, defaultAnswerStates, proposalPolicyOf, proposalPolicyProblems } from './policy.js';

describe('proposing', () => {
  it('publishes a resident’s proposal with its place, photo and estimate, in their name', () => {
    givenProposal([])
      .when(submit())
      .then([{ type: 'ProposalSubmitted', data: { proposalId, communeId: 'dschang', author: { kind: 'citizen', citizenId: 'C-amina' }, ...footbridge, rules: { supportThreshold: 3, answerDays: 30 }, submittedAt } }]);
  });

  it('lets an agent file a village committee’s proposal on its behalf, in the agent’s commune only', () => {
    const agent = { actor: { id: 'agent-dschang', role: 'field_agent' as const }, communeId: 'dschang' };
    const committee = { kind: 'group' as const, name: 'Comité de développement de Foto', filedBy: 'agent-dschang' };
    givenProposal([]).when(submit({ author: committee, level: null }, agent)).then([expect.objectContaining({ type: 'ProposalSubmitted' })]);
    givenProposal([]).when(submit({ author: committee, level: null }, { ...agent, communeId: 'soa' })).thenThrows('proposal.forbidden');
    givenProposal([]).when(submit({ author: { ...committee, filedBy: 'someone-else' }, level: null }, agent)).thenThrows('proposal.forbidden');
  });

  it('refuses a proposal with no place, below the identity level, in someone else’s name, or twice', () => {
    givenProposal([]).when(submit({ location: null, quartierId: null })).thenThrows('proposal.no_place');
    givenProposal([]).when(submit({ level: 'device' })).thenThrows('proposal.level_too_low');
    givenProposal([]).when(submit({ author: { kind: 'citizen', citizenId: 'C-other' } })).thenThrows('proposal.forbidden');
    givenProposal(proposalHistory(submit())).when(submit()).thenThrows('proposal.already_exists');
  });

  it('is edited by its author until its first support, then stays as it was supported', () => {
    const history = proposalHistory(submit());
    givenProposal(history).when(edit()).then([expect.objectContaining({ type: 'ProposalEdited', data: expect.objectContaining({ title: 'Une passerelle solide sur le ruisseau à Foto' }) })]);
    givenProposal(history).when(edit({ supported: true })).thenThrows('proposal.supported');
    givenProposal(history).when(edit({}, { actor: { id: 'C-other', role: 'citizen' } })).thenThrows('proposal.forbidden');
  });
});

describe('supporting', () => {
  const published = proposalAfter(submit());

  it('is one support per citizen, in a stream of its own, withdrawn and given again', () => {
    expect(supportDecider(published, policy).streamId(supportId(proposalId, 'C-bob'))).toBe(`support-${proposalId}-C-bob`);
    givenSupport(published)([]).when(support('C-bob')).then([{ type: 'SupportGiven', data: { proposalId, citizenId: 'C-bob', supportedAt: submittedAt } }]);
    const given = [{ type: 'SupportGiven' as const, data: { proposalId, citizenId: 'C-bob', supportedAt: submittedAt } }];
    givenSupport(published)(given).when(support('C-bob')).thenThrows('proposal.already_supported');
    givenSupport(published)(given).when(unsupport('C-bob')).then([expect.objectContaining({ type: 'SupportWithdrawn' })]);
    givenSupport(published)([]).when(unsupport('C-bob')).thenThrows('proposal.not_supported');
  });

  it('is refused to the author, below the level, in another’s name, and on a hidden, answered, merged or withdrawn proposal', () => {
    givenSupport(published)([]).when(support('C-amina')).thenThrows('proposal.own');
    givenSupport(published)([]).when(support('C-bob', 'device')).thenThrows('proposal.level_too_low');
    const asOther = { ...support('C-bob'), meta: { ...support('C-bob').meta, actor: { id: 'C-eve', role: 'citizen' as const } } };
    givenSupport(published)([]).when(asOther).thenThrows('proposal.forbidden');
    givenSupport(proposalAfter(submit(), hide()))([]).when(support('C-bob')).thenThrows('proposal.hidden');
    givenSupport(proposalAfter(submit(), answer()))([]).when(support('C-bob')).thenThrows('proposal.answered');
    givenSupport(proposalAfter(submit(), merge('P-2')))([]).when(support('C-bob')).thenThrows('proposal.merged');
    givenSupport(proposalAfter(submit(), withdraw()))([]).when(support('C-bob')).thenThrows('proposal.withdrawn');
    // "Under study" is an answer, not the end: supports go on.
    givenSupport(proposalAfter(submit(), answer({ state: 'under_study', cost: 3_000_000 })))([]).when(support('C-bob')).then([expect.objectContaining({ type: 'SupportGiven' })]);
  });
});

describe('moderation', () => {
  it('hides a proposal on the flag that reaches the policy’s number, once per citizen, pending review', () => {
    const once = proposalHistory(submit(), flag('C-bob'));
    givenProposal(once).when(flag('C-bob')).thenThrows('proposal.already_flagged');
    givenProposal(once)
      .when(flag('C-carol', 'spam'))
      .then([
        { type: 'ProposalFlagged', data: { proposalId, citizenId: 'C-carol', reason: 'spam', flaggedAt: submittedAt } },
        { type: 'ProposalHidden', data: { proposalId, by: 'flags', reason: '2 flags: pending review', hiddenAt: submittedAt } },
      ]);
  });

  it('restores it with a reason, counting flags again from the review; moderators of its commune only', () => {
    const hidden = proposalHistory(submit(), flag('C-bob'), flag('C-carol'));
    const restored = givenProposal(hidden).when(restore()).thenState();
    expect(restored).toMatchObject({ status: 'published', flagsSinceReview: 0, flaggedBy: ['C-bob', 'C-carol'] });
    givenProposal(hidden).when(restore({ communeId: 'soa' })).thenThrows('proposal.forbidden');
    givenProposal(hidden).when(restore({ actor: { id: 'agent-1', role: 'field_agent' } })).thenThrows('proposal.forbidden');
    givenProposal(proposalHistory(submit())).when(restore()).thenThrows('proposal.not_hidden');
    // One more flag after the review does not hide it again at once.
    givenProposal([...hidden, ...proposalDecider(() => policy).decide(restore(), proposalAfter(submit(), flag('C-bob'), flag('C-carol')))])
      .when(flag('C-dan'))
      .then([expect.objectContaining({ type: 'ProposalFlagged' })]);
  });
});

describe('the commune’s answer', () => {
  const history = proposalHistory(submit());

  it('is one of the commune’s answer states, with its text and, under study, its cost', () => {
    givenProposal(history)
      .when(answer({ state: 'under_study', text: { fr: 'Étude de sol en cours.', en: 'Soil survey under way.' }, cost: 3_000_000 }))
      .then([{ type: 'ProposalAnswered', data: { proposalId, state: 'under_study', text: { fr: 'Étude de sol en cours.', en: 'Soil survey under way.' }, cost: 3_000_000, final: false, answeredBy: 'dispatcher-dschang', answeredAt: '2027-01-20T08:00:00.000Z' } }]);
    givenProposal(history).when(answer({ state: 'maybe' })).thenThrows('proposal.unknown_answer_state');
    givenProposal(history).when(answer({ state: 'rejected', text: {} })).thenThrows('proposal.answer_text_required');
    givenProposal(history).when(answer({ state: 'under_study', cost: null })).thenThrows('proposal.answer_cost_required');
    givenProposal(history).when(answer({}, { actor: { id: 'C-bob', role: 'citizen' }, communeId: null })).thenThrows('proposal.forbidden');
  });

  it('may move from under study to a final answer, and nothing after a final one', () => {
    const studied = proposalHistory(submit(), answer({ state: 'under_study', cost: 3_000_000 }));
    givenProposal(studied).when(answer({ state: 'accepted' })).then([expect.objectContaining({ type: 'ProposalAnswered' })]);
    givenProposal(proposalHistory(submit(), answer())).when(answer({ state: 'rejected', text: { fr: 'Hors compétence communale.' } })).thenThrows('proposal.answered');
    givenProposal(proposalHistory(submit(), answer())).when(edit()).thenThrows('proposal.answered');
  });

  it('is due a set number of days after the threshold was reached, and shows a breach at any time', () => {
    const reached = '2027-02-01T10:00:00.000Z';
    expect(answerDeadline(policy, null, null, '2027-06-01T00:00:00.000Z')).toEqual({ reachedAt: null, answerBy: null, breached: false });
    expect(answerDeadline(policy, reached, null, '2027-02-20T00:00:00.000Z')).toEqual({ reachedAt: reached, answerBy: '2027-03-03T10:00:00.000Z', breached: false });
    expect(answerDeadline(policy, reached, null, '2027-03-04T00:00:00.000Z').breached).toBe(true);
    expect(answerDeadline(policy, reached, '2027-03-01T00:00:00.000Z', '2027-06-01T00:00:00.000Z').breached).toBe(false);
    expect(answerDeadline(policy, reached, '2027-03-05T00:00:00.000Z', '2027-06-01T00:00:00.000Z').breached).toBe(true);
  });
});

describe('merging and withdrawing', () => {
  it('merges a duplicate into another proposal, never into itself, and its author may withdraw an open one', () => {
    givenProposal(proposalHistory(submit())).when(merge('P-2')).then([{ type: 'ProposalMerged', data: { proposalId, into: 'P-2', mergedBy: 'dispatcher-dschang', mergedAt: '2027-01-20T08:00:00.000Z' } }]);
    givenProposal(proposalHistory(submit())).when(merge(proposalId)).thenThrows('proposal.merge_into_itself');
    givenProposal(proposalHistory(submit(), merge('P-2'))).when(merge('P-2')).then([]);
    givenProposal(proposalHistory(submit())).when(withdraw()).then([{ type: 'ProposalWithdrawn', data: { proposalId, withdrawnAt: submittedAt } }]);
    givenProposal(proposalHistory(submit())).when(withdraw({ actor: { id: 'C-bob', role: 'citizen' } })).thenThrows('proposal.forbidden');
    givenProposal(proposalHistory(submit(), answer())).when(withdraw()).thenThrows('proposal.answered');
  });
});

describe('a commune’s own policy', () => {
  const soaLike = proposalPolicyOf({
    supportThreshold: 50,
    answerDays: 21,
    answerStates: [...defaultAnswerStates, { id: 'in_next_budget', labels: { fr: 'Au budget de l’an prochain', en: 'In next year’s budget' }, final: true, needsText: true, needsCost: true }],
  });
  const asked: (string | null)[] = [];
  const soaRules = proposalDecider((communeId) => (asked.push(communeId), soaLike));

  it('gives a new proposal the rules of the commune it is proposed in, and keeps them whatever the commune decides later', () => {
    expect(soaRules.decide(submit(), proposalAfter())[0]).toMatchObject({ type: 'ProposalSubmitted', data: { rules: { supportThreshold: 50, answerDays: 21 } } });
    expect(asked).toEqual(['dschang']);
    // Folded from its own events, a proposal keeps the rules it was made under.
    expect(proposalAfter(submit()).rules).toEqual({ supportThreshold: policy.supportThreshold, answerDays: policy.answerDays });
  });

  it('answers with the commune’s own states, and the answer records whether it was final', () => {
    expect(soaRules.decide(answer({ state: 'in_next_budget', cost: 800_000 }), proposalAfter(submit()))[0]).toMatchObject({ data: { state: 'in_next_budget', final: true } });
    expect(() => proposalDecider(() => policy).decide(answer({ state: 'in_next_budget', cost: 800_000 }), proposalAfter(submit()))).toThrow(/in_next_budget/);
  });

  it('reads events written before proposals carried their rules and answers their finality (the one default policy then)', () => {
    const { rules: _rules, ...v1 } = (proposalDecider(() => policy).decide(submit(), proposalAfter()) as { data: Record<string, unknown> }[])[0]!.data;
    expect(parseProposalEvent({ type: 'ProposalSubmitted', data: v1, schemaVersion: 1 })).toMatchObject({ data: { rules: { supportThreshold: 100, answerDays: 30 } } });
    const answered = { proposalId, state: 'under_study', text: { fr: 'À l’étude.' }, cost: 5, answeredBy: 'dispatcher-dschang', answeredAt: submittedAt };
    expect(parseProposalEvent({ type: 'ProposalAnswered', data: answered, schemaVersion: 1 }).data).toMatchObject({ final: false });
    expect(parseProposalEvent({ type: 'ProposalAnswered', data: { ...answered, state: 'accepted' }, schemaVersion: 1 }).data).toMatchObject({ final: true });
  });

  it('refuses settings that make no sense, naming each', () => {
    expect(proposalPolicyProblems({ supportThreshold: 0, answerDays: 2.5, answerStates: [{ ...defaultAnswerStates[0]!, id: 'Bad id' }, defaultAnswerStates[1]!, defaultAnswerStates[1]!] })).toEqual([
      'supportThreshold must be a whole number of at least 1, not 0',
      'answerDays must be a whole number of at least 1, not 2.5',
      'answerStates repeats a state (Bad id, accepted, accepted)',
      'answer state "Bad id" must be lower case letters, digits and _',
    ]);
    expect(proposalPolicyProblems({})).toEqual([]);
  });
});
