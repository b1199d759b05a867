import { describe, expect, it } from 'vitest';
import {
  attachTallySheet,
  ballotHistory,
  cancel,
  castBallot,
  close,
  consultationId,
  closesAt,
  consultationHistory,
  draft,
  duringVote,
  fieldAgent,
  givenBallots,
  givenConsultation,
  open,
  openConsultation,
  opensAt,
  publish,
  recordPaperBallot,
  signedResult,
  validAnswers,
} from '../testing/consultation.js';
import { consultationDecider, replayConsultation, resultsVisible } from './decider.js';
import { ballotBoxId, ballotStreamId, type ConsultationEvent } from './events.js';
import { pollingTableDecider, pollingTableId } from './polling-table.js';
import { scenariosOf } from '../testing/scenario.js';

const system = { actor: { id: 'system', role: 'system' as const }, communeId: null };
const drafted = () => consultationHistory(draft());
const opened = () => consultationHistory(draft(), open({}, { now: opensAt, ...system }));
const closed = () => consultationHistory(draft(), open({}, { now: opensAt, ...system }), close({}, { now: duringVote }));

describe('drafting a consultation', () => {
  it('records the draft with who drafted it and when', () => {
    const [event] = consultationDecider.decide(draft(), consultationDecider.initialState());
    expect(event).toMatchObject({
      type: 'ConsultationDrafted',
      data: { consultationId: 'C-1', communeId: 'soa', requiredLevel: 'phone', adultsOnly: true, draftedBy: 'admin-soa', draftedAt: '2027-02-20T09:00:00.000Z' },
    });
    expect(event!.data).toHaveProperty('questions.0.options.0.point', { lat: 3.99, lon: 11.59 });
  });

  it('refuses a second draft under the same id', () => {
    givenConsultation(drafted()).when(draft()).thenThrows('consultation.already_exists');
  });

  it('refuses a schedule that closes before it opens', () => {
    givenConsultation([]).when(draft({ opensAt: closesAt, closesAt: opensAt })).thenThrows('consultation.bad_schedule');
  });

  it('refuses questions residents could not answer', () => {
    const [site, days, , , budget] = draft().data.questions;
    givenConsultation([]).when(draft({ questions: [site!, site!] })).thenThrows('consultation.duplicate_question');
    if (days!.kind !== 'multiple' || budget!.kind !== 'budget' || site!.kind !== 'single') throw new Error('fixture');
    givenConsultation([]).when(draft({ questions: [{ ...days!, maxChoices: 5 }] })).thenThrows('consultation.bad_max_choices');
    givenConsultation([]).when(draft({ questions: [{ ...site!, options: [site!.options[0]!, site!.options[0]!] }] })).thenThrows('consultation.duplicate_option');
    givenConsultation([])
      .when(draft({ questions: [{ ...budget!, options: [{ id: 'x', label: { fr: 'x', en: 'x' } }] }] }))
      .thenThrows('consultation.missing_cost');
  });

  it('lets only commune staff of that commune draft', () => {
    givenConsultation([]).when(draft({}, { actor: { id: 'citizen-1', role: 'citizen' }, communeId: null })).thenThrows('consultation.forbidden');
    givenConsultation([]).when(draft({}, { communeId: 'dschang' })).thenThrows('consultation.forbidden');
  });

  it('revises a draft but not an opened consultation', () => {
    const revise = { type: 'ReviseDraft' as const, data: { ...draft().data, title: { fr: 'Marché', en: 'Market' } }, meta: draft().meta };
    const { communeId: _c, ...revisedData } = revise.data;
    const revision = { ...revise, data: revisedData };
    expect(givenConsultation(drafted()).when(revision).thenState().content?.title).toEqual({ fr: 'Marché', en: 'Market' });
    givenConsultation(opened()).when(revision).thenThrows('consultation.not_draft');
  });
});

