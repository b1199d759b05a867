import { Inject, Injectable } from '@nestjs/common';
import {
  type Answers,
  ballotBoxDecider,
  ballotBoxId,
  type BallotCommand,
  citizenDecider,
  type Consultation,
  consultationDecider,
  isAdultOn,
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
import { type Loaded, Streams } from '../platform/streams.js';
import { type Clock, CLOCK } from '../platform/tokens.js';
import { Vault } from '../vault/vault.js';
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
const OPEN_STATE_TTL_MS = 1_000;

@Injectable()
export class Ballots {
  private readonly recent = new Map<string, { loaded: Loaded<Consultation>; until: number }>();

  constructor(
    private readonly streams: Streams,
    private readonly pseudonyms: BallotPseudonyms,
    private readonly vault: Vault,
    @Inject(CLOCK) private readonly clock: Clock,
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
    const consultation = await this.consultation(request.consultationId);
    if (consultation.state.status === 'none' || consultation.state.status === 'draft') {
      throw new ProblemError(404, 'consultation.not_found', `No consultation ${request.consultationId} that you may see.`);
    }
    // Once published, the consultation's pseudonym key is gone for good: nothing can be decided any more.
    const published = () => new ProblemError(409, 'consultation.closed', 'Voting has closed and the results are published.');
    if (consultation.state.status === 'published') throw published();
    const pseudonym = await this.pseudonyms.pseudonymFor(request.consultationId, citizenId).catch(async (error: unknown) => {
      // Published meanwhile (this state was a second old): the key is destroyed.
      if ((await this.streams.load(consultationDecider, request.consultationId)).state.status === 'published') throw published();
      throw error;
    });
    const voter = await this.voter(citizenId, pseudonym, consultation.state.content!.adultsOnly);
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
        // Most ballots are a voter's first: append to a new box without reading it (a second one falls back and reads).
        startsStream: true,
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

  /**
   * The consultation every ballot is decided against. An open one is kept for a second: a ballot
   * decided on it just after a close by hand lands after the close in the log and is not counted
   * (the close rule), its receipt then says so; a scheduled close is checked against the clock.
   */
  private async consultation(id: string): Promise<Loaded<Consultation>> {
    const now = Date.now();
    const kept = this.recent.get(id);
    if (kept && kept.until > now) return kept.loaded;
    const loaded = await this.streams.load(consultationDecider, id);
    if (loaded.state.status === 'open') {
      if (this.recent.size >= 1_000) this.recent.clear();
      this.recent.set(id, { loaded, until: now + OPEN_STATE_TTL_MS });
    } else this.recent.delete(id);
    return loaded;
  }

  private command(meta: Parameters<typeof parseBallotCommand>[2], data: { consultationId: string; ballotId: string; voter: Voter; answers: Answers }, pollingTableId: string | null): BallotCommand {
    return pollingTableId === null ? parseBallotCommand('CastBallot', data, meta) : parseBallotCommand('RecordPaperBallot', { ...data, pollingTableId }, meta);
  }

  /**
   * What eligibility needs, from the citizen's own stream: level and residence (an agent's check
   * records the quartier); for an adults-only consultation, the age from the birth date the agent
   * read on the document, in the vault (none recorded: not known, so refused).
   */
  private async voter(citizenId: string, pseudonym: string, adultsOnly: boolean): Promise<Voter> {
    const [citizen, birthDate] = await Promise.all([this.streams.load(citizenDecider, citizenId).then((l) => l.state), adultsOnly ? this.vault.readBirthDate(citizenId) : null]);
    const residence = residenceOf(citizen);
    return {
      pseudonym,
      level: levelOf(citizen),
      adult: typeof birthDate === 'string' ? isAdultOn(birthDate, this.clock().toISOString()) : null,
      communeId: residence?.communeId ?? null,
      quartierId: residence?.quartierId ?? null,
    };
  }
}
