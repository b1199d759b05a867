import { describe, expect, it } from 'vitest';
import { marketQuestions } from '../testing/consultation.js';
import type { Answers, BallotCast, Question } from './events.js';
import { countBallot, countedBallots, emptyCounts, greedyBudgetWinners, quartierCells, resultsOf, tally } from './tally.js';

const questions = marketQuestions as unknown as Question[];
let serial = 0;
const ballot = (pseudonym: string, answers: Answers, more: Partial<BallotCast> = {}): BallotCast => ({
  consultationId: 'C-1',
  ballotId: `b-${++serial}`,
  pseudonym,
  quartierId: 'soa-centre',
  channel: 'online',
  answers,
  recordedBy: null,
  pollingTableId: null,
  castAt: '2027-03-05T10:00:00.000Z',
  ...more,
});
const votesOf = (results: ReturnType<typeof tally>, questionId: string) => {
  const q = results.questions.find((r) => r.questionId === questionId)!;
  return 'options' in q ? Object.fromEntries(q.options.map((o) => [o.optionId, o.votes])) : q;
};

describe('which ballots count', () => {
  it('the last online ballot of each pseudonym', () => {
    const counted = countedBallots([ballot('p1', { site: 'gare' }), ballot('p2', { site: 'stade' }), ballot('p1', { site: 'mairie' })]);
    expect(counted.map((b) => [b.pseudonym, b.answers.site])).toEqual([
      ['p2', 'stade'],
      ['p1', 'mairie'],
    ]);
  });

  it('a paper ballot is final, even if the log holds a later ballot for that pseudonym', () => {
    const counted = countedBallots([
      ballot('p1', { site: 'gare' }),
      ballot('p1', { site: 'stade' }, { channel: 'paper' }),
      ballot('p1', { site: 'mairie' }),
      ballot('p1', { site: 'gare' }, { channel: 'paper' }),
    ]);
    expect(counted).toHaveLength(1);
    expect(counted[0]).toMatchObject({ channel: 'paper', answers: { site: 'stade' } });
  });
});

describe('the tally', () => {
  it('counts votes per option, turnout and channels', () => {
    const results = tally(questions, [
      ballot('p1', { site: 'gare', days: ['lun', 'mer'] }),
      ballot('p2', { site: 'gare', days: ['mer'] }),
      ballot('p3', { site: 'stade' }, { channel: 'paper' }),
      ballot('p1', { site: 'mairie', days: ['sam'] }),
    ]);
    expect(results.turnout).toBe(3);
    expect(results.byChannel).toEqual({ online: 2, paper: 1 });
    expect(results.questions[0]).toEqual({
      questionId: 'site',
      kind: 'single',
      answered: 3,
      options: [
        { optionId: 'gare', votes: 1 },
        { optionId: 'stade', votes: 1 },
        { optionId: 'mairie', votes: 1 },
      ],
    });
    expect(votesOf(results, 'days')).toEqual({ lun: 0, mer: 1, ven: 0, sam: 1 });
  });

  it('gives a scale its distribution and average, and free text only a count', () => {
    const results = tally(questions, [
      ballot('p1', { urgency: 5, comment: 'Mon voisin Paul dit non' }),
      ballot('p2', { urgency: 4 }),
      ballot('p3', { urgency: 4, comment: '  ' }),
    ]);
    expect(results.questions.find((q) => q.questionId === 'urgency')).toEqual({
      questionId: 'urgency',
      kind: 'scale',
      answered: 3,
      distribution: [1, 2, 3, 4, 5].map((value) => ({ value, votes: value === 4 ? 2 : value === 5 ? 1 : 0 })),
      average: 4.33,
    });
    expect(results.questions.find((q) => q.questionId === 'comment')).toEqual({ questionId: 'comment', kind: 'text', answered: 1 });
    expect(JSON.stringify(results)).not.toContain('Paul');
  });

  it('funds budget items greedily by votes within the total, as CONSUL does', () => {
    // pont (30M) has most votes; ecole (25M) no longer fits; forage (15M) does not either (45M); eclairage (10M) does.
    const results = tally(questions, [
      ballot('p1', { budget: ['pont', 'eclairage'] }),
      ballot('p2', { budget: ['pont'] }),
      ballot('p3', { budget: ['pont', 'eclairage'] }),
      ballot('p4', { budget: ['ecole', 'forage'] }),
      ballot('p5', { budget: ['ecole', 'forage'] }),
    ]);
    expect(results.questions.find((q) => q.questionId === 'budget')).toMatchObject({ winners: ['pont', 'eclairage'], spent: 40_000_000, budget: 40_000_000 });
  });

  it('breaks budget ties by lower cost, then by listed order, and never funds an item nobody chose', () => {
    const items = [
      { optionId: 'a', votes: 3, cost: 20 },
      { optionId: 'b', votes: 3, cost: 10 },
      { optionId: 'c', votes: 3, cost: 10 },
      { optionId: 'd', votes: 0, cost: 1 },
    ];
    expect(greedyBudgetWinners(items, 30)).toEqual({ winners: ['b', 'c'], spent: 20 });
    expect(greedyBudgetWinners(items, 100)).toEqual({ winners: ['b', 'c', 'a'], spent: 40 });
  });
});

