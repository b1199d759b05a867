import { evolveProject, initialProject, parseProjectEvent, type Project } from '@palabre/domain';
import type { EventStore } from '@palabre/event-store';
import type { EventEnvelope } from '../log/envelope.js';
import { type FoldedEvent, StreamStates } from './stream-states.js';

const PROJECT_STREAM = 'project-';

export interface TrackedMilestone {
  readonly id: string;
  readonly title: string;
  readonly reachedOn: string;
  /** Photos kept as evidence, with where each was taken when the phone knew. */
  readonly evidence: readonly { readonly mediaId: string; readonly point: { readonly lat: number; readonly lon: number } | null }[];
}

export interface TrackedProject {
  state: Project;
  revision: number;
  lastLeafIndex: number;
  /** The project's events could not all be read (unknown type or version): no final state. */
  unreadable: boolean;
  /** What the domain state leaves to the events: title, proposals carried out, the budget's explanation, milestones. */
  title: string | null;
  proposalIds: readonly string[];
  createdAt: string | null;
  budgetReason: string | null;
  milestones: TrackedMilestone[];
}

/**
 * Project states as of the export's last event, folded with the domain's own `evolveProject`. A
 * project first met after its creation (it began before the range) is caught up from its stream once.
 */
export class ProjectStates {
  unreadableEvents = 0;
  private readonly streams: StreamStates<TrackedProject>;

  constructor(store: EventStore) {
    this.streams = new StreamStates<TrackedProject>(store, {
      keyOf: (stream) => (stream.startsWith(PROJECT_STREAM) ? stream.slice(PROJECT_STREAM.length) : null),
      start: () => ({ state: initialProject(), revision: -1, lastLeafIndex: -1, unreadable: false, title: null, proposalIds: [], createdAt: null, budgetReason: null, milestones: [] }),
      fold: (tracked, raw) => this.fold(tracked, raw),
    });
  }

  get projects(): ReadonlyMap<string, TrackedProject> {
    return this.streams.states;
  }

  /** Folds a project event; false for other streams. */
  async apply(envelope: EventEnvelope, leafIndex: number): Promise<boolean> {
    const tracked = await this.streams.apply(envelope);
    if (tracked) tracked.lastLeafIndex = leafIndex;
    return tracked !== null;
  }

  private fold(tracked: TrackedProject, raw: FoldedEvent): void {
    let event;
    try {
      event = parseProjectEvent(raw);
    } catch {
      tracked.unreadable = true;
      this.unreadableEvents++;
      return;
    }
    const before = tracked.state;
    tracked.state = evolveProject(before, event);
    if (event.type === 'ProjectCreated') Object.assign(tracked, { title: event.data.title, proposalIds: event.data.proposalIds, createdAt: event.data.createdAt });
    if (event.type === 'BudgetReported') tracked.budgetReason = event.data.reason;
    // The decider records a milestone once; the state says whether this event added it.
    if (event.type === 'MilestoneReached' && tracked.state.milestoneIds.length > before.milestoneIds.length) {
      const { milestoneId, title, reachedOn, evidence } = event.data;
      tracked.milestones.push({ id: milestoneId, title, reachedOn, evidence });
    }
  }
}