describe('opening and closing', () => {
  it('opens at its opening time, by the schedule or by hand', () => {
    givenConsultation(drafted())
      .when(open({}, { now: opensAt, ...system }))
      .then([{ type: 'ConsultationOpened', data: { consultationId: 'C-1', openedBy: 'system', openedAt: opensAt } }]);
  });

  it('does not open before its opening time nor after its closing time', () => {
    givenConsultation(drafted()).when(open()).thenThrows('consultation.too_early');
    givenConsultation(drafted()).when(open({}, { now: closesAt })).thenThrows('consultation.schedule_passed');
  });

  it('closes by hand at any time, and by schedule only once the closing time has come', () => {
    givenConsultation(opened())
      .when(close({}, { now: duringVote }))
      .then([{ type: 'ConsultationClosed', data: { consultationId: 'C-1', how: 'by_hand', closedBy: 'admin-soa', closedAt: duringVote } }]);
    givenConsultation(opened()).when(close({ how: 'schedule' }, { now: duringVote, ...system })).thenThrows('consultation.too_early');
    expect(givenConsultation(opened()).when(close({ how: 'schedule' }, { now: closesAt, ...system })).thenState().status).toBe('closed');
  });

  it('a second close (schedule after hand) changes nothing', () => {
    givenConsultation(closed()).when(close({ how: 'schedule' }, { now: closesAt, ...system })).then([]);
  });

  it('the schedule may not close by hand', () => {
    givenConsultation(opened()).when(close({}, { now: duringVote, ...system })).thenThrows('consultation.forbidden');
  });

  it('cancels a draft or an open consultation, never a closed one', () => {
    expect(givenConsultation(opened()).when(cancel({}, { now: duringVote })).thenState().status).toBe('cancelled');
    givenConsultation(closed()).when(cancel()).thenThrows('consultation.closed');
    const cancelled = consultationHistory(draft(), cancel());
    givenConsultation(cancelled).when(cancel()).then([]);
    givenConsultation(cancelled).when(open({}, { now: opensAt })).thenThrows('consultation.cancelled');
  });

  it('publishes results once closed', () => {
    givenConsultation(opened()).when(publish({}, { now: duringVote })).thenThrows('consultation.not_closed');
    expect(givenConsultation(closed()).when(publish({}, { now: closesAt })).thenState()).toMatchObject({ status: 'published', publishedAt: closesAt });
    givenConsultation(closed()).when(publish({ signedResult: undefined }, { now: closesAt })).thenThrows('consultation.result_missing');
    givenConsultation(closed())
      .when(publish({}, { now: closesAt }))
      .then([{ type: 'ConsultationResultsPublished', data: { consultationId, signedResult, publishedBy: 'admin-soa', publishedAt: closesAt } }]);
  });

  it('refuses commands on a consultation that does not exist', () => {
    givenConsultation([]).when(open({}, { now: opensAt })).thenThrows('consultation.not_found');
  });

  it('shows results live while open only when the consultation says so', () => {
    expect(resultsVisible(replayConsultation(opened()))).toBe(false);
    expect(resultsVisible(replayConsultation(closed()))).toBe(true);
    const live = consultationHistory(draft({ resultsVisibility: 'live' }), open({}, { now: opensAt, ...system }));
    expect(resultsVisible(replayConsultation(live))).toBe(true);
  });
});

