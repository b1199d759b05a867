import { describe, expect, it } from 'vitest';
import { pointInBoundary } from '../geo/geometry.js';
import { demoReference } from '../reference/demo.js';
import { DomainRuleError } from '../shared/errors.js';
import { routeReport } from './routing.js';

const soaMarket = { lat: 3.9915, lon: 11.5975, accuracy: 8 };

describe('routeReport', () => {
  it('sends a pothole in Soa-Centre to the roads team of Soa', () => {
    expect(routeReport({ location: soaMarket, category: 'voirie' }, demoReference)).toEqual({
      communeId: 'soa',
      quartierId: 'soa-centre',
      teamId: 'soa-voirie',
      rule: { boundary: 'commune:soa/quartier:soa-centre', team: 'category:voirie' },
    });
  });

  it('finds the quartier on either side of a winding boundary', () => {
    expect(routeReport({ location: { lat: 3.965, lon: 11.603 }, category: 'salubrite' }, demoReference).quartierId).toBe('soa-nkolfoulou');
    expect(routeReport({ location: { lat: 3.965, lon: 11.607 }, category: 'salubrite' }, demoReference).quartierId).toBe('soa-ebogo');
  });

  it('routes a dark street to the team that also handles lighting', () => {
    expect(routeReport({ location: soaMarket, category: 'eclairage' }, demoReference)).toMatchObject({ teamId: 'soa-reseaux', rule: { team: 'category:eclairage' } });
  });

  it('falls back to the commune’s general services when no team handles the category', () => {
    expect(routeReport({ location: soaMarket, category: 'foncier' }, demoReference)).toMatchObject({
      teamId: 'soa-autre',
      rule: { team: 'fallback:autre' },
    });
  });

  it('leaves the team open when the commune has neither a specialist nor general services', () => {
    const reference = { ...demoReference, teams: demoReference.teams.filter((t) => t.id !== 'soa-autre') };
    expect(routeReport({ location: soaMarket, category: 'foncier' }, reference)).toMatchObject({ communeId: 'soa', teamId: null, rule: { team: null } });
  });

  it('routes within Dschang by quartier', () => {
    expect(routeReport({ location: { lat: 5.43, lon: 10.05 }, category: 'reseaux' }, demoReference)).toEqual({
      communeId: 'dschang',
      quartierId: 'dschang-keleng',
      teamId: 'dschang-reseaux',
      rule: { boundary: 'commune:dschang/quartier:dschang-keleng', team: 'category:reseaux' },
    });
  });

  it('keeps a point of the commune outside every quartier, with no quartier', () => {
    expect(routeReport({ location: { lat: 5.5, lon: 10.05 }, category: 'voirie' }, demoReference)).toMatchObject({
      communeId: 'dschang',
      quartierId: null,
      rule: { boundary: 'commune:dschang/quartier:none' },
    });
  });

  it('refuses a point outside every commune, saying where it is', () => {
    const yaoundeCentre = { lat: 3.8667, lon: 11.5167 };
    expect(() => routeReport({ location: yaoundeCentre, category: 'voirie' }, demoReference)).toThrow(
      expect.objectContaining({ code: 'location.outside_communes', message: expect.stringContaining('3.86670, 11.51670') }),
    );
  });

  it('refuses a category nobody knows', () => {
    const run = () => routeReport({ location: soaMarket, category: 'meteo' }, demoReference);
    expect(run).toThrow(DomainRuleError);
    expect(run).toThrow(expect.objectContaining({ code: 'category.unknown' }));
  });
});

describe('demo quartiers', () => {
  it('tile the centre of each commune: every point of it lies in exactly one quartier, inside the commune', () => {
    const centres = [
      { communeId: 'soa', west: 11.57, south: 3.95, east: 11.63, north: 4.01 },
      { communeId: 'dschang', west: 10.02, south: 5.42, east: 10.08, north: 5.48 },
    ];
    for (const centre of centres) {
      const commune = demoReference.communes.find((c) => c.id === centre.communeId)!;
      // A grid whose lines run along the inner boundaries too, where a point could fall in two quartiers or none.
      for (let i = 1; i < 40; i++) {
        for (let j = 1; j < 40; j++) {
          const point = { lon: centre.west + (i * (centre.east - centre.west)) / 40, lat: centre.south + (j * (centre.north - centre.south)) / 40 };
          expect(pointInBoundary(point, commune.boundary)).toBe(true);
          expect(commune.quartiers.filter((q) => pointInBoundary(point, q.boundary)).map((q) => q.id)).toHaveLength(1);
        }
      }
    }
  });
});
