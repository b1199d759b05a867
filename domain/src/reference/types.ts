import type { Boundary } from '../geo/geometry.js';
import type { ProposalPolicySettings } from '../proposal/policy.js';
import type { Labels } from '../shared/labels.js';

export type { Labels };

export interface Quartier {
  readonly id: string;
  readonly communeId: string;
  readonly name: string;
  readonly boundary: Boundary;
}

export interface Commune {
  readonly id: string;
  readonly name: string;
  /** Département, e.g. Mefou-et-Afamba. */
  readonly division: string;
  readonly boundary: Boundary;
  /** Quartiers tile part of the commune without overlapping; a point may lie in none of them. */
  readonly quartiers: readonly Quartier[];
  /** How the commune runs proposals, where it departs from the default (threshold, days, flags, level, answer states). */
  readonly proposalPolicy?: ProposalPolicySettings;
}

export interface Subcategory {
  readonly id: string;
  readonly labels: Labels;
}

export interface Category {
  readonly id: string;
  readonly labels: Labels;
  /** Icon name the apps map to a glyph. */
  readonly icon: string;
  readonly subcategories: readonly Subcategory[];
}

/** A municipal service that works tickets of some categories in one commune. */
export interface Team {
  readonly id: string;
  readonly communeId: string;
  readonly name: string;
  readonly categories: readonly string[];
}

/** Everything routing needs; loaded at the edge, passed in so the domain stays pure. */
export interface ReferenceData {
  readonly communes: readonly Commune[];
  readonly teams: readonly Team[];
  readonly categories: readonly Category[];
}

/** The catch-all category every commune should staff. */
export const otherCategoryId = 'autre';
