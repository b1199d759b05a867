import type pg from 'pg';
import type { Server, Socket } from 'socket.io';
import { projectDecider, proposalDecider } from '@palabre/domain';
import type { Principal } from '../platform/principal.js';
import type { Streams } from '../platform/streams.js';
import { projectViews } from '../projects/project-view.js';
import { proposalViews } from '../proposals/proposal-view.js';

export const participationRooms = {
  proposal: (id: string) => `proposal:${id}`,
  project: (id: string) => `project:${id}`,
};

const proposals = proposalDecider();
const PROPOSAL_ID = /^P[0-9A-HJKMNP-TV-Z]{12}$/;
const PROJECT_ID = /^J[0-9A-HJKMNP-TV-Z]{12}$/;

/**
 * A client follows a proposal (`proposal.follow` `{ proposalId }`) or a project (`project.follow`
 * `{ projectId }`): its supports, answer, stages, progress and milestones are pushed as they are
 * projected (`proposal.updated`, `project.updated`). Both are public; a hidden proposal is not
 * followed, and its changes are not pushed.
 */
export async function followParticipation(streams: Streams, socket: Socket, _principal: Principal, kind: 'proposal' | 'project', payload: { proposalId?: unknown; projectId?: unknown }): Promise<boolean> {
  const id = kind === 'proposal' ? payload?.proposalId : payload?.projectId;
  if (typeof id !== 'string' || !(kind === 'proposal' ? PROPOSAL_ID : PROJECT_ID).test(id)) return false;
  if (kind === 'proposal') {
    const { state } = await streams.load(proposals, id);
    if (state.status === 'none' || state.status === 'hidden') return false;
    await socket.join(participationRooms.proposal(id));
  } else {
    if ((await streams.load(projectDecider, id)).state.status === 'none') return false;
    await socket.join(participationRooms.project(id));
  }
  return true;
}

/** Proposals and projects a projection batch changed: their views go to those following them. */
export async function pushParticipation(pool: pg.Pool, io: Server, changes: readonly { kind: string; id: string }[]): Promise<void> {
  const proposalIds = changes.filter((c) => c.kind === 'proposal').map((c) => c.id);
  const projectIds = changes.filter((c) => c.kind === 'project').map((c) => c.id);
  if (proposalIds.length > 0) for (const view of await proposalViews(pool, proposalIds)) io.to(participationRooms.proposal(view.id)).emit('proposal.updated', view);
  if (projectIds.length > 0) for (const view of await projectViews(pool, projectIds)) io.to(participationRooms.project(view.id)).emit('project.updated', view);
}