describe('odd question ids', () => {
  it('does not mistake a property of every object for an answer', () => {
    const label = { fr: 'a', en: 'a' };
    const odd = [{ id: 'constructor', kind: 'single', text: label, options: [{ id: 'a', label }, { id: 'b', label }] }] as Question[];
    expect(tally(odd, [ballot('p1', {})]).questions[0]).toMatchObject({ answered: 0 });
  });
});

describe('quartier breakdowns protect small groups', () => {
  const inQuartier = (quartierId: string | null, count: number, answers: Answers = { site: 'gare' }) =>
    Array.from({ length: count }, (_, i) => ballot(`${quartierId}-${i}`, answers, { quartierId }));

  it('shows quartiers of 5 or more voters alone and merges the smaller ones', () => {
    const results = tally(questions, [...inQuartier('nord', 6), ...inQuartier('sud', 5), ...inQuartier('est', 3), ...inQuartier('ouest', 2)]);
    expect(results.byQuartier.withheld).toBe(false);
    expect(results.byQuartier.cells.map((c) => [c.quartierIds, c.voters, c.merged])).toEqual([
      [['nord'], 6, false],
      [['sud'], 5, false],
      [['est', 'ouest'], 5, true],
    ]);
  });

  it('grows a merged cell under 5 with the smallest quartier, so it cannot be worked out from the total', () => {
    const cells = quartierCells(countedBallots([...inQuartier('nord', 9), ...inQuartier('sud', 6), ...inQuartier('est', 2), ...inQuartier(null, 1)]));
    expect(cells).toEqual({ withheld: false, alone: ['nord'], merged: [null, 'est', 'sud'] });
  });

  it('withholds the breakdown when fewer than 5 voted in all', () => {
    expect(tally(questions, inQuartier('nord', 4)).byQuartier).toEqual({ withheld: true, cells: [] });
  });
});

