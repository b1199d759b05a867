import { scaleMax, scaleMin } from './ballot-rules.js';
import type { Answers, BallotCast, BallotChannel, Question } from './events.js';

/**
 * The recount rules, shared by the tally projector, the API and the offline verifier:
 *
 * 1. Counted ballots: those the log holds before the consultation's close (a ballot decided just
 *    before a close by hand may land just after it: it is not counted); of those, per pseudonym,
 *    the first paper ballot if there is one (paper is final), otherwise the last online ballot.
 *    Callers pass the ballots before the close, in log order.
 * 2. Per question: votes per option in the order the question lists them; a scale's
 *    distribution over 1–5 and its average rounded to two decimals; free text only counts how
 *    many answered (its content is moderated, never tallied).
 * 3. Budget winners: items sorted by votes (most first), ties by lower cost, then by the order
 *    the question lists them; each item is taken if it still fits in what remains of the total.
 * 4. Quartier breakdowns: a quartier with fewer than `minCell` voters, and voters with no known
 *    quartier, go into one merged cell; while that cell is non-empty but under `minCell`, the
 *    smallest remaining quartier (then the first by id) joins it; if every voter ends up in it
 *    with fewer than `minCell` in all, the breakdown is withheld.
 * Everything is integer counting in a fixed order, so the same ballots give the same result anywhere.
 */
export const tallyRules = {
  counted: 'ballots in the log before the close; per pseudonym: the first paper ballot, else the last online ballot',
  budget: 'items by votes, most first (ties: lower cost, then listed order); each taken if it still fits in the total',
  smallCells: 'quartiers with fewer than 5 voters are merged; a breakdown under 5 voters in all is withheld',
} as const;

export const defaultMinCell = 5;

export interface CountedBallot {
  readonly ballotId: string;
  readonly pseudonym: string;
  readonly quartierId: string | null;
  readonly channel: BallotChannel;
  readonly answers: Answers;
}

/** Applies rule 1 to ballots in log order; the result keeps the order each counted ballot was cast in. */
export function countedBallots(ballots: readonly BallotCast[]): CountedBallot[] {
  const chosen = new Map<string, number>();
  ballots.forEach((ballot, position) => {
    const previous = chosen.get(ballot.pseudonym);
    if (previous !== undefined && ballots[previous]!.channel === 'paper') return;
    chosen.set(ballot.pseudonym, position);
  });
  const counted: CountedBallot[] = [];
  ballots.forEach((ballot, position) => {
    if (chosen.get(ballot.pseudonym) !== position) return;
    counted.push({ ballotId: ballot.ballotId, pseudonym: ballot.pseudonym, quartierId: ballot.quartierId, channel: ballot.channel, answers: ballot.answers });
  });
  return counted;
}

export interface OptionVotes {
  readonly optionId: string;
  readonly votes: number;
}

export interface ChoiceResult {
  readonly questionId: string;
  readonly kind: 'single' | 'multiple';
  readonly answered: number;
  readonly options: OptionVotes[];
}
export interface ScaleResult {
  readonly questionId: string;
  readonly kind: 'scale';
  readonly answered: number;
  /** Votes per value, 1 to 5. */
  readonly distribution: { value: number; votes: number }[];
  /** Rounded to two decimals; null when nobody answered. */
  readonly average: number | null;
}
export interface TextResult {
  readonly questionId: string;
  readonly kind: 'text';
  readonly answered: number;
}
export interface BudgetResult {
  readonly questionId: string;
  readonly kind: 'budget';
  readonly answered: number;
  readonly budget: number;
  readonly options: (OptionVotes & { cost: number })[];
  /** The funded items, in the order they were taken. */
  readonly winners: string[];
  readonly spent: number;
}
export type QuestionResult = ChoiceResult | ScaleResult | TextResult | BudgetResult;

export interface BreakdownCell {
  /** The quartiers this cell covers; several (or unknown residence, `null`) for a merged cell. */
  readonly quartierIds: (string | null)[];
  readonly merged: boolean;
  readonly voters: number;
  readonly questions: QuestionResult[];
}

export interface Breakdown {
  readonly withheld: boolean;
  readonly cells: BreakdownCell[];
}

export interface ConsultationResults {
  /** Residents whose ballot counts. */
  readonly turnout: number;
  /** Counted ballots by channel. */
  readonly byChannel: Record<BallotChannel, number>;
  readonly questions: QuestionResult[];
  readonly byQuartier: Breakdown;
}

/** Counts already-counted ballots question by question (rules 2 and 3). */
export function tallyQuestions(questions: readonly Question[], ballots: readonly CountedBallot[]): QuestionResult[] {
  return questions.map((question) => tallyQuestion(question, ballots));
}

