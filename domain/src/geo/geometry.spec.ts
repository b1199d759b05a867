import { describe, expect, it } from 'vitest';
import { type MultiPolygon, type Polygon, boundingBox, pointInBoundary } from './geometry.js';

// A 4 × 4 square with a 2 × 2 courtyard cut out of its middle; positions are [lon, lat].
const square: Polygon = {
  type: 'Polygon',
  coordinates: [
    [[0, 0], [4, 0], [4, 4], [0, 4], [0, 0]],
    [[1, 1], [3, 1], [3, 3], [1, 3], [1, 1]],
  ],
};

describe('pointInBoundary', () => {
  it('finds a point inside the outline', () => {
    expect(pointInBoundary({ lon: 0.5, lat: 0.5 }, square)).toBe(true);
  });

  it('leaves out a point in a hole', () => {
    expect(pointInBoundary({ lon: 2, lat: 2 }, square)).toBe(false);
  });

  it('leaves out a point beyond the outline', () => {
    expect(pointInBoundary({ lon: 5, lat: 2 }, square)).toBe(false);
    expect(pointInBoundary({ lon: -0.1, lat: 2 }, square)).toBe(false);
  });

  it('handles concave outlines', () => {
    const letterU: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [3, 0], [3, 3], [2, 3], [2, 1], [1, 1], [1, 3], [0, 3], [0, 0]]] };
    expect(pointInBoundary({ lon: 1.5, lat: 2 }, letterU)).toBe(false);
    expect(pointInBoundary({ lon: 0.5, lat: 2 }, letterU)).toBe(true);
    expect(pointInBoundary({ lon: 2.5, lat: 2 }, letterU)).toBe(true);
  });

  it('looks in every part of a MultiPolygon', () => {
    const islands: MultiPolygon = {
      type: 'MultiPolygon',
      coordinates: [square.coordinates, [[[10, 10], [11, 10], [11, 11], [10, 11], [10, 10]]]],
    };
    expect(pointInBoundary({ lon: 10.5, lat: 10.5 }, islands)).toBe(true);
    expect(pointInBoundary({ lon: 0.5, lat: 0.5 }, islands)).toBe(true);
    expect(pointInBoundary({ lon: 2, lat: 2 }, islands)).toBe(false);
    expect(pointInBoundary({ lon: 7, lat: 7 }, islands)).toBe(false);
  });

  it('puts a point on an edge shared by two neighbours in exactly one of them', () => {
    const west: Polygon = { type: 'Polygon', coordinates: [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]] };
    const east: Polygon = { type: 'Polygon', coordinates: [[[1, 0], [2, 0], [2, 1], [1, 1], [1, 0]]] };
    for (const lat of [0.1, 0.5, 0.9]) {
      const hits = [west, east].filter((p) => pointInBoundary({ lon: 1, lat }, p));
      expect(hits).toHaveLength(1);
    }
  });
});

describe('boundingBox', () => {
  it('spans every position of the boundary', () => {
    expect(boundingBox(square)).toEqual({ minLon: 0, minLat: 0, maxLon: 4, maxLat: 4 });
  });
});
