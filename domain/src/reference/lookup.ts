import { type LatLon, pointInBoundary } from '../geo/geometry.js';
import { proposalPolicyProblems } from '../proposal/policy.js';
import type { Category, Commune, Quartier, ReferenceData } from './types.js';

/** The commune containing a point, and its quartier there if any; null outside every commune served. */
export function placeOf(point: LatLon, communes: readonly Commune[]): { commune: Commune; quartier: Quartier | null } | null {
  const commune = communes.find((c) => pointInBoundary(point, c.boundary));
  return commune ? { commune, quartier: commune.quartiers.find((q) => pointInBoundary(point, q.boundary)) ?? null } : null;
}

export const findCategory = (categories: readonly Category[], id: string): Category | undefined => categories.find((c) => c.id === id);

/** Whether `subcategoryId` belongs to the category; null (no subcategory) always does. */
export function isSubcategoryOf(categories: readonly Category[], categoryId: string, subcategoryId: string | null): boolean {
  const category = findCategory(categories, categoryId);
  if (!category) return false;
  return subcategoryId === null || category.subcategories.some((s) => s.id === subcategoryId);
}

/**
 * Inconsistencies in reference data (duplicate ids, dangling commune or category ids, open rings),
 * as sentences; an empty list means the data can be loaded.
 */
export function referenceProblems(reference: ReferenceData): string[] {
  const problems: string[] = [];
  const duplicates = (ids: readonly string[]) => ids.filter((id, i) => ids.indexOf(id) !== i);
  const communeIds = reference.communes.map((c) => c.id);
  const categoryIds = reference.categories.map((c) => c.id);
  const quartiers = reference.communes.flatMap((c) => c.quartiers);
  for (const id of duplicates(communeIds)) problems.push(`Commune ${id} is defined twice.`);
  for (const id of duplicates(categoryIds)) problems.push(`Category ${id} is defined twice.`);
  for (const id of duplicates(quartiers.map((q) => q.id))) problems.push(`Quartier ${id} is defined twice.`);
  for (const id of duplicates(reference.teams.map((t) => t.id))) problems.push(`Team ${id} is defined twice.`);
  for (const commune of reference.communes) {
    for (const problem of proposalPolicyProblems(commune.proposalPolicy ?? {})) problems.push(`Commune ${commune.id}'s proposal policy: ${problem}.`);
  }
  for (const category of reference.categories) {
    for (const id of duplicates(category.subcategories.map((s) => s.id))) problems.push(`Subcategory ${id} appears twice in ${category.id}.`);
  }
  for (const commune of reference.communes) {
    for (const quartier of commune.quartiers) {
      if (quartier.communeId !== commune.id) problems.push(`Quartier ${quartier.id} is listed in ${commune.id} but names ${quartier.communeId}.`);
    }
  }
  for (const team of reference.teams) {
    if (!communeIds.includes(team.communeId)) problems.push(`Team ${team.id} belongs to unknown commune ${team.communeId}.`);
    for (const id of team.categories) if (!categoryIds.includes(id)) problems.push(`Team ${team.id} handles unknown category ${id}.`);
  }
  const areas = [...reference.communes.map((c) => [c.id, c.boundary] as const), ...quartiers.map((q) => [q.id, q.boundary] as const)];
  for (const [id, boundary] of areas) {
    const rings = boundary.type === 'Polygon' ? boundary.coordinates : boundary.coordinates.flat();
    for (const ring of rings) {
      const first = ring[0];
      const last = ring[ring.length - 1];
      if (ring.length < 4 || !first || !last || first[0] !== last[0] || first[1] !== last[1]) {
        problems.push(`A ring of ${id} is not closed (GeoJSON rings need 4 positions or more, first = last).`);
      }
    }
  }
  return problems;
}
