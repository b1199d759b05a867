import type { LatLon } from '../geo/geometry.js';
import { findCategory, placeOf } from '../reference/lookup.js';
import { type ReferenceData, type Team, otherCategoryId } from '../reference/types.js';
import { DomainRuleError } from '../shared/errors.js';
import type { RoutingDecision } from './commands.js';

/**
 * Where a report goes: the commune and quartier containing the point, and the commune's team for
 * the category (else its catch-all team, else nobody yet). The edge records the answer in the
 * command, so replaying the log never re-routes under newer boundaries.
 */
export function routeReport(report: { location: LatLon; category: string }, reference: ReferenceData): RoutingDecision {
  if (!findCategory(reference.categories, report.category)) {
    throw new DomainRuleError('category.unknown', `"${report.category}" is not a category this platform knows; choose one from the list.`);
  }
  const place = placeOf(report.location, reference.communes);
  if (!place) {
    throw new DomainRuleError(
      'location.outside_communes',
      `The location ${report.location.lat.toFixed(5)}, ${report.location.lon.toFixed(5)} is outside every commune served here; check the point on the map.`,
    );
  }
  const { commune, quartier } = place;
  const team = teamFor(reference.teams, commune.id, report.category);
  return {
    communeId: commune.id,
    quartierId: quartier?.id ?? null,
    teamId: team?.team.id ?? null,
    rule: { boundary: `commune:${commune.id}/quartier:${quartier?.id ?? 'none'}`, team: team?.rule ?? null },
  };
}

function teamFor(teams: readonly Team[], communeId: string, category: string): { team: Team; rule: string } | null {
  const local = teams.filter((t) => t.communeId === communeId);
  const specialist = local.find((t) => t.categories.includes(category));
  if (specialist) return { team: specialist, rule: `category:${category}` };
  const generalist = local.find((t) => t.categories.includes(otherCategoryId));
  if (generalist) return { team: generalist, rule: `fallback:${otherCategoryId}` };
  return null;
}
