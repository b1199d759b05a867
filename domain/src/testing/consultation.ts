import type { CommandMeta } from '../shared/command.js';
import {
  type BallotCommand,
  type ConsultationCommand,
  type ConsultationCommandOf,
  parseBallotCommand,
  parseConsultationCommand,
  type Voter,
} from '../consultation/commands.js';
import { ballotBoxDecider, type Consultation, consultationDecider, replayConsultation } from '../consultation/decider.js';
import type { Answers, BallotEvent, ConsultationEvent } from '../consultation/events.js';
import { parsePollingTableCommand } from '../consultation/polling-table.js';
import { historyThrough, scenariosOf } from './scenario.js';

/** Soa asks where the new market goes, for two weeks from 1 March 2027. */
export const opensAt = '2027-03-01T07:00:00.000Z';
export const closesAt = '2027-03-15T18:00:00.000Z';
export const duringVote = '2027-03-05T10:00:00.000Z';
export const consultationId = 'C-1';

export const staffMeta = (overrides: Partial<CommandMeta> = {}): CommandMeta => ({
  commandId: 'cmd-1',
  now: '2027-02-20T09:00:00.000Z',
  actor: { id: 'admin-soa', role: 'admin' },
  communeId: 'soa',
  ...overrides,
});

const text = (fr: string, en: string) => ({ fr, en });

export const marketQuestions = [
  {
    id: 'site',
    kind: 'single',
    text: text('Où placer le nouveau marché ?', 'Where should the new market go?'),
    options: [
      { id: 'gare', label: text('Près de la gare routière', 'By the bus station'), point: { lat: 3.99, lon: 11.59 } },
      { id: 'stade', label: text('Derrière le stade', 'Behind the stadium'), point: { lat: 3.98, lon: 11.6 } },
      { id: 'mairie', label: text('Face à la mairie', 'Opposite the town hall'), point: { lat: 3.985, lon: 11.595 } },
    ],
  },
  {
    id: 'days',
    kind: 'multiple',
    maxChoices: 2,
    text: text('Quels jours de marché ?', 'Which market days?'),
    options: ['lun', 'mer', 'ven', 'sam'].map((d) => ({ id: d, label: text(d, d) })),
  },
  { id: 'urgency', kind: 'scale', text: text('Urgence ?', 'How urgent?') },
  { id: 'comment', kind: 'text', text: text('Un commentaire ?', 'Any comment?') },
  {
    id: 'budget',
    kind: 'budget',
    budget: 40_000_000,
    text: text('Quels projets financer en 2027 ?', 'Which projects should 2027 fund?'),
    options: [
      { id: 'forage', label: text('Forage', 'Borehole'), cost: 15_000_000 },
      { id: 'ecole', label: text('Salle de classe', 'Classroom'), cost: 25_000_000 },
      { id: 'eclairage', label: text('Éclairage', 'Street lights'), cost: 10_000_000 },
      { id: 'pont', label: text('Pont', 'Bridge'), cost: 30_000_000 },
    ],
  },
] as const;

export const draft = (data: Partial<ConsultationCommandOf<'DraftConsultation'>['data']> = {}, m: Partial<CommandMeta> = {}) =>
  parseConsultationCommand(
    'DraftConsultation',
    {
      consultationId,
      communeId: 'soa',
      title: text('Le nouveau marché', 'The new market'),
      description: null,
      mediaIds: ['media-site-plan'],
      quartierIds: null,
      requiredLevel: 'phone',
      adultsOnly: true,
      opensAt,
      closesAt,
      resultsVisibility: 'at_close',
      questions: marketQuestions,
      ...data,
    },
    staffMeta(m),
  );

const lifecycle = <T extends 'OpenConsultation' | 'CloseConsultation' | 'CancelConsultation' | 'PublishResults'>(type: T, defaults: object) =>
  (data: object = {}, m: Partial<CommandMeta> = {}) => parseConsultationCommand(type, { consultationId, ...defaults, ...data }, staffMeta(m));

export const open = lifecycle('OpenConsultation', {});
export const close = lifecycle('CloseConsultation', { how: 'by_hand' });
export const cancel = lifecycle('CancelConsultation', { reason: 'Terrain retiré par le propriétaire' });
/** A result as the edge signs it (the signature is not checked by the domain). */
export const signedResult = { treeSize: 42, rootHash: 'cm9vdA==', results: { turnout: 0 }, keyId: 'key-1', signature: 'c2ln' };
export const publish = lifecycle('PublishResults', { signedResult });
/** A field agent of Soa attaches table T-1's sheet: two photos, 37 ballots written on it. */
export const attachTallySheet = (data: object = {}, m: Partial<CommandMeta> = {}) =>
  parsePollingTableCommand({ consultationId, pollingTableId: 'T-1', mediaIds: ['M-sheet-1', 'M-sheet-2'], ballotsOnSheet: 37, note: null, ...data }, staffMeta(m));
export const fieldAgent = { actor: { id: 'agent-soa', role: 'field_agent' as const }, communeId: 'soa' };

export const givenConsultation = scenariosOf(consultationDecider);
export const consultationHistory = (...commands: ConsultationCommand[]): ConsultationEvent[] => historyThrough(consultationDecider, commands);

/** The consultation drafted and opened on time: where every ballot test starts. */
export const openConsultation = (): Consultation =>
  replayConsultation(consultationHistory(draft(), open({}, { now: opensAt, actor: { id: 'system', role: 'system' }, communeId: null })));

export const voter = (overrides: Partial<Voter> = {}): Voter => ({
  pseudonym: 'pseudo-aaaaaaaa',
  level: 'phone',
  adult: true,
  communeId: 'soa',
  quartierId: 'soa-centre',
  ...overrides,
});

export const validAnswers: Answers = { site: 'gare', days: ['mer', 'sam'], urgency: 4, budget: ['forage', 'ecole'] };

export const citizenMeta = (m: Partial<CommandMeta> = {}): CommandMeta => ({
  commandId: 'cmd-b1',
  now: duringVote,
  actor: { id: 'citizen-1', role: 'citizen' },
  communeId: null,
  ...m,
});

export const castBallot = (data: { ballotId?: string; voter?: Partial<Voter>; answers?: Answers } = {}, m: Partial<CommandMeta> = {}) =>
  parseBallotCommand(
    'CastBallot',
    { consultationId, ballotId: data.ballotId ?? 'ballot-1', voter: voter(data.voter), answers: data.answers ?? validAnswers },
    citizenMeta(m),
  );

export const recordPaperBallot = (data: { ballotId?: string; voter?: Partial<Voter>; answers?: Answers } = {}, m: Partial<CommandMeta> = {}) =>
  parseBallotCommand(
    'RecordPaperBallot',
    {
      consultationId,
      ballotId: data.ballotId ?? 'paper-1',
      voter: voter({ level: 'in_person', ...data.voter }),
      answers: data.answers ?? validAnswers,
      pollingTableId: 'table-ecole-publique',
    },
    citizenMeta({ actor: { id: 'agent-1', role: 'field_agent' }, communeId: 'soa', ...m }),
  );

/** given(ballots).when(ballot).then(events), against a consultation in the given state. */
export const givenBallots = (history: readonly BallotEvent[], consultation: Consultation = openConsultation()) =>
  scenariosOf(ballotBoxDecider(consultation))(history);

export const ballotHistory = (...commands: BallotCommand[]): BallotEvent[] => historyThrough(ballotBoxDecider(openConsultation()), commands);
