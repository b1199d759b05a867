import { type CommandMeta, isAgentRole, isOrganiserRole } from '../shared/command.js';
import type { Decider } from '../shared/decider.js';
import { assertNever, DomainRuleError } from '../shared/errors.js';
import { checkEligibility, validateAnswers, validateContent } from './ballot-rules.js';
import type { BallotCommand, ConsultationCommand } from './commands.js';
import {
  type BallotEvent,
  ballotEventVersions,
  ballotStreamId,
  type ConsultationContent,
  type ConsultationEvent,
  consultationEventVersions,
  consultationStreamId,
  parseBallotEvent,
  parseConsultationEvent,
} from './events.js';

export type ConsultationStatus = 'none' | 'draft' | 'open' | 'closed' | 'cancelled' | 'published';

export interface Consultation {
  readonly status: ConsultationStatus;
  readonly consultationId: string | null;
  readonly communeId: string | null;
  readonly content: ConsultationContent | null;
  readonly openedAt: string | null;
  readonly closedAt: string | null;
  readonly publishedAt: string | null;
}

export const initialConsultation = (): Consultation => ({
  status: 'none',
  consultationId: null,
  communeId: null,
  content: null,
  openedAt: null,
  closedAt: null,
  publishedAt: null,
});

const refuse = (code: string, message: string): never => {
  throw new DomainRuleError(code, message);
};

/** Instants may carry different offsets (`+01:00` in Cameroon, `Z` from servers): compare them as instants, not strings. */
const isBefore = (a: string, b: string): boolean => Date.parse(a) < Date.parse(b);

/** Commune staff run their commune's consultations; national staff (no commune) any; the deadline process opens and closes on schedule. */
function requireOrganiser(meta: CommandMeta, communeId: string | null, action: string, systemMay = false): void {
  const { role } = meta.actor;
  const staff = isOrganiserRole(role);
  if (!staff && !(systemMay && role === 'system')) refuse('consultation.forbidden', `Only commune staff may ${action}.`);
  if (staff && meta.communeId !== null && communeId !== null && meta.communeId !== communeId) {
    refuse('consultation.forbidden', `This consultation belongs to commune ${communeId}; you act for commune ${meta.communeId}.`);
  }
}

export function requireExisting(consultation: Consultation, consultationId: string): void {
  if (consultation.status === 'none' || consultation.consultationId !== consultationId) {
    refuse('consultation.not_found', `There is no consultation ${consultationId}.`);
  }
  if (consultation.status === 'cancelled') refuse('consultation.cancelled', 'This consultation was cancelled.');
}

