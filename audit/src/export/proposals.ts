import { evolveProposal, evolveSupport, initialProposal, parseProposalEvent, parseSupportEvent, type Proposal, type ProposalAnswer, type Support } from '@palabre/domain';
import type { EventStore } from '@palabre/event-store';
import type { EventEnvelope } from '../log/envelope.js';
import { type FoldedEvent, StreamStates } from './stream-states.js';

const PROPOSAL_STREAM = 'proposal-';
const SUPPORT_STREAM = 'support-';

export interface TrackedProposal {
  state: Proposal;
  revision: number;
  lastLeafIndex: number;
  /** The proposal's events could not all be read (unknown type or version): no final state. */
  unreadable: boolean;
  submittedAt: string | null;
  /** The latest answer's words and cost, and when the first answer came (the deadline counts that one). */
  answer: { text: ProposalAnswer['text']; cost: number | null; answeredAt: string; firstAnsweredAt: string } | null;
  /** When its supports (its own and its merged proposals', each citizen once) first reached its threshold. */
  thresholdReachedAt: string | null;
}

interface TrackedSupport {
  state: Support;
  revision: number;
  proposalId: string | null;
  citizenId: string | null;
}

/**
 * Proposal states and their supports as of the export's last event, folded with the domain's own
 * `evolveProposal` and `evolveSupport`. A proposal counts the distinct citizens who support it or a
 * proposal merged into it, as the read side does. A stream first met after its start (it began
 * before the range) is caught up from the log once, as tickets are.
 */
export class ProposalStates {
  unreadableEvents = 0;
  private readonly proposalStreams: StreamStates<TrackedProposal>;
  private readonly supportStreams: StreamStates<TrackedSupport>;
  /** Citizens supporting each proposal directly, now. */
  private readonly direct = new Map<string, Set<string>>();
  /** For each proposal: citizen → how many of it and its merged proposals they support (a key only while above 0). */
  private readonly counted = new Map<string, Map<string, number>>();

  constructor(store: EventStore) {
    this.proposalStreams = new StreamStates<TrackedProposal>(store, {
      keyOf: (stream) => (stream.startsWith(PROPOSAL_STREAM) ? stream.slice(PROPOSAL_STREAM.length) : null),
      start: () => ({ state: initialProposal(), revision: -1, lastLeafIndex: -1, unreadable: false, submittedAt: null, answer: null, thresholdReachedAt: null }),
      fold: (tracked, event) => this.foldProposal(tracked, event),
    });
    this.supportStreams = new StreamStates<TrackedSupport>(store, {
      keyOf: (stream) => (stream.startsWith(SUPPORT_STREAM) ? stream : null),
      start: () => ({ state: { supporting: false }, revision: -1, proposalId: null, citizenId: null }),
      fold: (tracked, event) => this.foldSupport(tracked, event),
    });
  }

  get proposals(): ReadonlyMap<string, TrackedProposal> {
    return this.proposalStreams.states;
  }

  /** Folds a proposal or support event; false for other streams. */
  async apply(envelope: EventEnvelope, leafIndex: number): Promise<boolean> {
    const proposal = await this.proposalStreams.apply(envelope);
    if (proposal) {
      proposal.lastLeafIndex = leafIndex;
      return true;
    }
    return (await this.supportStreams.apply(envelope)) !== null;
  }

  /** Distinct citizens supporting it or a proposal merged into it. */
  supportsOf(proposalId: string): number {
    return this.counted.get(proposalId)?.size ?? 0;
  }

  private foldProposal(tracked: TrackedProposal, raw: FoldedEvent): void {
    let event;
    try {
      event = parseProposalEvent(raw);
    } catch {
      tracked.unreadable = true;
      this.unreadableEvents++;
      return;
    }
    const before = tracked.state;
    tracked.state = evolveProposal(before, event);
    const id = event.data.proposalId;
    if (event.type === 'ProposalSubmitted') tracked.submittedAt = event.data.submittedAt;
    if (event.type === 'ProposalAnswered') {
      const { text, cost, answeredAt } = event.data;
      tracked.answer = { text, cost, answeredAt, firstAnsweredAt: tracked.answer?.firstAnsweredAt ?? answeredAt };
    }
    // Merged: its supporters count for the target from now on (each citizen once there).
    const into = tracked.state.mergedInto;
    if (into !== null && into !== before.mergedInto) {
      for (const citizenId of this.direct.get(id) ?? []) {
        if (before.mergedInto !== null) this.count(before.mergedInto, citizenId, -1);
        this.count(into, citizenId, +1);
      }
      this.checkThreshold(into, raw.recordedAt);
    }
    this.checkThreshold(id, raw.recordedAt);
  }

  private foldSupport(tracked: TrackedSupport, raw: FoldedEvent): void {
    let event;
    try {
      event = parseSupportEvent(raw);
    } catch {
      this.unreadableEvents++;
      return;
    }
    const { proposalId, citizenId } = event.data;
    const was = tracked.state.supporting && tracked.proposalId === proposalId && tracked.citizenId === citizenId;
    tracked.state = evolveSupport(tracked.state, event);
    tracked.proposalId = proposalId;
    tracked.citizenId = citizenId;
    if (was === tracked.state.supporting) return;
    const delta = tracked.state.supporting ? +1 : -1;
    const direct = this.direct.get(proposalId) ?? new Set<string>();
    this.direct.set(proposalId, direct);
    if (delta > 0) direct.add(citizenId);
    else direct.delete(citizenId);
    const into = this.proposals.get(proposalId)?.state.mergedInto ?? null;
    for (const target of into === null ? [proposalId] : [proposalId, into]) {
      this.count(target, citizenId, delta);
      this.checkThreshold(target, raw.recordedAt);
    }
  }

  private count(proposalId: string, citizenId: string, delta: number): void {
    const citizens = this.counted.get(proposalId) ?? new Map<string, number>();
    this.counted.set(proposalId, citizens);
    const n = (citizens.get(citizenId) ?? 0) + delta;
    if (n > 0) citizens.set(citizenId, n);
    else citizens.delete(citizenId);
  }

  /** The first moment the proposal's count reaches the threshold it was submitted under. */
  private checkThreshold(proposalId: string, at: string): void {
    const tracked = this.proposals.get(proposalId);
    const rules = tracked?.state.rules;
    if (!tracked || !rules || tracked.thresholdReachedAt !== null) return;
    if (this.supportsOf(proposalId) >= rules.supportThreshold) tracked.thresholdReachedAt = at;
  }
}
