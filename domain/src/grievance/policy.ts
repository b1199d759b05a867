import type { Labels } from '../shared/labels.js';

/**
 * What a complaint is about. A sensitive category (sexual exploitation, abuse or harassment) takes
 * the survivor-centred path: minimal data, seen only by the project's SEA/SH focal points.
 */
export interface GrievanceCategory {
  readonly code: string;
  readonly labels: Labels;
  readonly sensitive: boolean;
}

/** Working days to acknowledge and to resolve a case. */
export interface GrievanceTargets {
  readonly acknowledgeDays: number;
  readonly resolveDays: number;
}

/** How a project runs its grievance mechanism: a decision, stated and recorded like SLAs are. */
export interface GrievancePolicy {
  readonly categories: readonly GrievanceCategory[];
  /** Targets everywhere, unless a category or a level of the hierarchy says otherwise. */
  readonly targets: GrievanceTargets;
  readonly byCategory?: Readonly<Record<string, Partial<GrievanceTargets>>>;
  readonly byLevel?: Readonly<Record<string, Partial<GrievanceTargets>>>;
  /** Working days after a resolution during which the complainant may appeal, once. */
  readonly appealDays: number;
}

const category = (code: string, fr: string, en: string, sensitive = false): GrievanceCategory => ({ code, labels: { fr, en }, sensitive });

/** Categories common to community-driven and safety-net projects; a project adds or renames its own. */
export const defaultGrievanceCategories: readonly GrievanceCategory[] = [
  category('targeting', 'Sélection des bénéficiaires', 'Selection of beneficiaries'),
  category('payments', 'Paiements (retard, montant, absence)', 'Payments (late, wrong amount, missing)'),
  category('works', 'Chantier (nuisances, sécurité, qualité)', 'Works (nuisance, safety, quality)'),
  category('land', 'Terres, biens et compensations', 'Land, assets and compensation'),
  category('fraud', 'Fraude, corruption, abus de pouvoir', 'Fraud, corruption, abuse of power'),
  category('labour', 'Conditions de travail sur le projet', 'Working conditions on the project'),
  category('conflict', 'Conflit dans la communauté', 'Conflict in the community'),
  category('information', 'Information et participation', 'Information and participation'),
  category('sea-sh', 'Exploitation, abus ou harcèlement sexuels', 'Sexual exploitation, abuse or harassment', true),
  category('other', 'Autre', 'Other'),
];

/** The defaults the issue names: acknowledge within 5 working days, resolve within 30; appeal within 15. */
export const defaultGrievancePolicy: GrievancePolicy = {
  categories: defaultGrievanceCategories,
  targets: { acknowledgeDays: 5, resolveDays: 30 },
  // A survivor is answered fast: referral within a day is the norm of the SEA/SH guidance.
  byCategory: { 'sea-sh': { acknowledgeDays: 1 } },
  appealDays: 15,
};

/** The targets of a case of `category` at a node of `level`: the level's over the category's over the project's. */
export function grievanceTargets(policy: GrievancePolicy, category: string, level: string): GrievanceTargets {
  return { ...policy.targets, ...policy.byCategory?.[category], ...policy.byLevel?.[level] };
}

/** What is wrong with a policy (none: an empty list), each problem naming its setting. */
export function grievancePolicyProblems(policy: GrievancePolicy): string[] {
  const problems: string[] = [];
  const days = (where: string, targets: Partial<GrievanceTargets> | undefined) => {
    for (const [key, value] of Object.entries(targets ?? {})) {
      if (!Number.isInteger(value) || (value as number) < 1) problems.push(`${where}.${key} must be a whole number of working days, at least 1, not ${String(value)}.`);
    }
  };
  const codes = policy.categories.map((c) => c.code);
  if (new Set(codes).size !== codes.length) problems.push(`A category code repeats (${codes.join(', ')}).`);
  for (const c of policy.categories) if (!/^[a-z][a-z0-9-]*$/.test(c.code)) problems.push(`Category code "${c.code}" must be lower case letters, digits and -.`);
  days('targets', policy.targets);
  for (const [code, targets] of Object.entries(policy.byCategory ?? {})) {
    if (!codes.includes(code)) problems.push(`byCategory names an unknown category "${code}".`);
    days(`byCategory.${code}`, targets);
  }
  for (const [level, targets] of Object.entries(policy.byLevel ?? {})) days(`byLevel.${level}`, targets);
  if (!Number.isInteger(policy.appealDays) || policy.appealDays < 1) problems.push(`appealDays must be a whole number of working days, at least 1, not ${String(policy.appealDays)}.`);
  return problems;
}
