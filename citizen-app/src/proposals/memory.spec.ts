import { describe, expect, it } from 'vitest';
import { ProposalMemory } from './memory.ts';

function storage() {
  const items = new Map<string, string>();
  return { getItem: (k: string) => items.get(k) ?? null, setItem: (k: string, v: string) => void items.set(k, v) };
}

const answer = (answeredAt: string) => ({ state: 'accepted', text: { fr: 'Oui.' }, cost: null, answeredAt });

describe("the phone's memory of proposals", () => {
  it('tells a new answer to a proposal seen before, once, and not the answer of one seen for the first time', () => {
    const memory = new ProposalMemory(storage());
    expect(memory.answerNews({ id: 'P1', answer: null })).toBe(false);
    expect(memory.answerNews({ id: 'P1', answer: null })).toBe(false);
    expect(memory.answerNews({ id: 'P1', answer: answer('2027-01-20T08:00:00.000Z') })).toBe(true);
    expect(memory.answerNews({ id: 'P1', answer: answer('2027-01-20T08:00:00.000Z') })).toBe(false);
    // "Under study", then accepted: a second answer is news too.
    expect(memory.answerNews({ id: 'P1', answer: answer('2027-02-01T08:00:00.000Z') })).toBe(true);
    expect(memory.answerNews({ id: 'P2', answer: answer('2027-01-20T08:00:00.000Z') })).toBe(false);
  });

  it('is not told an answer twice when a late read without it comes between', () => {
    const memory = new ProposalMemory(storage());
    memory.answerNews({ id: 'P1', answer: null });
    expect(memory.answerNews({ id: 'P1', answer: answer('2027-01-20T08:00:00.000Z') })).toBe(true);
    expect(memory.answerNews({ id: 'P1', answer: null })).toBe(false);
    expect(memory.answerNews({ id: 'P1', answer: answer('2027-01-20T08:00:00.000Z') })).toBe(false);
  });

  it("says what this phone did where the server does not, and the server's word where it does", () => {
    const kept = storage();
    const memory = new ProposalMemory(kept);
    memory.wrote('P1');
    memory.setSupporting('P2', true);
    memory.flagged('P3');
    const again = new ProposalMemory(kept);
    expect(again.viewerOf({ id: 'P1' })).toEqual({ author: true, supporting: false, flagged: false });
    expect(again.viewerOf({ id: 'P2' })).toEqual({ author: false, supporting: true, flagged: false });
    expect(again.viewerOf({ id: 'P3', viewer: null })).toEqual({ author: false, supporting: false, flagged: true });
    expect(again.viewerOf({ id: 'P2', viewer: { author: false, supporting: false, flagged: false } }).supporting).toBe(false);
    expect(again.followed()).toEqual(['P1', 'P2']);
    again.setSupporting('P2', false);
    expect(again.followed()).toEqual(['P1']);
  });
});