/** Decides what a staff or schedule command does to a consultation's lifecycle. */
export function decideConsultation(command: ConsultationCommand, consultation: Consultation): ConsultationEvent[] {
  const { meta } = command;
  const now = meta.now;
  const by = meta.actor.id;
  switch (command.type) {
    case 'DraftConsultation': {
      requireOrganiser(meta, command.data.communeId, 'draft a consultation');
      if (consultation.status !== 'none') refuse('consultation.already_exists', `Consultation ${command.data.consultationId} already exists.`);
      validateContent(command.data);
      return [{ type: 'ConsultationDrafted', data: { ...command.data, draftedBy: by, draftedAt: now } }];
    }
    case 'ReviseDraft': {
      requireExisting(consultation, command.data.consultationId);
      requireOrganiser(meta, consultation.communeId, 'revise a consultation');
      if (consultation.status !== 'draft') refuse('consultation.not_draft', 'Only a draft can be revised; this consultation has opened.');
      validateContent(command.data);
      return [{ type: 'ConsultationDraftRevised', data: { ...command.data, revisedBy: by, revisedAt: now } }];
    }
    case 'OpenConsultation': {
      const { consultationId } = command.data;
      requireExisting(consultation, consultationId);
      requireOrganiser(meta, consultation.communeId, 'open a consultation', true);
      if (consultation.status === 'open') return [];
      if (consultation.status !== 'draft') refuse('consultation.closed', 'This consultation has closed; it cannot open again.');
      const content = consultation.content!;
      if (isBefore(now, content.opensAt)) refuse('consultation.too_early', `This consultation opens at ${content.opensAt}; change its opening time to open it now.`);
      if (!isBefore(now, content.closesAt)) refuse('consultation.schedule_passed', `This consultation was due to close at ${content.closesAt}; set new dates first.`);
      return [{ type: 'ConsultationOpened', data: { consultationId, openedBy: by, openedAt: now } }];
    }
    case 'CloseConsultation': {
      const { consultationId, how } = command.data;
      requireExisting(consultation, consultationId);
      requireOrganiser(meta, consultation.communeId, 'close a consultation', how === 'schedule');
      // The schedule and a person may both close it: the second changes nothing.
      if (consultation.status === 'closed' || consultation.status === 'published') return [];
      if (consultation.status !== 'open') refuse('consultation.not_open', 'Only an open consultation can be closed.');
      if (how === 'schedule' && isBefore(now, consultation.content!.closesAt)) {
        refuse('consultation.too_early', `This consultation closes at ${consultation.content!.closesAt}.`);
      }
      return [{ type: 'ConsultationClosed', data: { consultationId, how, closedBy: by, closedAt: now } }];
    }
    case 'CancelConsultation': {
      const { consultationId, reason } = command.data;
      if (consultation.status === 'cancelled' && consultation.consultationId === consultationId) return [];
      requireExisting(consultation, consultationId);
      requireOrganiser(meta, consultation.communeId, 'cancel a consultation');
      if (consultation.status === 'closed' || consultation.status === 'published') {
        refuse('consultation.closed', 'A closed consultation cannot be cancelled; its ballots are counted.');
      }
      return [{ type: 'ConsultationCancelled', data: { consultationId, reason, cancelledBy: by, cancelledAt: now } }];
    }
    case 'PublishResults': {
      const { consultationId } = command.data;
      requireExisting(consultation, consultationId);
      requireOrganiser(meta, consultation.communeId, 'publish results', true);
      if (consultation.status === 'published') return [];
      if (consultation.status !== 'closed') refuse('consultation.not_closed', 'Results are published once the consultation has closed.');
      if (!command.data.signedResult) refuse('consultation.result_missing', 'Publishing needs the result signed over the log that includes the close.');
      return [{ type: 'ConsultationResultsPublished', data: { consultationId, signedResult: command.data.signedResult!, publishedBy: by, publishedAt: now } }];
    }
    default:
      return assertNever(command);
  }
}

export function evolveConsultation(consultation: Consultation, event: ConsultationEvent): Consultation {
  switch (event.type) {
    case 'ConsultationDrafted': {
      const { consultationId, communeId, draftedBy: _by, draftedAt: _at, ...content } = event.data;
      return { ...consultation, status: 'draft', consultationId, communeId, content };
    }
    case 'ConsultationDraftRevised': {
      const { consultationId: _id, revisedBy: _by, revisedAt: _at, ...content } = event.data;
      return { ...consultation, content };
    }
    case 'ConsultationOpened':
      return { ...consultation, status: 'open', openedAt: event.data.openedAt };
    case 'ConsultationClosed':
      return { ...consultation, status: 'closed', closedAt: event.data.closedAt };
    case 'ConsultationCancelled':
      return { ...consultation, status: 'cancelled' };
    case 'ConsultationResultsPublished':
      return { ...consultation, status: 'published', publishedAt: event.data.publishedAt };
    default:
      return assertNever(event);
  }
}

export const replayConsultation = (events: readonly ConsultationEvent[]): Consultation => events.reduce(evolveConsultation, initialConsultation());

export const consultationDecider = {
  streamId: consultationStreamId,
  initialState: initialConsultation,
  decide: decideConsultation,
  evolve: evolveConsultation,
  parseEvent: parseConsultationEvent,
  eventVersions: consultationEventVersions,
} as const satisfies Decider<ConsultationCommand, ConsultationEvent, Consultation>;