describe('casting a ballot', () => {
  it('records the ballot under the pseudonym, never the citizen id', () => {
    givenBallots([])
      .when(castBallot())
      .then([
        {
          type: 'BallotCast',
          data: {
            consultationId: 'C-1',
            ballotId: 'ballot-1',
            pseudonym: 'pseudo-aaaaaaaa',
            quartierId: 'soa-centre',
            channel: 'online',
            answers: validAnswers,
            recordedBy: null,
            pollingTableId: null,
            castAt: duringVote,
          },
        },
      ]);
    expect(JSON.stringify(givenBallots([]).when(castBallot()).thenState())).not.toContain('citizen-1');
  });

  it('compares times as instants whatever their offset', () => {
    givenBallots([]).when(castBallot({}, { now: '2027-03-01T07:30:00.000+01:00' })).thenThrows('consultation.not_open');
    expect(givenBallots([]).when(castBallot({}, { now: '2027-03-01T08:30:00.000+01:00' })).thenState().voters.size).toBe(1);
  });

  it('refuses ballots before opening and after closing, by the clock or by hand', () => {
    givenBallots([]).when(castBallot({}, { now: '2027-03-01T06:59:59.000Z' })).thenThrows('consultation.not_open');
    givenBallots([]).when(castBallot({}, { now: closesAt })).thenThrows('consultation.closed');
    givenBallots([], replayConsultation(drafted())).when(castBallot()).thenThrows('consultation.not_open');
    givenBallots([], replayConsultation(closed())).when(castBallot()).thenThrows('consultation.closed');
    givenBallots([], replayConsultation(consultationHistory(draft(), cancel()))).when(castBallot()).thenThrows('consultation.cancelled');
    givenBallots([], replayConsultation([])).when(castBallot()).thenThrows('consultation.not_found');
  });

  it('refuses a voter below the level, under 18, or living outside the scope', () => {
    givenBallots([]).when(castBallot({ voter: { level: 'device' } })).thenThrows('ballot.level_too_low');
    givenBallots([]).when(castBallot({ voter: { adult: false } })).thenThrows('ballot.not_adult');
    givenBallots([]).when(castBallot({ voter: { adult: null } })).thenThrows('ballot.not_adult');
    givenBallots([]).when(castBallot({ voter: { communeId: 'dschang' } })).thenThrows('ballot.out_of_scope');
    const quartiers = replayConsultation(consultationHistory(draft({ quartierIds: ['soa-nord'] }), open({}, { now: opensAt })));
    givenBallots([], quartiers).when(castBallot()).thenThrows('ballot.out_of_scope');
    givenBallots([], quartiers).when(castBallot({ voter: { quartierId: null } })).thenThrows('ballot.out_of_scope');
    expect(givenBallots([], quartiers).when(castBallot({ voter: { quartierId: 'soa-nord', level: 'in_person' } })).thenState().voters.size).toBe(1);
  });

  it('accepts a minor when the consultation does not ask for age', () => {
    const anyAge = replayConsultation(consultationHistory(draft({ adultsOnly: false }), open({}, { now: opensAt })));
    expect(givenBallots([], anyAge).when(castBallot({ voter: { adult: false } })).thenState().voters.size).toBe(1);
  });

  it('checks every answer against its question', () => {
    const answers = (change: object) => ({ answers: { ...validAnswers, ...change } });
    givenBallots([]).when(castBallot(answers({ site: 'marche-central' }))).thenThrows('ballot.choice_not_offered');
    givenBallots([]).when(castBallot(answers({ days: ['lun', 'mer', 'ven'] }))).thenThrows('ballot.too_many_choices');
    givenBallots([]).when(castBallot(answers({ days: ['lun', 'lun'] }))).thenThrows('ballot.duplicate_choice');
    givenBallots([]).when(castBallot(answers({ urgency: 6 }))).thenThrows('ballot.scale_out_of_range');
    givenBallots([]).when(castBallot(answers({ urgency: 0 }))).thenThrows('ballot.scale_out_of_range');
    givenBallots([]).when(castBallot(answers({ urgency: 2.5 }))).thenThrows('ballot.scale_out_of_range');
    givenBallots([]).when(castBallot(answers({ budget: ['ecole', 'pont'] }))).thenThrows('ballot.over_budget');
    givenBallots([]).when(castBallot(answers({ budget: ['fontaine'] }))).thenThrows('ballot.choice_not_offered');
    givenBallots([]).when(castBallot(answers({ parking: 'oui' }))).thenThrows('ballot.unknown_question');
    givenBallots([]).when(castBallot(answers({ site: ['gare'] }))).thenThrows('ballot.wrong_answer_kind');
    givenBallots([]).when(castBallot(answers({ comment: 'x'.repeat(2001) }))).thenThrows('ballot.text_too_long');
    const { site: _site, ...withoutSite } = validAnswers;
    givenBallots([]).when(castBallot({ answers: withoutSite })).thenThrows('ballot.missing_answer');
    givenBallots([]).when(castBallot(answers({ days: [] }))).thenThrows('ballot.missing_answer');
  });

  it('takes a budget exactly at the total and a free-text comment (optional)', () => {
    const answers = { ...validAnswers, budget: ['ecole', 'forage'], comment: 'Pensez aux handicapés' };
    expect(givenBallots([]).when(castBallot({ answers })).thenState().voters.get('pseudo-aaaaaaaa')).toEqual({ ballotIds: ['ballot-1'], paper: false });
  });

  it('lets a resident change their vote until it closes: each online ballot is recorded, the last counts', () => {
    const first = ballotHistory(castBallot());
    givenBallots(first)
      .when(castBallot({ ballotId: 'ballot-2', answers: { ...validAnswers, site: 'stade' } }))
      .then([expect.objectContaining({ data: expect.objectContaining({ ballotId: 'ballot-2', answers: { ...validAnswers, site: 'stade' } }) })]);
  });

  it('a retried ballot changes nothing, even after closing', () => {
    givenBallots(ballotHistory(castBallot())).when(castBallot()).then([]);
    givenBallots(ballotHistory(castBallot())).when(castBallot({}, { now: closesAt })).then([]);
  });

  it('a paper ballot recorded by an agent is final: no online ballot nor second paper ballot after it', () => {
    const paper = ballotHistory(castBallot(), recordPaperBallot());
    expect(paper[1]).toMatchObject({ data: { channel: 'paper', recordedBy: 'agent-1', pollingTableId: 'table-ecole-publique' } });
    givenBallots(paper).when(castBallot({ ballotId: 'ballot-3' })).thenThrows('ballot.paper_final');
    givenBallots(paper).when(recordPaperBallot({ ballotId: 'paper-2' })).thenThrows('ballot.paper_final');
  });

  it('only an agent records paper ballots, and a resident votes only online in their own name', () => {
    givenBallots([]).when(recordPaperBallot({}, { communeId: 'dschang' })).thenThrows('ballot.forbidden');
    givenBallots([]).when(recordPaperBallot({}, { actor: { id: 'citizen-1', role: 'citizen' } })).thenThrows('ballot.forbidden');
    givenBallots([]).when(castBallot({}, { actor: { id: 'agent-1', role: 'field_agent' } })).thenThrows('ballot.forbidden');
  });

  it('one voter\'s ballots do not affect another\'s', () => {
    const other = ballotHistory(recordPaperBallot({ voter: { pseudonym: 'pseudo-bbbbbbbb' } }));
    expect(givenBallots(other).when(castBallot()).thenState().voters.size).toBe(2);
  });
});

