import { evolveProposal, evolveSupport, initialProposal, parseProposalEvent, parseSupportEvent, type Proposal, type ProposalAnswer, type Support } from '@palabre/domain';
import type { EventStore } from '@palabre/event-store';
import type { EventEnvelope } from '../log/envelope.js';

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
  readonly proposals = new Map<string, TrackedProposal>();
  unreadableEvents = 0;
  private readonly supportStreams = new Map<string, TrackedSupport>();
  /** Citizens supporting each proposal directly, now. */
  private readonly direct = new Map<string, Set<string>>();
  /** For each proposal: citizen → how many of it and its merged proposals they support (a key only while above 0). */
  private readonly counted = new Map<string, Map<string, number>>();

  constructor(private readonly store: EventStore) {}

  /** Folds a proposal or support event; false for other streams. */
  async apply(envelope: EventEnvelope, leafIndex: number): Promise<boolean> {
    if (envelope.stream.startsWith(PROPOSAL_STREAM)) {
      await this.applyProposal(envelope, leafIndex);
      return true;
    }
    if (envelope.stream.startsWith(SUPPORT_STREAM)) {
      await this.applySupport(envelope);
      return true;
    }
    return false;
  }

  /** Distinct citizens supporting it or a proposal merged into it. */
  supportsOf(proposalId: string): number {
    return this.counted.get(proposalId)?.size ?? 0;
  }

  private async applyProposal(envelope: EventEnvelope, leafIndex: number): Promise<void> {
    const id = envelope.stream.slice(PROPOSAL_STREAM.length);
    let tracked = this.proposals.get(id);
    if (tracked === undefined) {
      tracked = { state: initialProposal(), revision: -1, lastLeafIndex: leafIndex, unreadable: false, submittedAt: null, answer: null, thresholdReachedAt: null };
      this.proposals.set(id, tracked);
      if (envelope.revision > 0) {
        for (const earlier of await this.store.readStream(envelope.stream, { maxCount: envelope.revision })) {
          this.foldProposal(id, tracked, earlier.type, earlier.data, earlier.metadata.schemaVersion, earlier.revision, earlier.metadata.recordedAt);
        }
      }
    }
    if (envelope.revision > tracked.revision) this.foldProposal(id, tracked, envelope.type, envelope.data, envelope.metadata.schemaVersion, envelope.revision, envelope.recordedAt);
    tracked.lastLeafIndex = leafIndex;
  }

  private foldProposal(id: string, tracked: TrackedProposal, type: string, data: unknown, schemaVersion: number, revision: number, recordedAt: string): void {
    tracked.revision = revision;
    let event;
    try {
      event = parseProposalEvent({ type, data, schemaVersion });
    } catch {
      tracked.unreadable = true;
      this.unreadableEvents++;
      return;
    }
    const before = tracked.state;
    tracked.state = evolveProposal(before, event);
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
      this.checkThreshold(into, recordedAt);
    }
    this.checkThreshold(id, recordedAt);
  }

  private async applySupport(envelope: EventEnvelope): Promise<void> {
    let tracked = this.supportStreams.get(envelope.stream);
    if (tracked === undefined) {
      tracked = { state: { supporting: false }, revision: -1, proposalId: null, citizenId: null };
      this.supportStreams.set(envelope.stream, tracked);
      if (envelope.revision > 0) {
        for (const earlier of await this.store.readStream(envelope.stream, { maxCount: envelope.revision })) {
          this.foldSupport(tracked, earlier.type, earlier.data, earlier.metadata.schemaVersion, earlier.revision, earlier.metadata.recordedAt);
        }
      }
    }
    if (envelope.revision > tracked.revision) this.foldSupport(tracked, envelope.type, envelope.data, envelope.metadata.schemaVersion, envelope.revision, envelope.recordedAt);
  }

  private foldSupport(tracked: TrackedSupport, type: string, data: unknown, schemaVersion: number, revision: number, recordedAt: string): void {
    tracked.revision = revision;
    let event;
    try {
      event = parseSupportEvent({ type, data, schemaVersion });
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
      this.checkThreshold(target, recordedAt);
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
