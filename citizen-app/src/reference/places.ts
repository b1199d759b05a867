import { boundingBox, pointInBoundary } from '@palabre/domain/geo/geometry';
import type { CommuneRef } from '../api/types.ts';

export interface Place {
  commune: CommuneRef;
  quartier: { id: string; name: string } | null;
}

/** The commune (and quartier) a point falls in, or null when no commune served by Palabre holds it. */
export function placeOf(communes: readonly CommuneRef[], point: { lat: number; lon: number }): Place | null {
  const commune = communes.find((c) => pointInBoundary(point, c.boundary));
  if (!commune) return null;
  return { commune, quartier: commune.quartiers.find((q) => pointInBoundary(point, q.boundary)) ?? null };
}

/** Where to open a map when the phone gives no position: the middle of the first commune. */
export function communeCentre(commune: CommuneRef): { lat: number; lon: number } {
  const box = boundingBox(commune.boundary);
  return { lat: (box.minLat + box.maxLat) / 2, lon: (box.minLon + box.maxLon) / 2 };
}

/** Great-circle distance in metres (haversine), for "250 m away". */
export function distanceMetres(a: { lat: number; lon: number }, b: { lat: number; lon: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
}
