/** GeoJSON position: longitude first, then latitude (RFC 7946). */
export type Position = readonly [lon: number, lat: number];

/** A closed ring: first and last positions equal. The first ring is the outline, the others are holes. */
export interface Polygon {
  readonly type: 'Polygon';
  readonly coordinates: readonly (readonly Position[])[];
}

export interface MultiPolygon {
  readonly type: 'MultiPolygon';
  readonly coordinates: readonly (readonly (readonly Position[])[])[];
}

export type Boundary = Polygon | MultiPolygon;

/** A point as people and devices give it. */
export interface LatLon {
  readonly lat: number;
  readonly lon: number;
}

/**
 * Ray casting (even–odd rule): a horizontal ray from the point crosses the ring an odd number of
 * times when the point is inside. Edges are half-open, so a point on an edge shared by two
 * neighbouring polygons falls in exactly one of them.
 */
export function pointInRing(point: LatLon, ring: readonly Position[]): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > point.lat !== yj > point.lat && point.lon < ((xj - xi) * (point.lat - yi)) / (yj - yi) + xi) {
      inside = !inside;
    }
  }
  return inside;
}

function pointInPolygonRings(point: LatLon, rings: readonly (readonly Position[])[]): boolean {
  const [outline, ...holes] = rings;
  if (!outline || !pointInRing(point, outline)) return false;
  return !holes.some((hole) => pointInRing(point, hole));
}

/** Whether the point lies inside the boundary (outside its holes). */
export function pointInBoundary(point: LatLon, boundary: Boundary): boolean {
  switch (boundary.type) {
    case 'Polygon':
      return pointInPolygonRings(point, boundary.coordinates);
    case 'MultiPolygon':
      return boundary.coordinates.some((polygon) => pointInPolygonRings(point, polygon));
  }
}

/** Smallest box holding the boundary, handy for map views and quick rejection. */
export function boundingBox(boundary: Boundary): { minLon: number; minLat: number; maxLon: number; maxLat: number } {
  const rings = boundary.type === 'Polygon' ? boundary.coordinates : boundary.coordinates.flat();
  const positions = rings.flat();
  if (positions.length === 0) throw new Error('An empty boundary has no bounding box');
  return {
    minLon: Math.min(...positions.map((p) => p[0])),
    minLat: Math.min(...positions.map((p) => p[1])),
    maxLon: Math.max(...positions.map((p) => p[0])),
    maxLat: Math.max(...positions.map((p) => p[1])),
  };
}
