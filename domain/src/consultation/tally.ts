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

/**
 * The running count of a consultation: per quartier, voters by channel and, per question, how many
 * answered, votes per option, a scale's values. A counted ballot is added, and taken back when a
 * later one of the same voter replaces it, so the projector keeps results current in time
 * proportional to the new ballots, while `tally` (the recount) folds every ballot through the
 * same two functions: the live figures and the recount cannot disagree.
 */
export interface TallyCounts {
  /** Keyed by quartier id; '' for voters of unknown quartier. */
  readonly cells: Record<string, CellCounts>;
}

export interface CellCounts {
  voters: number;
  online: number;
  paper: number;
  questions: Record<string, QuestionCounts>;
}

export interface QuestionCounts {
  answered: number;
  /** Votes per option id (choice and budget questions). */
  votes: Record<string, number>;
  /** Votes per value 1–5 and the sum of the values (scale questions). */
  scale: number[];
  sum: number;
}

const UNKNOWN = '';
/** Own entries only: an id such as `constructor` must not read Object's (counts travel as JSON). */
const get = <T>(record: Record<string, T>, key: string): T | undefined => (Object.hasOwn(record, key) ? record[key] : undefined);
function entry<T>(record: Record<string, T>, key: string, init: () => T): T {
  if (!Object.hasOwn(record, key)) Object.defineProperty(record, key, { value: init(), enumerable: true, writable: true, configurable: true });
  return record[key]!;
}
export const emptyCounts = (): TallyCounts => ({ cells: {} });

/** Adds (`+1`) or takes back (`-1`) one counted ballot. Mutates `counts`. */
export function countBallot(counts: TallyCounts, questions: readonly Question[], ballot: Pick<CountedBallot, 'quartierId' | 'channel' | 'answers'>, sign: 1 | -1): void {
  const key = ballot.quartierId ?? UNKNOWN;
  const cell = entry<CellCounts>(counts.cells, key, () => ({ voters: 0, online: 0, paper: 0, questions: {} }));
  cell.voters += sign;
  cell[ballot.channel] += sign;
  for (const question of questions) {
    const q = entry<QuestionCounts>(cell.questions, question.id, () => ({ answered: 0, votes: {}, scale: [0, 0, 0, 0, 0, 0], sum: 0 }));
    // Own properties only: a question id such as `constructor` must not read Object's.
    const answer = Object.hasOwn(ballot.answers, question.id) ? ballot.answers[question.id] : undefined;
    if (answer === undefined || (Array.isArray(answer) && answer.length === 0)) continue;
    switch (question.kind) {
      case 'single':
      case 'multiple':
      case 'budget': {
        q.answered += sign;
        const offered = new Set(question.options.map((o) => o.id));
        for (const id of Array.isArray(answer) ? answer : [answer]) {
          if (typeof id === 'string' && offered.has(id)) q.votes[id] = (get(q.votes, id) ?? 0) + sign;
        }
        break;
      }
      case 'scale':
        if (typeof answer !== 'number') break;
        q.answered += sign;
        q.sum += sign * answer;
        if (Number.isInteger(answer) && answer >= scaleMin && answer <= scaleMax) q.scale[answer]! += sign;
        break;
      case 'text':
        if (typeof answer === 'string' && answer.trim() !== '') q.answered += sign;
        break;
    }
  }
  if (cell.voters === 0) delete counts.cells[key];
}

