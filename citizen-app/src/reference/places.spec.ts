import { demoCommunes } from '@palabre/domain/reference/demo';
import { describe, expect, it } from 'vitest';
import type { CommuneRef } from '../api/types.ts';
import { communeCentre, distanceMetres, placeOf } from './places.ts';

const communes = demoCommunes as unknown as CommuneRef[];

describe('places', () => {
  it('finds the commune and quartier of a point in Dschang', () => {
    const place = placeOf(communes, { lat: 5.46, lon: 10.05 });
    expect(place?.commune.id).toBe('dschang');
    expect(place?.quartier?.id).toBe('dschang-centre-ville');
  });

  it('knows Douala is not served', () => {
    expect(placeOf(communes, { lat: 4.05, lon: 9.7 })).toBeNull();
  });

  it('opens the map inside the commune when there is no GPS fix', () => {
    const soa = communes.find((c) => c.id === 'soa')!;
    expect(placeOf(communes, communeCentre(soa))?.commune.id).toBe('soa');
  });

  it('measures a degree of latitude as about 111 km', () => {
    expect(distanceMetres({ lat: 5, lon: 10 }, { lat: 6, lon: 10 })).toBeCloseTo(111_195, -2);
  });
});
