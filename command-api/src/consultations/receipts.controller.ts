import { Controller, Get, Inject, Param } from '@nestjs/common';
import type pg from 'pg';
import { envelopeText, inclusionProofFor, latestTreeHead, ProofError } from '@palabre/audit';
import type { EventStore } from '@palabre/event-store';
import { ballotStreamId, ballotBoxId } from '@palabre/domain';
import { parseReceiptCode } from '@palabre/domain';
import { ProblemError } from '../http/problem.js';
import { EVENT_STORE, PG_POOL } from '../platform/tokens.js';

interface BallotRow {
  event_id: string;
  receipt: string;
  consultation_id: string;
  ballot_id: string;
  pseudonym: string;
  channel: 'online' | 'paper';
  answers: Record<string, unknown>;
  cast_at: Date;
  log_commit: string;
  log_prepare: string;
  counted: boolean;
}

/**
 * "Check my ballot": anyone holding a receipt sees that ballot as the log has it (answers, time,
 * whether it is the one counted for its voter) and its inclusion proof against the latest signed
 * tree head, which the app verifies itself. The record names no one: the voter appears, as in every
 * export, by the consultation's pseudonym only.
 */
@Controller('api/receipts')
export class ReceiptsController {
  constructor(
    @Inject(PG_POOL) private readonly pool: pg.Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
  ) {}

  @Get(':code')
  async receipt(@Param('code') raw: string) {
    const code = parseReceiptCode(raw);
    if (code === null) {
      throw new ProblemError(400, 'receipt.malformed', 'A receipt is 10 letters and digits, as printed after the vote (e.g. 7K3QX-M2P9R).', [{ path: 'path.code', message: '10 characters of Crockford base32' }]);
    }
    // Counted: the ballot the tally projector holds as this voter's (rule 1, the close included).
    const { rows } = await this.pool.query<BallotRow>(
      `SELECT b.event_id, b.receipt, b.consultation_id, b.ballot_id, b.pseudonym, b.channel, b.answers, b.cast_at, b.log_commit::text, b.log_prepare::text,
         EXISTS (SELECT 1 FROM read.consultation_counted c WHERE c.consultation_id = b.consultation_id AND c.pseudonym = b.pseudonym AND c.event_id = b.event_id) AS counted
       FROM read.consultation_ballots b WHERE b.receipt = $1`,
      [code],
    );
    const ballot = rows[0];
    if (!ballot) throw new ProblemError(404, 'receipt.unknown', `No ballot has the receipt ${code}. It may take a few seconds to appear after voting; check the code.`, [{ path: 'path.code', message: 'unknown receipt' }]);
    return {
      receipt: ballot.receipt,
      consultationId: ballot.consultation_id,
      ballotId: ballot.ballot_id,
      channel: ballot.channel,
      answers: ballot.answers,
      castAt: ballot.cast_at.toISOString(),
      counted: ballot.counted,
      eventId: ballot.event_id,
      position: `${ballot.log_commit}/${ballot.log_prepare}`,
      // The event as the transparency log hashed it (RFC 8785): the app hashes it into the leaf itself.
      envelope: await this.envelope(ballot),
      inclusion: await this.inclusion(ballot.event_id),
    };
  }

  private async envelope(ballot: BallotRow): Promise<string> {
    const events = await this.store.readStream(ballotStreamId(ballotBoxId(ballot.consultation_id, ballot.pseudonym)));
    const event = events.find((e) => e.metadata.eventId === ballot.event_id);
    if (!event) throw new Error(`Ballot ${ballot.event_id} is in the read model but not in the log`);
    return envelopeText(event);
  }

  /** The proof against the latest signed head, or null while no signed head covers the ballot yet (heads are signed every few seconds). */
  private async inclusion(eventId: string) {
    const head = await latestTreeHead(this.pool);
    if (!head) return null;
    try {
      const proof = await inclusionProofFor(this.pool, { eventId }, head.treeSize);
      return { leafIndex: proof.leafIndex, treeSize: proof.treeSize, leafHash: proof.leafHash, inclusionProof: proof.inclusionProof, rootHash: proof.rootHash, treeHead: head };
    } catch (error) {
      if (error instanceof ProofError) return null;
      throw error;
    }
  }
}
