import { Injectable } from '@nestjs/common';
import {
  type Answers,
  ballotBoxDecider,
  ballotBoxId,
  type BallotCommand,
  citizenDecider,
  consultationDecider,
  levelOf,
  residenceOf,
  parseBallotCommand,
  type Voter,
} from '@palabre/domain';
import { eventIdFor, WrongExpectedRevisionError } from '@palabre/event-store';
import { ballotReceipt } from '@palabre/projections';
import { aggregateIdFor, commandIdFor } from '../http/headers.js';
import { ProblemError } from '../http/problem.js';
import type { Principal } from '../platform/principal.js';
import { Streams } from '../platform/streams.js';
import { BallotPseudonyms } from './pseudonyms.js';

export interface CastOutcome {
  readonly receipt: string;
  readonly ballotId: string;
  /** The voter's ballot box revision after it (a repeated request: the same as the first time). */
  readonly revision: number;
}

interface BallotRequest {
  readonly consultationId: string;
  readonly idempotencyKey: string;
  readonly answers: Answers;
  readonly correlationId: string;
}

/**
 * Ballots on the shared executor. The voter is known here, at the edge, and nowhere after: the
 * command, the event, its metadata and every copy carry the voter's per-consultation pseudonym
 * (`BallotPseudonyms`), never the citizen id. Each voter has their own ballot box stream, so
 * voters never wait on one another; the recount reads every box from the log.
 */
@Injectable()
export class Ballots {
  constructor(
    private readonly streams: Streams,
    private readonly pseudonyms: BallotPseudonyms,
  ) {}

  /** A resident votes in their own name (app or web); a later ballot replaces an earlier one until the close. */
  async cast(principal: Principal, request: BallotRequest): Promise<CastOutcome> {
    if (principal.kind !== 'citizen') throw new ProblemError(403, 'ballot.forbidden', 'Residents vote in their own name only; staff record paper ballots at a polling table.');
    return this.execute(principal, principal.id, request, null);
  }

  /** A commune agent records a resident's paper ballot at a polling table: final, no later ballot replaces it. */
  async recordPaper(principal: Principal, citizenId: string, pollingTableId: string, request: BallotRequest): Promise<CastOutcome> {
    return this.execute(principal, citizenId, request, pollingTableId);
  }

  private async execute(principal: Principal, citizenId: string, request: BallotRequest, pollingTableId: string | null): Promise<CastOutcome> {
    const consultation = await this.streams.load(consultationDecider, request.consultationId);
    if (consultation.state.status === 'none' || consultation.state.status === 'draft') {
      throw new ProblemError(404, 'consultation.not_found', `No consultation ${request.consultationId} that you may see.`);
    }
    // Once published, the consultation's pseudonym key is gone for good: nothing can be decided any more.
    if (consultation.state.status === 'published') throw new ProblemError(409, 'consultation.closed', 'Voting has closed and the results are published.');
    const pseudonym = await this.pseudonyms.pseudonymFor(request.consultationId, citizenId);
    const voter = await this.voter(citizenId, pseudonym);
    // Keyed on the pseudonym, not the citizen: nothing derived from the citizen id reaches the log.
    const commandId = commandIdFor(pseudonym, request.idempotencyKey, pollingTableId === null ? 'cast-ballot' : `paper-ballot\n${principal.id}`);
    const ballotId = aggregateIdFor('ballot', 'B', commandId);
    const outcome = await this.streams
      .execute(ballotBoxDecider(consultation.state), principal, {
        name: pollingTableId === null ? 'CastBallot' : 'RecordPaperBallot',
        id: ballotBoxId(request.consultationId, pseudonym),
        commandId,
        correlationId: request.correlationId,
        actor: pollingTableId === null ? { id: pseudonym, role: 'citizen' } : { id: principal.id, role: principal.role },
        build: (meta) => this.command(meta, { consultationId: request.consultationId, ballotId, voter, answers: request.answers }, pollingTableId),
        communeOf: () => consultation.state.communeId,
      })
      .catch((error: unknown) => {
        // Several ballots of one voter at the same instant: some are recorded, the rest are told to try again.
        if (error instanceof WrongExpectedRevisionError) {
          throw new ProblemError(409, 'ballot.concurrent', 'Another ballot of yours was being recorded at the same moment; send this one again.', [], {}, { 'Retry-After': '1' });
        }
        throw error;
      });
    // A repeated request finds its ballot already in the box: the same event id, so the same receipt.
    return { receipt: ballotReceipt(eventIdFor(commandId, 0)), ballotId, revision: outcome.revision };
  }

  private command(meta: Parameters<typeof parseBallotCommand>[2], data: { consultationId: string; ballotId: string; voter: Voter; answers: Answers }, pollingTableId: string | null): BallotCommand {
    return pollingTableId === null ? parseBallotCommand('CastBallot', data, meta) : parseBallotCommand('RecordPaperBallot', { ...data, pollingTableId }, meta);
  }

  /** What eligibility needs, from the citizen's own stream: level and residence (an agent's check records the quartier). */
  private async voter(citizenId: string, pseudonym: string): Promise<Voter> {
    const citizen = (await this.streams.load(citizenDecider, citizenId)).state;
    const residence = residenceOf(citizen);
    return {
      pseudonym,
      level: levelOf(citizen),
      // No birth date is collected yet: an adults-only consultation refuses until one is.
      adult: null,
      communeId: residence?.communeId ?? null,
      quartierId: residence?.quartierId ?? null,
    };
  }
}