/** The results the counts give: rules 2 to 4. */
export function resultsOf(questions: readonly Question[], counts: TallyCounts, minCell = defaultMinCell): ConsultationResults {
  const quartiers = Object.keys(counts.cells);
  const voters = new Map<string | null, number>(quartiers.map((k) => [k === UNKNOWN ? null : k, counts.cells[k]!.voters]));
  const cells = quartierCellsOf(voters, minCell);
  const all = quartiers.map((k) => counts.cells[k]!);
  const inCell = (quartierIds: (string | null)[]) => quartierIds.map((q) => get(counts.cells, q ?? UNKNOWN)).filter((c): c is CellCounts => c !== undefined);
  const cell = (quartierIds: (string | null)[], merged: boolean): BreakdownCell => {
    const parts = inCell(quartierIds);
    return { quartierIds, merged, voters: parts.reduce((n, c) => n + c.voters, 0), questions: questionResults(questions, parts) };
  };
  return {
    turnout: all.reduce((n, c) => n + c.voters, 0),
    byChannel: { online: all.reduce((n, c) => n + c.online, 0), paper: all.reduce((n, c) => n + c.paper, 0) },
    questions: questionResults(questions, all),
    byQuartier: cells.withheld ? { withheld: true, cells: [] } : { withheld: false, cells: [...cells.alone.map((q) => cell([q], false)), ...(cells.merged.length > 0 ? [cell(cells.merged, true)] : [])] },
  };
}

/** Rules 2 and 3 over some cells of the counts. */
function questionResults(questions: readonly Question[], cells: readonly CellCounts[]): QuestionResult[] {
  return questions.map((question) => {
    const parts = cells.map((c) => get(c.questions, question.id)).filter((q): q is QuestionCounts => q !== undefined);
    const answered = parts.reduce((n, q) => n + q.answered, 0);
    const votesFor = (id: string) => parts.reduce((n, q) => n + (get(q.votes, id) ?? 0), 0);
    switch (question.kind) {
      case 'single':
      case 'multiple':
        return { questionId: question.id, kind: question.kind, answered, options: question.options.map((o) => ({ optionId: o.id, votes: votesFor(o.id) })) };
      case 'scale': {
        const distribution = [];
        for (let value = scaleMin; value <= scaleMax; value++) distribution.push({ value, votes: parts.reduce((n, q) => n + q.scale[value]!, 0) });
        const sum = parts.reduce((n, q) => n + q.sum, 0);
        return { questionId: question.id, kind: 'scale', answered, distribution, average: answered === 0 ? null : Math.round((sum * 100) / answered) / 100 };
      }
      case 'text':
        return { questionId: question.id, kind: 'text', answered };
      case 'budget': {
        const options = question.options.map((o) => ({ optionId: o.id, votes: votesFor(o.id), cost: o.cost ?? 0 }));
        const { winners, spent } = greedyBudgetWinners(options, question.budget);
        return { questionId: question.id, kind: 'budget', answered, budget: question.budget, options, winners, spent };
      }
    }
  });
}

/** Counts already-counted ballots question by question (rules 2 and 3). */
export function tallyQuestions(questions: readonly Question[], ballots: readonly CountedBallot[]): QuestionResult[] {
  const counts = emptyCounts();
  for (const ballot of ballots) countBallot(counts, questions, ballot, 1);
  return questionResults(questions, Object.values(counts.cells));
}

/** Rule 4: which quartiers are shown alone and which are merged, or whether the breakdown is withheld. */
export function quartierCells(ballots: readonly CountedBallot[], minCell = defaultMinCell): { withheld: boolean; alone: string[]; merged: (string | null)[] } {
  const voters = new Map<string | null, number>();
  for (const b of ballots) voters.set(b.quartierId, (voters.get(b.quartierId) ?? 0) + 1);
  return quartierCellsOf(voters, minCell);
}

function quartierCellsOf(voters: ReadonlyMap<string | null, number>, minCell: number): { withheld: boolean; alone: string[]; merged: (string | null)[] } {
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

/** The whole result from ballots in log order: rules 1 to 4 (the recount: every counted ballot added once). */
export function tally(questions: readonly Question[], ballots: readonly BallotCast[], minCell = defaultMinCell): ConsultationResults {
  const counts = emptyCounts();
  for (const ballot of countedBallots(ballots)) countBallot(counts, questions, ballot, 1);
  return resultsOf(questions, counts, minCell);
}
