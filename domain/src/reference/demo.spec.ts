import { describe, expect, it } from 'vitest';
import { boundingBox } from '../geo/geometry.js';
import { demoCategories, demoCommunes, demoReference, demoTeams } from './demo.js';
import { isSubcategoryOf, referenceProblems } from './lookup.js';

describe('demo reference data', () => {
  it('is consistent', () => {
    expect(referenceProblems(demoReference)).toEqual([]);
  });

  it('places Soa north of Yaoundé and Dschang in the western highlands', () => {
    const [soa, dschang] = demoCommunes.map((c) => boundingBox(c.boundary));
    expect(soa!.minLat).toBeLessThan(3.98);
    expect(soa!.maxLat).toBeGreaterThan(3.98);
    expect(soa!.minLon).toBeLessThan(11.6);
    expect(soa!.maxLon).toBeGreaterThan(11.6);
    expect(dschang!.minLat).toBeLessThan(5.45);
    expect(dschang!.maxLat).toBeGreaterThan(5.45);
    expect(dschang!.minLon).toBeLessThan(10.05);
    expect(dschang!.maxLon).toBeGreaterThan(10.05);
  });

  it('draws outlines counter-clockwise, as GeoJSON asks', () => {
    for (const area of [...demoCommunes, ...demoCommunes.flatMap((c) => c.quartiers)]) {
      if (area.boundary.type !== 'Polygon') continue;
      const ring = area.boundary.coordinates[0]!;
      let twiceArea = 0;
      for (let i = 0; i < ring.length - 1; i++) twiceArea += ring[i]![0] * ring[i + 1]![1] - ring[i + 1]![0] * ring[i]![1];
      expect(twiceArea, area.id).toBeGreaterThan(0);
    }
  });

  it('names every category in French and English', () => {
    expect(demoCategories.map((c) => c.id)).toEqual(['salubrite', 'eclairage', 'voirie', 'reseaux', 'foncier', 'autre']);
    for (const category of demoCategories) {
      for (const labels of [category.labels, ...category.subcategories.map((s) => s.labels)]) {
        expect(labels.fr.length).toBeGreaterThan(0);
        expect(labels.en.length).toBeGreaterThan(0);
      }
    }
    expect(isSubcategoryOf(demoCategories, 'salubrite', 'bacs-pleins')).toBe(true);
    expect(isSubcategoryOf(demoCategories, 'voirie', 'bacs-pleins')).toBe(false);
  });

  it('gives every commune general services, so no report is left without a team', () => {
    for (const commune of demoCommunes) {
      expect(demoTeams.some((t) => t.communeId === commune.id && t.categories.includes('autre'))).toBe(true);
    }
  });
});

describe('referenceProblems', () => {
  it('names dangling ids and open rings', () => {
    const broken = {
      ...demoReference,
      teams: [...demoReference.teams, { id: 'kribi-voirie', communeId: 'kribi', name: 'Voirie', categories: ['routes'] }],
      communes: [
        ...demoReference.communes,
        { id: 'open', name: 'Open', division: 'Test', boundary: { type: 'Polygon' as const, coordinates: [[[0, 0], [1, 0], [1, 1]] as [number, number][]] }, quartiers: [] },
      ],
    };
    expect(referenceProblems(broken)).toEqual([
      'Team kribi-voirie belongs to unknown commune kribi.',
      'Team kribi-voirie handles unknown category routes.',
      'A ring of open is not closed (GeoJSON rings need 4 positions or more, first = last).',
    ]);
  });
});
