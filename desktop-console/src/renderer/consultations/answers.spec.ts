import type { Question } from '@palabre/domain';
import { describe, expect, it } from 'vitest';
import { answersFrom, toggled } from './answers.js';
import { citizenCodeIn } from './citizen-code.js';

const text = { fr: 'x', en: 'x' };
const options = [
  { id: 'a', label: text },
  { id: 'b', label: text },
];
const questions: Question[] = [
  { id: 'site', kind: 'single', text, options },
  { id: 'prio', kind: 'multiple', text, options, maxChoices: 2 },
  { id: 'note', kind: 'scale', text },
  { id: 'avis', kind: 'text', text },
  { id: 'budget', kind: 'budget', text, budget: 10, options: [{ id: 'a', label: text, cost: 5 }] },
];

describe('a paper ballot’s marks', () => {
  it('become the answers the API takes: blank questions left out, free text only when written', () => {
    expect(answersFrom(questions, { site: 'a', prio: ['b', 'a'], note: 4, avis: '  ', budget: [] })).toEqual({ site: 'a', prio: ['b', 'a'], note: 4, budget: [] });
    expect(answersFrom(questions, { avis: ' Plus de lampes ' })).toEqual({ avis: 'Plus de lampes' });
  });

  it('tick and untick an option once', () => {
    expect(toggled(undefined, 'a', true)).toEqual(['a']);
    expect(toggled(['a'], 'a', true)).toEqual(['a']);
    expect(toggled(['a', 'b'], 'a', false)).toEqual(['b']);
  });
});

describe('a scanned QR code', () => {
  it('gives the citizen id it holds, and nothing for any other code', () => {
    expect(citizenCodeIn(' c01jf8zq6m0k3v5w9x2y4r7t8n1 ')).toBe('C01JF8ZQ6M0K3V5W9X2Y4R7T8N1');
    expect(citizenCodeIn('https://example.org/pay?amount=1000')).toBeNull();
    expect(citizenCodeIn('C123')).toBeNull();
  });
});
