import type pg from 'pg';
import type { Server, Socket } from 'socket.io';
import { projectDecider, proposalDecider } from '@palabre/domain';
import { canSeeCommune, type Principal } from '../platform/principal.js';
import type { Streams } from '../platform/streams.js';
import { projectViews } from '../projects/project-view.js';
import { type ProposalRow, view } from '../proposals/proposal-view.js';

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
 * projected (`proposal.updated`, `project.updated`). Both are public; a hidden proposal is followed
 * by its commune's staff only, and its changes go to them only.
 */
export async function followParticipation(streams: Streams, socket: Socket, principal: Principal, kind: 'proposal' | 'project', payload: { proposalId?: unknown; projectId?: unknown }): Promise<boolean> {
  const id = kind === 'proposal' ? payload?.proposalId : payload?.projectId;
  if (typeof id !== 'string' || !(kind === 'proposal' ? PROPOSAL_ID : PROJECT_ID).test(id)) return false;
  if (kind === 'proposal') {
    const { state } = await streams.load(proposals, id);
    // A hidden one is followed by its commune's moderators only (they restore it or not).
    if (state.status === 'none' || (state.status === 'hidden' && !(principal.kind === 'staff' && canSeeCommune(principal, state.communeId)))) return false;
    await socket.join(participationRooms.proposal(id));
  } else {
    if ((await streams.load(projectDecider, id)).state.status === 'none') return false;
    await socket.join(participationRooms.project(id));
  }
  return true;
}

/** Every staff member who moderates a commune's proposals reads them whole: flags and why one is hidden. */
const MODERATOR_VIEW = { kind: 'staff', communes: '*' } as const;

/**
 * Proposals and projects a projection batch changed: their views go to those following them. The
 * commune's staff (`staffRooms`) get each changed proposal as moderators read it, hidden ones and
 * the moderation queue's included; residents following one get its public view while it is shown.
 */
export async function pushParticipation(pool: pg.Pool, io: Server, changes: readonly { kind: string; id: string }[], staffRooms: (communeId: string) => string[]): Promise<void> {
  const proposalIds = changes.filter((c) => c.kind === 'proposal').map((c) => c.id);
  const projectIds = changes.filter((c) => c.kind === 'project').map((c) => c.id);
  if (proposalIds.length > 0) {
    const { rows } = await pool.query<ProposalRow>('SELECT * FROM read.proposals WHERE id = ANY($1::text[])', [proposalIds]);
    for (const row of rows) {
      const staff = staffRooms(row.commune_id);
      io.to(staff).emit('proposal.updated', view(row, MODERATOR_VIEW));
      if (row.status !== 'hidden') io.to(participationRooms.proposal(row.id)).except(staff).emit('proposal.updated', view(row));
    }
  }
  if (projectIds.length > 0) for (const view of await projectViews(pool, projectIds)) io.to(participationRooms.project(view.id)).emit('project.updated', view);
}
