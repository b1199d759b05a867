import { randomUUID } from 'node:crypto';
import {
  type Actor,
  type CommandMeta,
  type Decider,
  defaultProposalPolicy,
  type Proposal,
  proposalDecider,
  type ProposalPolicy,
  projectDecider,
  supportDecider,
  supportId,
} from '@palabre/domain';
import type { EventStore } from '@palabre/event-store';

/** A commune that answers from 2 supports within 21 days (small numbers for a test). */
export const testProposalPolicy: ProposalPolicy = { ...defaultProposalPolicy, supportThreshold: 2, answerDays: 21 };

/** Loads a stream, folds it with the decider, decides and appends at the revision read: what the API's executor does. */
async function execute<C extends { meta: CommandMeta }, E extends { type: string; data: unknown }, S>(
  store: EventStore,
  decider: Decider<C, E, S>,
  id: string,
  command: C,
  communeId: string,
): Promise<E[]> {
  const stream = decider.streamId(id);
  const recorded = await store.readStream(stream);
  const state = recorded.reduce((s, e) => decider.evolve(s, decider.parseEvent({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion })), decider.initialState());
  const events = decider.decide(command, state);
  if (events.length === 0) return events;
  const { commandId, actor, now } = command.meta;
  await store.append(
    stream,
    events.map((event) => ({
      type: event.type,
      data: event.data,
      metadata: { eventId: randomUUID(), commandId, correlationId: commandId, causationId: commandId, actor, communeId, recordedAt: now, schemaVersion: decider.eventVersions[event.type]! },
    })),
    recorded.length === 0 ? 'no_stream' : recorded.length - 1,
  );
  return events;
}

const meta = (actor: Actor, communeId: string | null, now: string): CommandMeta => ({ commandId: `cmd-${randomUUID()}`, now, actor, communeId });

/** Runs proposal, support and project commands through the domain's deciders, in one commune. */
export class Participation {
  private readonly proposals = proposalDecider(() => testProposalPolicy);

  constructor(
    private readonly store: EventStore,
    readonly communeId: string,
  ) {}

  /** A proposal command (`SubmitProposal`, `AnswerProposal`, `MergeProposal` …) by `actor` at `now`. */
  proposal(type: string, data: Record<string, unknown>, actor: Actor, now: string) {
    const command = { type, data, meta: meta(actor, actor.role === 'citizen' ? null : this.communeId, now) } as Parameters<typeof this.proposals.decide>[0];
    return execute(this.store, this.proposals, String(data.proposalId), command, this.communeId);
  }

  /** A resident supports (`SupportProposal`) or stops supporting (`WithdrawSupport`) a proposal. */
  async support(type: 'SupportProposal' | 'WithdrawSupport', proposalId: string, citizenId: string, now: string) {
    const proposal = await this.proposalState(proposalId);
    const decider = supportDecider(proposal, testProposalPolicy);
    const data = type === 'SupportProposal' ? { proposalId, citizenId, level: 'phone' as const } : { proposalId, citizenId };
    const command = { type, data, meta: meta({ id: citizenId, role: 'citizen' }, null, now) } as Parameters<typeof decider.decide>[0];
    return execute(this.store, decider, supportId(proposalId, citizenId), command, this.communeId);
  }

  /** A project command (`CreateProject`, `EnterStage`, `ReportBudget`, `RecordMilestone` …). */
  project(type: string, data: Record<string, unknown>, actor: Actor, now: string) {
    const command = { type, data, meta: meta(actor, this.communeId, now) } as Parameters<typeof projectDecider.decide>[0];
    return execute(this.store, projectDecider, String(data.projectId), command, this.communeId);
  }

  private async proposalState(proposalId: string): Promise<Proposal> {
    const d = this.proposals;
    const recorded = await this.store.readStream(d.streamId(proposalId));
    return recorded.reduce((s, e) => d.evolve(s, d.parseEvent({ type: e.type, data: e.data, schemaVersion: e.metadata.schemaVersion })), d.initialState());
  }
}