describe('reading consultation and ballot events back', () => {
  it('parses what the deciders wrote, and names the streams', () => {
    const events = closed();
    expect(events.map((e) => consultationDecider.parseEvent({ ...e, schemaVersion: consultationDecider.eventVersions[e.type] }))).toEqual(events);
    expect(consultationDecider.streamId('C-1')).toBe('consultation-C-1');
    expect(ballotStreamId(ballotBoxId('C-1', 'V123'))).toBe('ballots-C-1-V123');
    expect(openConsultation().status).toBe('open');
  });

  it('refuses a stored ballot without a pseudonym', async () => {
    const { parseBallotEvent } = await import('./events.js');
    const [ballot] = ballotHistory(castBallot());
    expect(parseBallotEvent({ ...ballot!, schemaVersion: 1 })).toEqual(ballot);
    const { pseudonym: _p, ...withoutPseudonym } = ballot!.data;
    expect(() => parseBallotEvent({ type: 'BallotCast', data: withoutPseudonym, schemaVersion: 1 })).toThrow(/Invalid BallotCast/);
  });
});

describe("a polling table's tally sheet", () => {
  const closedAt = { now: '2027-03-15T18:30:00.000Z', ...fieldAgent };
  const table = (consultation: ConsultationEvent[]) => scenariosOf(pollingTableDecider(replayConsultation(consultation)))([]);

  it("is attached by a field agent when the table closes, with its photos and the count written on it, in the table's own stream", () => {
    table(closed())
      .when(attachTallySheet({ note: 'Deux bulletins nuls, non comptés' }, closedAt))
      .then([
        {
          type: 'TallySheetAttached',
          data: { consultationId, pollingTableId: 'T-1', mediaIds: ['M-sheet-1', 'M-sheet-2'], ballotsOnSheet: 37, note: 'Deux bulletins nuls, non comptés', attachedBy: 'agent-soa', attachedAt: closedAt.now },
        },
      ]);
    expect(pollingTableDecider(replayConsultation(closed())).streamId(pollingTableId(consultationId, 'T-1'))).toBe('polling-table-C-1-T-1');
  });

  it('may come while voting goes on, or after the results are published (a table that syncs late)', () => {
    table(opened()).when(attachTallySheet({}, { now: duringVote, ...fieldAgent })).then([expect.objectContaining({ type: 'TallySheetAttached' })]);
    const published = consultationHistory(draft(), open({}, { now: opensAt, ...system }), close({}, { now: duringVote }), publish({}, { now: closedAt.now }));
    table(published).when(attachTallySheet({}, closedAt)).then([expect.objectContaining({ type: 'TallySheetAttached' })]);
  });

  it('is refused before the consultation opens, once it is cancelled, and to anyone but an agent of its commune', () => {
    table(drafted()).when(attachTallySheet({}, fieldAgent)).thenThrows('consultation.not_open');
    table(consultationHistory(draft(), open({}, { now: opensAt, ...system }), cancel({}, { now: duringVote }))).when(attachTallySheet({}, fieldAgent)).thenThrows('consultation.cancelled');
    table(closed()).when(attachTallySheet({}, { actor: { id: 'citizen-1', role: 'citizen' }, communeId: null })).thenThrows('consultation.forbidden');
    table(closed()).when(attachTallySheet({}, { actor: { id: 'auditor-1', role: 'auditor' }, communeId: 'soa' })).thenThrows('consultation.forbidden');
    table(closed()).when(attachTallySheet({}, { actor: { id: 'agent-dschang', role: 'field_agent' }, communeId: 'dschang' })).thenThrows('consultation.forbidden');
  });

  it('needs at least one photo and a count that is a whole number', () => {
    expect(() => attachTallySheet({ mediaIds: [] }, fieldAgent)).toThrow();
    expect(() => attachTallySheet({ ballotsOnSheet: 2.5 }, fieldAgent)).toThrow();
    expect(() => attachTallySheet({ ballotsOnSheet: -1 }, fieldAgent)).toThrow();
  });
});
