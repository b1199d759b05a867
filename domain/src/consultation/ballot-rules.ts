import { DomainRuleError } from '../shared/errors.js';
import type { Voter } from './commands.js';
import { type Answer, type Answers, type ConsultationContent, type IdentityLevel, identityLevels, type Question } from './events.js';

export const scaleMin = 1;
export const scaleMax = 5;
const defaultTextLength = 2000;

/** Free text is optional unless the question says otherwise; every other kind is required. */
export const isRequired = (question: Question): boolean => question.required ?? question.kind !== 'text';

/** A draft residents could not answer (bad input: the edge answers 422). */
export const contentRefusals = ['consultation.bad_schedule', 'consultation.duplicate_question', 'consultation.duplicate_option', 'consultation.bad_max_choices', 'consultation.missing_cost'] as const;
/** Answers a ballot's questions do not allow (bad input: the edge answers 422, naming `body.answers`). */
export const answerRefusals = [
  'ballot.unknown_question',
  'ballot.missing_answer',
  'ballot.wrong_answer_kind',
  'ballot.duplicate_choice',
  'ballot.choice_not_offered',
  'ballot.too_many_choices',
  'ballot.over_budget',
  'ballot.scale_out_of_range',
  'ballot.text_too_long',
] as const;
/** A voter the consultation is not for (the edge answers 403). */
export const voterRefusals = ['ballot.level_too_low', 'ballot.not_adult', 'ballot.out_of_scope'] as const;

type RuleRefusal = (typeof contentRefusals)[number] | (typeof answerRefusals)[number] | (typeof voterRefusals)[number];

const refuse = (code: RuleRefusal, message: string): never => {
  throw new DomainRuleError(code, message);
};

/** Refuses a draft that residents could not answer or that would not count (ids, choices, budget, dates). */
export function validateContent(content: ConsultationContent): void {
  if (Date.parse(content.closesAt) <= Date.parse(content.opensAt)) refuse('consultation.bad_schedule', 'A consultation must close after it opens.');
  const questionIds = new Set<string>();
  for (const q of content.questions) {
    if (questionIds.has(q.id)) refuse('consultation.duplicate_question', `Two questions share the id ${q.id}.`);
    questionIds.add(q.id);
    if (q.kind === 'single' || q.kind === 'multiple' || q.kind === 'budget') {
      const optionIds = new Set(q.options.map((o) => o.id));
      if (optionIds.size !== q.options.length) refuse('consultation.duplicate_option', `Question ${q.id} offers two options with the same id.`);
    }
    if (q.kind === 'multiple' && q.maxChoices > q.options.length) {
      refuse('consultation.bad_max_choices', `Question ${q.id} allows ${q.maxChoices} choices but offers only ${q.options.length} options.`);
    }
    if (q.kind === 'budget' && q.options.some((o) => o.cost === undefined)) {
      refuse('consultation.missing_cost', `Every item of the budget question ${q.id} needs a cost.`);
    }
  }
}

/** Whether `level` is at least `required` (device < phone < in person). */
export const meetsLevel = (level: IdentityLevel, required: IdentityLevel): boolean => identityLevels.indexOf(level) >= identityLevels.indexOf(required);

/** The eligibility a consultation names: identity level, age if asked, residence in its scope. */
export function checkEligibility(consultation: Pick<ConsultationContent, 'requiredLevel' | 'adultsOnly' | 'quartierIds'> & { communeId: string }, voter: Voter): void {
  if (!meetsLevel(voter.level, consultation.requiredLevel)) {
    refuse('ballot.level_too_low', `This consultation asks for a ${consultation.requiredLevel.replace('_', ' ')} verified identity.`);
  }
  if (consultation.adultsOnly && voter.adult !== true) refuse('ballot.not_adult', 'This consultation is open to residents aged 18 or more.');
  const inCommune = voter.communeId === consultation.communeId;
  const inQuartiers = consultation.quartierIds === null || (voter.quartierId !== null && consultation.quartierIds.includes(voter.quartierId));
  if (!inCommune || !inQuartiers) refuse('ballot.out_of_scope', 'This consultation is for residents of another area.');
}

/** Checks every answer against its question; refuses the whole ballot at the first bad answer. */
export function validateAnswers(questions: readonly Question[], answers: Answers): void {
  const byId = new Map(questions.map((q) => [q.id, q]));
  for (const questionId of Object.keys(answers)) {
    if (!byId.has(questionId)) refuse('ballot.unknown_question', `This consultation asks no question ${questionId}.`);
  }
  for (const question of questions) {
    const answer = Object.hasOwn(answers, question.id) ? answers[question.id] : undefined;
    if (answer === undefined || isBlank(answer)) {
      if (isRequired(question)) refuse('ballot.missing_answer', `Question ${question.id} needs an answer.`);
      continue;
    }
    validateAnswer(question, answer);
  }
}

const isBlank = (answer: Answer): boolean => (Array.isArray(answer) ? answer.length === 0 : typeof answer === 'string' && answer.trim() === '');

function validateAnswer(question: Question, answer: Answer): void {
  const wrongKind = () => refuse('ballot.wrong_answer_kind', `Question ${question.id} expects ${expected[question.kind]}.`);
  switch (question.kind) {
    case 'single':
      if (typeof answer !== 'string') return wrongKind();
      return requireOffered(question.id, question.options, [answer]);
    case 'multiple':
    case 'budget': {
      if (!Array.isArray(answer)) return wrongKind();
      if (new Set(answer).size !== answer.length) refuse('ballot.duplicate_choice', `Question ${question.id}: each choice counts once.`);
      requireOffered(question.id, question.options, answer);
      if (question.kind === 'multiple' && answer.length > question.maxChoices) {
        refuse('ballot.too_many_choices', `Question ${question.id} allows at most ${question.maxChoices} choices.`);
      }
      if (question.kind === 'budget') {
        const costs = new Map(question.options.map((o) => [o.id, o.cost ?? 0]));
        const total = answer.reduce((sum, id) => sum + (costs.get(id) ?? 0), 0);
        if (total > question.budget) refuse('ballot.over_budget', `These items cost ${total}, more than the ${question.budget} available.`);
      }
      return;
    }
    case 'scale':
      if (typeof answer !== 'number') return wrongKind();
      if (!Number.isInteger(answer) || answer < scaleMin || answer > scaleMax) {
        refuse('ballot.scale_out_of_range', `Question ${question.id} takes a whole number from ${scaleMin} to ${scaleMax}.`);
      }
      return;
    case 'text':
      if (typeof answer !== 'string') return wrongKind();
      if (answer.length > (question.maxLength ?? defaultTextLength)) refuse('ballot.text_too_long', `The answer to ${question.id} is too long.`);
      return;
  }
}

const expected: Record<Question['kind'], string> = {
  single: 'one option id',
  multiple: 'a list of option ids',
  scale: `a number from ${scaleMin} to ${scaleMax}`,
  text: 'a text',
  budget: 'a list of item ids',
};

function requireOffered(questionId: string, options: readonly { id: string }[], chosen: readonly string[]): void {
  const offered = new Set(options.map((o) => o.id));
  const unknown = chosen.find((id) => !offered.has(id));
  if (unknown !== undefined) refuse('ballot.choice_not_offered', `Question ${questionId} does not offer ${unknown}.`);
}
