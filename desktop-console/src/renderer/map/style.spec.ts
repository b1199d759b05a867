import { describe, expect, it } from 'vitest';
import { demoCommunes } from '@palabre/domain';
import { boundsOf, effectiveStyleUrl, labelPoint, withToken } from './style.js';

describe('map style choice', () => {
  it('prefers the dispatcher’s style, then the server’s, then the local one', () => {
    expect(effectiveStyleUrl({ styleUrl: 'https://tiles.example/style.json', token: '' }, 'https://server/style.json')).toBe('https://tiles.example/style.json');
    expect(effectiveStyleUrl({ styleUrl: '  ', token: '' }, 'https://server/style.json')).toBe('https://server/style.json');
    expect(effectiveStyleUrl({ styleUrl: 'javascript:alert(1)', token: '' }, null)).toBeNull();
    expect(effectiveStyleUrl({ styleUrl: '', token: '' }, null)).toBeNull();
  });

  it('adds the token the way each provider expects, only to the style’s provider', () => {
    expect(withToken('https://api.mapbox.com/styles/v1/x/y', 'pk.1', null)).toBe('https://api.mapbox.com/styles/v1/x/y?access_token=pk.1');
    expect(withToken('https://api.maptiler.com/maps/streets/style.json', 'k1', null)).toBe('https://api.maptiler.com/maps/streets/style.json?key=k1');
    expect(withToken('https://tiles.example/{z}/{x}/{y}.pbf?token={token}', 'a b', null)).toBe('https://tiles.example/{z}/{x}/{y}.pbf?token=a%20b');
    expect(withToken('https://tiles.example/t.pbf', 'k', 'https://tiles.example/style.json')).toBe('https://tiles.example/t.pbf?access_token=k');
    expect(withToken('https://elsewhere.example/t.pbf', 'k', 'https://tiles.example/style.json')).toBe('https://elsewhere.example/t.pbf');
    expect(withToken('https://api.mapbox.com/x', '', null)).toBe('https://api.mapbox.com/x');
  });
});

describe('labels and extents from the seed boundaries', () => {
  it('places a quartier label inside its box and frames the commune', () => {
    const soa = demoCommunes.find((c) => c.id === 'soa')!;
    const centre = soa.quartiers.find((q) => q.id === 'soa-centre')!;
    expect(labelPoint(centre.boundary)[0]).toBeCloseTo(11.6, 5);
    expect(labelPoint(centre.boundary)[1]).toBeCloseTo(3.995, 5);
    expect(boundsOf(soa.boundary)).toEqual([
      [11.545, 3.92],
      [11.658, 4.045],
    ]);
  });
});