/** A small deterministic generator, so these property checks replay identically everywhere. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)]!;
  return { next, pick };
}

function randomBallots(seed: number, count: number): BallotCast[] {
  const { next, pick } = generator(seed);
  const quartiers = ['nord', 'sud', 'est', 'ouest', 'centre', null];
  const budgetSets = [['forage', 'ecole'], ['pont', 'eclairage'], ['ecole', 'eclairage'], ['forage'], []];
  return Array.from({ length: count }, () => {
    const voter = Math.floor(next() * (count / 3));
    return ballot(
      `p${voter}`,
      { site: pick(['gare', 'stade', 'mairie']), days: [pick(['lun', 'mer', 'ven', 'sam'])], urgency: 1 + Math.floor(next() * 5), budget: pick(budgetSets) },
      { quartierId: quartiers[voter % quartiers.length]!, channel: next() < 0.1 ? 'paper' : 'online' },
    );
  });
}

describe('tally properties over generated ballot logs', () => {
  const seeds = [1, 7, 42, 2027, 90210];

  it('counts exactly one ballot per pseudonym: its first paper ballot, else its last one', () => {
    for (const seed of seeds) {
      const log = randomBallots(seed, 300);
      const expected = new Map<string, BallotCast>();
      for (const b of log) {
        const firstPaper = log.find((x) => x.pseudonym === b.pseudonym && x.channel === 'paper');
        expected.set(b.pseudonym, firstPaper ?? b);
      }
      const counted = countedBallots(log);
      expect(counted).toHaveLength(expected.size);
      for (const c of counted) expect(c.ballotId).toBe(expected.get(c.pseudonym)!.ballotId);
    }
  });

  it('gives the same result whatever the interleaving of different voters', () => {
    for (const seed of seeds) {
      const log = randomBallots(seed, 200);
      // Regroup by voter, keeping each voter's own order: a different, equally valid log order.
      const regrouped = [...new Set(log.map((b) => b.pseudonym))].reverse().flatMap((p) => log.filter((b) => b.pseudonym === p));
      const a = tally(questions, log);
      const b = tally(questions, regrouped);
      expect(b.questions).toEqual(a.questions);
      expect(b.turnout).toEqual(a.turnout);
      expect(b.byQuartier.cells.map((c) => c.voters).sort()).toEqual(a.byQuartier.cells.map((c) => c.voters).sort());
    }
  });

  it('never shows a cell under 5 voters, and the cells add up to the totals', () => {
    for (const seed of seeds) {
      const results = tally(questions, randomBallots(seed, 60));
      const { cells } = results.byQuartier;
      for (const cell of cells) expect(cell.voters).toBeGreaterThanOrEqual(5);
      expect(cells.reduce((s, c) => s + c.voters, 0)).toBe(results.turnout);
      const site = (q: (typeof cells)[number]['questions']) => (q[0] as { options: { votes: number }[] }).options.map((o) => o.votes);
      const summed = cells.map((c) => site(c.questions)).reduce((acc, v) => acc.map((x, i) => x + v[i]!), [0, 0, 0]);
      expect(summed).toEqual(site(results.questions));
    }
  });

  it('funds within the total, and every chosen but unfunded item costs more than what remains', () => {
    for (const seed of seeds) {
      const budget = tally(questions, randomBallots(seed, 150)).questions.find((q) => q.kind === 'budget');
      if (budget?.kind !== 'budget') throw new Error('no budget result');
      expect(budget.spent).toBeLessThanOrEqual(budget.budget);
      const left = budget.budget - budget.spent;
      for (const item of budget.options) if (!budget.winners.includes(item.optionId) && item.votes > 0) expect(item.cost).toBeGreaterThan(left);
    }
  });

  it('is deterministic: the same log twice gives equal results', () => {
    const log = randomBallots(5, 500);
    expect(tally(questions, log)).toEqual(tally(questions, structuredCloneOf(log)));
  });
});

const structuredCloneOf = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('the running count the projector keeps', () => {
  it('gives exactly the recount whatever the order of ballots, changes of mind and paper ballots', () => {
    // A fixed pseudo-random sequence: 400 ballots of 60 voters in 4 quartiers (and unknown), some on paper.
    let seed = 42;
    const next = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31), seed % n);
    const sites = ['gare', 'stade', 'mairie', 'nowhere'];
    const log: BallotCast[] = [];
    for (let i = 0; i < 400; i++) {
      const voter = `p${next(60)}`;
      const quartierId = [null, 'nord', 'sud', 'est', 'ouest'][Number(voter.slice(1)) % 5] ?? null;
      const answers: Answers = {
        site: sites[next(4)]!,
        days: ['lun', 'mer', 'ven', 'sam', 'dim'].filter(() => next(2) === 0),
        ...(next(4) === 0 ? {} : { urgency: next(7) }),
        comment: next(2) === 0 ? 'Des bancs' : ' ',
        budget: ['forage', 'ecole', 'eclairage'].filter(() => next(2) === 0),
      };
      log.push(ballot(voter, answers, { quartierId, channel: next(15) === 0 ? 'paper' : 'online' }));
    }
    // What the projector does: per voter, take back the ballot that counted, add the new one; paper is final.
    const counts = emptyCounts();
    const current = new Map<string, BallotCast>();
    for (const b of log) {
      const before = current.get(b.pseudonym);
      if (before?.channel === 'paper') continue;
      if (before) countBallot(counts, questions, before, -1);
      countBallot(counts, questions, b, 1);
      current.set(b.pseudonym, b);
    }
    expect(resultsOf(questions, JSON.parse(JSON.stringify(counts)))).toEqual(tally(questions, log));
  });

  it('leaves nothing behind when a ballot is taken back', () => {
    const counts = emptyCounts();
    const b = ballot('p1', { site: 'gare' }, { quartierId: 'nord' });
    countBallot(counts, questions, b, 1);
    countBallot(counts, questions, b, -1);
    expect(counts).toEqual(emptyCounts());
    expect(resultsOf(questions, counts)).toEqual(tally(questions, []));
  });
});
