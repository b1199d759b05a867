import { describe, expect, it } from 'vitest';
import { defaultGrievancePolicy, grievancePolicyProblems, grievanceTargets } from './policy.js';

describe('a project’s grievance policy', () => {
  it('acknowledges within 5 working days and resolves within 30 by default; a level or a category may say otherwise', () => {
    expect(grievanceTargets(defaultGrievancePolicy, 'payments', 'commune')).toEqual({ acknowledgeDays: 5, resolveDays: 30 });
    expect(grievanceTargets(defaultGrievancePolicy, 'sea-sh', 'commune')).toEqual({ acknowledgeDays: 1, resolveDays: 30 });
    const villages = { ...defaultGrievancePolicy, byLevel: { village: { acknowledgeDays: 3, resolveDays: 10 } } };
    expect(grievanceTargets(villages, 'works', 'village')).toEqual({ acknowledgeDays: 3, resolveDays: 10 });
    expect(grievanceTargets(villages, 'works', 'region')).toEqual({ acknowledgeDays: 5, resolveDays: 30 });
  });

  it('flags sexual exploitation, abuse and harassment as the one sensitive category of the defaults', () => {
    expect(defaultGrievancePolicy.categories.filter((c) => c.sensitive).map((c) => c.code)).toEqual(['sea-sh']);
    expect(grievancePolicyProblems(defaultGrievancePolicy)).toEqual([]);
  });

  it('refuses settings that make no sense, naming each', () => {
    const [first] = defaultGrievancePolicy.categories;
    expect(
      grievancePolicyProblems({
        categories: [first!, first!, { ...first!, code: 'Bad Code' }],
        targets: { acknowledgeDays: 0, resolveDays: 30 },
        byCategory: { nothing: { resolveDays: 2.5 } },
        appealDays: 0,
      }),
    ).toEqual([
      'A category code repeats (targeting, targeting, Bad Code).',
      'Category code "Bad Code" must be lower case letters, digits and -.',
      'targets.acknowledgeDays must be a whole number of working days, at least 1, not 0.',
      'byCategory names an unknown category "nothing".',
      'byCategory.nothing.resolveDays must be a whole number of working days, at least 1, not 2.5.',
      'appealDays must be a whole number of working days, at least 1, not 0.',
    ]);
  });
});