function tallyQuestion(question: Question, ballots: readonly CountedBallot[]): QuestionResult {
  // Own properties only: a question id such as `constructor` must not read Object's.
  const answers = ballots
    .map((b) => (Object.hasOwn(b.answers, question.id) ? b.answers[question.id] : undefined))
    .filter((a) => a !== undefined && !(Array.isArray(a) && a.length === 0));
  switch (question.kind) {
    case 'single':
    case 'multiple': {
      const options = votesPerOption(question.options, answers);
      return { questionId: question.id, kind: question.kind, answered: answers.length, options };
    }
    case 'scale': {
      const values = answers.filter((a): a is number => typeof a === 'number');
      const distribution = [];
      for (let value = scaleMin; value <= scaleMax; value++) distribution.push({ value, votes: values.filter((v) => v === value).length });
      const sum = values.reduce((s, v) => s + v, 0);
      const average = values.length === 0 ? null : Math.round((sum * 100) / values.length) / 100;
      return { questionId: question.id, kind: 'scale', answered: values.length, distribution, average };
    }
    case 'text':
      return { questionId: question.id, kind: 'text', answered: answers.filter((a) => typeof a === 'string' && a.trim() !== '').length };
    case 'budget': {
      const options = votesPerOption(question.options, answers).map((o, i) => ({ ...o, cost: question.options[i]!.cost ?? 0 }));
      const { winners, spent } = greedyBudgetWinners(options, question.budget);
      return { questionId: question.id, kind: 'budget', answered: answers.length, budget: question.budget, options, winners, spent };
    }
  }
}

function votesPerOption(options: readonly { id: string }[], answers: readonly unknown[]): OptionVotes[] {
  const votes = new Map(options.map((o) => [o.id, 0]));
  for (const answer of answers) {
    for (const id of Array.isArray(answer) ? answer : [answer]) {
      if (typeof id === 'string' && votes.has(id)) votes.set(id, votes.get(id)! + 1);
    }
  }
  return options.map((o) => ({ optionId: o.id, votes: votes.get(o.id)! }));
}

/** Rule 3, as CONSUL funds participatory budgets: most voted first, each item taken if it still fits. */
export function greedyBudgetWinners(items: readonly (OptionVotes & { cost: number })[], budget: number): { winners: string[]; spent: number } {
  const ranked = items.map((item, listed) => ({ ...item, listed })).sort((a, b) => b.votes - a.votes || a.cost - b.cost || a.listed - b.listed);
  const winners: string[] = [];
  let spent = 0;
  for (const item of ranked) {
    if (item.votes === 0) break;
    if (spent + item.cost <= budget) {
      winners.push(item.optionId);
      spent += item.cost;
    }
  }
  return { winners, spent };
}

/** Rule 4: which quartiers are shown alone and which are merged, or whether the breakdown is withheld. */
export function quartierCells(ballots: readonly CountedBallot[], minCell = defaultMinCell): { withheld: boolean; alone: string[]; merged: (string | null)[] } {
  const voters = new Map<string | null, number>();
  for (const b of ballots) voters.set(b.quartierId, (voters.get(b.quartierId) ?? 0) + 1);
  const byId = (a: string | null, b: string | null) => (a ?? '').localeCompare(b ?? '');
  const alone = [...voters.keys()].filter((q): q is string => q !== null && voters.get(q)! >= minCell);
  const merged = [...voters.keys()].filter((q) => q === null || voters.get(q)! < minCell);
  let mergedVoters = merged.reduce((s, q) => s + voters.get(q)!, 0);
  // A merged cell under the threshold could be worked out from the total: grow it until it is not.
  while (mergedVoters > 0 && mergedVoters < minCell && alone.length > 0) {
    alone.sort((a, b) => voters.get(a)! - voters.get(b)! || byId(a, b));
    const smallest = alone.shift()!;
    merged.push(smallest);
    mergedVoters += voters.get(smallest)!;
  }
  const withheld = alone.length === 0 && mergedVoters < minCell;
  return { withheld, alone: alone.sort(byId), merged: merged.sort(byId) };
}

/** The whole result from ballots in log order: rules 1 to 4. */
export function tally(questions: readonly Question[], ballots: readonly BallotCast[], minCell = defaultMinCell): ConsultationResults {
  const counted = countedBallots(ballots);
  const cells = quartierCells(counted, minCell);
  const byQuartier = new Map<string | null, CountedBallot[]>();
  for (const b of counted) {
    const group = byQuartier.get(b.quartierId);
    if (group) group.push(b);
    else byQuartier.set(b.quartierId, [b]);
  }
  const cell = (quartierIds: (string | null)[], merged: boolean): BreakdownCell => {
    const inCell = quartierIds.flatMap((q) => byQuartier.get(q) ?? []);
    return { quartierIds, merged, voters: inCell.length, questions: tallyQuestions(questions, inCell) };
  };
  const breakdown: Breakdown = cells.withheld
    ? { withheld: true, cells: [] }
    : {
        withheld: false,
        cells: [...cells.alone.map((q) => cell([q], false)), ...(cells.merged.length > 0 ? [cell(cells.merged, true)] : [])],
      };
  return {
    turnout: counted.length,
    byChannel: { online: counted.filter((b) => b.channel === 'online').length, paper: counted.filter((b) => b.channel === 'paper').length },
    questions: tallyQuestions(questions, counted),
    byQuartier: breakdown,
  };
}