/** Whether results may be shown now: live ones while open, every one once closed. */
export function resultsVisible(consultation: Consultation): boolean {
  if (consultation.status === 'closed' || consultation.status === 'published') return true;
  return consultation.status === 'open' && consultation.content?.resultsVisibility === 'live';
}

/** What the ballot stream remembers per pseudonym: the ballots it cast and whether one was on paper (final). */
export interface VoterRecord {
  readonly ballotIds: readonly string[];
  readonly paper: boolean;
}

/**
 * Ballots folded by pseudonym. A decision reads only the deciding voter's record: the edge folds
 * that voter's own box (`ballotBoxId`), which holds nobody else's ballots.
 */
export interface BallotBox {
  readonly voters: ReadonlyMap<string, VoterRecord>;
}

export const initialBallotBox = (): BallotBox => ({ voters: new Map() });

/**
 * Decides whether a ballot is accepted. The consultation's state comes from its own stream,
 * loaded by the edge, as deciders never look anything up.
 */
export function decideBallot(command: BallotCommand, box: BallotBox, consultation: Consultation): BallotEvent[] {
  const { meta, data } = command;
  const now = meta.now;
  if (consultation.status === 'none' || consultation.consultationId !== data.consultationId) {
    refuse('consultation.not_found', `There is no consultation ${data.consultationId}.`);
  }
  const paper = command.type === 'RecordPaperBallot';
  const role = meta.actor.role;
  if (paper ? !isAgentRole(role) : role !== 'citizen') {
    refuse('ballot.forbidden', paper ? 'Only a commune agent records paper ballots.' : 'Residents vote in their own name only.');
  }
  if (paper && meta.communeId !== null && meta.communeId !== consultation.communeId) {
    refuse('ballot.forbidden', `Agents of ${meta.communeId} record ballots for their own commune's consultations only.`);
  }
  const record = box.voters.get(data.voter.pseudonym);
  // A retried command changes nothing, whatever happened since.
  if (record?.ballotIds.includes(data.ballotId)) return [];
  const content = consultation.content!;
  if (consultation.status === 'cancelled') refuse('consultation.cancelled', 'This consultation was cancelled.');
  if (consultation.status === 'draft' || isBefore(now, content.opensAt)) refuse('consultation.not_open', `Voting opens at ${content.opensAt}.`);
  if (consultation.status !== 'open' || !isBefore(now, content.closesAt)) refuse('consultation.closed', 'Voting has closed.');
  checkEligibility({ ...content, communeId: consultation.communeId! }, data.voter);
  if (record?.paper) refuse('ballot.paper_final', 'A paper ballot was recorded for this resident; it is final.');
  validateAnswers(content.questions, data.answers);
  return [
    {
      type: 'BallotCast',
      data: {
        consultationId: data.consultationId,
        ballotId: data.ballotId,
        pseudonym: data.voter.pseudonym,
        quartierId: data.voter.quartierId,
        channel: paper ? 'paper' : 'online',
        answers: data.answers,
        recordedBy: paper ? meta.actor.id : null,
        pollingTableId: command.type === 'RecordPaperBallot' ? command.data.pollingTableId : null,
        castAt: now,
      },
    },
  ];
}

export function evolveBallotBox(box: BallotBox, event: BallotEvent): BallotBox {
  const { pseudonym, ballotId, channel } = event.data;
  const before = box.voters.get(pseudonym);
  const voters = new Map(box.voters);
  voters.set(pseudonym, { ballotIds: [...(before?.ballotIds ?? []), ballotId], paper: (before?.paper ?? false) || channel === 'paper' });
  return { voters };
}

/** A voter's ballot box in one consultation as the engine sees it, bound to that consultation's current state. */
export function ballotBoxDecider(consultation: Consultation): Decider<BallotCommand, BallotEvent, BallotBox> {
  return {
    streamId: ballotStreamId,
    initialState: initialBallotBox,
    decide: (command, box) => decideBallot(command, box, consultation),
    evolve: evolveBallotBox,
    parseEvent: parseBallotEvent,
    eventVersions: ballotEventVersions,
  };
}
